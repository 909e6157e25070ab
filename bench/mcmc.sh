#!/usr/bin/env bash
# Side-by-side MCMC benchmark of the sine-path model (bench/mcmc.nnft): nnft vs Stan's NUTS. nnft runs
# twice: with NUTS and the diagonal metric, as Stan (like for like), and with its best sampler for
# this model, HMC of 2 jittered leapfrog steps with the free metric (the Hessian of the action's
# quadratic part: every mode equally scaled, so two steps decorrelate them)
# (bench/stan/fourier_path.stan through bench/stan/fourier_path_stan.R, rstan), the same density
# exp(-S_E) over the N output weights (T = 12, lambda = 0.1, quartic term by the midpoint rule on
# M = 2N points), the same chains, draws and warm-up. Whole process against whole process: each wall
# time includes start-up (the JVM; R and loading rstan and the cached compiled model) and warm-up,
# and is measured here; Stan's one-time model compilation is done first and not timed. For each N
# prints <x(T/2)^2> +- MCSE, the bulk ESS of x(T/2)^2 (rank-normalised, as posterior computes it),
# wall seconds, ESS per second, and the ratio nnft / Stan of ESS per second. The two agree within
# errors, not bitwise (different random numbers). nnft's MCSE is a blocked jackknife, Stan's
# rstan's se_mean. Stan runs its chains one after another (cores = 1); nnft as it schedules them.
# Usage: bash bench/mcmc.sh [draws=1e4] [warmup=1e4] [chains=4] [modes="32 64"]
#   (draws and warm-up per chain; NNFT_NO_BUILD=1 skips the mvn package step)
set -euo pipefail
cd "$(dirname "$0")/.."
draws="${1:-1e4}"
warmup="${2:-1e4}"
chains="${3:-4}"
modes="${4:-32 64}"
T=12
lambda=0.1
seed=1
int() { awk -v c="$1" 'BEGIN { printf "%d", c }'; }
idraws=$(int "$draws")
iwarmup=$(int "$warmup")

build_err=""
if [ "${NNFT_NO_BUILD:-0}" != 1 ]; then
  build_err=$(mvn -q -B -DskipTests package 2>&1) && build_err="" || build_err="the nnft build failed (mvn package):
$build_err"
fi

# the Stan peer: rstan (Debian's r-cran-bh keeps Boost where rstan does not look), then the model,
# compiled once into bench/stan/fourier_path.rds (untimed)
if ! Rscript -e 'suppressMessages(library(rstan))' >/dev/null 2>&1; then
  echo "installing r-cran-rstan"; apt-get install -y -q r-cran-rstan >/dev/null
fi
bh=/usr/lib/R/site-library/BH
[ -d "$bh" ] && [ ! -e "$bh/include" ] && ln -s /usr/include "$bh/include"
stan=bench/stan
if [ ! -f "$stan/fourier_path.rds" ] || [ "$stan/fourier_path.stan" -nt "$stan/fourier_path.rds" ]; then
  echo "compiling the Stan model (first run only, a minute or more; not timed)"
  Rscript "$stan/fourier_path_stan.R" 4 8 "$T" "$lambda" 10 1 1 >/dev/null
fi

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
num='[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?'
# the first number after the first "=" on nnft's correlator line, and after its "±" (or +-, +/-)
nnft_mean() { grep -m1 'correlator(' <<<"$1" | sed -e 's/^[^=]*=//' | grep -oE -m1 "$num" | head -1 || true; }
nnft_mcse() { grep -m1 'correlator(' <<<"$1" | sed -e 's/±/ @PM@ /; s#+/-# @PM@ #; s/+-/ @PM@ /' | sed -n -e 's/^.*@PM@//p' | grep -oE "$num" | head -1 || true; }
# ess_bulk: / ess_bulk = in the diagnostics record (the smallest over the parameters a[n])
nnft_ess_min() { grep -oE "ess_bulk\"?[[:space:]]*[:=][[:space:]]*$num" <<<"$1" | head -1 | sed -e 's/^[^:=]*[:=]//' | grep -oE "$num" | head -1 || true; }
# ess_bulk(draws(C, T/2)^2) = ... (the bulk ESS of x(T/2)^2 itself)
nnft_ess_x2() { grep -m1 '^ess_bulk(draws(' <<<"$1" | sed -e 's/^[^=]*=//' | grep -oE "$num" | head -1 || true; }
# a field of the Stan runner's line "x_mid_sq m mcse e n_eff n Rhat r ... ess_bulk b ess_bulk_min_a c"
stan_field() { awk -v k="$2" '$1 == "x_mid_sq" { for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$1"; }
or_na() { [ -n "$1" ] && echo "$1" || echo "n/a"; }
line() {  # who mean mcse ess ess_min seconds
  awk -v w="$1" -v m="$2" -v e="$3" -v n="$4" -v q="$5" -v s="$6" 'BEGIN {
    rate = (n != "n/a" && s > 0) ? sprintf("%.0f", n / s) : "n/a"
    if (n != "n/a") n = sprintf("%.0f", n); if (q != "n/a") q = sprintf("%.0f", q)
    printf "%-5s <x(T/2)^2> = %s ± %s   bulk ESS %s (min over a[n]: %s)   %.2f s wall   %s ESS/s\n", w, m, e, n, q, s, rate }'
}

status=0
summary=""
for N in $modes; do
  M=$((2 * N))
  echo "=== N = $N modes, M = $M midpoints, T = $T, lambda = $lambda: $chains chains x $idraws draws after $iwarmup warm-up"

  # (a) nnft on bench/mcmc.nnft at these sizes
  script=target/mcmc_bench_N$N.nnft
  mkdir -p target
  sed -e "s/^let N = 32\$/let N = $N/" \
      -e "s/mcmc(path, 1e4,/mcmc(path, $draws,/" \
      -e "s/chains = 4,/chains = $chains,/" \
      -e "s/warmup = 1e4,/warmup = $warmup,/" \
      -e "s/points = 64)/points = $M)/" bench/mcmc.nnft > "$script"
  grep -q "^let N = $N\$" "$script" && grep -q "mcmc(path, $draws," "$script" && grep -q "chains = $chains," "$script" \
    && grep -q "warmup = $warmup," "$script" && grep -q "points = $M)" "$script" \
    || { echo "mcmc: could not set the sizes in $script" >&2; exit 1; }
  best=target/mcmc_bench_best_N$N.nnft
  sed -e 's/sampler = nuts(), /sampler = hmc(steps = 2), metric = "free", /' "$script" > "$best"
  grep -q 'sampler = hmc(steps = 2), metric = "free", ' "$best" || { echo "mcmc: could not set the sampler in $best" >&2; exit 1; }
  run_nnft() {  # sets j, jrc, js
    if [ -n "$build_err" ]; then
      j="$build_err"; jrc=1; js=0
    else
      t0=$(now)
      set +e
      j=$(./nnft run "$1" 2>&1)
      jrc=$?
      set -e
      t1=$(now)
      js=$(secs "$t0" "$t1")
    fi
    [ -n "$build_err" ] && echo "--- nnft run $1: not run" || echo "--- nnft run $1"
    echo "$j"
  }
  # the launcher makes its class-data archive once per build: not part of the timing
  [ -z "$build_err" ] && ./nnft run bench/cds_training.nnft >/dev/null 2>&1 || true
  run_nnft "$best"
  jb="$j"; jbrc=$jrc; jbs=$js
  run_nnft "$script"

  # (b) Stan through the R runner
  t0=$(now)
  set +e
  p=$(Rscript "$stan/fourier_path_stan.R" "$N" "$M" "$T" "$lambda" "$idraws" "$chains" "$seed" "$iwarmup" 2>&1)
  prc=$?
  set -e
  t1=$(now)
  ps=$(secs "$t0" "$t1")
  echo "--- Rscript $stan/fourier_path_stan.R $N $M $T $lambda $idraws $chains $seed $iwarmup"
  echo "$p"

  echo "--- N = $N: whole process, wall time, warm-up included"
  jm=n/a; je=n/a; jn=n/a; jq=n/a
  if [ "$jrc" -ne 0 ]; then
    echo "nnft  FAILED (exit $jrc after $js s): no nnft figures, no ratio; its output is above"
    status=1
  else
    jm=$(or_na "$(nnft_mean "$j")"); je=$(or_na "$(nnft_mcse "$j")")
    jn=$(or_na "$(nnft_ess_x2 "$j")"); jq=$(or_na "$(nnft_ess_min "$j")")
    line nuts "$jm" "$je" "$jn" "$jq" "$js"
  fi
  bm=n/a; be=n/a; bn=n/a; bq=n/a
  if [ "$jbrc" -ne 0 ]; then
    echo "best  FAILED (exit $jbrc after $jbs s): its output is above"
    status=1
  else
    bm=$(or_na "$(nnft_mean "$jb")"); be=$(or_na "$(nnft_mcse "$jb")")
    bn=$(or_na "$(nnft_ess_x2 "$jb")"); bq=$(or_na "$(nnft_ess_min "$jb")")
    line best "$bm" "$be" "$bn" "$bq" "$jbs"
  fi
  sm=n/a; se=n/a; sn=n/a; sq=n/a
  if [ "$prc" -ne 0 ] || [ -z "$(stan_field "$p" x_mid_sq)" ]; then
    echo "Stan  FAILED (exit $prc after $ps s): no Stan figures, no ratio; its output is above"
    status=1
  else
    sm=$(stan_field "$p" x_mid_sq); se=$(stan_field "$p" mcse)
    sn=$(or_na "$(stan_field "$p" ess_bulk)"); sq=$(or_na "$(stan_field "$p" ess_bulk_min_a)")
    line Stan "$sm" "$se" "$sn" "$sq" "$ps"
  fi
  ratio=n/a
  if [ "$jrc" -eq 0 ] && [ "$prc" -eq 0 ] && [ "$jn" != n/a ] && [ "$sn" != n/a ]; then
    ratio=$(awk -v a="$jn" -v s="$js" -v b="$sn" -v t="$ps" 'BEGIN { printf "%.2f", (a / s) / (b / t) }')
    echo "ESS/s ratio nnft NUTS / Stan: ${ratio}x   (wall: nnft $js s, Stan $ps s)"
    if [ "$jm" != n/a ] && [ "$je" != n/a ]; then
      awk -v a="$jm" -v ea="$je" -v b="$sm" -v eb="$se" \
        'BEGIN { d = a - b; e = sqrt(ea * ea + eb * eb); printf "difference nnft - Stan: %.4f (%.1f combined errors)\n", d, (e > 0 ? d / e : 0) }'
    fi
  elif [ "$jrc" -eq 0 ] && [ "$prc" -eq 0 ]; then
    echo "ESS/s ratio nnft / Stan: n/a (an ESS could not be read)"
    status=1
  fi
  bratio=n/a
  if [ "$jbrc" -eq 0 ] && [ "$prc" -eq 0 ] && [ "$bn" != n/a ] && [ "$sn" != n/a ]; then
    bratio=$(awk -v a="$bn" -v s="$jbs" -v b="$sn" -v t="$ps" 'BEGIN { printf "%.2f", (a / s) / (b / t) }')
    echo "ESS/s ratio nnft best / Stan: ${bratio}x   (wall: nnft $jbs s, Stan $ps s)"
  fi
  summary+=$(awk -v N="$N" -v a="$bm +- $be" -v b="$sm +- $se" -v c="$bn" -v d="$sn" -v e="$jbs" -v f="$ps" -v r="$bratio" -v rn="$ratio" \
    'function r0(x) { return x == "n/a" ? x : sprintf("%.0f", x) }
     function r2(x) { return x == "n/a" ? x : sprintf("%.2f", x) }
     BEGIN { printf "%-4s %-18s %-18s %-8s %-8s %-7s %-7s %-10s %s", N, a, b, r0(c), r0(d), r2(e), r2(f), r, rn }')$'\n'
  echo
done

echo "=== summary ($chains chains x $idraws draws after $iwarmup warm-up; whole-process wall seconds)"
printf '%-4s %-18s %-18s %-8s %-8s %-7s %-7s %-10s %s\n' N "nnft <x^2>" "Stan <x^2>" "ESS nnft" "ESS Stan" "s nnft" "s Stan" "best/Stan" "NUTS/Stan"
printf '%s' "$summary"
exit "$status"
