package org.nnft.reweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.ensemble.Estimate;

/**
 * Weighted ensembles, sample(net, n, weight = w) and log_weight = l, against references derived
 * here in plain Java, independently of nnft's code:
 *
 * <ol>
 *   <li>a Gaussian weight exp(-c φ(x0)²) on a cos-net with a Gaussian output layer: given the
 *       inner parameters the output weights are integrated analytically (the normaliser Z(w, b)
 *       and the posterior covariance Σ'), the rest by a Monte Carlo over (w, b) with its own
 *       standard error;</li>
 *   <li>a weight that reads one parameter only (a Laplace slope times a Gaussian weight): 1-D
 *       Simpson quadrature;</li>
 *   <li>actions applied to nets whose output is a polynomial in t with Gaussian coefficients: the
 *       integrals are quadratic forms of the coefficients, so the deformed density is Gaussian
 *       with a covariance from a few lines of linear algebra (this also checks the
 *       Gauss–Legendre quadrature, exact for polynomials);</li>
 *   <li>the error bars of case 3 across 100 seeds: z-scores with mean near 0, spread near 1.</li>
 * </ol>
 *
 * Each reference is derived a second way too (a brute-force importance-sampling run in plain Java,
 * drawing every parameter) so that a wrong formula in this test shows up as a failure of the
 * reference, not of nnft. A comparison passes when |nnft − ref| ≤ 4 √(err_nnft² + err_ref²). All
 * seeds are fixed, so the outcome is deterministic. Every comparison is printed, and all failures
 * of a case are reported together.
 */
class ReweightExactTest {
  static final int[] SEEDS = {101, 202, 303};
  static final double TOL = 4;

  // ---------------------------------------------------------------------------------------------
  // helpers

  static Nnft session() { return Nnft.session().setThreads(2); }

  /** One comparison: prints it and records a failure message when it is outside TOL sigma. */
  static void compare(List<String> failures, String what, Estimate got, double ref, double refErr) {
    double sigma = Math.sqrt(got.error() * got.error() + refErr * refErr);
    double z = (got.value() - ref) / sigma;
    String line = String.format("%-48s nnft %.6f ± %.6f   ref %.6f ± %.6f   z = %+.2f", what, got.value(), got.error(), ref, refErr, z);
    System.out.println(line);
    if (!(got.error() > 0)) failures.add(what + ": an estimate with no error: " + got);
    else if (!(Math.abs(z) <= TOL)) failures.add(line);
  }

  /** Kish's ESS fraction, Pareto k and quadrature check of ensemble Q (a statement of the same script, so no extra pass). */
  static final String WEIGHTS = "let ess_f = ess(Q).fraction\nlet ess_k = ess(Q).pareto_k\nlet ess_q = ess(Q).quadrature_check\n";

  static void printWeights(Nnft nn, String what) {
    System.out.printf("%-48s ESS fraction %.3f, Pareto k %.3f, quadrature check %.3g%n", what + " weights", nn.number("ess_f"), nn.number("ess_k"), nn.number("ess_q"));
  }

  static void noFailures(String which, List<String> failures) {
    assertTrue(failures.isEmpty(), which + ": nnft disagrees with the exact reference:\n  " + String.join("\n  ", failures));
  }

  /** Self-normalised estimates Σ w x_j / Σ w with delta-method standard errors (a plain-Java reference). */
  static final class Ratio {
    final int k;
    long n;
    double sw, sww;
    final double[] swx, swwx, swwxx;

    Ratio(int k) {
      this.k = k;
      swx = new double[k];
      swwx = new double[k];
      swwxx = new double[k];
    }

    void add(double w, double[] x) {
      n++;
      sw += w;
      sww += w * w;
      for (int j = 0; j < k; j++) {
        swx[j] += w * x[j];
        swwx[j] += w * w * x[j];
        swwxx[j] += w * w * x[j] * x[j];
      }
    }

    double value(int j) { return swx[j] / sw; }

    /** sd of R = Σ w x / Σ w: sqrt(E[w² (x − R)²] / n) / E[w]. */
    double error(int j) {
      double r = value(j);
      double v = (swwxx[j] - 2 * r * swwx[j] + r * r * sww) / n;
      return Math.sqrt(Math.max(v, 0) / n) / (sw / n);
    }
  }

  static void agreeWithin(String what, double a, double ea, double b, double eb) {
    double s = Math.sqrt(ea * ea + eb * eb);
    System.out.println(String.format("  reference check %-34s %.6f ± %.6f vs %.6f ± %.6f", what, a, ea, b, eb));
    assertTrue(Math.abs(a - b) <= TOL * s, "the test's own references disagree (" + what + "): " + a + " ± " + ea + " vs " + b + " ± " + eb);
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Gaussian weight on a point value of a cos-net with Gaussian output weights

  static final int NEURONS = 3;
  static final double S_A = 0.7, W_MEAN = 0.4, W_SD = 1.2, C = 0.8, X0 = 0.3;
  /** points; X0 is the first. */
  static final double[] XS = {X0, 1.2, -1.0, 0.5, 3.0};
  /** the 2-point pairs (indices into XS) and the points of the 4-point moments. */
  static final int[][] PAIRS = {{0, 0}, {0, 1}, {2, 3}, {4, 4}, {0, 4}};
  static final int[] QUARTIC = {0, 1};

  static final String COSNET = String.join("\n",
      "net f(x: R) {",
      "  a[" + NEURONS + "] ~ normal(0, " + S_A + ")",
      "  w[" + NEURONS + "] ~ normal(" + W_MEAN + ", " + W_SD + ")",
      "  b[" + NEURONS + "] ~ uniform(-pi, pi)",
      "  return dot(a, cos(w * x + b))",
      "}",
      "");

  /**
   * The reference by a Monte Carlo over (w, b), the output weights a integrated analytically:
   * with h0 = h(x0), D = 1 + 2 c s² |h0|², Z = D^(-1/2) and
   * K(x, y) = h(x)ᵀ Σ' h(y) = s² (h(x)·h(y) − 2 c s² (h(x)·h0)(h(y)·h0) / D);
   * E[φ(x)φ(y)] = E[Z K(x, y)] / E[Z], E[φ(x)⁴] = E[Z · 3 K(x, x)²] / E[Z].
   */
  static Ratio cosnetReference(long draws, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int np = XS.length;
    double[][] h = new double[np][NEURONS];
    double[] x = new double[PAIRS.length + QUARTIC.length];
    double[] w = new double[NEURONS], b = new double[NEURONS];
    Ratio out = new Ratio(x.length);
    double s2 = S_A * S_A;
    for (long t = 0; t < draws; t++) {
      for (int i = 0; i < NEURONS; i++) {
        w[i] = W_MEAN + W_SD * r.nextGaussian();
        b[i] = -Math.PI + 2 * Math.PI * r.nextDouble();
      }
      for (int p = 0; p < np; p++) for (int i = 0; i < NEURONS; i++) h[p][i] = Math.cos(w[i] * XS[p] + b[i]);
      double[] dot0 = new double[np];
      for (int p = 0; p < np; p++) dot0[p] = dot(h[p], h[0]);
      double d = 1 + 2 * C * s2 * dot0[0];
      double z = 1 / Math.sqrt(d);
      for (int k = 0; k < PAIRS.length; k++) {
        int p = PAIRS[k][0], q = PAIRS[k][1];
        x[k] = s2 * (dot(h[p], h[q]) - 2 * C * s2 * dot0[p] * dot0[q] / d);
      }
      for (int k = 0; k < QUARTIC.length; k++) {
        int p = QUARTIC[k];
        double kk = s2 * (dot(h[p], h[p]) - 2 * C * s2 * dot0[p] * dot0[p] / d);
        x[PAIRS.length + k] = 3 * kk * kk;
      }
      out.add(z, x);
    }
    return out;
  }

  /** The same moments the brute-force way: every parameter drawn, weight exp(-c φ(x0)²). */
  static Ratio cosnetBruteForce(long draws, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int np = XS.length;
    double[] phi = new double[np];
    double[] x = new double[PAIRS.length + QUARTIC.length];
    double[] a = new double[NEURONS], w = new double[NEURONS], b = new double[NEURONS];
    Ratio out = new Ratio(x.length);
    for (long t = 0; t < draws; t++) {
      for (int i = 0; i < NEURONS; i++) {
        a[i] = S_A * r.nextGaussian();
        w[i] = W_MEAN + W_SD * r.nextGaussian();
        b[i] = -Math.PI + 2 * Math.PI * r.nextDouble();
      }
      for (int p = 0; p < np; p++) {
        double s = 0;
        for (int i = 0; i < NEURONS; i++) s += a[i] * Math.cos(w[i] * XS[p] + b[i]);
        phi[p] = s;
      }
      for (int k = 0; k < PAIRS.length; k++) x[k] = phi[PAIRS[k][0]] * phi[PAIRS[k][1]];
      for (int k = 0; k < QUARTIC.length; k++) x[PAIRS.length + k] = Math.pow(phi[QUARTIC[k]], 4);
      out.add(Math.exp(-C * phi[0] * phi[0]), x);
    }
    return out;
  }

  static double dot(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) s += u[i] * v[i];
    return s;
  }

  @Test void gaussianWeightOnAPointValueOfACosNet() {
    Ratio ref = cosnetReference(4_000_000, 20261205L);
    Ratio brute = cosnetBruteForce(1_000_000, 777L);
    for (int k = 0; k < ref.k; k++) agreeWithin("cos-net moment " + k, ref.value(k), ref.error(k), brute.value(k), brute.error(k));

    Nnft nn = session();
    nn.eval(COSNET + "let c = " + C + "\n");
    List<String> failures = new ArrayList<>();
    for (int seed : SEEDS) {
      StringBuilder script = new StringBuilder("let Q = sample(f, 2e5, seed = " + seed + ", weight = exp(-c * f(" + X0 + ")^2))\n");
      for (int k = 0; k < PAIRS.length; k++) script.append("let g").append(k).append(" = correlator(Q, ").append(XS[PAIRS[k][0]]).append(", ").append(XS[PAIRS[k][1]]).append(")\n");
      for (int k = 0; k < QUARTIC.length; k++) {
        double xq = XS[QUARTIC[k]];
        script.append("let m").append(k).append(" = correlator(Q, ").append(xq).append(", ").append(xq).append(", ").append(xq).append(", ").append(xq).append(")\n");
      }
      nn.eval(script.append(WEIGHTS).toString());
      printWeights(nn, "case 1 seed " + seed);
      for (int k = 0; k < PAIRS.length; k++) {
        compare(failures, "case 1 seed " + seed + " E[phi(" + XS[PAIRS[k][0]] + ") phi(" + XS[PAIRS[k][1]] + ")]", nn.estimate("g" + k), ref.value(k), ref.error(k));
      }
      for (int k = 0; k < QUARTIC.length; k++) {
        compare(failures, "case 1 seed " + seed + " E[phi(" + XS[QUARTIC[k]] + ")^4]", nn.estimate("m" + k), ref.value(PAIRS.length + k), ref.error(PAIRS.length + k));
      }
    }
    noFailures("case 1 (Gaussian weight on a cos-net)", failures);
  }

  // ---------------------------------------------------------------------------------------------
  // 2. a weight that reads one parameter: exp(-k (φ(1) − φ(0))²) = exp(-k a²)

  static final double LAP_LOC = 0.3, LAP_SCALE = 1, K2 = 0.5;

  /** ∫ a^n exp(-|a − loc| / scale − k a²) da by composite Simpson on each side of the kink. */
  static double laplaceGaussMoment(int n, int intervals) {
    double half = 40;
    return simpson(n, LAP_LOC - half, LAP_LOC, intervals) + simpson(n, LAP_LOC, LAP_LOC + half, intervals);
  }

  static double simpson(int n, double lo, double hi, int m) {
    double hstep = (hi - lo) / m, s = 0;
    for (int i = 0; i <= m; i++) {
      double a = lo + i * hstep;
      double f = Math.pow(a, n) * Math.exp(-Math.abs(a - LAP_LOC) / LAP_SCALE - K2 * a * a);
      s += f * (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return s * hstep / 3;
  }

  @Test void aWeightOnOneParameterOnly() {
    double[] mom = new double[3];
    for (int n = 0; n < 3; n++) {
      mom[n] = laplaceGaussMoment(n, 200_000);
      double coarse = laplaceGaussMoment(n, 100_000);
      assertEquals(mom[n], coarse, 1e-12 * Math.abs(mom[0]), "Simpson has not converged for moment " + n);
    }
    double ea = mom[1] / mom[0], ea2 = mom[2] / mom[0];
    // the reference a second way: Laplace draws by the inverse distribution function, weighed
    SplittableRandom r = new SplittableRandom(99);
    Ratio brute = new Ratio(2);
    for (int t = 0; t < 2_000_000; t++) {
      double u = r.nextDouble() - 0.5;
      double a = LAP_LOC - LAP_SCALE * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
      brute.add(Math.exp(-K2 * a * a), new double[] {a, a * a});
    }
    agreeWithin("E[a]", ea, 0, brute.value(0), brute.error(0));
    agreeWithin("E[a^2]", ea2, 0, brute.value(1), brute.error(1));
    System.out.printf("case 2 reference: E[a] = %.10f, E[a^2] = %.10f (undeformed: %.1f, %.2f)%n", ea, ea2, LAP_LOC, LAP_LOC * LAP_LOC + 2 * LAP_SCALE * LAP_SCALE);

    Nnft nn = session();
    nn.eval(String.join("\n",
        "let k = " + K2,
        "net g(x: R) {",
        "  a ~ laplace(" + LAP_LOC + ", " + LAP_SCALE + ")",
        "  c ~ normal(0, 1)",
        "  return a * x + c",
        "}",
        ""));
    List<String> failures = new ArrayList<>();
    double[] ones = {0, 1, 2.5};
    double[][] twos = {{0, 0}, {1, 1}, {-1, 2}, {2.5, 2.5}};
    for (int seed : SEEDS) {
      StringBuilder script = new StringBuilder("let Q = sample(g, 2e5, seed = " + seed + ", weight = exp(-k * (g(1) - g(0))^2))\n");
      for (int i = 0; i < ones.length; i++) script.append("let e").append(i).append(" = correlator(Q, ").append(ones[i]).append(")\n");
      for (int i = 0; i < twos.length; i++) script.append("let t").append(i).append(" = correlator(Q, ").append(twos[i][0]).append(", ").append(twos[i][1]).append(")\n");
      script.append("let v = connected(Q, 2, 2)\n");
      nn.eval(script.append(WEIGHTS).toString());
      printWeights(nn, "case 2 seed " + seed);
      for (int i = 0; i < ones.length; i++) compare(failures, "case 2 seed " + seed + " E[phi(" + ones[i] + ")]", nn.estimate("e" + i), ones[i] * ea, 0);
      for (int i = 0; i < twos.length; i++) {
        double x = twos[i][0], y = twos[i][1];
        compare(failures, "case 2 seed " + seed + " E[phi(" + x + ") phi(" + y + ")]", nn.estimate("t" + i), x * y * ea2 + 1, 0);
      }
      compare(failures, "case 2 seed " + seed + " connected(2, 2)", nn.estimate("v"), 4 * (ea2 - ea * ea) + 1, 0);
    }
    // the same deformation as a log-weight written with sum([...])
    nn.eval("let Q = sample(g, 2e5, seed = 404, log_weight = -k * sum([g(1), -g(0)])^2)\nlet e = correlator(Q, 2.5)\nlet t = correlator(Q, -1, 2)");
    compare(failures, "case 2 log_weight with sum, E[phi(2.5)]", nn.estimate("e"), 2.5 * ea, 0);
    compare(failures, "case 2 log_weight with sum, E[phi(-1) phi(2)]", nn.estimate("t"), -2 * ea2 + 1, 0);
    noFailures("case 2 (weight on one parameter)", failures);
  }

  // ---------------------------------------------------------------------------------------------
  // 3. actions applied to polynomial nets: Gaussian deformed densities

  /**
   * A net φ(t) = Σ_j θ_j t^j with independent θ_j ~ normal(mean_j, sd_j), deformed by
   * exp(-θᵀ A θ) with A = λ G + μ K over [lo, hi], G_ij = ∫ t^(i+j), K_ij = i j ∫ t^(i+j-2): the
   * integrals of φ² and φ'². The deformed density is Gaussian with precision diag(1/sd²) + 2 A and
   * mean Σ' diag(1/sd²) mean.
   */
  record Poly(double[] mean, double[] sd, double lo, double hi, double lambda, double mu) {
    /** The same deformation as a one-dimensional {@link Monomials}: exponents 0, 1, ..., n − 1. */
    Monomials monomials() {
      int[][] e = new int[mean.length][];
      for (int j = 0; j < e.length; j++) e[j] = new int[] {j};
      return new Monomials(e, mean, sd, new double[] {lo}, new double[] {hi}, lambda, new double[] {mu});
    }

    double[][] a() { return monomials().a(); }

    double one(double t) { return monomials().one(new double[] {t}); }

    double conn(double x, double y) { return monomials().conn(new double[] {x}, new double[] {y}); }

    double two(double x, double y) { return conn(x, y) + one(x) * one(y); }

    /** The net in nnft: parameters p0, p1, ... */
    String net(String name) {
      StringBuilder b = new StringBuilder("net " + name + "(t: R) {\n");
      for (int j = 0; j < mean.length; j++) b.append("  p").append(j).append(" ~ normal(").append(mean[j]).append(", ").append(sd[j]).append(")\n");
      b.append("  return p0");
      for (int j = 1; j < mean.length; j++) b.append(" + p").append(j).append(" * t^").append(j);
      return b.append("\n}\n").toString();
    }

    /** Brute force: every θ drawn, weight exp(-θᵀAθ); moments E[φ(x)] and E[φ(x)φ(y)] at the given points. */
    Ratio bruteForce(long draws, long seed, double[] ones, double[][] twos) {
      double[][] o = new double[ones.length][];
      double[][][] t = new double[twos.length][][];
      for (int i = 0; i < ones.length; i++) o[i] = new double[] {ones[i]};
      for (int i = 0; i < twos.length; i++) t[i] = new double[][] {{twos[i][0]}, {twos[i][1]}};
      return monomials().bruteForce(draws, seed, o, t);
    }
  }

  /** Gauss–Jordan inverse with partial pivoting (the matrices here are small and well conditioned). */
  static double[][] inverse(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) piv = i;
      double[] tmp = a[c];
      a[c] = a[piv];
      a[piv] = tmp;
      double d = a[c][c];
      for (int j = 0; j < 2 * n; j++) a[c][j] /= d;
      for (int i = 0; i < n; i++) {
        if (i == c) continue;
        double f = a[i][c];
        for (int j = 0; j < 2 * n; j++) a[i][j] -= f * a[c][j];
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) System.arraycopy(a[i], n, out[i], 0, n);
    return out;
  }

  /** φ = p0 + p1 t on [0, 1], log_weight = -S(g), S = ∫ λ φ² (λ = 0.9): a² + ab + b²/3, times λ. */
  static final Poly LINE_PHI2 = new Poly(new double[] {0.4, -0.5}, new double[] {1, 1.5}, 0, 1, 0.9, 0);
  /** the same net, log_weight = -μ SD(g), SD = ∫ φ'² = b² (μ = 0.7). */
  static final Poly LINE_DPHI2 = new Poly(new double[] {0.4, -0.5}, new double[] {1, 1.5}, 0, 1, 0, 0.7);
  /** a quadratic on [-1, 2] with both terms in one action: ∫ 0.3 φ² + 0.2 φ'², 32 quadrature points. */
  static final Poly QUADRATIC = new Poly(new double[] {0.2, -0.5, 0.3}, new double[] {1, 0.8, 0.6}, -1, 2, 0.3, 0.2);

  static final String ACTIONS = String.join("\n",
      "field phi(t: R^1)",
      "let lambda = 0.9",
      "let mu = 0.7",
      "action S = integral(t, 0, 1, lambda * phi^2)",
      "action SD = integral(t, 0, 1, D(phi, t)^2)",
      "action S3 = integral(t, -1, 2, 0.3 * phi^2 + 0.2 * D(phi, t)^2, points = 32)",
      LINE_PHI2.net("g") + QUADRATIC.net("h"));

  static final double[] ONES = {0, 0.5, 1};
  static final double[][] TWOS = {{0, 0}, {0, 1}, {1, 1}, {0.5, 2}};

  static void polyCase(Nnft nn, String name, Poly p, String sampleArgs, int seed, List<String> failures) {
    StringBuilder script = new StringBuilder("let Q = sample(" + sampleArgs + ", seed = " + seed + ")\n");
    for (int i = 0; i < ONES.length; i++) script.append("let e").append(i).append(" = correlator(Q, ").append(ONES[i]).append(")\n");
    for (int i = 0; i < TWOS.length; i++) script.append("let t").append(i).append(" = correlator(Q, ").append(TWOS[i][0]).append(", ").append(TWOS[i][1]).append(")\n");
    script.append("let c = connected(Q, 0, 1)\n");
    nn.eval(script.append(WEIGHTS).toString());
    printWeights(nn, name + " seed " + seed);
    for (int i = 0; i < ONES.length; i++) compare(failures, name + " seed " + seed + " E[phi(" + ONES[i] + ")]", nn.estimate("e" + i), p.one(ONES[i]), 0);
    for (int i = 0; i < TWOS.length; i++) {
      double x = TWOS[i][0], y = TWOS[i][1];
      compare(failures, name + " seed " + seed + " E[phi(" + x + ") phi(" + y + ")]", nn.estimate("t" + i), p.two(x, y), 0);
    }
    compare(failures, name + " seed " + seed + " connected(0, 1)", nn.estimate("c"), p.conn(0, 1), 0);
  }

  static void checkPolyReference(String name, Poly p) {
    // the Gram matrices by hand for the line on [0, 1]: [[1, 1/2], [1/2, 1/3]] and [[0, 0], [0, 1]]
    Ratio brute = p.bruteForce(1_000_000, 4242, ONES, TWOS);
    for (int i = 0; i < ONES.length; i++) agreeWithin(name + " E[phi(" + ONES[i] + ")]", p.one(ONES[i]), 0, brute.value(i), brute.error(i));
    for (int i = 0; i < TWOS.length; i++) agreeWithin(name + " E[phi phi] " + i, p.two(TWOS[i][0], TWOS[i][1]), 0, brute.value(ONES.length + i), brute.error(ONES.length + i));
  }

  @Test void actionsOnPolynomialNets() {
    double[][] g = LINE_PHI2.a(), k = LINE_DPHI2.a();
    assertEquals(0.9, g[0][0], 1e-15);
    assertEquals(0.45, g[0][1], 1e-15);
    assertEquals(0.3, g[1][1], 1e-15);
    assertEquals(0.7, k[1][1], 1e-15);
    assertEquals(0, k[0][0] + k[0][1], 0);
    checkPolyReference("phi^2 line", LINE_PHI2);
    checkPolyReference("D(phi)^2 line", LINE_DPHI2);
    checkPolyReference("quadratic", QUADRATIC);

    Nnft nn = session();
    nn.eval(ACTIONS);
    List<String> failures = new ArrayList<>();
    for (int seed : SEEDS) {
      polyCase(nn, "case 3a phi^2", LINE_PHI2, "g, 2e5, log_weight = -S(g)", seed, failures);
      polyCase(nn, "case 3b D(phi)^2", LINE_DPHI2, "g, 2e5, log_weight = -mu * SD(g)", seed, failures);
      polyCase(nn, "case 3c quadratic", QUADRATIC, "h, 2e5, weight = exp(-S3(h))", seed, failures);
    }
    noFailures("case 3 (actions on polynomial nets)", failures);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. actions over boxes: fields of several coordinates applied to nets with inputs in R^d

  /**
   * A net φ(x) = Σ_j θ_j Π_k x_k^e[j][k] with independent θ_j ~ normal(mean_j, sd_j), deformed by
   * exp(-θᵀ A θ), A = λ G + Σ_k μ_k K_k over the box Π_k [lo_k, hi_k]: G_ij = ∫ m_i m_j and
   * K_k,ij = ∫ ∂_k m_i ∂_k m_j, products of one-dimensional integrals of powers. The deformed
   * density is Gaussian, as in case 3.
   */
  record Monomials(int[][] e, double[] mean, double[] sd, double[] lo, double[] hi, double lambda, double[] mu) {
    /** ∫_lo^hi t^p dt, and 0 for the negative powers a zero derivative leaves. */
    static double power(double lo, double hi, int p) { return p < 0 ? 0 : (Math.pow(hi, p + 1) - Math.pow(lo, p + 1)) / (p + 1); }

    double[][] a() {
      int n = mean.length, d = lo.length;
      double[][] out = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double g = lambda;
          for (int k = 0; k < d; k++) g *= power(lo[k], hi[k], e[i][k] + e[j][k]);
          out[i][j] = g;
          for (int k = 0; k < d; k++) {
            if (e[i][k] == 0 || e[j][k] == 0) continue;
            double kk = mu[k] * e[i][k] * e[j][k];
            for (int l = 0; l < d; l++) kk *= power(lo[l], hi[l], e[i][l] + e[j][l] - (l == k ? 2 : 0));
            out[i][j] += kk;
          }
        }
      }
      return out;
    }

    double[][] cov() {
      int n = mean.length;
      double[][] a = a(), p = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) p[i][j] = 2 * a[i][j];
        p[i][i] += 1 / (sd[i] * sd[i]);
      }
      return inverse(p);
    }

    double[] v(double[] x) {
      double[] out = new double[mean.length];
      for (int j = 0; j < out.length; j++) {
        out[j] = 1;
        for (int k = 0; k < x.length; k++) out[j] *= Math.pow(x[k], e[j][k]);
      }
      return out;
    }

    double one(double[] x) {
      double[][] s = cov();
      double[] m = new double[mean.length];
      for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) m[i] += s[i][j] * mean[j] / (sd[j] * sd[j]);
      return dot(v(x), m);
    }

    double conn(double[] x, double[] y) {
      double[][] s = cov();
      double[] vx = v(x), vy = v(y);
      double c = 0;
      for (int i = 0; i < vx.length; i++) for (int j = 0; j < vy.length; j++) c += vx[i] * s[i][j] * vy[j];
      return c;
    }

    double two(double[] x, double[] y) { return conn(x, y) + one(x) * one(y); }

    String net(String name) {
      StringBuilder b = new StringBuilder("net " + name + "(x: R^" + lo.length + ") {\n");
      for (int j = 0; j < mean.length; j++) b.append("  p").append(j).append(" ~ normal(").append(mean[j]).append(", ").append(sd[j]).append(")\n");
      b.append("  return 0");
      for (int j = 0; j < mean.length; j++) {
        b.append(" + p").append(j);
        for (int k = 0; k < lo.length; k++) for (int q = 0; q < e[j][k]; q++) b.append(" * x[").append(k).append("]");
      }
      return b.append("\n}\n").toString();
    }

    /** Brute force: every θ drawn, weight exp(-θᵀAθ). */
    Ratio bruteForce(long draws, long seed, double[][] ones, double[][][] twos) {
      SplittableRandom r = new SplittableRandom(seed);
      double[][] a = a();
      int n = mean.length;
      double[] th = new double[n], x = new double[ones.length + twos.length];
      Ratio out = new Ratio(x.length);
      for (long t = 0; t < draws; t++) {
        for (int j = 0; j < n; j++) th[j] = mean[j] + sd[j] * r.nextGaussian();
        double q = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q += th[i] * a[i][j] * th[j];
        for (int i = 0; i < ones.length; i++) x[i] = dot(v(ones[i]), th);
        for (int i = 0; i < twos.length; i++) x[ones.length + i] = dot(v(twos[i][0]), th) * dot(v(twos[i][1]), th);
        out.add(Math.exp(-q), x);
      }
      return out;
    }
  }

  /** A bilinear net on [0, 1] × [-0.5, 2]: ∫ 0.6 φ² + 0.5 φ_t² + 0.25 φ_y², non-centred parameters. */
  static final Monomials BILINEAR = new Monomials(new int[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}},
      new double[] {0.3, -0.4, 0.5, 0.2}, new double[] {1, 0.8, 1.3, 0.6},
      new double[] {0, -0.5}, new double[] {1, 2}, 0.6, new double[] {0.5, 0.25});
  /** A linear net on [-1, 1] × [0, 1] × [0.5, 1.5] with φ² only. */
  static final Monomials LINEAR3 = new Monomials(new int[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
      new double[] {-0.3, 0.5, 0.1, 0.4}, new double[] {0.9, 1.1, 0.7, 1},
      new double[] {-1, 0, 0.5}, new double[] {1, 1, 1.5}, 0.8, new double[] {0, 0, 0});

  static final double[][] ONES2 = {{0, 0}, {0.5, 1}, {1, -0.5}};
  static final double[][][] TWOS2 = {{{0, 0}, {0, 0}}, {{0.5, 1}, {1, 2}}, {{1, -0.5}, {0, 2}}};
  static final double[][] ONES3 = {{0, 0, 0}, {1, 0.5, 1}};
  static final double[][][] TWOS3 = {{{0, 0, 0}, {0, 0, 0}}, {{1, 0.5, 1}, {-1, 1, 1.5}}};

  static String point(double[] x) {
    StringBuilder b = new StringBuilder("[");
    for (int k = 0; k < x.length; k++) b.append(k == 0 ? "" : ", ").append(x[k]);
    return b.append("]").toString();
  }

  static void boxCase(Nnft nn, String name, Monomials p, double[][] ones, double[][][] twos, String sampleArgs, int seed, List<String> failures) {
    StringBuilder script = new StringBuilder("let Q = sample(" + sampleArgs + ", seed = " + seed + ")\n");
    for (int i = 0; i < ones.length; i++) script.append("let e").append(i).append(" = correlator(Q, ").append(point(ones[i])).append(")\n");
    for (int i = 0; i < twos.length; i++) script.append("let t").append(i).append(" = correlator(Q, ").append(point(twos[i][0])).append(", ").append(point(twos[i][1])).append(")\n");
    script.append("let c = connected(Q, ").append(point(ones[1])).append(", ").append(point(ones[ones.length - 1])).append(")\n");
    nn.eval(script.append(WEIGHTS).toString());
    printWeights(nn, name + " seed " + seed);
    assertTrue(nn.number("ess_q") < 0.1, name + ": the quadrature check should be tiny for a polynomial integrand, got " + nn.number("ess_q"));
    for (int i = 0; i < ones.length; i++) compare(failures, name + " seed " + seed + " E[phi(" + point(ones[i]) + ")]", nn.estimate("e" + i), p.one(ones[i]), 0);
    for (int i = 0; i < twos.length; i++) compare(failures, name + " seed " + seed + " E[phi phi] " + i, nn.estimate("t" + i), p.two(twos[i][0], twos[i][1]), 0);
    compare(failures, name + " seed " + seed + " connected", nn.estimate("c"), p.conn(ones[1], ones[ones.length - 1]), 0);
  }

  @Test void actionsOverBoxes() {
    // one entry of each Gram matrix by hand: ∫∫ t·y over [0,1]×[-0.5,2] = 1/2 · (4 − 1/4)/2, times λ;
    // and the φ_t² term of p3 (∂_t(t y) = y): μ_t ∫∫ y² = 0.5 · 1 · (8 + 1/8)/3, plus λ ∫∫ t² y²
    double[][] a = BILINEAR.a();
    assertEquals(0.6 * 0.5 * 3.75 / 2, a[1][2], 1e-14);
    assertEquals(0.5 * 8.125 / 3 + 0.25 * (1.0 / 3) * 2.5 + 0.6 * (1.0 / 3) * 8.125 / 3, a[3][3], 1e-14);
    Ratio brute = BILINEAR.bruteForce(1_000_000, 77, ONES2, TWOS2);
    for (int i = 0; i < ONES2.length; i++) agreeWithin("bilinear E[phi " + point(ONES2[i]) + "]", BILINEAR.one(ONES2[i]), 0, brute.value(i), brute.error(i));
    for (int j = 0; j < TWOS2.length; j++) agreeWithin("bilinear E[phi phi] " + j, BILINEAR.two(TWOS2[j][0], TWOS2[j][1]), 0, brute.value(ONES2.length + j), brute.error(ONES2.length + j));
    Ratio brute3 = LINEAR3.bruteForce(1_000_000, 78, ONES3, TWOS3);
    for (int i = 0; i < ONES3.length; i++) agreeWithin("linear3 E[phi " + point(ONES3[i]) + "]", LINEAR3.one(ONES3[i]), 0, brute3.value(i), brute3.error(i));

    Nnft nn = session();
    nn.eval(String.join("\n",
        "field phi(t: R^1, y: R^1)",
        "field psi(u: R^1, v: R^1, w: R^1)",
        // one panel of 8 Gauss-Legendre points a side is exact for these polynomials (degree <= 15)
        "action S2 = integral([t, y], [0, -0.5], [1, 2], 0.6 * phi^2 + 0.5 * D(phi, t)^2 + 0.25 * D(phi, y)^2, points = 8)",
        "action S3 = integral([u, v, w], [-1, 0, 0.5], [1, 1, 1.5], 0.8 * psi^2, points = 8)",
        BILINEAR.net("g2") + LINEAR3.net("g3")));
    List<String> failures = new ArrayList<>();
    for (int seed : SEEDS) {
      boxCase(nn, "case 5a bilinear box", BILINEAR, ONES2, TWOS2, "g2, 1e5, log_weight = -S2(g2)", seed, failures);
      boxCase(nn, "case 5b 3-D box", LINEAR3, ONES3, TWOS3, "g3, 1e5, log_weight = -S3(g3)", seed, failures);
    }
    noFailures("case 5 (actions over boxes)", failures);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. error-bar calibration of case 3a over 100 seeds

  @Test void errorBarsOfWeightedEstimatesAreCalibrated() {
    int seeds = 100;
    Nnft nn = session();
    nn.eval(ACTIONS);
    String[] obs = {"correlator(Q, 0, 1)", "correlator(Q, 1)", "connected(Q, 0.5, 0.5)"};
    double[] exact = {LINE_PHI2.two(0, 1), LINE_PHI2.one(1), LINE_PHI2.conn(0.5, 0.5)};
    double[] s = new double[obs.length], ss = new double[obs.length];
    for (int seed = 1; seed <= seeds; seed++) {
      StringBuilder script = new StringBuilder("let Q = sample(g, 2e4, seed = " + seed + ", log_weight = -S(g))\n");
      for (int i = 0; i < obs.length; i++) script.append("let o").append(i).append(" = ").append(obs[i]).append("\n");
      nn.eval(script.toString());
      for (int i = 0; i < obs.length; i++) {
        Estimate e = nn.estimate("o" + i);
        assertTrue(e.error() > 0, "an estimate with error 0: " + e);
        double z = (e.value() - exact[i]) / e.error();
        s[i] += z;
        ss[i] += z * z;
      }
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < obs.length; i++) {
      double mean = s[i] / seeds, sd = Math.sqrt(ss[i] / seeds - mean * mean);
      String line = String.format("case 4 %-26s exact %.6f   z mean %+.3f  z sd %.3f", obs[i], exact[i], mean, sd);
      System.out.println(line);
      if (!(Math.abs(mean) <= 0.3 && sd >= 0.8 && sd <= 1.2)) failures.add(line);
    }
    assertTrue(failures.isEmpty(), "weighted error bars are not calibrated (want |mean z| <= 0.3, sd in [0.8, 1.2]):\n  " + String.join("\n  ", failures));
  }
}
