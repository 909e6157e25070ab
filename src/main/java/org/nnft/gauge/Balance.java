package org.nnft.gauge;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.simple.SimpleMatrix;

/**
 * Gauge fixing by L2 regularisation: the least-norm point of a gauge orbit (SCIENCE.md, "Gauge
 * symmetries of networks").
 *
 * <h2>Feed-forward nets: the rescaling orbit</h2>
 * For a positively homogeneous activation ({@code relu}, {@code leaky_relu}, {@code abs},
 * {@code identity}: {@code φ(a z) = a φ(z)} for {@code a > 0}) every hidden unit {@code i} of layer
 * {@code l} can be rescaled, {@code W_l[i,:] → a W_l[i,:]}, {@code b_l[i] → a b_l[i]},
 * {@code W_{l+1}[:,i] → W_{l+1}[:,i] / a}, without changing the function. With the incoming norm
 * {@code in_i = ‖(W_l[i,:], b_l[i])‖} and the outgoing norm {@code out_i = ‖W_{l+1}[:,i]‖}, the
 * squared norm contributed by the unit is {@code a² in_i² + out_i² / a²}, least at
 * {@code a = sqrt(out_i / in_i)}, where {@code in_i = out_i = sqrt(in_i out_i)} (balanced). With one
 * hidden layer this is the closed form; with several, the units of one layer are independent given
 * the others, and {@link #balance(FeedForward)} sweeps the layers (block coordinate descent) until
 * every unit is balanced to {@link #BALANCE_TOL}. In log-scales the objective is a sum of exponentials
 * of linear functions — convex — so the sweeps converge to the global least-norm point of the
 * orbit. (For {@code identity} only the diagonal rescalings are used, not all of GL(n).)
 *
 * <h2>Attention: the balanced-Gram representative</h2>
 * Per head, {@code W_Q → W_Q M}, {@code W_K → W_K M⁻ᵀ}. With {@code A = W_QᵀW_Q}, {@code B = W_KᵀW_K}:
 * {@code ‖W_Q M‖² + ‖W_K M⁻ᵀ‖² = tr(A P) + tr(B P⁻¹)} with {@code P = M Mᵀ}, convex in {@code P},
 * stationary where {@code P A P = B}, i.e. at the matrix geometric mean
 * <pre>  P = A^{-1/2} (A^{1/2} B A^{1/2})^{1/2} A^{-1/2}.</pre>
 * Any {@code M} with {@code M Mᵀ = P} balances the Grams ({@code Mᵀ A M = M⁻¹ B M⁻ᵀ}, since
 * {@code M⁻¹ B M⁻ᵀ = M⁻¹ P A P M⁻ᵀ = Mᵀ A M}); the remaining freedom {@code M → M O}, {@code O}
 * orthogonal, rotates both factors and keeps the norm. We take the symmetric {@code M = P^{1/2}} (the
 * transformation without rotation). The least norm is {@code 2 tr((A^{1/2}BA^{1/2})^{1/2}) =
 * 2 ‖W_Q W_Kᵀ‖_*} (nuclear norm), the least over all factorizations of {@code W_Q W_Kᵀ}. Likewise
 * {@code W_V → W_V N}, {@code W_O → N⁻¹ W_O} with {@code A = W_VᵀW_V}, {@code B = W_O W_Oᵀ},
 * {@code N = P(A, B)^{1/2}}, giving {@code W_V'ᵀW_V' = W_O' W_O'ᵀ}. This needs {@code W_Q, W_K, W_V}
 * of full column rank and {@code W_O} of full row rank (so {@code d_k, d_v ≤ d_model}); otherwise
 * the least norm is approached but not attained and an {@link IllegalArgumentException} is thrown.
 */
public final class Balance {
  /**
   * Relative imbalance {@code |in_i − out_i| / max(in_i, out_i)} at which the sweeps stop (they also
   * stop when a sweep changes no scale by more than rounding).
   */
  public static final double BALANCE_TOL = 1e-14;
  /** Upper bound on the layer sweeps. */
  public static final int MAX_SWEEPS = 100_000;

  private Balance() {}

  /**
   * The least-norm point of the rescaling orbit of {@code net} (a net with a positively homogeneous
   * activation); the function is unchanged up to rounding. Units with zero incoming or zero outgoing
   * weights cannot be balanced (their orbit has no least-norm point) and are left as they are.
   */
  public static FeedForward balance(FeedForward net) {
    if (!GaugeActivation.positivelyHomogeneous(net.act())) {
      throw new IllegalArgumentException("balance needs a positively homogeneous activation (relu, leaky_relu, abs,"
          + " identity): with " + net.act() + " the unit rescalings are not symmetries");
    }
    int L = net.layers();
    int[] w = net.widths();
    double[][] W = new double[L][];
    double[][] b = net.b() == null ? null : new double[L][];
    for (int l = 0; l < L; l++) {
      W[l] = net.W()[l].clone();
      if (net.hasBias(l)) b[l] = net.b()[l].clone();
    }
    FeedForward out = new FeedForward(w.clone(), net.act(), W, b);
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean forward = sweep % 2 == 0;
      double change = 0;
      for (int k = 0; k < L - 1; k++) change = Math.max(change, balanceLayer(out, forward ? k : L - 2 - k));
      // stop when balanced, or when a sweep changes nothing beyond rounding
      if (imbalance(out) <= BALANCE_TOL || change <= 4 * Math.ulp(1.0)) break;
    }
    return out;
  }

  /** Balances every unit of hidden layer {@code l} exactly, in place; returns the largest {@code |a − 1|}. */
  private static double balanceLayer(FeedForward net, int l) {
    int[] w = net.widths();
    int n = w[l + 1], m = w[l], k = w[l + 2];
    double[] Win = net.W()[l], Wout = net.W()[l + 1];
    double[] bias = net.hasBias(l) ? net.b()[l] : null;
    double change = 0;
    for (int i = 0; i < n; i++) {
      double in2 = incoming2(Win, bias, i, m), out2 = outgoing2(Wout, i, n, k);
      if (!(in2 > 0) || !(out2 > 0)) continue;
      double a = Math.sqrt(Math.sqrt(out2) / Math.sqrt(in2));
      change = Math.max(change, Math.abs(a - 1));
      if (a == 1) continue;
      for (int j = 0; j < m; j++) Win[i * m + j] *= a;
      if (bias != null) bias[i] *= a;
      for (int r = 0; r < k; r++) Wout[r * n + i] /= a;
    }
    return change;
  }

  private static double incoming2(double[] Win, double[] bias, int i, int m) {
    double s = bias == null ? 0 : bias[i] * bias[i];
    for (int j = 0; j < m; j++) s += Win[i * m + j] * Win[i * m + j];
    return s;
  }

  private static double outgoing2(double[] Wout, int i, int n, int k) {
    double s = 0;
    for (int r = 0; r < k; r++) s += Wout[r * n + i] * Wout[r * n + i];
    return s;
  }

  /** {@code ‖(W_l[i,:], b_l[i])‖} for every hidden unit ({@code [hidden layer][unit]}). */
  public static double[][] incomingNorms(FeedForward net) {
    int[] w = net.widths();
    double[][] r = new double[net.layers() - 1][];
    for (int l = 0; l < r.length; l++) {
      r[l] = new double[w[l + 1]];
      for (int i = 0; i < w[l + 1]; i++) {
        r[l][i] = Math.sqrt(incoming2(net.W()[l], net.hasBias(l) ? net.b()[l] : null, i, w[l]));
      }
    }
    return r;
  }

  /** {@code ‖W_{l+1}[:,i]‖} for every hidden unit ({@code [hidden layer][unit]}). */
  public static double[][] outgoingNorms(FeedForward net) {
    int[] w = net.widths();
    double[][] r = new double[net.layers() - 1][];
    for (int l = 0; l < r.length; l++) {
      r[l] = new double[w[l + 1]];
      for (int i = 0; i < w[l + 1]; i++) r[l][i] = Math.sqrt(outgoing2(net.W()[l + 1], i, w[l + 1], w[l + 2]));
    }
    return r;
  }

  /** The largest relative imbalance {@code |in_i − out_i| / max(in_i, out_i)} over units that can be balanced. */
  public static double imbalance(FeedForward net) {
    double[][] in = incomingNorms(net), out = outgoingNorms(net);
    double worst = 0;
    for (int l = 0; l < in.length; l++) {
      for (int i = 0; i < in[l].length; i++) {
        if (in[l][i] > 0 && out[l][i] > 0) {
          worst = Math.max(worst, Math.abs(in[l][i] - out[l][i]) / Math.max(in[l][i], out[l][i]));
        }
      }
    }
    return worst;
  }

  /** The total squared norm of all parameters. */
  public static double normSquared(FeedForward net) {
    double s = 0;
    for (double v : net.parameters()) s += v * v;
    return s;
  }

  /** The total squared norm of all parameters. */
  public static double normSquared(Attention net) {
    double s = 0;
    for (double v : net.parameters()) s += v * v;
    return s;
  }

  // ---------------------------------------------------------------- attention

  /** The balanced-Gram representative of the gauge orbit of {@code a}; the output is unchanged up to rounding. */
  public static Attention balance(Attention a) {
    int d = a.dModel(), dk = a.dK(), dv = a.dV(), H = a.heads();
    double[][] q = new double[H][], k = new double[H][], v = new double[H][], o = new double[H][];
    for (int h = 0; h < H; h++) {
      SimpleMatrix WQ = new SimpleMatrix(d, dk, true, a.WQ()[h]);
      SimpleMatrix WK = new SimpleMatrix(d, dk, true, a.WK()[h]);
      SimpleMatrix WV = new SimpleMatrix(d, dv, true, a.WV()[h]);
      SimpleMatrix WO = new SimpleMatrix(dv, d, true, a.WO()[h]);
      SimpleMatrix M = balancingTransform(WQ.transpose().mult(WQ), WK.transpose().mult(WK), "W_Q", "W_K", h);
      SimpleMatrix Mi = M.invert();
      SimpleMatrix N = balancingTransform(WV.transpose().mult(WV), WO.mult(WO.transpose()), "W_V", "W_O", h);
      SimpleMatrix Ni = N.invert();
      q[h] = rowMajor(WQ.mult(M));
      k[h] = rowMajor(WK.mult(Mi.transpose()));
      v[h] = rowMajor(WV.mult(N));
      o[h] = rowMajor(Ni.mult(WO));
    }
    return new Attention(d, dk, dv, H, q, k, v, o);
  }

  /**
   * The symmetric positive-definite {@code M = P^{1/2}}, {@code P = A^{-1/2}(A^{1/2} B A^{1/2})^{1/2}A^{-1/2}},
   * for which {@code Mᵀ A M = M⁻¹ B M⁻ᵀ}.
   */
  static SimpleMatrix balancingTransform(SimpleMatrix A, SimpleMatrix B, String an, String bn, int head) {
    requirePositiveDefinite(A, an, head);
    requirePositiveDefinite(B, bn, head);
    SimpleMatrix Ah = spdPower(A, 0.5), Aih = spdPower(A, -0.5);
    SimpleMatrix C = spdPower(Ah.mult(B).mult(Ah), 0.5);
    SimpleMatrix P = Aih.mult(C).mult(Aih);
    return spdPower(P, 0.5);
  }

  private static void requirePositiveDefinite(SimpleMatrix G, String name, int head) {
    double[] lam = eigenvalues(G);
    double max = 0, min = Double.POSITIVE_INFINITY;
    for (double x : lam) {
      max = Math.max(max, x);
      min = Math.min(min, x);
    }
    if (!(max > 0) || !(min > 1e-13 * max)) {
      throw new IllegalArgumentException("head " + head + ": the Gram matrix of " + name + " is singular (rank-deficient "
          + name + "): the orbit has no least-norm point (the infimum is approached, not attained)");
    }
  }

  private static double[] eigenvalues(SimpleMatrix S) {
    int n = S.getNumRows();
    DMatrixRMaj sym = symmetrized(S);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
    if (!eig.decompose(sym)) throw new ArithmeticException("symmetric eigen-decomposition failed");
    double[] lam = new double[n];
    for (int i = 0; i < n; i++) lam[i] = eig.getEigenvalue(i).getReal();
    return lam;
  }

  /** {@code S^p} of a symmetric positive-definite matrix, from its eigen-decomposition. */
  static SimpleMatrix spdPower(SimpleMatrix S, double p) {
    int n = S.getNumRows();
    DMatrixRMaj sym = symmetrized(S);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(sym)) throw new ArithmeticException("symmetric eigen-decomposition failed");
    SimpleMatrix out = new SimpleMatrix(n, n);
    for (int i = 0; i < n; i++) {
      double lam = eig.getEigenvalue(i).getReal();
      if (!(lam > 0)) throw new ArithmeticException("matrix is not positive definite (eigenvalue " + lam + ")");
      SimpleMatrix vec = SimpleMatrix.wrap(eig.getEigenVector(i));
      out = out.plus(vec.mult(vec.transpose()).scale(Math.pow(lam, p)));
    }
    return out;
  }

  private static DMatrixRMaj symmetrized(SimpleMatrix S) {
    int n = S.getNumRows();
    DMatrixRMaj m = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m.set(i, j, 0.5 * (S.get(i, j) + S.get(j, i)));
    return m;
  }

  private static double[] rowMajor(SimpleMatrix m) {
    double[] out = new double[m.getNumRows() * m.getNumCols()];
    for (int i = 0; i < m.getNumRows(); i++) for (int j = 0; j < m.getNumCols(); j++) out[i * m.getNumCols() + j] = m.get(i, j);
    return out;
  }

  /**
   * The largest relative mismatch of the Gram matrices, {@code ‖W_QᵀW_Q − W_KᵀW_K‖_F / ‖W_QᵀW_Q‖_F}
   * and {@code ‖W_VᵀW_V − W_O W_Oᵀ‖_F / ‖W_VᵀW_V‖_F}, over heads (0 for a balanced net).
   */
  public static double gramMismatch(Attention a) {
    int d = a.dModel(), dk = a.dK(), dv = a.dV();
    double worst = 0;
    for (int h = 0; h < a.heads(); h++) {
      SimpleMatrix WQ = new SimpleMatrix(d, dk, true, a.WQ()[h]);
      SimpleMatrix WK = new SimpleMatrix(d, dk, true, a.WK()[h]);
      SimpleMatrix WV = new SimpleMatrix(d, dv, true, a.WV()[h]);
      SimpleMatrix WO = new SimpleMatrix(dv, d, true, a.WO()[h]);
      SimpleMatrix gq = WQ.transpose().mult(WQ), gk = WK.transpose().mult(WK);
      SimpleMatrix gv = WV.transpose().mult(WV), go = WO.mult(WO.transpose());
      worst = Math.max(worst, gq.minus(gk).normF() / gq.normF());
      worst = Math.max(worst, gv.minus(go).normF() / gv.normF());
    }
    return worst;
  }
}
