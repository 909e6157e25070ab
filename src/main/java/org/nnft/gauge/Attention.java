package org.nnft.gauge;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Multi-head self-attention without biases, as a function of a sequence {@code X} ({@code seq ×
 * dModel}, one token per row):
 *
 * <pre>  Y = Σ_h softmax(X W_Q[h] W_K[h]ᵀ Xᵀ / √d_k) X W_V[h] W_O[h]</pre>
 *
 * with the softmax taken over each row. Per head {@code W_Q[h], W_K[h]} are {@code dModel × dK},
 * {@code W_V[h]} is {@code dModel × dV} and {@code W_O[h]} is {@code dV × dModel}, all stored
 * row-major as flat arrays ({@code WQ[h][e * dK + a]} is row {@code e}, column {@code a}). The arrays
 * are used as given, not copied.
 *
 * <p>Parameter order (for {@link #parameters()}, {@link #withParameters} and the columns of
 * {@link #jacobian}): head by head, {@code W_Q[h], W_K[h], W_V[h], W_O[h]}, each row-major.
 */
public record Attention(int dModel, int dK, int dV, int heads, double[][] WQ, double[][] WK, double[][] WV,
    double[][] WO) {

  public Attention {
    if (dModel < 1 || dK < 1 || dV < 1 || heads < 1) {
      throw new IllegalArgumentException("attention sizes must be positive: d_model = " + dModel + ", d_k = " + dK
          + ", d_v = " + dV + ", heads = " + heads);
    }
    check("W_Q", WQ, heads, dModel * dK);
    check("W_K", WK, heads, dModel * dK);
    check("W_V", WV, heads, dModel * dV);
    check("W_O", WO, heads, dV * dModel);
  }

  private static void check(String name, double[][] w, int heads, int size) {
    if (w == null || w.length != heads) {
      throw new IllegalArgumentException(name + " must have one matrix per head (" + heads + "), got " + (w == null ? 0 : w.length));
    }
    for (int h = 0; h < heads; h++) {
      if (w[h] == null || w[h].length != size) {
        throw new IllegalArgumentException(name + "[" + h + "] must have " + size + " entries, got " + (w[h] == null ? 0 : w[h].length));
      }
    }
  }

  /** Attention with entries {@code N(0, 1/fan_in)} ({@code fan_in = dModel} for Q, K, V and {@code dV} for O). */
  public static Attention random(int dModel, int dK, int dV, int heads, long seed) {
    return random(dModel, dK, dV, heads, new SplittableRandom(seed));
  }

  static Attention random(int dModel, int dK, int dV, int heads, SplittableRandom rng) {
    double[][] q = new double[heads][], k = new double[heads][], v = new double[heads][], o = new double[heads][];
    for (int h = 0; h < heads; h++) {
      q[h] = gaussian(rng, dModel * dK, 1 / Math.sqrt(dModel));
      k[h] = gaussian(rng, dModel * dK, 1 / Math.sqrt(dModel));
      v[h] = gaussian(rng, dModel * dV, 1 / Math.sqrt(dModel));
      o[h] = gaussian(rng, dV * dModel, 1 / Math.sqrt(dV));
    }
    return new Attention(dModel, dK, dV, heads, q, k, v, o);
  }

  private static double[] gaussian(SplittableRandom rng, int n, double s) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = s * rng.nextGaussian();
    return a;
  }

  /** Parameters per head: {@code 2 dModel dK + 2 dModel dV}. */
  public int parameterCount() {
    return heads * perHead();
  }

  private int perHead() {
    return 2 * dModel * dK + 2 * dModel * dV;
  }

  /** The parameter vector, head by head {@code W_Q, W_K, W_V, W_O}. */
  public double[] parameters() {
    double[] t = new double[parameterCount()];
    int o = 0;
    for (int h = 0; h < heads; h++) {
      for (double[] w : new double[][] {WQ[h], WK[h], WV[h], WO[h]}) {
        System.arraycopy(w, 0, t, o, w.length);
        o += w.length;
      }
    }
    return t;
  }

  /** The same architecture with the parameter vector {@code theta} (order as {@link #parameters()}). */
  public Attention withParameters(double[] theta) {
    if (theta.length != parameterCount()) {
      throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + theta.length);
    }
    double[][] q = new double[heads][], k = new double[heads][], v = new double[heads][], wo = new double[heads][];
    int o = 0;
    for (int h = 0; h < heads; h++) {
      q[h] = Arrays.copyOfRange(theta, o, o += dModel * dK);
      k[h] = Arrays.copyOfRange(theta, o, o += dModel * dK);
      v[h] = Arrays.copyOfRange(theta, o, o += dModel * dV);
      wo[h] = Arrays.copyOfRange(theta, o, o += dV * dModel);
    }
    return new Attention(dModel, dK, dV, heads, q, k, v, wo);
  }

  /** {@code Y = Σ_h softmax(X W_Q W_Kᵀ Xᵀ / √d_k) X W_V W_O}; {@code X} is {@code seq × dModel}. */
  public double[][] eval(double[][] X) {
    int n = checkSeq(X);
    double[][] Y = new double[n][dModel];
    for (int h = 0; h < heads; h++) {
      Head hd = new Head(this, h, X);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < dModel; c++) {
          double s = 0;
          for (int a = 0; a < dV; a++) s += hd.H[i][a] * WO[h][a * dModel + c];
          Y[i][c] += s;
        }
      }
    }
    return Y;
  }

  private int checkSeq(double[][] X) {
    if (X == null || X.length == 0) throw new IllegalArgumentException("attention needs a non-empty sequence");
    for (double[] x : X) {
      if (x.length != dModel) throw new IllegalArgumentException("every token must have dimension " + dModel + ", got " + x.length);
    }
    return X.length;
  }

  /**
   * The Jacobian of the outputs with respect to all parameters over a batch of sequences: for each
   * sequence {@code s} (in order), each position {@code i} and each output channel {@code c}, one row
   * {@code ∂Y[i][c] / ∂θ} (so sequence {@code s} contributes {@code seq_s · dModel} consecutive rows).
   * Computed analytically (exact up to rounding): with {@code P} the attention matrix, {@code U = X W_V W_O},
   * {@code G_j = P_ij (U_jc − Σ_l P_il U_lc)}:
   * {@code ∂Y_ic/∂W_O[a,c] = (P X W_V)_ia}, {@code ∂Y_ic/∂W_V[e,a] = (P X)_ie W_O[a,c]},
   * {@code ∂Y_ic/∂W_Q[e,a] = x_ie Σ_j G_j K_ja / √d_k}, {@code ∂Y_ic/∂W_K[e,a] = Q_ia Σ_j G_j x_je / √d_k}.
   */
  public double[][] jacobian(double[][][] Xs) {
    int rowsTotal = 0;
    for (double[][] X : Xs) rowsTotal += checkSeq(X) * dModel;
    double[][] J = new double[rowsTotal][parameterCount()];
    int r = 0;
    for (double[][] X : Xs) {
      double[][] rows = new double[X.length * dModel][];
      for (int k = 0; k < rows.length; k++) rows[k] = J[r + k];
      jacobianRows(X, rows);
      r += rows.length;
    }
    return J;
  }

  /** Fills {@code rows[i * dModel + c]} (zero on entry, length {@link #parameterCount()}) with {@code ∂Y_ic/∂θ}. */
  void jacobianRows(double[][] X, double[][] rows) {
    int n = checkSeq(X);
    double invSqrt = 1 / Math.sqrt(dK);
    double[] G = new double[n];
    double[] gk = new double[dK];
    double[] gx = new double[dModel];
    for (int h = 0; h < heads; h++) {
      Head hd = new Head(this, h, X);
      int offQ = h * perHead();
      int offK = offQ + dModel * dK;
      int offV = offK + dModel * dK;
      int offO = offV + dModel * dV;
      double[] wo = WO[h];
      // U = V W_O (n × dModel)
      double[][] U = new double[n][dModel];
      for (int j = 0; j < n; j++) {
        for (int c = 0; c < dModel; c++) {
          double s = 0;
          for (int a = 0; a < dV; a++) s += hd.V[j][a] * wo[a * dModel + c];
          U[j][c] = s;
        }
      }
      for (int i = 0; i < n; i++) {
        double[] p = hd.P[i];
        for (int c = 0; c < dModel; c++) {
          double[] row = rows[i * dModel + c];
          // W_O
          for (int a = 0; a < dV; a++) row[offO + a * dModel + c] = hd.H[i][a];
          // W_V
          for (int e = 0; e < dModel; e++) {
            double px = hd.PX[i][e];
            int base = offV + e * dV;
            for (int a = 0; a < dV; a++) row[base + a] = px * wo[a * dModel + c];
          }
          // W_Q and W_K through the logits
          double ubar = 0;
          for (int l = 0; l < n; l++) ubar += p[l] * U[l][c];
          for (int j = 0; j < n; j++) G[j] = p[j] * (U[j][c] - ubar);
          Arrays.fill(gk, 0);
          Arrays.fill(gx, 0);
          for (int j = 0; j < n; j++) {
            double g = G[j];
            for (int a = 0; a < dK; a++) gk[a] += g * hd.K[j][a];
            for (int e = 0; e < dModel; e++) gx[e] += g * X[j][e];
          }
          double[] xi = X[i];
          for (int e = 0; e < dModel; e++) {
            int bq = offQ + e * dK, bk = offK + e * dK;
            for (int a = 0; a < dK; a++) {
              row[bq + a] = xi[e] * gk[a] * invSqrt;
              row[bk + a] = gx[e] * hd.Q[i][a] * invSqrt;
            }
          }
        }
      }
    }
  }

  /** The intermediate quantities of one head on one sequence. */
  private static final class Head {
    final double[][] Q, K, V, P, H, PX;

    Head(Attention at, int h, double[][] X) {
      int n = X.length, d = at.dModel, dk = at.dK, dv = at.dV;
      Q = mul(X, at.WQ[h], d, dk);
      K = mul(X, at.WK[h], d, dk);
      V = mul(X, at.WV[h], d, dv);
      double invSqrt = 1 / Math.sqrt(dk);
      P = new double[n][n];
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int a = 0; a < dk; a++) s += Q[i][a] * K[j][a];
          P[i][j] = s * invSqrt;
          max = Math.max(max, P[i][j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) z += (P[i][j] = Math.exp(P[i][j] - max));
        for (int j = 0; j < n; j++) P[i][j] /= z;
      }
      H = new double[n][dv];
      PX = new double[n][d];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double p = P[i][j];
          for (int a = 0; a < dv; a++) H[i][a] += p * V[j][a];
          for (int e = 0; e < d; e++) PX[i][e] += p * X[j][e];
        }
      }
    }

    private static double[][] mul(double[][] X, double[] w, int rows, int cols) {
      double[][] out = new double[X.length][cols];
      for (int i = 0; i < X.length; i++) {
        for (int e = 0; e < rows; e++) {
          double x = X[i][e];
          int base = e * cols;
          for (int a = 0; a < cols; a++) out[i][a] += x * w[base + a];
        }
      }
      return out;
    }
  }

  @Override
  public String toString() {
    return "Attention(d_model = " + dModel + ", d_k = " + dK + ", d_v = " + dV + ", heads = " + heads + ", "
        + parameterCount() + " parameters)";
  }
}
