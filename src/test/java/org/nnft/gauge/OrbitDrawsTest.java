package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.syntax.NnftException;

/**
 * The orbit dimension at single draws (orbit_dim(net, at = "draw")): dead and always-on units, and the
 * orbit they leave. References: nets built by hand with a known dead unit, and for one-input nets the
 * exact status of every second-layer unit (its pre-activation is piecewise linear in x: its sign on
 * the whole line follows from its values at the kinks and its slopes at ±∞), computed here.
 */
class OrbitDrawsTest {

  /** 2 → 2 → 2 → 1: layer 1 is relu(x0), relu(x1); unit 0 of layer 2 is dead, unit 1 always on. */
  private static FeedForward deadAndAlwaysOn() {
    double[][] W = {{1, 0, 0, 1}, {-1, -1, 1, 1}, {0.7, -1.3}};
    double[][] b = {{0, 0}, {-1, 1}, {0.2}};
    return new FeedForward(new int[] {2, 2, 2, 1}, "relu", W, b);
  }

  @Test
  void aDeadAndAnAlwaysOnUnitLeaveTheOrbitWorkedOutByHand() {
    // near this point f = v1 (a relu(w0.x + β0) + b relu(w1.x + β1) + d) + c: a 2 → 2 → 1 relu net,
    // 9 - 2 = 7 functional dimensions from the 11 live parameters; the dead unit's 2 + 1 incoming and 1
    // outgoing parameters are inert. P = 15, rank 7, orbit 8 (the generic orbit of 2 → 2 → 2 → 1 is 4).
    OrbitDim.Draw d = OrbitDim.analyseDraw(deadAndAlwaysOn(), new SplittableRandom(1));
    assertEquals(1, d.dead());
    assertEquals(1, d.alwaysOn());
    assertEquals(7, d.rank());
    assertEquals(8, d.orbitDim());
    assertEquals(4, OrbitDim.of(deadAndAlwaysOn(), 3).orbitDim());
  }

  @Test
  void farKinksAreReachedByTheInputsOfTheDraw() {
    // 2 → 3 → 1: relu(x0 - 1000) switches at distance 1000, far outside inputs of scale 1 to 20, and
    // relu(x1 + 5000) at 5000; neither is dead, and the draw has the generic orbit 3
    double[][] W = {{1, 0, 0, 1, 0.6, 0.8}, {0.5, -0.4, 0.3}};
    double[][] b = {{-1000, 5000, 0.1}, {0.3}};
    FeedForward far = new FeedForward(new int[] {2, 3, 1}, "relu", W, b);
    OrbitDim.Draw d = OrbitDim.analyseDraw(far, new SplittableRandom(2));
    assertEquals(0, d.dead() + d.alwaysOn(), d.toString());
    assertEquals(3, d.orbitDim(), d.toString());
    // a second-layer unit on only beyond x0 = 1000: relu(relu(x0) - 1000) is not dead either
    double[][] W2 = {{1, 0, 0, 1}, {1, 0, 0, 1}, {0.8, -0.9}};
    double[][] b2 = {{0, 0}, {-1000, 0.5}, {0.1}};
    OrbitDim.Draw d2 = OrbitDim.analyseDraw(new FeedForward(new int[] {2, 2, 2, 1}, "relu", W2, b2), new SplittableRandom(3));
    assertEquals(0, d2.dead(), d2.toString());
  }

  /** Exact status of second-layer unit j of a 1 → n1 → n2 → ... relu net: -1 dead, +1 always on, 0 switches. */
  private static int exactStatus(FeedForward net, int j) {
    int n1 = net.widths()[1];
    double[] w = net.W()[0], b1 = net.b()[0], W2 = net.W()[1];
    double c = net.b()[1][j];
    java.util.function.DoubleUnaryOperator z = x -> {
      double s = c;
      for (int i = 0; i < n1; i++) s += W2[j * n1 + i] * Math.max(0, w[i] * x + b1[i]);
      return s;
    };
    double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n1; i++) {
      double k = -b1[i] / w[i], v = z.applyAsDouble(k);
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    double up = 0, down = 0; // dz/dx as x -> +inf and x -> -inf
    for (int i = 0; i < n1; i++) {
      if (w[i] > 0) up += W2[j * n1 + i] * w[i];
      else down += W2[j * n1 + i] * w[i];
    }
    boolean reachesPositive = max > 0 || up > 0 || down < 0;
    boolean reachesNonPositive = min <= 0 || up < 0 || down > 0;
    return !reachesPositive ? -1 : !reachesNonPositive ? 1 : 0;
  }

  @Test
  void deadAndAlwaysOnUnitsAgreeWithTheExactCountForOneInput() {
    // 1 → 3 → 3 → 1 relu, weights N(0, 1/fan_in) and biases N(0, 0.1^2) as mlp(...) draws them
    int[] widths = {1, 3, 3, 1};
    FeedForward arch = FeedForward.random(widths, "relu", true, 1);
    OrbitDim.LayerDraw density = (rng, W, b) -> {
      for (int l = 0; l < W.length; l++) {
        for (int k = 0; k < W[l].length; k++) W[l][k] = rng.normal() / Math.sqrt(widths[l]);
        for (int k = 0; k < b[l].length; k++) b[l][k] = 0.1 * rng.normal();
      }
    };
    int draws = 300;
    List<OrbitDim.Draw> ds = OrbitDim.draws(arch, density, draws, 77, 2);
    int degenerate = 0;
    for (int d = 0; d < draws; d++) {
      double[][] W = new double[3][], b = new double[3][];
      for (int l = 0; l < 3; l++) {
        W[l] = new double[widths[l + 1] * widths[l]];
        b[l] = new double[widths[l + 1]];
      }
      density.draw(org.nnft.numeric.Rng.forStream(77, d), W, b);
      FeedForward net = new FeedForward(widths, "relu", W, b);
      int dead = 0, on = 0;
      for (int j = 0; j < 3; j++) {
        int st = exactStatus(net, j);
        if (st < 0) dead++;
        if (st > 0) on++;
      }
      assertEquals(dead, ds.get(d).dead(), "draw " + d);
      assertEquals(on, ds.get(d).alwaysOn(), "draw " + d);
      if (dead + on > 0) degenerate++;
    }
    // a sizeable share of such draws is degenerate (the point of reporting the distribution)
    assertTrue(degenerate > draws / 10, degenerate + " of " + draws);
  }

  @Test
  void theDistributionIsTheSameAtAnyThreadCount() {
    FeedForward arch = FeedForward.random(new int[] {2, 3, 3, 1}, "relu", true, 1);
    OrbitDim.LayerDraw density = (rng, W, b) -> {
      for (int l = 0; l < W.length; l++) {
        for (int k = 0; k < W[l].length; k++) W[l][k] = rng.normal();
        for (int k = 0; k < b[l].length; k++) b[l][k] = rng.normal();
      }
    };
    assertEquals(OrbitDim.draws(arch, density, 40, 5, 1), OrbitDim.draws(arch, density, 40, 5, 2));
  }

  @Test
  void theLanguageReportsTheDistributionReproducibly() {
    String net = "net small = mlp(in = 2, widths = [3, 3], out = 1, act = relu)\n";
    Nnft a = Nnft.session(), b = Nnft.session().setThreads(2);
    a.eval(net + "let D = orbit_dim(small, at = \"draw\", draws = 60, seed = 9)");
    b.eval(net + "let D = orbit_dim(small, at = \"draw\", draws = 60, seed = 9)");
    assertTrue(java.util.Arrays.equals((double[]) a.eval("D.counts"), (double[]) b.eval("D.counts")));
    assertTrue(java.util.Arrays.equals((double[]) a.eval("D.orbit_dims"), (double[]) b.eval("D.orbit_dims")));
    assertEquals(60.0, java.util.Arrays.stream((double[]) a.eval("D.counts")).sum());
    assertEquals(6.0, a.eval("D.generic"));
    double smallest = ((double[]) a.eval("D.orbit_dims"))[0];
    assertTrue(smallest >= 6, "no draw has a smaller orbit than the generic one: " + smallest);
  }

  @Test
  void badOptionsAreRefusedAtTheirPlace() {
    Nnft nn = Nnft.session();
    nn.eval("net small = mlp(in = 2, widths = [3], out = 1, act = relu)");
    NnftException e = assertThrows(NnftException.class, () -> nn.eval("orbit_dim(small, at = \"draws\")"));
    assertTrue(e.getMessage().contains("at is \"generic\""), e.getMessage());
    e = assertThrows(NnftException.class, () -> nn.eval("orbit_dim(small, at = \"draw\", draws = 0)"));
    assertTrue(e.getMessage().contains("draws must be between 1"), e.getMessage());
    e = assertThrows(NnftException.class, () -> nn.eval("orbit_dim(small, draws = 10)"));
    assertTrue(e.getMessage().contains("at = \"draw\""), e.getMessage());
  }
}
