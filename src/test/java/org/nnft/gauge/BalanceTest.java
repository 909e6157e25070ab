package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/** Gauge fixing: least-norm points of the rescaling orbit (feed-forward) and of GL(d_k) × GL(d_v) (attention). */
class BalanceTest {

  /** max |f − f'| over random inputs, relative to max |f|. */
  static double relativeChange(FeedForward a, FeedForward b, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double worst = 0, scale = 0;
    for (int k = 0; k < 200; k++) {
      double[] x = new double[a.inputDim()];
      for (int i = 0; i < x.length; i++) x[i] = 3 * rng.nextGaussian();
      double[] f = a.eval(x), g = b.eval(x);
      for (int o = 0; o < f.length; o++) {
        worst = Math.max(worst, Math.abs(f[o] - g[o]));
        scale = Math.max(scale, Math.abs(f[o]));
      }
    }
    return worst / scale;
  }

  /** A net with a deliberately unbalanced random rescaling applied (so the function stays the same). */
  static FeedForward unbalanced(int[] widths, String act, long seed) {
    FeedForward net = FeedForward.random(widths, act, true, seed);
    SplittableRandom rng = new SplittableRandom(seed + 100);
    for (int l = 0; l + 1 < net.layers(); l++) {
      int n = widths[l + 1], m = widths[l], k = widths[l + 2];
      for (int i = 0; i < n; i++) {
        double a = Math.exp(2 * rng.nextGaussian());
        for (int j = 0; j < m; j++) net.W()[l][i * m + j] *= a;
        net.b()[l][i] *= a;
        for (int r = 0; r < k; r++) net.W()[l + 1][r * n + i] /= a;
      }
    }
    return net;
  }

  @Test
  void oneHiddenLayerMatchesTheClosedForm() {
    FeedForward net = unbalanced(new int[] {3, 5, 2}, "relu", 1);
    FeedForward bal = Balance.balance(net);
    for (int i = 0; i < 5; i++) {
      double in = 0, out = 0;
      for (int j = 0; j < 3; j++) in += net.W()[0][i * 3 + j] * net.W()[0][i * 3 + j];
      in += net.b()[0][i] * net.b()[0][i];
      for (int r = 0; r < 2; r++) out += net.W()[1][r * 5 + i] * net.W()[1][r * 5 + i];
      double a = Math.sqrt(Math.sqrt(out) / Math.sqrt(in)); // a_i = sqrt(‖v_i‖ / ‖(w_i, b_i)‖)
      for (int j = 0; j < 3; j++) assertEquals(a * net.W()[0][i * 3 + j], bal.W()[0][i * 3 + j], 1e-12 * Math.abs(a));
      assertEquals(a * net.b()[0][i], bal.b()[0][i], 1e-12 * Math.abs(a));
      for (int r = 0; r < 2; r++) assertEquals(net.W()[1][r * 5 + i] / a, bal.W()[1][r * 5 + i], 1e-12 / Math.abs(a));
    }
    // the output layer's bias is not touched
    assertEquals(net.b()[1][0], bal.b()[1][0]);
  }

  @Test
  void deepNetsKeepTheFunctionLowerTheNormAndBalanceEveryUnit() {
    int[][] archs = {{3, 5, 2}, {3, 4, 6, 2}, {2, 3, 3, 3, 1}, {10, 40, 40, 1}, {4, 8, 8, 8, 8, 8, 2}};
    for (String act : new String[] {"relu", "leaky_relu", "identity", "abs"}) {
      for (int[] w : archs) {
        FeedForward net = unbalanced(w, act, w.length + 17);
        FeedForward bal = Balance.balance(net);
        assertTrue(relativeChange(net, bal, 5) < 1e-12, act + " " + java.util.Arrays.toString(w));
        assertTrue(Balance.normSquared(bal) < Balance.normSquared(net));
        double[][] in = Balance.incomingNorms(bal), out = Balance.outgoingNorms(bal);
        for (int l = 0; l < in.length; l++) {
          for (int i = 0; i < in[l].length; i++) assertEquals(in[l][i], out[l][i], 1e-9 * in[l][i]);
        }
        // the input net is not modified
        assertTrue(Balance.imbalance(net) > 1e-3);
      }
    }
  }

  @Test
  void theBalancedPointIsTheLeastNormPointOfTheOrbit() {
    FeedForward bal = Balance.balance(unbalanced(new int[] {3, 4, 6, 2}, "relu", 3));
    double n0 = Balance.normSquared(bal);
    SplittableRandom rng = new SplittableRandom(2);
    for (int trial = 0; trial < 50; trial++) {
      double[][] W = {bal.W()[0].clone(), bal.W()[1].clone(), bal.W()[2].clone()};
      double[][] b = {bal.b()[0].clone(), bal.b()[1].clone(), bal.b()[2].clone()};
      FeedForward moved = new FeedForward(bal.widths(), "relu", W, b);
      int[] w = bal.widths();
      double size = trial < 25 ? 1e-3 : 0.5;
      for (int l = 0; l < 2; l++) {
        int n = w[l + 1], m = w[l], k = w[l + 2];
        for (int i = 0; i < n; i++) {
          double a = Math.exp(size * rng.nextGaussian());
          for (int j = 0; j < m; j++) W[l][i * m + j] *= a;
          b[l][i] *= a;
          for (int r = 0; r < k; r++) W[l + 1][r * n + i] /= a;
        }
      }
      assertTrue(Balance.normSquared(moved) >= n0 * (1 - 1e-14), "a rescaling lowered the norm");
    }
  }

  @Test
  void balanceNeedsAPositivelyHomogeneousActivation() {
    assertThrows(IllegalArgumentException.class, () -> Balance.balance(FeedForward.random(new int[] {3, 5, 2}, "tanh", true, 1)));
  }

  // ---------------------------------------------------------------- attention

  static double attentionChange(Attention a, Attention b) {
    SplittableRandom rng = new SplittableRandom(6);
    double worst = 0, scale = 0;
    for (int s = 0; s < 10; s++) {
      double[][] X = AttentionTest.gaussian(rng, 2 + s % 4, a.dModel(), 1);
      double[][] y = a.eval(X), z = b.eval(X);
      for (int i = 0; i < y.length; i++) {
        for (int c = 0; c < y[i].length; c++) {
          worst = Math.max(worst, Math.abs(y[i][c] - z[i][c]));
          scale = Math.max(scale, Math.abs(y[i][c]));
        }
      }
    }
    return worst / scale;
  }

  static SimpleMatrix m(double[] rowMajor, int r, int c) {
    return new SimpleMatrix(r, c, true, rowMajor);
  }

  static double nuclear(SimpleMatrix A) {
    double s = 0;
    for (double v : A.svd(true).getSingularValues()) s += v;
    return s;
  }

  @Test
  void attentionBalanceKeepsTheOutputEqualisesTheGramsAndReachesTheNuclearNorm() {
    for (int heads = 1; heads <= 3; heads++) {
      Attention a = Attention.random(5, 3, 2, heads, 10 + heads);
      // unbalance it by a random GL gauge transformation per head
      for (int h = 0; h < heads; h++) {
        SimpleMatrix M = SimpleMatrix.random_DDRM(3, 3, -1, 1, new java.util.Random(h)).plus(SimpleMatrix.identity(3).scale(1.5));
        SimpleMatrix N = SimpleMatrix.random_DDRM(2, 2, -1, 1, new java.util.Random(h + 7)).plus(SimpleMatrix.identity(2).scale(3));
        a.WQ()[h] = rowMajor(m(a.WQ()[h], 5, 3).mult(M));
        a.WK()[h] = rowMajor(m(a.WK()[h], 5, 3).mult(M.invert().transpose()));
        a.WV()[h] = rowMajor(m(a.WV()[h], 5, 2).mult(N));
        a.WO()[h] = rowMajor(N.invert().mult(m(a.WO()[h], 2, 5)));
      }
      Attention b = Balance.balance(a);
      assertTrue(attentionChange(a, b) < 1e-12, "output changed by " + attentionChange(a, b));
      assertTrue(Balance.normSquared(b) <= Balance.normSquared(a));
      assertTrue(Balance.gramMismatch(a) > 1e-2);
      double least = 0;
      for (int h = 0; h < heads; h++) {
        SimpleMatrix Q = m(b.WQ()[h], 5, 3), K = m(b.WK()[h], 5, 3), V = m(b.WV()[h], 5, 2), O = m(b.WO()[h], 2, 5);
        // W_Q'ᵀW_Q' = W_K'ᵀW_K' and W_V'ᵀW_V' = W_O'W_O'ᵀ
        assertTrue(Q.transpose().mult(Q).minus(K.transpose().mult(K)).normF() < 1e-12 * Q.normF() * Q.normF());
        assertTrue(V.transpose().mult(V).minus(O.mult(O.transpose())).normF() < 1e-12 * V.normF() * V.normF());
        // the least norm over all factorizations of W_Q W_Kᵀ is 2 ‖W_Q W_Kᵀ‖_* (likewise for W_V W_O)
        least += 2 * nuclear(m(a.WQ()[h], 5, 3).mult(m(a.WK()[h], 5, 3).transpose()))
            + 2 * nuclear(m(a.WV()[h], 5, 2).mult(m(a.WO()[h], 2, 5)));
      }
      assertEquals(least, Balance.normSquared(b), 1e-11 * least);
      assertTrue(Balance.gramMismatch(b) < 1e-12);
      // balancing again changes nothing
      Attention c = Balance.balance(b);
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < 15; i++) assertEquals(b.WQ()[h][i], c.WQ()[h][i], 1e-12);
      }
    }
  }

  @Test
  void attentionBalanceMatchesThePolarFormulaForM() {
    // M = A^{-1/2} (A^{1/2} B A^{1/2})^{1/4} also satisfies M Mᵀ = P; it differs from the symmetric
    // choice by a rotation, which changes neither the norms nor the Grams' equality (only a rotation of both)
    Attention a = Attention.random(4, 3, 2, 1, 5);
    SimpleMatrix Q = m(a.WQ()[0], 4, 3), K = m(a.WK()[0], 4, 3);
    SimpleMatrix A = Q.transpose().mult(Q), B = K.transpose().mult(K);
    SimpleMatrix Ah = Balance.spdPower(A, 0.5), Aih = Balance.spdPower(A, -0.5);
    SimpleMatrix M2 = Aih.mult(Balance.spdPower(Ah.mult(B).mult(Ah), 0.25));
    SimpleMatrix Q2 = Q.mult(M2), K2 = K.mult(M2.invert().transpose());
    assertTrue(Q2.transpose().mult(Q2).minus(K2.transpose().mult(K2)).normF() < 1e-12);
    Attention b = Balance.balance(a);
    SimpleMatrix Qb = m(b.WQ()[0], 4, 3), Kb = m(b.WK()[0], 4, 3);
    assertEquals(Q2.normF() * Q2.normF() + K2.normF() * K2.normF(), Qb.normF() * Qb.normF() + Kb.normF() * Kb.normF(), 1e-12);
  }

  @Test
  void rankDeficientAttentionHasNoLeastNormPoint() {
    // d_k > d_model: W_Q (2 × 3) has rank 2 < 3, the Gram W_QᵀW_Q is singular
    assertThrows(IllegalArgumentException.class, () -> Balance.balance(Attention.random(2, 3, 1, 1, 1)));
  }

  static double[] rowMajor(SimpleMatrix x) {
    double[] out = new double[x.getNumRows() * x.getNumCols()];
    for (int i = 0; i < x.getNumRows(); i++) for (int j = 0; j < x.getNumCols(); j++) out[i * x.getNumCols() + j] = x.get(i, j);
    return out;
  }
}
