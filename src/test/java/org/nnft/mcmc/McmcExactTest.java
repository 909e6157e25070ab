package org.nnft.mcmc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.ensemble.Estimate;

/**
 * mcmc against densities whose moments are known in closed form, derived here independently of
 * nnft's code:
 *
 * <ol>
 *   <li>the sine path x(t) = Σ a_n sin(nπt/T) with flat a and the free action ∫ ẋ²/2 + x²/2: the
 *       action is the quadratic form Σ a_n² T((nπ/T)² + 1)/4 (the midpoint rule with M > N points
 *       integrates these products exactly), so the a_n are independent normals with
 *       Var a_n = 2/(T((nπ/T)² + 1)) and ⟨x(t)x(t')⟩ = Σ Var a_n sin(nπt/T) sin(nπt'/T) — with NUTS,
 *       HMC, Metropolis, and the diagonal, dense and free metrics;</li>
 *   <li>the same with a normal(0, s) prior on a_n (an independence-breaking deformation): the
 *       precisions add, Var a_n = 1/(T((nπ/T)² + 1)/2 + 1/s²);</li>
 *   <li>bounded parameters through Stan's transforms: c ~ uniform(−1, 3) and c ~ exponential(2)
 *       with the action k c²/2: truncated normals whose moments come from a fine Simpson rule;</li>
 *   <li>the error bars: across 40 seeds the z-scores of ⟨x(T/2)²⟩ have a spread near 1.</li>
 * </ol>
 * A comparison passes when |nnft − exact| ≤ 4 errors.
 */
class McmcExactTest {
  static final double TOL = 4;

  static void compare(List<String> failures, String what, Estimate got, double exact) {
    double z = (got.value() - exact) / got.error();
    String line = String.format("%-60s nnft %.6f ± %.6f   exact %.6f   z = %+.2f", what, got.value(), got.error(), exact, z);
    System.out.println(line);
    if (!(got.error() > 0)) failures.add(what + ": no error bar: " + got);
    else if (!(Math.abs(z) <= TOL)) failures.add(line);
  }

  static String sineNet(int n, double t, String prior, String sampler, String metric, int draws, long seed) {
    return "let T = " + t + "\nlet N = " + n + "\n"
        + "net path(t: R^1) {\n  a[N] ~ " + prior + "\n  let n = range(1, N)\n  return dot(a, sin(n * pi * t / T))\n}\n"
        + "field phi(t: R^1)\n"
        + "action SE = integral(t, 0, T, 1/2 * D(phi, t)^2 + 1/2 * phi^2, rule = \"midpoint\", points = " + (4 * n) + ")\n"
        + "let C = mcmc(path, " + draws + ", action = SE, sampler = " + sampler + ", chains = 4, warmup = 500, seed = " + seed
        + ", metric = \"" + metric + "\")\n"
        + "let g1 = correlator(C, T/2, T/2)\nlet g2 = correlator(C, T/4, T/2)\nlet g3 = correlator(C, T/3, 2*T/3)\nlet m1 = correlator(C, T/3)\n"
        + "let d = diagnostics(C)\n";
  }

  /** Σ_n var_n sin(nπt/T) sin(nπt'/T). */
  static double exact(int n, double t, double x, double y, double priorSd) {
    double s = 0;
    for (int k = 1; k <= n; k++) {
      double prec = t * (Math.pow(k * Math.PI / t, 2) + 1) / 2 + (priorSd > 0 ? 1 / (priorSd * priorSd) : 0);
      s += Math.sin(k * Math.PI * x / t) * Math.sin(k * Math.PI * y / t) / prec;
    }
    return s;
  }

  @Test void sinePathsAreTheFreeOscillatorsBridgeAtFiniteN() {
    List<String> failures = new ArrayList<>();
    int n = 8;
    double t = 4;
    String[][] runs = {
        {"flat()", "nuts()", "diag", "11"}, {"flat()", "nuts()", "dense", "12"}, {"flat()", "nuts()", "free", "13"},
        {"flat()", "hmc(steps = 8)", "diag", "14"}, {"flat()", "metropolis()", "free", "15"},
        {"normal(0, 0.5)", "nuts()", "diag", "16"}, {"normal(0, 0.5)", "hmc(eps = 0.3, steps = 6)", "free", "17"}};
    for (String[] r : runs) {
      Nnft nn = Nnft.session().setThreads(2);
      int draws = r[1].startsWith("metropolis") ? 20000 : 2000;
      nn.eval(sineNet(n, t, r[0], r[1], r[2], draws, Long.parseLong(r[3])));
      double sd = r[0].startsWith("normal") ? 0.5 : 0;
      String what = r[0] + " " + r[1] + " metric " + r[2];
      compare(failures, what + " <x(T/2)^2>", nn.estimate("g1"), exact(n, t, t / 2, t / 2, sd));
      compare(failures, what + " <x(T/4)x(T/2)>", nn.estimate("g2"), exact(n, t, t / 4, t / 2, sd));
      compare(failures, what + " <x(T/3)x(2T/3)>", nn.estimate("g3"), exact(n, t, t / 3, 2 * t / 3, sd));
      compare(failures, what + " <x(T/3)>", nn.estimate("m1"), 0);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** ∫ c^k e^{-(k c²/2 + rate c)} over [lo, hi] / the same with k = 0, by Simpson's rule on 20000 intervals. */
  static double truncatedMoment(int power, double lo, double hi, double stiff, double rate) {
    int m = 20000;
    double h = (hi - lo) / m, num = 0, den = 0;
    for (int i = 0; i <= m; i++) {
      double c = lo + i * h, w = i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2;
      double p = Math.exp(-(stiff * c * c / 2 + rate * c));
      num += w * p * Math.pow(c, power);
      den += w * p;
    }
    return num / den;
  }

  @Test void boundedParametersMoveThroughTheirTransforms() {
    List<String> failures = new ArrayList<>();
    String[][] cases = {{"uniform(-1, 3)", "-1", "3", "0"}, {"exponential(2)", "0", "40", "2"}};
    for (String[] c : cases) {
      for (long seed : new long[] {3, 4}) {
        Nnft nn = Nnft.session().setThreads(2);
        nn.eval("net lin(t: R^1) {\n  c ~ " + c[0] + "\n  return c\n}\nfield phi(t: R^1)\n"
            + "action S = integral(t, 0, 1, 0.8 * phi^2, rule = \"midpoint\", points = 1)\n"
            + "let C = mcmc(lin, 4000, action = S, chains = 4, seed = " + seed + ")\n"
            + "let m1 = correlator(C, 0.5)\nlet m2 = correlator(C, 0.5, 0.5)\n");
        double lo = Double.parseDouble(c[1]), hi = Double.parseDouble(c[2]), rate = Double.parseDouble(c[3]);
        compare(failures, c[0] + " seed " + seed + " E[c]", nn.estimate("m1"), truncatedMoment(1, lo, hi, 1.6, rate));
        compare(failures, c[0] + " seed " + seed + " E[c^2]", nn.estimate("m2"), truncatedMoment(2, lo, hi, 1.6, rate));
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * The ReLU time-slicing net x(τ) = Σ_j v_j relu(τ − ja) with the lattice rule is the time-sliced
   * path: with sites x_j = x(ja) (x_0 = 0) the action is Σ (x_{j+1} − x_j)²/(2a) + Σ w_j x_j²/2
   * (trapezoid weights, a/2 at the ends), so at λ = 0 the sites are normal with the inverse of that
   * tridiagonal precision as covariance — solved here by Gaussian elimination. The slope changes v
   * are badly conditioned; the dense and free metrics cope.
   */
  @Test void timeSlicingNetIsTheLatticePath() {
    List<String> failures = new ArrayList<>();
    int n = 12;
    double t = 6, a = t / n;
    double[][] cov = invert(latticePrecision(n, a));
    for (String metric : new String[] {"dense", "free"}) {
      Nnft nn = Nnft.session().setThreads(2);
      nn.eval(freeSlices(t, n)
          + "let C = mcmc(slices, 3000, action = SL, chains = 4, seed = 21, metric = \"" + metric + "\")\n"
          + "let g1 = correlator(C, T/2, T/2)\nlet g2 = correlator(C, 2 * a, T)\nlet g3 = correlator(C, 1.25, 1.25)\n");
      compare(failures, "slicing " + metric + " <x(T/2)^2>", nn.estimate("g1"), cov[n / 2 - 1][n / 2 - 1]);
      compare(failures, "slicing " + metric + " <x(2a)x(T)>", nn.estimate("g2"), cov[1][n - 1]);
      // between sites the path is the linear interpolation: x(1.25) = (x_2 + x_3)/2 at a = 0.5
      double mid = (cov[1][1] + 2 * cov[1][2] + cov[2][2]) / 4;
      compare(failures, "slicing " + metric + " <x(1.25)^2>", nn.estimate("g3"), mid);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * gap with several start times on the free time-sliced path (λ = 0, a = 0.5, T = 12): the
   * correlator it averages is the mean over the start times t0 of the exact site covariance
   * between t0 and t0 + τ (the inverse of the tridiagonal precision above), and the lattice's
   * correlator decays as e^{−ω_a τ} with cosh(ω_a a) = 1 + a²/2 (the sites' equation of motion
   * x_{j+1} + x_{j−1} = (2 + a²) x_j) away from the ends; the start times keep 3 and the fitted
   * separations 4 away from the free end, where its reflection moves the slope by 2e^{−8ω}.
   */
  @Test void gapAveragedOverStartTimesIsTheLatticeGap() {
    List<String> failures = new ArrayList<>();
    int n = 24;
    double t = 12, a = t / n;
    double[][] cov = invert(latticePrecision(n, a));
    int[] starts = {6, 7, 8, 9, 10, 11, 12}; // sites: t0 = 3 .. 6
    int taus = 5; // tau = 0, 0.5, .., 2
    for (long seed : new long[] {31, 32}) {
      Nnft nn = Nnft.session().setThreads(2);
      nn.eval(freeSlices(t, n)
          + "let C = mcmc(slices, 4000, action = SL, chains = 4, seed = " + seed + ", metric = \"free\", sampler = hmc(steps = 3))\n"
          + "let g = gap(C, at = linspace(3, 6, 7), taus = linspace(0, 2, 5), fit = [0.5, 2])\n"
          + "let gg = g.gap\n"
          + "let G = g.correlator\n");
      for (int k = 0; k < taus; k++) {
        double ex = 0;
        for (int s0 : starts) ex += cov[s0 - 1][s0 + k - 1] / starts.length;
        nn.eval("let Gk = G[" + k + "]");
        compare(failures, "seed " + seed + " averaged G(" + (k * a) + ")", nn.estimate("Gk"), ex);
      }
      double omega = Math.log(1 + a * a / 2 + Math.sqrt(Math.pow(1 + a * a / 2, 2) - 1)) / a;
      compare(failures, "seed " + seed + " lattice gap arccosh(1 + a^2/2)/a", nn.estimate("gg"), omega);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** The free time-sliced path as a ReLU slicing net over [0, T] with N slices, and its lattice action SL. */
  static String freeSlices(double t, int n) {
    return "let T = " + t + "\nlet N = " + n + "\nlet a = T / N\n"
        + "net slices(t: R^1) {\n  v[N] ~ flat()\n  let tj = [j * a for j in range(0, N - 1)]\n  return dot(v, relu(t - tj))\n}\n"
        + "field phi(t: R^1)\n"
        + "action SL = integral(t, 0, T, 1/2 * D(phi, t)^2 + 1/2 * phi^2, rule = \"lattice\", points = N)\n";
  }

  /** The precision of the sites (x_1 .. x_n) of the free time-sliced path, x_0 = 0 and a free end. */
  static double[][] latticePrecision(int n, double a) {
    double[][] p = new double[n][n];
    for (int j = 1; j <= n; j++) {
      int i = j - 1;
      boolean end = j == n;
      p[i][i] = (end ? 1 / a : 2 / a) + (end ? a / 2 : a);
      if (j < n) { p[i][i + 1] = -1 / a; p[i + 1][i] = -1 / a; }
    }
    return p;
  }

  static double[][] invert(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) { System.arraycopy(m[i], 0, a[i], 0, n); a[i][n + i] = 1; }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
      double[] tmp = a[c]; a[c] = a[piv]; a[piv] = tmp;
      double d = a[c][c];
      for (int k = 0; k < 2 * n; k++) a[c][k] /= d;
      for (int r = 0; r < n; r++) {
        if (r == c) continue;
        double f = a[r][c];
        for (int k = 0; k < 2 * n; k++) a[r][k] -= f * a[c][k];
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) System.arraycopy(a[i], n, inv[i], 0, n);
    return inv;
  }

  @Test void errorBarsAreCalibratedAcrossSeeds() {
    int n = 4, seeds = 40;
    double t = 3, ex = exact(n, t, t / 2, t / 2, 0);
    double s = 0, s2 = 0;
    for (int seed = 0; seed < seeds; seed++) {
      Nnft nn = Nnft.session().setThreads(2);
      nn.eval(sineNet(n, t, "flat()", "nuts()", "diag", 800, 1000 + seed).replace("let d = diagnostics(C)\n", ""));
      Estimate g = nn.estimate("g1");
      double z = (g.value() - ex) / g.error();
      s += z;
      s2 += z * z;
    }
    double mean = s / seeds, sd = Math.sqrt(s2 / seeds - mean * mean);
    System.out.printf("z-scores of <x(T/2)^2> over %d seeds: mean %.3f, sd %.3f%n", seeds, mean, sd);
    // the sd of 40 draws of a unit normal is within [0.72, 1.28] with probability > 0.999
    assertTrue(sd > 0.72 && sd < 1.28, "z-score spread " + sd);
    assertTrue(Math.abs(mean) < 4 / Math.sqrt(seeds), "z-score mean " + mean);
  }
}
