package org.nnft.ode;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Diffeomorphisms (x, t) → (g(x, t), h(t)) of a neural ODE keep the end-point map x(0) ↦ x(T). */
class OdeGaugeTest {

  static final double T = 2.0;
  static final NeuralOde NODE = new NeuralOde(3, 10, NeuralOde.Activation.TANH, T, 17L);
  static final double[] X0 = {0.6, -1.2, 0.35};

  // h(t) = t + a (T/π) sin(π t / T): h(0) = 0, h(T) = T, h' = 1 + a cos(π t / T) ≥ 1 − a > 0
  static final double A = 0.6;
  static final DoubleUnaryOperator H = t -> t + A * T / Math.PI * Math.sin(Math.PI * t / T);
  static final DoubleUnaryOperator HP = t -> 1 + A * Math.cos(Math.PI * t / T);

  // h(t) = T (e^{k t/T} − 1)/(e^k − 1), h' = k e^{k t/T}/(e^k − 1)
  static final double K = 1.5;
  static final DoubleUnaryOperator HE = t -> T * Math.expm1(K * t / T) / Math.expm1(K);
  static final DoubleUnaryOperator HEP = t -> K * Math.exp(K * t / T) / Math.expm1(K);

  static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  @Test
  void pullBackTrajectoryIsXOfHOfS() {
    // new time s with t = h(s): y(s) = x(h(s)) along the way, not only at the end
    for (DoubleUnaryOperator[] hh : new DoubleUnaryOperator[][] {{H, HP}, {HE, HEP}}) {
      OdeGauge.VectorField f2 = OdeGauge.reparametrize(NODE, hh[0], hh[1], T);
      for (double s : new double[] {0.3, 1.1, T}) {
        double[] y = OdeGauge.flow(f2, X0, 0, s);
        double[] x = OdeGauge.flow(NODE, X0, 0, hh[0].applyAsDouble(s));
        assertTrue(maxDiff(x, y) < 1e-10, "s = " + s + ": " + maxDiff(x, y));
      }
      OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 8, 3L);
      System.out.printf(Locale.ROOT, "pull-back: max |dx(T)| = %.3e (tolerance %.2e)%n",
          inv.maxDeviation(), inv.tolerance());
      assertTrue(inv.invariant() && inv.maxDeviation() < 1e-9, inv.toString());
    }
  }

  @Test
  void pushForwardIsTheScienceFormulaAndKeepsTheEndpoint() {
    // new time t' = h(t): x'(h(t)) = x(t), f'(x, t') = f(x, h⁻¹(t')) / h'(h⁻¹(t'))
    OdeGauge.VectorField f2 = OdeGauge.reparametrizeForward(NODE, H, HP, T);
    for (double t : new double[] {0.5, 1.4}) {
      double[] xp = OdeGauge.flow(f2, X0, 0, H.applyAsDouble(t));
      double[] x = OdeGauge.flow(NODE, X0, 0, t);
      assertTrue(maxDiff(x, xp) < 1e-10, "t = " + t + ": " + maxDiff(x, xp));
    }
    // the field at one point, from the formula
    double t = 0.9, tp = H.applyAsDouble(t);
    double[] want = NODE.field(X0, t);
    for (int i = 0; i < 3; i++) want[i] /= HP.applyAsDouble(t);
    assertArrayEquals(want, f2.f(X0, tp), 1e-13);
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 8, 4L);
    System.out.printf(Locale.ROOT, "push-forward: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertTrue(inv.invariant() && inv.maxDeviation() < 1e-9, inv.toString());
  }

  @Test
  void mixingTheDirectionsIsNotASymmetry() {
    // f(x, h(s)) / h'(s): the wrong pairing of time argument and Jacobian factor
    OdeGauge.VectorField wrong = (x, s) -> {
      double[] v = NODE.field(x, H.applyAsDouble(s));
      for (int i = 0; i < v.length; i++) v[i] /= HP.applyAsDouble(s);
      return v;
    };
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, wrong, 3, T, 4, 5L);
    System.out.printf(Locale.ROOT, "mixed directions: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertFalse(inv.invariant());
    assertTrue(inv.maxDeviation() > 1e-3, inv.toString());
  }

  @Test
  void inverseOfTheTimeMapIsAccurate() {
    for (double y : new double[] {0, 1e-9, 0.37, 1.0, 1.999, T}) {
      double tau = OdeGauge.invertMonotone(H, HP, y, T);
      assertEquals(y, H.applyAsDouble(tau), 1e-14);
    }
  }

  static final double[][] B = {{0.0, 0.7, -0.3}, {-0.4, 0.2, 0.5}, {0.3, -0.6, 0.1}};

  @Test
  void linearShearKeepsTheEndpointAndMapsTrajectories() {
    DoubleUnaryOperator s = t -> 0.5 * Math.sin(Math.PI * t / T);
    DoubleUnaryOperator sd = t -> 0.5 * Math.PI / T * Math.cos(Math.PI * t / T);
    OdeGauge.SpatialDiffeo g = OdeGauge.linearShear(B, s, sd);
    OdeGauge.VectorField f2 = OdeGauge.spatial(NODE, g, 3, T);
    // x'(t) = g(x(t), t) = (1 + s(t) B) x(t), written out
    for (double t : new double[] {0.7, 1.3}) {
      double[] x = OdeGauge.flow(NODE, X0, 0, t);
      double[] gx = new double[3];
      for (int i = 0; i < 3; i++) {
        gx[i] = x[i];
        for (int j = 0; j < 3; j++) gx[i] += s.applyAsDouble(t) * B[i][j] * x[j];
      }
      double[] xp = OdeGauge.flow(f2, X0, 0, t);
      assertTrue(maxDiff(gx, xp) < 1e-10, "t = " + t + ": " + maxDiff(gx, xp));
    }
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 8, 6L);
    System.out.printf(Locale.ROOT, "linear shear: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertTrue(inv.invariant() && inv.maxDeviation() < 1e-9, inv.toString());
    // the field did change
    assertTrue(maxDiff(f2.f(X0, 1.0), NODE.field(X0, 1.0)) > 1e-2);
  }

  static final double[][] C = {{0.8, -0.5, 0.2}, {0.3, 0.6, -0.7}, {-0.4, 0.1, 0.9}};

  static double sig(double t) {
    return 0.4 * Math.sin(Math.PI * t / T) * Math.sin(Math.PI * t / T);
  }

  static double sigDot(double t) {
    return 0.8 * Math.PI / T * Math.sin(Math.PI * t / T) * Math.cos(Math.PI * t / T);
  }

  static double[] cx(double[] x) {
    double[] z = new double[3];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) z[i] += C[i][j] * x[j];
    return z;
  }

  @Test
  void nonlinearDiffeoWithNewtonInverseKeepsTheEndpoint() {
    // g(x, t) = x + σ(t) tanh(C x), σ(0) = σ(T) = 0; J = 1 + σ diag(sech²(Cx)) C; ∂_t g = σ' tanh(Cx)
    OdeGauge.VectorField f2 = OdeGauge.spatial(NODE,
        (x, t) -> {
          double[] z = cx(x), out = new double[3];
          for (int i = 0; i < 3; i++) out[i] = x[i] + sig(t) * Math.tanh(z[i]);
          return out;
        },
        (x, t) -> {
          double[] z = cx(x);
          double[][] J = new double[3][3];
          for (int i = 0; i < 3; i++) {
            double sech2 = 1 - Math.tanh(z[i]) * Math.tanh(z[i]);
            for (int j = 0; j < 3; j++) J[i][j] = (i == j ? 1 : 0) + sig(t) * sech2 * C[i][j];
          }
          return J;
        },
        (x, t) -> {
          double[] z = cx(x), out = new double[3];
          for (int i = 0; i < 3; i++) out[i] = sigDot(t) * Math.tanh(z[i]);
          return out;
        },
        3, T);
    double t = 1.0;
    double[] x = OdeGauge.flow(NODE, X0, 0, t), z = cx(x), gx = new double[3];
    for (int i = 0; i < 3; i++) gx[i] = x[i] + sig(t) * Math.tanh(z[i]);
    assertTrue(maxDiff(gx, OdeGauge.flow(f2, X0, 0, t)) < 1e-10);
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 6, 7L);
    System.out.printf(Locale.ROOT, "nonlinear g: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertTrue(inv.invariant() && inv.maxDeviation() < 1e-9, inv.toString());
  }

  @Test
  void spaceAndTimeTogether() {
    OdeGauge.VectorField f2 = OdeGauge.reparametrize(
        OdeGauge.spatial(NODE, OdeGauge.linearShear(B,
            t -> 0.3 * Math.sin(2 * Math.PI * t / T), t -> 0.6 * Math.PI / T * Math.cos(2 * Math.PI * t / T)),
            3, T),
        HE, HEP, T);
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 6, 8L);
    System.out.printf(Locale.ROOT, "shear + exp time map: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertTrue(inv.invariant() && inv.maxDeviation() < 1e-9, inv.toString());
  }

  @Test
  void nonSymmetriesAreDetected() {
    OdeGauge.VectorField scaled = (x, t) -> {
      double[] v = NODE.field(x, t);
      for (int i = 0; i < v.length; i++) v[i] *= 1.001;
      return v;
    };
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, scaled, 3, T, 4, 9L);
    System.out.printf(Locale.ROOT, "1.001 f: max |dx(T)| = %.3e%n", inv.maxDeviation());
    assertFalse(inv.invariant(), inv.toString());
    OdeGauge.Invariance same = OdeGauge.invariant(NODE, NODE, 3, T, 4, 9L);
    assertTrue(same.invariant());
    assertEquals(0.0, same.maxDeviation());
    assertEquals(4, same.samples());
  }

  @Test
  void aChangeOfCoordinatesConjugatesTheEndpointMap() {
    // g(x, t) = (1 + s(t) B) x with s(0) = 0.05, s(T) = 0.15: not the identity at either end
    DoubleUnaryOperator s = t -> 0.05 + 0.05 * t, sd = t -> 0.05;
    OdeGauge.SpatialDiffeo g = OdeGauge.linearShear(B, s, sd);
    OdeGauge.VectorField f2 = OdeGauge.spatial(NODE, g, 3, T, false);
    OdeGauge.Invariance inv = OdeGauge.invariant(NODE, f2, 3, T, 4, 3L);
    assertFalse(inv.invariant(), inv.toString());
    OdeGauge.Invariance cov =
        OdeGauge.covariance(NODE, f2, x -> g.inverse(x, 0.0), x -> g.apply(x, T), 3, T, 4, 3L);
    System.out.printf(Locale.ROOT, "change of coordinates: |dx(T)| = %.3e, covariant to %.3e%n",
        inv.maxDeviation(), cov.maxDeviation());
    assertTrue(cov.invariant(), cov.toString());
  }

  @Test
  void invalidTransformationsAreRejected() {
    // h(T) ≠ T
    assertThrows(IllegalArgumentException.class,
        () -> OdeGauge.reparametrize(NODE, t -> 1.1 * t, t -> 1.1, T));
    // h' not positive: h = t + 0.3 T sin(2π t / T), h' = 1 + 0.6π cos(2π t / T) < 0 somewhere
    assertThrows(IllegalArgumentException.class,
        () -> OdeGauge.reparametrize(NODE, t -> t + 0.3 * T * Math.sin(2 * Math.PI * t / T),
            t -> 1 + 0.6 * Math.PI * Math.cos(2 * Math.PI * t / T), T));
    // h' inconsistent with h
    assertThrows(IllegalArgumentException.class, () -> OdeGauge.reparametrize(NODE, H, t -> 1.0, T));
    // g(., T) ≠ id
    assertThrows(IllegalArgumentException.class,
        () -> OdeGauge.spatial(NODE, OdeGauge.linearShear(B, t -> 0.1 * t, t -> 0.1), 3, T));
    // ṡ inconsistent with s
    assertThrows(IllegalArgumentException.class,
        () -> OdeGauge.spatial(NODE,
            OdeGauge.linearShear(B, t -> 0.5 * Math.sin(Math.PI * t / T), t -> 0.0), 3, T));
  }
}
