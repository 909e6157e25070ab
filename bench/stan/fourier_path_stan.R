# Run the Stan peer: Rscript fourier_path_stan.R N M T lambda iter chains seed [warmup]
# Prints the posterior mean of x(T/2)^2, its MCSE, bulk ESS, and sampling seconds (warm-up excluded and included).
# Local copy of /work/shared/peers/fourier_path_stan.R with two additions for bench/mcmc.sh: an optional
# 8th argument, the warm-up draws per chain (default iter, as the original), and trailing fields
# ess_bulk (the rank-normalized bulk ESS of x(T/2)^2, rstan::ess_bulk, as posterior and nnft compute
# it; n_eff is rstan's classic ESS, unchanged) and ess_bulk_min_a (the smallest bulk ESS over the
# parameters a[n], the figure nnft's diagnostics(C) reports as ess_bulk).
suppressMessages(library(rstan))
a <- commandArgs(trailingOnly = TRUE)
N <- as.integer(a[1]); M <- as.integer(a[2]); T <- as.numeric(a[3]); lambda <- as.numeric(a[4])
iter <- as.integer(a[5]); chains <- as.integer(a[6]); seed <- as.integer(a[7])
warmup <- if (length(a) >= 8) as.integer(a[8]) else iter
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
rstan_options(auto_write = TRUE)
m <- stan_model(file.path(here, "fourier_path.stan"))
t0 <- Sys.time()
fit <- sampling(m, data = list(N = N, M = M, T = T, lambda = lambda), iter = warmup + iter, warmup = warmup,
                chains = chains, cores = 1, seed = seed, refresh = 0)
t1 <- Sys.time()
s <- summary(fit, pars = "x_mid_sq")$summary
el <- get_elapsed_time(fit)
eb <- ess_bulk(as.array(fit, pars = "x_mid_sq")[, , 1])
aa <- as.array(fit, pars = "a")
ebm <- min(sapply(seq_len(dim(aa)[3]), function(k) ess_bulk(aa[, , k])))
cat(sprintf("x_mid_sq %.5f mcse %.5f n_eff %.0f Rhat %.4f sample_s %.2f total_s %.2f wall_s %.2f ess_bulk %.0f ess_bulk_min_a %.0f\n",
            s[1, "mean"], s[1, "se_mean"], s[1, "n_eff"], s[1, "Rhat"], sum(el[, "sample"]), sum(el), as.numeric(t1 - t0, units = "secs"), eb, ebm))
