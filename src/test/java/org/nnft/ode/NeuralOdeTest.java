package org.nnft.ode;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The NODE field f(x, t) = W2 act(W1 [x; t] + b1) + b2 and its end-point map. */
class NeuralOdeTest {

  static final double[][] W1 = {{0.5, -0.3, 0.2}, {0.1, 0.8, -0.4}, {-0.6, 0.2, 0.7}};
  static final double[] B1 = {0.1, -0.2, 0.05};
  static final double[][] W2 = {{0.3, -0.5, 0.9}, {0.7, 0.2, -0.1}};
  static final double[] B2 = {-0.05, 0.15};

  @Test
  void fieldMatchesAHandComputation() {
    double[] x = {0.7, -1.1};
    double t = 0.4;
    for (NeuralOde.Activation act : NeuralOde.Activation.values()) {
      NeuralOde node = new NeuralOde(W1, B1, W2, B2, act, 1.0);
      double[] a = new double[3];
      for (int k = 0; k < 3; k++) {
        double z = W1[k][0] * x[0] + W1[k][1] * x[1] + W1[k][2] * t + B1[k];
        switch (act) {
          case TANH -> a[k] = Math.tanh(z);
          case RELU -> a[k] = Math.max(0, z);
          case LEAKY_RELU -> a[k] = z > 0 ? z : 0.01 * z;
          case SIGMOID -> a[k] = 1 / (1 + Math.exp(-z));
          case IDENTITY -> a[k] = z;
        }
      }
      double[] want = {
        W2[0][0] * a[0] + W2[0][1] * a[1] + W2[0][2] * a[2] + B2[0],
        W2[1][0] * a[0] + W2[1][1] * a[1] + W2[1][2] * a[2] + B2[1]
      };
      assertArrayEquals(want, node.field(x, t), 1e-15, act.toString());
      assertArrayEquals(node.field(x, t), node.f(x, t), 0.0);
    }
  }

  @Test
  void constantFieldTranslates() {
    double[][] w2 = new double[2][3];
    NeuralOde node = new NeuralOde(W1, B1, w2, new double[] {0.3, -0.7}, NeuralOde.Activation.TANH, 2.5);
    double[] x = node.flow(new double[] {1.0, 2.0});
    assertArrayEquals(new double[] {1.0 + 0.75, 2.0 - 1.75}, x, 1e-13);
  }

  @Test
  void scalarAffineFieldMatchesTheClosedForm() {
    // dim 1, hidden 1, identity: f = w2 (w x + v t + b1) + b2 = a x + b t + c
    double w = 0.8, v = -0.6, bb = 0.3, w2 = 1.25, b2 = -0.4;
    NeuralOde node = new NeuralOde(new double[][] {{w, v}}, new double[] {bb},
        new double[][] {{w2}}, new double[] {b2}, NeuralOde.Activation.IDENTITY, 1.5);
    double a = w2 * w, b = w2 * v, c = w2 * bb + b2, T = 1.5, x0 = 0.9;
    // x(T) = e^{aT} x0 + c (e^{aT} − 1)/a + b (e^{aT} − 1 − aT)/a²
    double e = Math.exp(a * T);
    double want = e * x0 + c * (e - 1) / a + b * (e - 1 - a * T) / (a * a);
    assertEquals(want, node.flow(new double[] {x0})[0], 1e-11);
  }

  @Test
  void linearNodeIsAMatrixExponential() {
    // identity activation, no t column, no biases: f = W2 W1x x
    double[][] w1 = {{0.5, -0.3, 0}, {0.1, 0.8, 0}, {-0.6, 0.2, 0}};
    NeuralOde node = new NeuralOde(w1, new double[3], W2, new double[2], NeuralOde.Activation.IDENTITY, 2.0);
    double[][] w1x = {{0.5, -0.3}, {0.1, 0.8}, {-0.6, 0.2}};
    double[][] M = OdeLinearTest.mul(W2, w1x);
    double[][] E = OdeLinearTest.expm(OdeLinearTest.lin(2.0, M, 0, M));
    double[] x0 = {0.4, -1.3};
    double[] want = {E[0][0] * x0[0] + E[0][1] * x0[1], E[1][0] * x0[0] + E[1][1] * x0[1]};
    assertArrayEquals(want, node.flow(x0), 1e-11);
  }

  @Test
  void seededWeightsAreDeterministicAndScaledByFanIn() {
    NeuralOde a = new NeuralOde(3, 400, NeuralOde.Activation.TANH, 1.0, 42);
    NeuralOde b = new NeuralOde(3, 400, NeuralOde.Activation.TANH, 1.0, 42);
    NeuralOde c = new NeuralOde(3, 400, NeuralOde.Activation.TANH, 1.0, 43);
    assertArrayEquals(a.w1()[7], b.w1()[7], 0.0);
    assertArrayEquals(a.b2(), b.b2(), 0.0);
    assertNotEquals(a.w1()[7][0], c.w1()[7][0]);
    double s1 = 0, s2 = 0;
    int n1 = 0, n2 = 0;
    for (double[] r : a.w1()) for (double x : r) { s1 += x * x; n1++; }
    for (double[] r : a.w2()) for (double x : r) { s2 += x * x; n2++; }
    // variance 1/(dim+1) = 1/4 over 1600 draws, 1/hidden = 1/400 over 1200 draws
    assertEquals(0.25, s1 / n1, 0.25 * 0.15);
    assertEquals(1.0 / 400, s2 / n2, 0.15 / 400);
    assertEquals(400 * 4 + 400 + 3 * 400 + 3, a.parameterCount());
    assertEquals("node(dim = 3, hidden = 400, act = tanh, time = 1.0)", a.toString());
  }

  @Test
  void flowComposesThroughIntermediateTimes() {
    NeuralOde node = new NeuralOde(2, 8, NeuralOde.Activation.TANH, 1.0, 5);
    double[] x0 = {0.3, -0.8};
    double[] mid = node.flow(x0, 0.4);
    double[] end = OdeGauge.flow(node, mid, 0.4, 1.0);
    assertArrayEquals(node.flow(x0), end, 1e-11);
  }

  /** The LANGUAGE.md sample: node(dim = 2, hidden = 8, act = tanh, time = 1), h = t + 0.1 sin(π t). */
  @Test
  void languageSampleReparametrizationKeepsTheEndpoint() {
    for (NeuralOde.Activation act : NeuralOde.Activation.values()) {
      NeuralOde node = new NeuralOde(2, 8, act, 1.0, 2024);
      OdeGauge.VectorField f2 = OdeGauge.reparametrize(node,
          t -> t + 0.1 * Math.sin(Math.PI * t), t -> 1 + 0.1 * Math.PI * Math.cos(Math.PI * t), 1.0);
      OdeGauge.Invariance inv = OdeGauge.invariant(node, f2, 2, 1.0, 6, 99L);
      System.out.printf(Locale.ROOT, "%s: reparametrized max |dx(T)| = %.3e (tolerance %.1e)%n",
          act, inv.maxDeviation(), inv.tolerance());
      assertTrue(inv.maxDeviation() < 1e-9, inv.toString());
      assertTrue(inv.invariant(), inv.toString());
    }
  }

  @Test
  void rejectsBadShapes() {
    assertThrows(IllegalArgumentException.class,
        () -> new NeuralOde(W1, B1, new double[][] {{1, 2, 3}}, B2, NeuralOde.Activation.TANH, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new NeuralOde(W1, new double[2], W2, B2, NeuralOde.Activation.TANH, 1));
    assertThrows(IllegalArgumentException.class, () -> new NeuralOde(2, 3, NeuralOde.Activation.TANH, 0, 1));
    NeuralOde node = new NeuralOde(W1, B1, W2, B2, NeuralOde.Activation.TANH, 1);
    assertThrows(IllegalArgumentException.class, () -> node.flow(new double[3]));
    assertEquals(NeuralOde.Activation.RELU, NeuralOde.Activation.parse(" ReLU "));
    assertEquals(NeuralOde.Activation.IDENTITY, NeuralOde.Activation.parse("linear"));
    assertThrows(IllegalArgumentException.class, () -> NeuralOde.Activation.parse("gelu"));
  }
}
