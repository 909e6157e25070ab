package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Generic orbit dimensions. Expected values come from the symmetry groups, derived here and not from
 * the code: ReLU-type (positively homogeneous) activations have one rescaling per hidden unit, odd
 * smooth activations only discrete symmetries, linear nets an affine function, attention
 * {@code GL(d_k) × GL(d_v)} per head.
 */
class OrbitDimTest {

  private static int hidden(int... widths) {
    int s = 0;
    for (int l = 1; l < widths.length - 1; l++) s += widths[l];
    return s;
  }

  private static OrbitDim.Result ff(String act, boolean bias, long seed, int... widths) {
    return OrbitDim.of(FeedForward.random(widths, act, bias, 1), seed);
  }

  private static void check(OrbitDim.Result r, int expectedOrbit) {
    assertEquals(expectedOrbit, r.orbitDim(), r.note());
    assertEquals(r.parameters() - expectedOrbit, r.rank(), r.note());
    assertEquals(r.rank(), r.rankAtSecondPoint(), r.note());
    assertTrue(r.gap() > 1e6, "gap " + r.gap() + ": " + r.note());
  }

  @Test
  void reluOneHiddenLayerHasOneRescalingPerUnit() {
    OrbitDim.Result r = ff("relu", true, 42, 3, 5, 2);
    assertEquals(5 * 3 + 5 + 2 * 5 + 2, r.parameters());
    check(r, hidden(3, 5, 2)); // 5
    check(ff("relu", false, 42, 3, 5, 2), 5);
    check(ff("leaky_relu", true, 42, 3, 5, 2), 5);
  }

  @Test
  void deeperReluNetsHaveTheSumOfHiddenWidths() {
    for (long seed : new long[] {1, 2, 3}) {
      check(ff("relu", true, seed, 3, 4, 6, 2), 10);
      check(ff("relu", true, seed, 2, 3, 3, 3, 1), 9);
    }
    check(ff("relu", true, 7, 4, 8, 8, 8, 2), 24);
  }

  @Test
  void smoothActivationsHaveNoContinuousSymmetry() {
    check(ff("tanh", true, 42, 3, 5, 2), 0);
    check(ff("sigmoid", true, 42, 3, 5, 2), 0);
    check(ff("erf", true, 42, 3, 5, 2), 0);
  }

  @Test
  void linearNetsAreAffineFunctions() {
    // f(x) = W2 W1 x + (W2 b1 + b2): all affine maps R^3 -> R^2 (the product W2 W1 is any 2x3 matrix
    // since 5 >= min(2, 3)), functional dimension 2*3 + 2 = 8, orbit 32 - 8 = 24 — not 25 = dim GL(5):
    // the GL(5) action has a 3-dimensional stabilizer (maps R^5/span(W1, b1) -> ker W2), and the
    // fibre contains the extra directions b1 -> b1 + d, b2 -> b2 - W2 d.
    OrbitDim.Result r = ff("identity", true, 42, 3, 5, 2);
    assertEquals(32, r.parameters());
    check(r, 32 - (2 * 3 + 2));
    // without biases: linear maps, 25 - 6 = 19
    check(ff("identity", false, 42, 3, 5, 2), 25 - 2 * 3);
  }

  @Test
  void biasesOnlyWhereTheNetHasThem() {
    // 3 -> 1 -> 2, a bias in the first layer only: f(x) = W2 (W1 x + b1) = W2 [W1 b1] [x; 1], a rank-one
    // 2 x 4 matrix (2 + 4 - 1 = 5 dimensions) from 6 parameters: orbit 1. A bias added to the last
    // layer would make it 8 - 6 = 2.
    FeedForward net = FeedForward.random(new int[] {3, 1, 2}, "identity", new boolean[] {true, false}, 1);
    assertEquals(6, net.parameterCount());
    check(OrbitDim.of(net, 42), 1);
  }

  @Test
  void reluLayersAroundALinearOne() {
    // 3 -> 4 (relu) -> 2 (identity) -> 5 (relu) -> 2: 4 + 5 rescalings, and the linear chain 4 -> 2 -> 5
    // (8 + 2 + 10 + 5 = 25 parameters; its affine maps have rank 2: 2 (4 + 5 - 2) + 5 = 19 dimensions): 6
    FeedForward net = new FeedForward(new int[] {3, 4, 2, 5, 2}, "relu", FeedForward.random(new int[] {3, 4, 2, 5, 2}, "relu", true, 1).W(),
        FeedForward.random(new int[] {3, 4, 2, 5, 2}, "relu", true, 1).b(), new String[] {"relu", "identity", "relu"});
    assertEquals("identity", net.act(1));
    check(OrbitDim.of(net, 42), 4 + 5 + 6);
  }

  @Test
  void attentionHasGlDkTimesGlDvPerHead() {
    OrbitDim.Result one = OrbitDim.of(Attention.random(4, 3, 2, 1, 1), 42);
    assertEquals(40, one.parameters());
    check(one, 3 * 3 + 2 * 2);
    check(OrbitDim.of(Attention.random(4, 3, 2, 2, 1), 42), 2 * (3 * 3 + 2 * 2));
  }

  @Test
  void twoThousandParametersUseTheSketch() {
    // above GaugeRank.DIRECT_COLS = 500 parameters the rank comes from the sketched, certified QR;
    // its speed is measured by bench/orbit_dim.sh, not here
    OrbitDim.Result r = ff("relu", true, 42, 10, 40, 40, 1);
    assertEquals(10 * 40 + 40 + 40 * 40 + 40 + 40 + 1, r.parameters());
    check(r, hidden(10, 40, 40, 1)); // 80
  }
}
