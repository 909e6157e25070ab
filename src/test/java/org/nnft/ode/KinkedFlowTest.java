package org.nnft.ode;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Neural ODEs with kinks (ReLU, leaky ReLU): the Dormand–Prince integration error at the kinks is far
 * above that of a smooth field (up to 1e-8 at tolerance 1e-12), so invariance compares end points
 * within a tolerance taken from the integration's own error estimate. A true symmetry must never be
 * reported as failing, and an end-point change of 1e-6 must still be caught.
 */
class KinkedFlowTest {

  static final DoubleUnaryOperator H = t -> t + 0.1 * Math.sin(Math.PI * t), HP = t -> 1 + 0.1 * Math.PI * Math.cos(Math.PI * t);

  /** g(x, t) = x + t (1 - t) (x_1^2, 0): the identity at t = 0 and t = 1, inverse x_0 = y_0 - t (1 - t) y_1^2. */
  static final OdeGauge.SpatialDiffeo G = new OdeGauge.SpatialDiffeo() {
    @Override public double[] apply(double[] x, double t) { return new double[] {x[0] + t * (1 - t) * x[1] * x[1], x[1]}; }
    @Override public double[][] jacobian(double[] x, double t) { return new double[][] {{1, 2 * t * (1 - t) * x[1]}, {0, 1}}; }
    @Override public double[] timeDerivative(double[] x, double t) { return new double[] {(1 - 2 * t) * x[1] * x[1], 0}; }
    @Override public double[] inverse(double[] y, double t) { return new double[] {y[0] - t * (1 - t) * y[1] * y[1], y[1]}; }
  };

  @Test
  void reluAndLeakyReluSymmetriesHold() {
    // 2 activations x 10 seeds x 3 widths x (time, space): 120 true symmetries. With the smooth-field
    // tolerance 100 (1e-12 + 1e-12 |x(T)|) about half of the ReLU ones were reported as failing.
    int checked = 0;
    double largestRatio = 0;
    for (NeuralOde.Activation act : new NeuralOde.Activation[] {NeuralOde.Activation.RELU, NeuralOde.Activation.LEAKY_RELU}) {
      for (long seed = 1; seed <= 10; seed++) {
        for (int hidden : new int[] {4, 8, 16}) {
          NeuralOde f = new NeuralOde(2, hidden, act, 1.0, seed);
          OdeGauge.VectorField[] gauged = {OdeGauge.reparametrize(f, H, HP, 1.0), OdeGauge.spatial(f, G, 2, 1.0)};
          for (OdeGauge.VectorField g : gauged) {
            OdeGauge.Invariance r = OdeGauge.invariant(f, g, 2, 1.0, 16, seed);
            assertTrue(r.invariant(), act + " seed " + seed + " hidden " + hidden + ": " + r);
            largestRatio = Math.max(largestRatio, r.maxDeviation() / r.tolerance());
            checked++;
          }
        }
      }
    }
    assertEquals(120, checked);
    System.out.printf("kinked flows: largest deviation / tolerance over %d true symmetries = %.3f%n", checked, largestRatio);
  }

  @Test
  void anEndpointChangeOfOneInAMillionIsCaught() {
    // g(x, t) = x + 1e-6 t (1, 0) is not the identity at T: the end points move by exactly 1e-6
    OdeGauge.SpatialDiffeo shift = new OdeGauge.SpatialDiffeo() {
      @Override public double[] apply(double[] x, double t) { return new double[] {x[0] + 1e-6 * t, x[1]}; }
      @Override public double[][] jacobian(double[] x, double t) { return new double[][] {{1, 0}, {0, 1}}; }
      @Override public double[] timeDerivative(double[] x, double t) { return new double[] {1e-6, 0}; }
      @Override public double[] inverse(double[] y, double t) { return new double[] {y[0] - 1e-6 * t, y[1]}; }
    };
    for (NeuralOde.Activation act : new NeuralOde.Activation[] {NeuralOde.Activation.RELU, NeuralOde.Activation.LEAKY_RELU}) {
      for (long seed = 1; seed <= 10; seed++) {
        NeuralOde f = new NeuralOde(2, 16, act, 1.0, seed);
        OdeGauge.Invariance r = OdeGauge.invariant(f, OdeGauge.spatial(f, shift, 2, 1.0, false), 2, 1.0, 16, seed);
        assertFalse(r.invariant(), act + " seed " + seed + ": " + r);
        assertEquals(1e-6, r.maxDeviation(), 1e-7, r.toString());
        // ... and a field perturbed by 1e-6 (a drift, not a gauge transformation) is caught too
        OdeGauge.VectorField drift = (x, t) -> {
          double[] v = f.field(x, t);
          v[1] += 1e-6;
          return v;
        };
        assertFalse(OdeGauge.invariant(f, drift, 2, 1.0, 16, seed).invariant(), act + " seed " + seed);
      }
    }
  }

  @Test
  void theErrorEstimateBoundsTheErrorAtATimeKink() {
    // dx/dt = (relu(t - a), 0.01 min(t - a, 0) + max(t - a, 0)): kinks in time at t = a, exact end point
    // x(1) = x0 + ((1 - a)^2 / 2, (1 - a)^2 / 2 - 0.01 a^2 / 2) (independent of the integrator)
    double worst = 0;
    for (int k = 0; k < 40; k++) {
      double a = 0.013 + 0.97 * k / 40.0;
      OdeGauge.VectorField f = (x, t) -> new double[] {Math.max(t - a, 0), t > a ? t - a : 0.01 * (t - a)};
      double[] x0 = {0.3, -0.7};
      OdeGauge.Estimate e = OdeGauge.flowWithError(f, x0, 0.0, 1.0);
      double[] exact = {x0[0] + (1 - a) * (1 - a) / 2, x0[1] + (1 - a) * (1 - a) / 2 - 0.01 * a * a / 2};
      double err = Math.max(Math.abs(e.x()[0] - exact[0]), Math.abs(e.x()[1] - exact[1]));
      double allowed = OdeGauge.acceptedDeviation(1, e.error());
      assertTrue(err <= allowed, "a = " + a + ": error " + err + ", estimate " + e.error());
      worst = Math.max(worst, err / allowed);
    }
    System.out.printf("time kinks: largest error / accepted deviation = %.3f%n", worst);
  }

  @Test
  void acceptedDeviationIsTheLargerOfTheSmoothFloorAndTenEstimatedErrors() {
    assertEquals(100 * (1e-12 + 1e-12 * 3), OdeGauge.acceptedDeviation(3, 1e-15), 1e-24);
    assertEquals(10 * 2e-9, OdeGauge.acceptedDeviation(3, 2e-9), 1e-20);
    assertTrue(Double.isNaN(OdeGauge.acceptedDeviation(3, Double.NaN)));
  }
}
