package org.nnft.ode;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Linear NODEs f = A(t) x: the time-ordered exponential, the gauge law A' = G A G⁻¹ + Ġ G⁻¹ and the
 * residual-net continuum limit. Reference values are computed here independently (Taylor
 * scaling-and-squaring exponential, hand-written gauge law).
 */
class OdeLinearTest {

  // ---- independent reference helpers ------------------------------------------------------

  static double[][] mul(double[][] a, double[][] b) {
    int n = a.length, k = b.length, m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++)
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) s += a[i][p] * b[p][j];
        c[i][j] = s;
      }
    return c;
  }

  static double[][] lin(double a, double[][] x, double b, double[][] y) {
    double[][] c = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++)
      for (int j = 0; j < x[0].length; j++) c[i][j] = a * x[i][j] + b * y[i][j];
    return c;
  }

  static double[][] eye(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) m[i][i] = 1;
    return m;
  }

  static double maxDiff(double[][] a, double[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++)
      for (int j = 0; j < a[0].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
    return m;
  }

  /** exp(M) by scaling and squaring with a 30-term Taylor series (independent of the ODE code). */
  static double[][] expm(double[][] m) {
    int n = m.length;
    double norm = 0;
    for (double[] r : m) {
      double s = 0;
      for (double v : r) s += Math.abs(v);
      norm = Math.max(norm, s);
    }
    int sq = Math.max(0, (int) Math.ceil(Math.log(Math.max(norm, 1e-300) / 0.25) / Math.log(2)));
    double[][] a = lin(Math.pow(2, -sq), m, 0, m);
    double[][] term = eye(n), sum = eye(n);
    for (int k = 1; k <= 30; k++) {
      term = lin(1.0 / k, mul(term, a), 0, term);
      sum = lin(1, sum, 1, term);
    }
    for (int i = 0; i < sq; i++) sum = mul(sum, sum);
    return sum;
  }

  /** 2x2 / 3x3 inverse by the adjugate (independent of the Gauss–Jordan in OdeMatrices). */
  static double[][] inv3(double[][] m) {
    double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2];
    double g = m[2][0], h = m[2][1], k = m[2][2];
    double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
    return new double[][] {
      {(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
      {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
      {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}
    };
  }

  // ---- a non-commuting time-dependent A(t) and gauge G(t) ---------------------------------

  static final double T = 1.0;

  static double[][] A(double t) {
    return new double[][] {
      {-0.2, 1.0 + 0.5 * t, 0.1},
      {-1.0, 0.3 * Math.sin(2 * t), t},
      {0.4 * Math.cos(t), -0.3, -0.5 + 0.2 * t * t}
    };
  }

  static final double[][] B = {{0.0, 0.6, -0.2}, {0.3, 0.1, 0.5}, {-0.4, 0.2, 0.0}};

  /** G(t) = 1 + φ(t) B with φ(t) = 0.3 + 0.4 t + 0.2 sin 3t: G(0), G(T) ≠ 1. */
  static double phi(double t) {
    return 0.3 + 0.4 * t + 0.2 * Math.sin(3 * t);
  }

  static double phiDot(double t) {
    return 0.4 + 0.6 * Math.cos(3 * t);
  }

  static double[][] G(double t) {
    return lin(1, eye(3), phi(t), B);
  }

  static double[][] Gdot(double t) {
    return lin(phiDot(t), B, 0, B);
  }

  /** G(t) = 1 + 0.5 sin(π t / T) B: G(0) = G(T) = 1. */
  static double[][] G0(double t) {
    return lin(1, eye(3), 0.5 * Math.sin(Math.PI * t / T), B);
  }

  static double[][] G0dot(double t) {
    return lin(0.5 * Math.PI / T * Math.cos(Math.PI * t / T), B, 0, B);
  }

  /** A' = G A G⁻¹ + Ġ G⁻¹ written out here, not taken from OdeGauge. */
  static double[][] primed(double t, Function<Double, double[][]> g, Function<Double, double[][]> gd) {
    double[][] gi = inv3(g.apply(t));
    return lin(1, mul(mul(g.apply(t), A(t)), gi), 1, mul(gd.apply(t), gi));
  }

  // ---- tests ------------------------------------------------------------------------------

  @Test
  void constantGeneratorGivesTheMatrixExponential() {
    double[][] M = {{0.3, -1.2, 0.4}, {0.9, -0.1, 0.2}, {-0.5, 0.7, -0.6}};
    double T2 = 1.7;
    double[][] U = OdeGauge.timeOrderedExp(t -> M, T2);
    double[][] ref = expm(lin(T2, M, 0, M));
    double err = maxDiff(U, ref);
    System.out.printf(Locale.ROOT, "constant A: |U(T) - expm(A T)|_max = %.3e%n", err);
    assertTrue(err < 1e-10, "error " + err);
  }

  @Test
  void commutingTimeDependentGeneratorGivesExpOfTheIntegral() {
    double[][] M = {{0.0, 1.0}, {-2.0, -0.3}};
    double T2 = 2.0;
    double[][] U = OdeGauge.timeOrderedExp(t -> lin(1 + Math.sin(t), M, 0, M), T2);
    // ∫0^T (1 + sin t) dt = T + 1 − cos T
    double[][] ref = expm(lin(T2 + 1 - Math.cos(T2), M, 0, M));
    assertTrue(maxDiff(U, ref) < 1e-10, "error " + maxDiff(U, ref));
  }

  @Test
  void timeOrderingMatters() {
    // a non-commuting A(t): U(T) is not exp(∫A) — guards against an accidentally unordered product
    double[][] U = OdeGauge.timeOrderedExp(OdeLinearTest::A, T);
    double[][] integral = new double[3][3];
    int n = 2000;
    for (int k = 0; k < n; k++) { // midpoint rule, error ~1e-7
      integral = lin(1, integral, T / n, A((k + 0.5) * T / n));
    }
    assertTrue(maxDiff(U, expm(integral)) > 1e-3);
  }

  @Test
  void gaugeLawMatchesTheHandWrittenFormula() {
    Function<Double, double[][]> Ap =
        OdeGauge.gaugeLinear(OdeLinearTest::A, OdeLinearTest::G, OdeLinearTest::Gdot);
    for (double t : new double[] {0, 0.25, 0.6, 1.0}) {
      assertTrue(maxDiff(Ap.apply(t), primed(t, OdeLinearTest::G, OdeLinearTest::Gdot)) < 1e-13);
    }
  }

  @Test
  void gaugedTimeOrderedExpIsConjugatedByTheEndpoints() {
    double[][] U = OdeGauge.timeOrderedExp(OdeLinearTest::A, T);
    double[][] Up =
        OdeGauge.timeOrderedExp(t -> primed(t, OdeLinearTest::G, OdeLinearTest::Gdot), T);
    double[][] expected = mul(mul(G(T), U), inv3(G(0)));
    double err = maxDiff(Up, expected);
    System.out.printf(Locale.ROOT, "gauge law: |U'(T) - G(T) U(T) G(0)^-1|_max = %.3e%n", err);
    assertTrue(err < 1e-10, "error " + err);
    // the wrong sign of the inhomogeneous term breaks it
    double[][] wrong =
        OdeGauge.timeOrderedExp(
            t -> {
              double[][] gi = inv3(G(t));
              return lin(1, mul(mul(G(t), A(t)), gi), -1, mul(Gdot(t), gi));
            },
            T);
    assertTrue(maxDiff(wrong, expected) > 1e-2);
    // and so does dropping it (G A G⁻¹ alone is not a symmetry when G varies)
    double[][] noInhom =
        OdeGauge.timeOrderedExp(t -> mul(mul(G(t), A(t)), inv3(G(t))), T);
    assertTrue(maxDiff(noInhom, expected) > 1e-2);
  }

  @Test
  void gaugeTrivialAtTheEndsLeavesTheTimeOrderedExpUnchanged() {
    double[][] U = OdeGauge.timeOrderedExp(OdeLinearTest::A, T);
    double[][] Up =
        OdeGauge.timeOrderedExp(
            OdeGauge.gaugeLinear(OdeLinearTest::A, OdeLinearTest::G0, OdeLinearTest::G0dot), T);
    double err = maxDiff(Up, U);
    System.out.printf(Locale.ROOT, "G(0)=G(T)=1: |U'(T) - U(T)|_max = %.3e%n", err);
    assertTrue(err < 1e-10, "error " + err);
    // the field itself did change
    assertTrue(maxDiff(primed(0.5, OdeLinearTest::G0, OdeLinearTest::G0dot), A(0.5)) > 0.1);
    // and as vector fields: invariant() agrees
    OdeGauge.Invariance inv =
        OdeGauge.invariant(
            OdeGauge.linearField(OdeLinearTest::A),
            OdeGauge.linearField(t -> primed(t, OdeLinearTest::G0, OdeLinearTest::G0dot)),
            3, T, 8, 11L);
    assertTrue(inv.invariant(), inv.toString());
  }

  @Test
  void gaugedResidualNetTelescopes() {
    for (double eps : new double[] {0.1, 0.025}) {
      double[][] P = OdeGauge.residualProduct(OdeLinearTest::A, T, eps);
      // residual product written out here: W_L ... W_1, W_l = 1 + ε A(lε)
      double[][] ref = eye(3);
      int L = (int) Math.round(T / eps);
      for (int l = 1; l <= L; l++) ref = mul(lin(1, eye(3), eps, A(l * eps)), ref);
      assertTrue(maxDiff(P, ref) < 1e-13);
      double[][] Pg = OdeGauge.gaugedResidualProduct(OdeLinearTest::A, OdeLinearTest::G, T, eps);
      assertTrue(maxDiff(Pg, mul(mul(G(T), P), inv3(G(0)))) < 1e-12);
    }
  }

  @Test
  void residualNetConvergesAtFirstOrder() {
    double[] eps = {0.1, 0.05, 0.025, 0.0125};
    List<OdeGauge.ResidualRow> rows =
        OdeGauge.residualConvergence(
            OdeLinearTest::A, OdeLinearTest::G, OdeLinearTest::Gdot, T, eps);
    // an independent reference for U'(T)
    double[][] Up =
        OdeGauge.timeOrderedExp(t -> primed(t, OdeLinearTest::G, OdeLinearTest::Gdot), T);
    System.out.println("eps      |PiW-U|     |Pi gWg^-1 - U'|  |Pi(1+eA')-U'|  max layer mismatch");
    for (int i = 0; i < rows.size(); i++) {
      OdeGauge.ResidualRow r = rows.get(i);
      System.out.printf(Locale.ROOT, "%-8.4f %.4e  %.4e        %.4e      %.4e%n",
          r.eps(), r.residualError(), r.gaugedError(), r.primedNetError(), r.layerMismatch());
      assertEquals(eps[i], r.eps());
      double[][] Pg = OdeGauge.gaugedResidualProduct(OdeLinearTest::A, OdeLinearTest::G, T, eps[i]);
      assertEquals(maxDiff(Pg, Up), r.gaugedError(), 1e-11);
      assertTrue(r.residualError() > 0 && r.gaugedError() > 0 && r.primedNetError() > 0);
    }
    for (int i = 1; i < rows.size(); i++) {
      OdeGauge.ResidualRow a = rows.get(i - 1), b = rows.get(i);
      double r1 = a.residualError() / b.residualError();
      double r2 = a.gaugedError() / b.gaugedError();
      double r3 = a.primedNetError() / b.primedNetError();
      double r4 = a.layerMismatch() / b.layerMismatch();
      System.out.printf(Locale.ROOT, "ratios eps=%.4f->%.4f: %.3f %.3f %.3f %.3f%n",
          a.eps(), b.eps(), r1, r2, r3, r4);
      assertTrue(r1 > 1.5 && r1 < 2.5, "residual ratio " + r1);
      assertTrue(r2 > 1.5 && r2 < 2.5, "gauged ratio " + r2);
      assertTrue(r3 > 1.5 && r3 < 2.5, "primed-net ratio " + r3);
      assertTrue(r4 > 3.0 && r4 < 5.0, "layer mismatch should be O(eps^2), ratio " + r4);
    }
  }
}
