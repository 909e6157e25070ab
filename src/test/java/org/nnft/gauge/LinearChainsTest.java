package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;

/**
 * The orbit of a chain of linear layers is the fibre of its product, not the sum of the interior
 * GL groups: 2 → 3 → 3 → 2 with biases has a 23-dimensional orbit (symmetries(net) said 24), and
 * 2 → 4 → 4 → 4 → 2 a 56-dimensional one (it said 60). The formula of {@link LinearChains} is checked
 * against counts worked out by hand and against the rank of the Jacobian (orbit_dim) on many chains,
 * and the catalogue symmetries(net) against orbit_dim(net) for every kind of stack.
 */
class LinearChainsTest {

  private static boolean[] all(int k, boolean b) {
    boolean[] x = new boolean[k];
    Arrays.fill(x, b);
    return x;
  }

  @Test
  void countsWorkedOutByHand() {
    // 2 -> 3 -> 3 -> 2, biases: P = 6 + 3 + 9 + 3 + 6 + 2 = 29; the affine maps R^2 -> R^2 (B of rank 2,
    // c free) form a 6-dimensional set, so the orbit is 23 (not 2 (9 + 3) = 24)
    assertEquals(23, LinearChains.fibre(new int[] {2, 3, 3, 2}, all(3, true)));
    // 2 -> 4 -> 4 -> 4 -> 2, biases: P = 8 + 4 + 16 + 4 + 16 + 4 + 8 + 2 = 62, image 6: 56 (not 3 (16 + 4) = 60)
    assertEquals(56, LinearChains.fibre(new int[] {2, 4, 4, 4, 2}, all(4, true)));
    // 3 -> 5 -> 2, biases: P = 32, image 2 * 3 + 2 = 8: 24; without biases 25 - 6 = 19
    assertEquals(24, LinearChains.fibre(new int[] {3, 5, 2}, all(2, true)));
    assertEquals(19, LinearChains.fibre(new int[] {3, 5, 2}, all(2, false)));
    // 3 -> 2 -> 4: the product has rank 2 (4 * 3 matrices of rank 2: 2 (3 + 4 - 2) = 10), c free in R^4:
    // P = 6 + 2 + 8 + 4 = 20, orbit 20 - 14 = 6 = dim GL(2) + 2 bias shifts
    assertEquals(6, LinearChains.fibre(new int[] {3, 2, 4}, all(2, true)));
    // 3 -> 1 -> 2 with a bias in the first layer only: (B, c) = W2 (W1, b1), a rank-1 2 x 4 matrix,
    // 2 + 4 - 1 = 5 dimensions of 6 parameters: orbit 1 (the scale of the single unit)
    assertEquals(1, LinearChains.fibre(new int[] {3, 1, 2}, new boolean[] {true, false}));
    // one layer has no redundancy
    assertEquals(0, LinearChains.fibre(new int[] {4, 3}, all(1, true)));
  }

  @Test
  void theFormulaIsTheRankDeficitOfTheJacobianOnManyChains() {
    // every chain of 1 to 4 layers with widths 1 to 4 (a seeded sample of the longer ones), biases in
    // every layer, in none, and in a random pattern; the reference is OrbitDim's Jacobian rank
    SplittableRandom rng = new SplittableRandom(8);
    int checked = 0;
    List<int[]> chains = new ArrayList<>();
    for (int k = 1; k <= 4; k++) {
      int combos = (int) Math.pow(4, k + 1);
      for (int c = 0; c < combos; c++) {
        if (k >= 2 && rng.nextInt(combos) >= 24) continue; // about 24 of each length
        int[] w = new int[k + 1];
        for (int i = 0, x = c; i <= k; i++, x /= 4) w[i] = 1 + x % 4;
        chains.add(w);
      }
    }
    for (int[] w : chains) {
      int k = w.length - 1;
      boolean[] random = new boolean[k];
      for (int i = 0; i < k; i++) random[i] = rng.nextBoolean();
      for (boolean[] b : new boolean[][] {all(k, true), all(k, false), random}) {
        OrbitDim.Result r = OrbitDim.of(FeedForward.random(w, "identity", b, 3), 11);
        assertEquals(LinearChains.parameters(w, b), r.parameters());
        assertEquals(r.rank(), r.rankAtSecondPoint(), r.note());
        assertEquals(LinearChains.fibre(w, b), r.orbitDim(), Arrays.toString(w) + " biases " + Arrays.toString(b) + ": " + r.note());
        checked++;
      }
    }
    assertTrue(checked > 200, "checked " + checked);
  }

  /** A declared net: layers W_l @ h + b_l, hidden activations acts[l] ("" for none: a plain nesting). */
  private static String declared(String name, int[] w, boolean[] b, String[] acts) {
    StringBuilder s = new StringBuilder("net " + name + "(x: R^" + w[0] + ") -> R^" + w[w.length - 1] + " {\n");
    String h = "x";
    for (int l = 1; l < w.length; l++) {
      s.append("  W").append(l).append("[").append(w[l]).append(", ").append(w[l - 1]).append("] ~ normal(0, 1)\n");
      if (b[l - 1]) s.append("  b").append(l).append("[").append(w[l]).append("] ~ normal(0, 1)\n");
      String pre = "W" + l + " @ " + (h.equals("x") ? "x" : "(" + h + ")") + (b[l - 1] ? " + b" + l : "");
      h = l < w.length - 1 && !acts[l - 1].isEmpty() ? acts[l - 1] + "(" + pre + ")" : pre;
    }
    return s.append("  return ").append(h).append("\n}\n").toString();
  }

  private static void agree(Nnft nn, String name, String source) {
    nn.eval(source);
    double catalogue = (Double) nn.eval("symmetries(" + name + ").continuous_dim");
    double orbit = (Double) nn.eval("orbit_dim(" + name + ")");
    assertEquals(orbit, catalogue, name + ":\n" + source + "\n" + nn.eval("symmetries(" + name + ")"));
  }

  @Test
  void theCatalogueAgreesWithOrbitDimForEveryKindOfStack() {
    Nnft nn = Nnft.session().setSeed(5);
    int n = 0;
    // identity stacks of many widths, with and without biases (mlp: a dot product for one output)
    for (String widths : new String[] {"[3]", "[1]", "[2, 2]", "[3, 3]", "[4, 4, 4]", "[1, 3]", "[5, 2, 5]", "[2, 5, 1, 4]"}) {
      for (String out : new String[] {"1", "2", "3"}) {
        agree(nn, "m" + n, "net m" + n + " = mlp(in = 2, widths = " + widths + ", out = " + out + ", act = identity)");
        n++;
        agree(nn, "m" + n, "net m" + n + " = mlp(in = 3, widths = " + widths + ", out = " + out + ", act = identity, biases = \"none\")");
        n++;
      }
    }
    // declared stacks: identity layers, plain nestings, biases in some layers only
    SplittableRandom rng = new SplittableRandom(2);
    for (int[] w : new int[][] {{2, 3, 3, 2}, {2, 4, 4, 4, 2}, {3, 1, 2}, {3, 5, 2}, {2, 3, 2, 3}, {4, 2, 3, 2, 4}, {3, 3, 3}}) {
      for (String act : new String[] {"identity", ""}) {
        boolean[] b = new boolean[w.length - 1];
        for (int i = 0; i < b.length; i++) b[i] = rng.nextBoolean();
        String[] acts = new String[w.length - 2];
        Arrays.fill(acts, act);
        agree(nn, "d" + n, declared("d" + n, w, b, acts));
        n++;
      }
    }
    // mixes of relu and linear layers: a linear chain between relu layers, before and after them
    String[][] mixes = {{"relu", "identity", "relu"}, {"identity", "relu"}, {"relu", "identity"}, {"identity", "identity", "relu"}, {"relu", "relu", "identity"}};
    for (String[] acts : mixes) {
      for (int[] hidden : new int[][] {{4, 2, 5}, {3, 3, 3}, {5, 1, 4}}) {
        int[] w = new int[acts.length + 2];
        w[0] = 3;
        for (int i = 0; i < acts.length; i++) w[i + 1] = hidden[i % hidden.length];
        w[w.length - 1] = 2;
        agree(nn, "x" + n, declared("x" + n, w, all(w.length - 1, true), acts));
        n++;
      }
    }
    // abs units rescale like relu
    agree(nn, "ab", declared("ab", new int[] {3, 4, 2}, all(2, true), new String[] {"abs"}));
    // attention, built in (rank-limited when d_k or d_v exceeds d_model) and declared with a chain of values
    for (String a : new String[] {"d_model = 4, d_k = 3, d_v = 2, heads = 1", "d_model = 2, d_k = 3, d_v = 3, heads = 1",
        "d_model = 2, d_k = 3, d_v = 1, heads = 2", "d_model = 3, d_k = 1, d_v = 4, heads = 1"}) {
      agree(nn, "at" + n, "net at" + n + " = attention(" + a + ")");
      n++;
    }
    agree(nn, "ch", "net ch(X: R^(3, 4)) -> R^2 {\n  WQ[4, 2] ~ normal(0, 1); WK[4, 2] ~ normal(0, 1)\n"
        + "  WV[4, 3] ~ normal(0, 1); WO[3, 3] ~ normal(0, 1); WP[3, 2] ~ normal(0, 1)\n"
        + "  let A = softmax((X @ WQ) @ transpose(X @ WK))\n  return (A @ (X @ WV) @ WO @ WP)[0]\n}");
    agree(nn, "sc", "net sc(X: R^(3, 2)) -> R^2 {\n  WQ[2, 3] ~ normal(0, 1); WQ2[3, 3] ~ normal(0, 1); WK[2, 3] ~ normal(0, 1)\n"
        + "  return (softmax((X @ WQ @ WQ2) @ transpose(X @ WK)) @ X)[0]\n}");
  }
}
