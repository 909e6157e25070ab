package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/** Multi-head self-attention: evaluation against a matrix formula, the Jacobian against finite differences. */
class AttentionTest {

  @Test
  void parameterCount() {
    assertEquals(2 * 4 * 3 + 2 * 4 * 2, Attention.random(4, 3, 2, 1, 1).parameterCount());
    assertEquals(2 * (2 * 4 * 3 + 2 * 4 * 2), Attention.random(4, 3, 2, 2, 1).parameterCount());
  }

  @Test
  void evalMatchesTheMatrixFormula() {
    SplittableRandom rng = new SplittableRandom(4);
    Attention a = Attention.random(4, 3, 2, 2, 9);
    double[][] X = gaussian(rng, 5, 4, 1);
    SimpleMatrix Xm = new SimpleMatrix(X);
    SimpleMatrix Y = new SimpleMatrix(5, 4);
    for (int h = 0; h < 2; h++) {
      SimpleMatrix Q = new SimpleMatrix(4, 3, true, a.WQ()[h]), K = new SimpleMatrix(4, 3, true, a.WK()[h]);
      SimpleMatrix V = new SimpleMatrix(4, 2, true, a.WV()[h]), O = new SimpleMatrix(2, 4, true, a.WO()[h]);
      SimpleMatrix S = Xm.mult(Q).mult(K.transpose()).mult(Xm.transpose()).scale(1 / Math.sqrt(3));
      SimpleMatrix P = new SimpleMatrix(5, 5);
      for (int i = 0; i < 5; i++) {
        double z = 0;
        for (int j = 0; j < 5; j++) z += Math.exp(S.get(i, j));
        for (int j = 0; j < 5; j++) P.set(i, j, Math.exp(S.get(i, j)) / z);
      }
      Y = Y.plus(P.mult(Xm).mult(V).mult(O));
    }
    double[][] y = a.eval(X);
    for (int i = 0; i < 5; i++) for (int c = 0; c < 4; c++) assertEquals(Y.get(i, c), y[i][c], 1e-13);
  }

  @Test
  void permutingTheSequencePermutesTheOutput() {
    Attention a = Attention.random(3, 2, 2, 1, 2);
    double[][] X = gaussian(new SplittableRandom(1), 4, 3, 1);
    double[][] Xp = {X[2], X[0], X[3], X[1]};
    double[][] y = a.eval(X), yp = a.eval(Xp);
    assertArrayEquals(y[2], yp[0], 1e-14);
    assertArrayEquals(y[1], yp[3], 1e-14);
  }

  @Test
  void jacobianMatchesCentralDifferences() {
    SplittableRandom rng = new SplittableRandom(8);
    for (int heads = 1; heads <= 2; heads++) {
      Attention a = Attention.random(4, 3, 2, heads, rng.nextLong());
      double[][][] Xs = {gaussian(rng, 3, 4, 1), gaussian(rng, 5, 4, 2), gaussian(rng, 1, 4, 1)};
      double[][] J = a.jacobian(Xs);
      assertEquals((3 + 5 + 1) * 4, J.length);
      double[] t = a.parameters();
      double h = 1e-6, worst = 0;
      for (int k = 0; k < t.length; k++) {
        double[] tp = t.clone(), tm = t.clone();
        tp[k] += h;
        tm[k] -= h;
        Attention ap = a.withParameters(tp), am = a.withParameters(tm);
        int r = 0;
        for (double[][] X : Xs) {
          double[][] yp = ap.eval(X), ym = am.eval(X);
          for (int i = 0; i < X.length; i++) {
            for (int c = 0; c < 4; c++, r++) worst = Math.max(worst, Math.abs(J[r][k] - (yp[i][c] - ym[i][c]) / (2 * h)));
          }
        }
      }
      assertTrue(worst < 1e-8, "heads=" + heads + ": worst deviation " + worst);
    }
  }

  @Test
  void rejectsBadShapes() {
    assertThrows(IllegalArgumentException.class,
        () -> new Attention(4, 3, 2, 1, new double[][] {new double[12]}, new double[][] {new double[11]},
            new double[][] {new double[8]}, new double[][] {new double[8]}));
    assertThrows(IllegalArgumentException.class, () -> Attention.random(4, 3, 2, 1, 1).eval(new double[][] {{1, 2, 3}}));
  }

  static double[][] gaussian(SplittableRandom rng, int n, int d, double s) {
    double[][] X = new double[n][d];
    for (double[] x : X) for (int i = 0; i < d; i++) x[i] = s * rng.nextGaussian();
    return X;
  }
}
