package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The feed-forward net as data: counts, evaluation by hand, and the analytic Jacobian against finite differences. */
class FeedForwardTest {

  @Test
  void parameterCountsWeightsAndPresentBiases() {
    assertEquals(5 * 3 + 5 + 2 * 5 + 2, FeedForward.random(new int[] {3, 5, 2}, "relu", true, 1).parameterCount());
    assertEquals(5 * 3 + 2 * 5, FeedForward.random(new int[] {3, 5, 2}, "relu", false, 1).parameterCount());
    FeedForward mixed = new FeedForward(new int[] {2, 3, 1}, "tanh", new double[][] {new double[6], new double[3]},
        new double[][] {new double[3], null});
    assertEquals(6 + 3 + 3, mixed.parameterCount());
  }

  @Test
  void evaluatesByHand() {
    // W1 = [[1, -1], [2, 0.5], [0, 1]], b1 = [0.5, -4, 0], W2 = [[1, 2, -3]], b2 = [0.25]
    FeedForward net = new FeedForward(new int[] {2, 3, 1}, "relu",
        new double[][] {{1, -1, 2, 0.5, 0, 1}, {1, 2, -3}}, new double[][] {{0.5, -4, 0}, {0.25}});
    double[] x = {1, 2};
    // pre-activations: 1 - 2 + 0.5 = -0.5, 2 + 1 - 4 = -1, 2 -> relu: 0, 0, 2
    assertEquals(0.25 - 6, net.eval(x)[0], 1e-15);
    FeedForward leaky = new FeedForward(net.widths(), "leaky_relu", net.W(), net.b());
    assertEquals(0.25 + 0.01 * (-0.5) + 2 * 0.01 * (-1) - 6, leaky.eval(x)[0], 1e-15);
    FeedForward lin = new FeedForward(net.widths(), "identity", net.W(), net.b());
    assertEquals(0.25 - 0.5 - 2 - 6, lin.eval(x)[0], 1e-15);
  }

  @Test
  void parametersRoundTrip() {
    FeedForward net = FeedForward.random(new int[] {3, 4, 6, 2}, "tanh", true, 3);
    double[] t = net.parameters();
    assertArrayEquals(t, net.withParameters(t).parameters());
    assertEquals(net.W()[1][7], t[4 * 3 + 4 + 7]);
  }

  @Test
  void jacobianMatchesCentralDifferencesForEveryActivation() {
    SplittableRandom rng = new SplittableRandom(11);
    for (String act : GaugeActivation.NAMES) {
      for (boolean bias : new boolean[] {true, false}) {
        FeedForward net = FeedForward.random(new int[] {3, 4, 5, 2}, act, bias, rng.nextLong());
        double[][] xs = new double[6][3];
        for (double[] x : xs) for (int i = 0; i < 3; i++) x[i] = 1.5 * rng.nextGaussian();
        double[][] J = net.jacobian(xs);
        double[][] fd = centralDifferences(net, xs, 1e-6);
        double worst = 0, scale = 0;
        for (int r = 0; r < J.length; r++) {
          for (int c = 0; c < J[r].length; c++) {
            worst = Math.max(worst, Math.abs(J[r][c] - fd[r][c]));
            scale = Math.max(scale, Math.abs(J[r][c]));
          }
        }
        assertTrue(worst <= 1e-6 * Math.max(1, scale), act + " bias=" + bias + ": worst deviation " + worst);
      }
    }
  }

  @Test
  void jacobianRowsAreOrderedByInputThenOutput() {
    FeedForward net = FeedForward.random(new int[] {2, 3, 2}, "identity", true, 5);
    double[][] J = net.jacobian(new double[][] {{1, 2}, {-1, 0.5}});
    assertEquals(4, J.length);
    // the last parameter is b2[1]: ∂f_o/∂b2[1] = δ_{o,1}
    int last = net.parameterCount() - 1;
    assertEquals(0.0, J[0][last]);
    assertEquals(1.0, J[1][last]);
    assertEquals(0.0, J[2][last]);
    assertEquals(1.0, J[3][last]);
  }

  @Test
  void rejectsBadShapesAndUnknownActivations() {
    assertThrows(IllegalArgumentException.class,
        () -> new FeedForward(new int[] {2, 3, 1}, "relu", new double[][] {new double[5], new double[3]}, null));
    assertThrows(IllegalArgumentException.class, () -> FeedForward.random(new int[] {2, 3, 1}, "swoosh", true, 1));
    assertThrows(IllegalArgumentException.class, () -> FeedForward.random(new int[] {2, 3, 1}, "relu", true, 1).eval(new double[3]));
    assertEquals("identity", FeedForward.random(new int[] {2, 1}, "linear", true, 1).act());
  }

  static double[][] centralDifferences(FeedForward net, double[][] xs, double h) {
    double[] t = net.parameters();
    int out = net.outputDim();
    double[][] fd = new double[xs.length * out][t.length];
    for (int k = 0; k < t.length; k++) {
      double[] tp = t.clone(), tm = t.clone();
      tp[k] += h;
      tm[k] -= h;
      FeedForward np = net.withParameters(tp), nm = net.withParameters(tm);
      for (int n = 0; n < xs.length; n++) {
        double[] fp = np.eval(xs[n]), fm = nm.eval(xs[n]);
        for (int o = 0; o < out; o++) fd[n * out + o][k] = (fp[o] - fm[o]) / (2 * h);
      }
    }
    return fd;
  }
}
