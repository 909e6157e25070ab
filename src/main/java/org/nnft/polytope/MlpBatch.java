package org.nnft.polytope;

import java.util.ArrayList;
import java.util.List;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * The mean squared error of fit and its gradient for a net whose tape is a layered perceptron —
 * {@code W1 @ x (+ b1)}, an element-wise activation, ..., and last {@code dot(v, h) (+ c)} or
 * {@code V @ h (+ c)} with one output — over the whole batch of data points at once, layer by
 * layer, instead of point by point through the generic reverse sweep ({@link
 * org.nnft.numeric.Reverse}).
 *
 * <p>The arithmetic is that of the generic path, operation for operation: the forward values of
 * {@link org.nnft.numeric.Forward.Mode#SCALAR} (matrix-vector sums from 0 in column order, then
 * the bias), the loss summed in point order, and every parameter's gradient summed over the
 * points in point order from the same products — so the loss and the gradient are the same bits.
 * The only difference is that the generic sweep skips the products of a zero adjoint, which add
 * ±0 (nothing) while everything is finite; when the loss or the gradient comes out non-finite the
 * caller recomputes both on the generic path ({@link Fit.Objective}).
 *
 * <p>Layout: one array per unit, the points of a block of points contiguous, so that the
 * element-wise loops vectorise; the gradient sums over points run four or more independent sums
 * per pass. Buffers are allocated once; nothing is allocated per evaluation. One thread.
 */
final class MlpBatch {
  /** Points per block: the block's arrays of all layers stay in cache. */
  private static final int BLOCK_VALUES = 8192;

  private final int layers;           // dense layers, the last one the output
  private final int[] width;          // width[0] the input dimension, width[l] the units of layer l (1 for the last)
  private final int[] wOff, bOff;     // offsets in θ of W_l (row-major width[l] × width[l-1]) and b_l (-1: none)
  private final Elementwise[] act;    // act[l] for the hidden layers 1 .. layers-1
  private final int points, block, blocks;
  private final double[][][] xb;      // xb[block][j][i]: input coordinate j of the block's point i
  private final double[][] yb;        // the targets, by block
  private final double[][][] z, a, g; // per layer l ≥ 1: pre-activations, activations, adjoints (of a, then of z)
  private final double[] out, seed, ones;
  private final int[] blockLen;
  private final double[][] top;
  /** The output is dot(v, h), summed from 0 even over one term (V @ h with one column is the product alone). */
  private final boolean outputIsDot;

  private MlpBatch(int[] width, int[] wOff, int[] bOff, Elementwise[] act, boolean outputIsDot, double[] xs, double[] y, int points) {
    this.layers = width.length - 1;
    this.outputIsDot = outputIsDot;
    this.width = width;
    this.wOff = wOff;
    this.bOff = bOff;
    this.act = act;
    this.points = points;
    int widest = 1;
    for (int w : width) widest = Math.max(widest, w);
    block = Math.max(1, Math.min(points, BLOCK_VALUES / widest));
    blocks = (points + block - 1) / block;
    int d = width[0];
    xb = new double[blocks][d][];
    yb = new double[blocks][];
    blockLen = new int[blocks];
    for (int b = 0; b < blocks; b++) {
      int p0 = b * block, n = Math.min(block, points - p0);
      blockLen[b] = n;
      for (int j = 0; j < d; j++) {
        double[] c = new double[block];
        for (int i = 0; i < n; i++) c[i] = xs[(p0 + i) * d + j];
        xb[b][j] = c;
      }
      yb[b] = new double[block];
      System.arraycopy(y, p0, yb[b], 0, n);
    }
    z = new double[layers + 1][][];
    a = new double[layers + 1][][];
    g = new double[layers + 1][][];
    for (int l = 1; l < layers; l++) {
      z[l] = new double[width[l]][block];
      a[l] = new double[width[l]][block];
      g[l] = new double[width[l]][block];
    }
    out = new double[block];
    seed = new double[block];
    ones = new double[block];
    java.util.Arrays.fill(ones, 1.0);
    top = new double[][] {out};
  }

  /**
   * The batched evaluator of a tape that is a layered perceptron with one output, for the points
   * xs (point after point) and targets y; null when the tape has any other form.
   */
  static MlpBatch of(Tape tape, double[] xs, double[] y, int points) {
    int[][] shape = structure(tape);
    if (shape == null) return null;
    Elementwise[] act = new Elementwise[shape[0].length];
    for (int l = 1; l < act.length - 1; l++) act[l] = Elementwise.values()[shape[3][l]];
    return new MlpBatch(shape[0], shape[1], shape[2], act, shape[4][0] == 1, xs, y, points);
  }

  /** Whether the tape has the form this evaluator runs. */
  static boolean fits(Tape tape) { return structure(tape) != null; }

  /**
   * {width, W offsets, b offsets, activation ordinals, {1 when the output is a dot product}} of a
   * layered perceptron, or null. Every node
   * of the tape must belong to the chain and every intermediate be read once, so that the tape's
   * gradient is exactly the chain's.
   */
  private static int[][] structure(Tape tape) {
    int n = tape.nodes.size();
    if (tape.input < 0 || tape.outputSize() != 1) return null;
    Node in = tape.node(tape.input);
    if (in.shape.length != 1) return null;
    int[] uses = new int[n];
    for (Node nd : tape.nodes) for (int i : nd.in) uses[i]++;
    boolean[] seen = new boolean[n];
    List<int[]> rev = new ArrayList<>(); // {W node, b node or -1, act ordinal or -1, rows, cols}, output layer first
    int node = tape.output;
    seen[node] = true;
    // the output layer: dot(v, h) or V @ h with one row, then an optional scalar bias
    int bias = -1;
    Node nd = tape.node(node);
    if (nd.kind == Kind.BINARY) {
      int[] pb = biasOf(tape, nd);
      if (pb == null) return null;
      bias = pb[1];
      node = pb[0];
      if (!single(uses, node)) return null;
      seen[bias] = true;
      seen[node] = true;
      nd = tape.node(node);
    }
    int w, h;
    boolean outputIsDot = nd.kind == Kind.DOT;
    if (nd.kind == Kind.DOT) {
      int p = nd.in[0], q = nd.in[1];
      if (isParam(tape, p) && !isParam(tape, q)) { w = p; h = q; }
      else if (isParam(tape, q) && !isParam(tape, p)) { w = q; h = p; }
      else return null;
      if (tape.node(w).shape.length != 1) return null;
    } else if (nd.kind == Kind.MATVEC) {
      w = nd.in[0];
      h = nd.in[1];
      if (!isParam(tape, w) || tape.node(w).shape.length != 2 || tape.node(w).shape[0] != 1) return null;
    } else return null;
    if (bias >= 0 && tape.node(bias).size != 1) return null;
    int cols = tape.node(h).size;
    if (tape.node(w).size != cols || tape.node(h).shape.length != 1) return null;
    seen[w] = true;
    rev.add(new int[] {w, bias, -1, 1, cols});
    // hidden layers: act(W @ h (+ b)), down to the input
    while (h != tape.input) {
      if (!single(uses, h)) return null;
      Node u = tape.node(h);
      if (u.kind != Kind.UNARY) return null;
      seen[h] = true;
      int pre = u.in[0];
      if (!single(uses, pre)) return null;
      seen[pre] = true;
      Node pn = tape.node(pre);
      int b = -1;
      if (pn.kind == Kind.BINARY) {
        int[] pb = biasOf(tape, pn);
        if (pb == null) return null;
        b = pb[1];
        pre = pb[0];
        if (!single(uses, pre)) return null;
        seen[b] = true;
        seen[pre] = true;
        pn = tape.node(pre);
      }
      if (pn.kind != Kind.MATVEC || !isParam(tape, pn.in[0])) return null;
      Node wn = tape.node(pn.in[0]);
      int next = pn.in[1];
      Node hn = tape.node(next);
      if (wn.shape.length != 2 || hn.shape.length != 1 || wn.shape[1] != hn.size || wn.shape[0] != u.size || pn.size != u.size) return null;
      if (b >= 0 && tape.node(b).size != u.size) return null;
      seen[pn.in[0]] = true;
      rev.add(new int[] {pn.in[0], b, u.fn.ordinal(), u.size, hn.size});
      h = next;
    }
    seen[tape.input] = true;
    for (int i = 0; i < n; i++) if (!seen[i]) return null;
    // each parameter once (a parameter read twice would be seen once but used twice)
    for (int i = 0; i < n; i++) if (tape.node(i).kind == Kind.PARAM && uses[i] != 1) return null;
    int layers = rev.size();
    int[] width = new int[layers + 1], wo = new int[layers + 1], bo = new int[layers + 1], act = new int[layers + 1];
    width[0] = in.size;
    for (int l = 1; l <= layers; l++) {
      int[] r = rev.get(layers - l);
      if (r[4] != width[l - 1]) return null;
      width[l] = r[3];
      wo[l] = offset(tape, r[0]);
      bo[l] = r[1] < 0 ? -1 : offset(tape, r[1]);
      act[l] = r[2];
    }
    return new int[][] {width, wo, bo, act, {outputIsDot ? 1 : 0}};
  }

  private static boolean single(int[] uses, int node) { return uses[node] == 1; }

  private static boolean isParam(Tape tape, int node) { return tape.node(node).kind == Kind.PARAM; }

  private static int offset(Tape tape, int paramNode) { return tape.parameterOffset(tape.node(paramNode).index); }

  /** {other operand, bias parameter} of x + b or b + x with b a parameter of x's shape, else null. */
  private static int[] biasOf(Tape tape, Node nd) {
    if (nd.kind != Kind.BINARY || nd.op != Tape.BinOp.ADD || nd.mode != Tape.Broadcast.SAME) return null;
    int p = nd.in[0], q = nd.in[1];
    if (isParam(tape, q) && !isParam(tape, p)) return new int[] {p, q};
    if (isParam(tape, p) && !isParam(tape, q)) return new int[] {q, p};
    return null;
  }

  /**
   * The mean squared error of the net with parameters θ (tape order) against the targets, its
   * gradient in θ written into grad (overwritten).
   */
  double value(double[] theta, double[] grad) {
    java.util.Arrays.fill(grad, 0, theta.length, 0.0);
    double loss = 0;
    int L = layers;
    for (int b = 0; b < blocks; b++) {
      int n = blockLen[b];
      double[][] x = xb[b];
      // forward
      double[][] prev = x;
      for (int l = 1; l < L; l++) {
        dense(theta, l, prev, z[l], n);
        activate(act[l], z[l], a[l], n);
        prev = a[l];
      }
      dense(theta, L, prev, top, n);
      // the loss in point order, and its derivative in the outputs
      double[] yv = yb[b], s = seed;
      for (int i = 0; i < n; i++) {
        double r = out[i] - yv[i];
        loss += r * r;
        s[i] = 2 * r / points;
      }
      // backward: the output layer, then the hidden layers down to the first
      double[] gz = s;
      for (int l = L; l >= 1; l--) {
        double[][] below = l == 1 ? x : a[l - 1];
        int rows = width[l], cols = width[l - 1];
        if (l < L) {
          derivative(act[l], z[l], a[l], g[l], n);
        }
        for (int r = 0; r < rows; r++) {
          double[] gr = l == L ? gz : g[l][r];
          sums(gr, below, cols, bOff[l] >= 0, grad, wOff[l] + r * cols, bOff[l] + r, n);
        }
        if (l > 1) {
          // the adjoint of the activations below: Σ_r gz_r W_rj, summed over rows in order
          double[][] ga = g[l - 1];
          int wo = wOff[l];
          for (int j = 0; j < cols; j++) {
            double[] t = ga[j];
            java.util.Arrays.fill(t, 0, n, 0.0);
            for (int r = 0; r < rows; r++) {
              double wv = theta[wo + r * cols + j];
              double[] gr = l == L ? gz : g[l][r];
              for (int i = 0; i < n; i++) t[i] += gr[i] * wv;
            }
          }
        }
      }
    }
    return loss / points;
  }

  /** The values z_r = W_r · h (+ b_r) of layer l at the block's points, as the generic path sums them. */
  private void dense(double[] theta, int l, double[][] h, double[][] zl, int n) {
    int rows = width[l], cols = width[l - 1], wo = wOff[l], bo = bOff[l];
    // V @ h with one column is the product alone, as the generic path computes it; sums start from 0
    boolean product = cols == 1 && !(l == layers && outputIsDot);
    for (int r = 0; r < rows; r++) {
      double[] t = zl[r];
      int wr = wo + r * cols;
      if (product) {
        double wv = theta[wr];
        double[] h0 = h[0];
        for (int i = 0; i < n; i++) t[i] = wv * h0[i];
      } else {
        java.util.Arrays.fill(t, 0, n, 0.0);
        for (int j = 0; j < cols; j++) {
          double wv = theta[wr + j];
          double[] hj = h[j];
          for (int i = 0; i < n; i++) t[i] += wv * hj[i];
        }
      }
      if (bo >= 0) {
        double bv = theta[bo + r];
        for (int i = 0; i < n; i++) t[i] += bv;
      }
    }
  }

  private static void activate(Elementwise f, double[][] zl, double[][] al, int n) {
    for (int r = 0; r < zl.length; r++) {
      double[] zr = zl[r], ar = al[r];
      switch (f) {
        case RELU -> { for (int i = 0; i < n; i++) ar[i] = zr[i] > 0 ? zr[i] : 0.0; }
        case TANH -> { for (int i = 0; i < n; i++) ar[i] = Math.tanh(zr[i]); }
        default -> { for (int i = 0; i < n; i++) ar[i] = f.value(zr[i]); }
      }
    }
  }

  /** g ← g f'(z) in place: the adjoint of the activations becomes that of the pre-activations. */
  private static void derivative(Elementwise f, double[][] zl, double[][] al, double[][] gl, int n) {
    for (int r = 0; r < zl.length; r++) {
      double[] zr = zl[r], ar = al[r], gr = gl[r];
      switch (f) {
        case RELU -> { for (int i = 0; i < n; i++) gr[i] = gr[i] * (zr[i] > 0 ? 1.0 : 0.0); }
        // tanh' = 1 - tanh², from the value already computed (Elementwise.TANH's d1 recomputes the same tanh)
        case TANH -> { for (int i = 0; i < n; i++) { double t = ar[i]; gr[i] = gr[i] * (1 - t * t); } }
        default -> { for (int i = 0; i < n; i++) { double v = gr[i]; gr[i] = v == 0 ? 0.0 : v * f.d1(zr[i]); } }
      }
    }
  }

  /**
   * grad[wo + j] += Σ_i g_i h_j[i] for j < cols and, with a bias, grad[bo] += Σ_i g_i, each sum over
   * the points in order (continuing the sums of earlier blocks); several independent sums per pass.
   */
  private void sums(double[] gv, double[][] h, int cols, boolean bias, double[] grad, int wo, int bo, int n) {
    int j = 0;
    // the bias rides along with the first pass
    if (bias) {
      if (cols >= 3) {
        sum4(gv, h[0], h[1], h[2], ones, grad, wo, wo + 1, wo + 2, bo, n);
        j = 3;
      } else if (cols == 2) {
        sum3(gv, h[0], h[1], ones, grad, wo, wo + 1, bo, n);
        j = 2;
      } else {
        sum2(gv, h[0], ones, grad, wo, bo, n);
        j = 1;
      }
    }
    for (; j + 4 <= cols; j += 4) sum4(gv, h[j], h[j + 1], h[j + 2], h[j + 3], grad, wo + j, wo + j + 1, wo + j + 2, wo + j + 3, n);
    if (j + 3 == cols) sum3(gv, h[j], h[j + 1], h[j + 2], grad, wo + j, wo + j + 1, wo + j + 2, n);
    else if (j + 2 == cols) sum2(gv, h[j], h[j + 1], grad, wo + j, wo + j + 1, n);
    else if (j + 1 == cols) sum1(gv, h[j], grad, wo + j, n);
  }

  private static void sum4(double[] g, double[] h0, double[] h1, double[] h2, double[] h3, double[] out, int k0, int k1, int k2, int k3, int n) {
    double s0 = out[k0], s1 = out[k1], s2 = out[k2], s3 = out[k3];
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      s0 += gi * h0[i];
      s1 += gi * h1[i];
      s2 += gi * h2[i];
      s3 += gi * h3[i];
    }
    out[k0] = s0; out[k1] = s1; out[k2] = s2; out[k3] = s3;
  }

  private static void sum3(double[] g, double[] h0, double[] h1, double[] h2, double[] out, int k0, int k1, int k2, int n) {
    double s0 = out[k0], s1 = out[k1], s2 = out[k2];
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      s0 += gi * h0[i];
      s1 += gi * h1[i];
      s2 += gi * h2[i];
    }
    out[k0] = s0; out[k1] = s1; out[k2] = s2;
  }

  private static void sum2(double[] g, double[] h0, double[] h1, double[] out, int k0, int k1, int n) {
    double s0 = out[k0], s1 = out[k1];
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      s0 += gi * h0[i];
      s1 += gi * h1[i];
    }
    out[k0] = s0; out[k1] = s1;
  }

  private static void sum1(double[] g, double[] h0, double[] out, int k0, int n) {
    double s0 = out[k0];
    for (int i = 0; i < n; i++) s0 += g[i] * h0[i];
    out[k0] = s0;
  }
}
