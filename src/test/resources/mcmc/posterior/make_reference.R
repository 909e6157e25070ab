#!/usr/bin/env Rscript
# Reference values for MCMC convergence diagnostics, computed with the REAL
# R package `posterior` (Vehtari, Gelman, Simpson, Carpenter, Buerkner 2021,
# "Rank-normalization, folding, and localization: an improved R-hat").
#
# Produced with: posterior 1.4.0 (Debian package r-cran-posterior 1.4.0+dfsg-1),
#                R 4.2.2 Patched (2022-11-10 r83330), Debian 12.
# (The functions used here -- .rhat, .ess, autocovariance, .split_chains,
#  z_scale, fold_draws, .ess_quantile, mcse_mean, mcse_sd -- are textually
#  identical in upstream posterior 1.7.1.)
#
# Rerun (from any directory):
#   apt-get install -y r-cran-posterior
#   Rscript src/test/resources/mcmc/posterior/make_reference.R
#
# Outputs (next to this script):
#   <name>.csv    draws, rows = iterations, columns = chains, no header, %.17g
#   expected.tsv  one row per CSV; every statistic is computed from the CSV as
#                 re-read from disk (so the Java side sees exactly the same
#                 doubles), formatted %.17g, "NA" where posterior returns NA.
# Draw generation uses R's default RNG (Mersenne-Twister, Inversion,
# Rejection sampling) with the fixed seeds below.

suppressPackageStartupMessages(library(posterior))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script) == 1) dirname(normalizePath(script)) else getwd()

fixtures <- list()

# (a) 4 chains x 1000 iid standard normal
set.seed(20240101)
fixtures$a_iid_normal_4x1000 <- matrix(rnorm(4 * 1000), nrow = 1000, ncol = 4)

# (b) 4 chains x 1001 (odd: split drops the middle draw) AR(1), rho = 0.9,
#     stationary start, unit marginal variance
set.seed(20240102)
ar1 <- function(n, rho) {
  x <- numeric(n)
  x[1] <- rnorm(1)
  e <- rnorm(n - 1, sd = sqrt(1 - rho^2))
  for (t in 2:n) x[t] <- rho * x[t - 1] + e[t - 1]
  x
}
fixtures$b_ar1_rho09_4x1001 <- sapply(1:4, function(i) ar1(1001, 0.9))

# (c) 2 chains x 500, chain 2 shifted by +1 (bad mixing)
set.seed(20240103)
m <- matrix(rnorm(2 * 500), nrow = 500, ncol = 2)
m[, 2] <- m[, 2] + 1
fixtures$c_shifted_2x500 <- m

# (d) 4 chains x 300 Student t, 2 dof (heavy tails)
set.seed(20240104)
fixtures$d_student_t2_4x300 <- matrix(rt(4 * 300, df = 2), nrow = 300, ncol = 4)

# (e) 3 chains x 200 integers 0..4 (many ties)
set.seed(20240105)
fixtures$e_ties_int0to4_3x200 <- matrix(sample(0:4, 3 * 200, replace = TRUE),
                                        nrow = 200, ncol = 3)

# (f) 1 chain x 100 iid normal (split into 2 x 50)
set.seed(20240106)
fixtures$f_single_chain_1x100 <- matrix(rnorm(100), nrow = 100, ncol = 1)

# --- extra edge cases ---
# (g) 2 chains x 9 -> split into 4 chains x 4 iterations: the Geyer loop in
#     .ess never runs (t < niterations - 5 is false), so max_t = 0 and R's
#     rho_hat_t[1:0] quirk applies (1:0 == c(1, 0) selects element 1).
set.seed(20240107)
fixtures$g_tiny_2x9 <- matrix(rnorm(2 * 9), nrow = 9, ncol = 2)

# (h) 2 chains x 50, all draws identical -> every diagnostic is NA
fixtures$h_constant_2x50 <- matrix(1.5, nrow = 50, ncol = 2)

# (i) 3 chains x 100, chain 3 constant (0.25), chains 1-2 normal; only the
#     whole matrix is checked for constancy, a constant chain contributes
#     zero autocovariances.
set.seed(20240109)
m <- matrix(rnorm(3 * 100), nrow = 100, ncol = 3)
m[, 3] <- 0.25
fixtures$i_one_constant_chain_3x100 <- m

fmt <- function(v) sprintf("%.17g", v)

rows <- list()
for (name in names(fixtures)) {
  path <- file.path(outdir, paste0(name, ".csv"))
  x <- fixtures[[name]]
  lines <- apply(x, 1, function(r) paste(fmt(r), collapse = ","))
  writeLines(lines, path)
  # re-read exactly what the Java test will read
  y <- as.matrix(read.csv(path, header = FALSE, colClasses = "numeric"))
  dimnames(y) <- NULL
  stopifnot(identical(dim(y), dim(x)), all(y == x))
  q <- suppressWarnings(ess_quantile(y, c(0.05, 0.95), names = FALSE))
  mq <- suppressWarnings(mcse_quantile(y, c(0.05, 0.95), names = FALSE))
  vals <- suppressWarnings(c(
    rhat       = rhat(y),
    rhat_basic = rhat_basic(y),
    ess_bulk   = ess_bulk(y),
    ess_tail   = ess_tail(y),
    ess_basic  = ess_basic(y),   # == ess_mean(y)
    mcse_mean  = mcse_mean(y),
    mcse_sd    = mcse_sd(y),
    ess_q05    = q[1],
    ess_q95    = q[2],
    mcse_q05   = mq[1],
    mcse_q95   = mq[2]
  ))
  stopifnot(identical(unname(vals["ess_basic"]), suppressWarnings(ess_mean(y))))
  rows[[name]] <- c(file = paste0(name, ".csv"), fmt(vals))
  names(rows[[name]]) <- c("file", names(vals))
}
hdr <- names(rows[[1]])
out <- c(paste(hdr, collapse = "\t"),
         vapply(rows, function(r) paste(r, collapse = "\t"), ""))
writeLines(out, file.path(outdir, "expected.tsv"))
cat(out, sep = "\n")
