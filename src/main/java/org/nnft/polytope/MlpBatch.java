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
  private final double[] out, seed, ones, zeros;
  private final double[][] seedRows;
  /** The partners of each layer's gradient sums (the activations below, then ones for a bias); layer 1's by block. */
  private final double[][][] partners, partners1;
  private final int[] idx = new int[12];
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
    zeros = new double[block];
    seedRows = new double[][] {seed};
    partners = new double[layers + 1][][];
    for (int l = 2; l <= layers; l++) partners[l] = partnersOf(a[l - 1], bOff[l] >= 0);
    partners1 = new double[blocks][][];
    for (int b = 0; b < blocks; b++) partners1[b] = partnersOf(xb[b], bOff[1] >= 0);
  }

  private double[][] partnersOf(double[][] h, boolean bias) {
    double[][] p = java.util.Arrays.copyOf(h, h.length + (bias ? 1 : 0));
    if (bias) p[h.length] = ones;
    return p;
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
      for (int l = L; l >= 1; l--) {
        double[][] gl = l == L ? seedRows : g[l];
        if (l < L) derivative(act[l], z[l], a[l], gl, n);
        sums(gl, l == 1 ? partners1[b] : partners[l], width[l], width[l - 1], grad, wOff[l], bOff[l], n);
        if (l > 1) adjointBelow(theta, l, gl, g[l - 1], n);
      }
    }
    return loss / points;
  }

  /**
   * The values z_r = W_r · h (+ b_r) of layer l at the block's points, summed as the generic path
   * does: from 0 over the columns in order, then the bias (V @ h with one column: the product).
   * Up to four columns per pass.
   */
  private void dense(double[] theta, int l, double[][] h, double[][] zl, int n) {
    int rows = width[l], cols = width[l - 1], wo = wOff[l], bo = bOff[l];
    boolean product = cols == 1 && !(l == layers && outputIsDot);
    for (int r = 0; r < rows; r++) {
      double[] t = zl[r];
      int wr = wo + r * cols;
      if (product) {
        double w0 = theta[wr];
        double[] h0 = h[0];
        for (int i = 0; i < n; i++) t[i] = w0 * h0[i];
      } else {
        for (int j = 0; j < cols; j += 4) axpy(j == 0 ? zeros : t, t, h, theta, wr, 1, j, Math.min(4, cols - j), n);
      }
      if (bo >= 0) {
        double bv = theta[bo + r];
        for (int i = 0; i < n; i++) t[i] += bv;
      }
    }
  }

  /**
   * t[i] = (((src[i] + c_0 v_0[i]) + c_1 v_1[i]) + ...) over c terms, v_k = v[k0 + k] and c_k =
   * theta[c0 + (k0 + k) * stride]: sums continued term by term, in order.
   */
  private static void axpy(double[] src, double[] t, double[][] v, double[] theta, int c0, int stride, int k0, int c, int n) {
    switch (c) {
      case 4 -> {
        double w0 = theta[c0 + k0 * stride], w1 = theta[c0 + (k0 + 1) * stride], w2 = theta[c0 + (k0 + 2) * stride], w3 = theta[c0 + (k0 + 3) * stride];
        double[] h0 = v[k0], h1 = v[k0 + 1], h2 = v[k0 + 2], h3 = v[k0 + 3];
        for (int i = 0; i < n; i++) t[i] = (((src[i] + w0 * h0[i]) + w1 * h1[i]) + w2 * h2[i]) + w3 * h3[i];
      }
      case 3 -> {
        double w0 = theta[c0 + k0 * stride], w1 = theta[c0 + (k0 + 1) * stride], w2 = theta[c0 + (k0 + 2) * stride];
        double[] h0 = v[k0], h1 = v[k0 + 1], h2 = v[k0 + 2];
        for (int i = 0; i < n; i++) t[i] = ((src[i] + w0 * h0[i]) + w1 * h1[i]) + w2 * h2[i];
      }
      case 2 -> {
        double w0 = theta[c0 + k0 * stride], w1 = theta[c0 + (k0 + 1) * stride];
        double[] h0 = v[k0], h1 = v[k0 + 1];
        for (int i = 0; i < n; i++) t[i] = (src[i] + w0 * h0[i]) + w1 * h1[i];
      }
      default -> {
        double w0 = theta[c0 + k0 * stride];
        double[] h0 = v[k0];
        for (int i = 0; i < n; i++) t[i] = src[i] + w0 * h0[i];
      }
    }
  }

  /**
   * The adjoint of the activations below layer l: ga_j = Σ_r gz_r W_rj, summed from 0 over the rows
   * in order (the generic sweep's order); up to four rows per pass.
   */
  private void adjointBelow(double[] theta, int l, double[][] gz, double[][] ga, int n) {
    int rows = width[l], cols = width[l - 1], wo = wOff[l];
    for (int j = 0; j < cols; j++) {
      double[] t = ga[j];
      for (int r = 0; r < rows; r += 4) axpy(r == 0 ? zeros : t, t, gz, theta, wo + j, cols, r, Math.min(4, rows - r), n);
    }
  }

  private static void activate(Elementwise f, double[][] zl, double[][] al, int n) {
    for (int r = 0; r < zl.length; r++) {
      double[] zr = zl[r], ar = al[r];
      switch (f) {
        // relu(z) = z > 0 ? z : 0 for every z but NaN (max gives NaN there: the loss is then NaN and the generic path redoes it)
        case RELU -> { for (int i = 0; i < n; i++) ar[i] = Math.max(zr[i], 0.0); }
        case TANH -> { for (int i = 0; i < n; i++) ar[i] = Math.tanh(zr[i]); }
        default -> { for (int i = 0; i < n; i++) ar[i] = f.value(zr[i]); }
      }
    }
  }

  /** 2^600: z · 2^600 · 2^600 ≥ 1 for every z > 0, down to the least subnormal. */
  private static final double HUGE = 0x1p600;

  /** g ← g f'(z) in place: the adjoint of the activations becomes that of the pre-activations. */
  private static void derivative(Elementwise f, double[][] zl, double[][] al, double[][] gl, int n) {
    for (int r = 0; r < zl.length; r++) {
      double[] zr = zl[r], ar = al[r], gr = gl[r];
      switch (f) {
        // relu'(z) = z > 0 ? 1 : 0, branch-free (vectorises): 1 for z > 0, 0 for z ≤ 0 (and for -0), NaN only for NaN
        case RELU -> { for (int i = 0; i < n; i++) gr[i] = gr[i] * Math.min(Math.max(zr[i] * HUGE * HUGE, 0.0), 1.0); }
        // tanh' = 1 - tanh², from the value already computed (Elementwise.TANH's d1 recomputes the same tanh)
        case TANH -> { for (int i = 0; i < n; i++) { double t = ar[i]; gr[i] = gr[i] * (1 - t * t); } }
        default -> { for (int i = 0; i < n; i++) { double v = gr[i]; gr[i] = v == 0 ? 0.0 : v * f.d1(zr[i]); } }
      }
    }
  }

  /**
   * The gradient of layer l's parameters, continuing the sums of earlier blocks point by point:
   * grad[W_rj] += Σ_i gz_r[i] h_j[i] and grad[b_r] += Σ_i gz_r[i] (as gz_r[i] · 1, the same bits),
   * h the partners (the activations below, then ones for the bias). Each sum runs over the points
   * in order; a pass carries up to twelve independent sums (four rows by three partners).
   */
  private void sums(double[][] gz, double[][] h, int rows, int cols, double[] grad, int wo, int bo, int n) {
    int np = h.length;
    int[] k = idx;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      for (int j = 0; j < np; j += 3) {
        int c = Math.min(3, np - j);
        for (int q = 0; q < 4; q++) for (int e = 0; e < c; e++) k[q * 3 + e] = gradIndex(r + q, j + e, cols, wo, bo);
        if (c == 3) sum4x3(gz[r], gz[r + 1], gz[r + 2], gz[r + 3], h[j], h[j + 1], h[j + 2], grad, k, n);
        else if (c == 2) sum4x2(gz[r], gz[r + 1], gz[r + 2], gz[r + 3], h[j], h[j + 1], grad, k, n);
        else sum4x1(gz[r], gz[r + 1], gz[r + 2], gz[r + 3], h[j], grad, k, n);
      }
    }
    for (; r < rows; r++) {
      double[] g0 = gz[r];
      int j = 0;
      for (; j + 8 <= np; j += 8) {
        for (int e = 0; e < 8; e++) k[e] = gradIndex(r, j + e, cols, wo, bo);
        sum1x8(g0, h, j, grad, k, n);
      }
      for (; j + 4 <= np; j += 4) {
        for (int e = 0; e < 4; e++) k[e] = gradIndex(r, j + e, cols, wo, bo);
        sum1x4(g0, h[j], h[j + 1], h[j + 2], h[j + 3], grad, k, n);
      }
      for (; j < np; j++) sum1x1(g0, h[j], grad, gradIndex(r, j, cols, wo, bo), n);
    }
  }

  private static int gradIndex(int r, int j, int cols, int wo, int bo) { return j < cols ? wo + r * cols + j : bo + r; }

  private static void sum4x3(double[] g0, double[] g1, double[] g2, double[] g3, double[] h0, double[] h1, double[] h2, double[] out, int[] k, int n) {
    double s00 = out[k[0]], s01 = out[k[1]], s02 = out[k[2]], s10 = out[k[3]], s11 = out[k[4]], s12 = out[k[5]];
    double s20 = out[k[6]], s21 = out[k[7]], s22 = out[k[8]], s30 = out[k[9]], s31 = out[k[10]], s32 = out[k[11]];
    for (int i = 0; i < n; i++) {
      double a0 = h0[i], a1 = h1[i], a2 = h2[i], q = g0[i];
      s00 += q * a0; s01 += q * a1; s02 += q * a2;
      q = g1[i];
      s10 += q * a0; s11 += q * a1; s12 += q * a2;
      q = g2[i];
      s20 += q * a0; s21 += q * a1; s22 += q * a2;
      q = g3[i];
      s30 += q * a0; s31 += q * a1; s32 += q * a2;
    }
    out[k[0]] = s00; out[k[1]] = s01; out[k[2]] = s02; out[k[3]] = s10; out[k[4]] = s11; out[k[5]] = s12;
    out[k[6]] = s20; out[k[7]] = s21; out[k[8]] = s22; out[k[9]] = s30; out[k[10]] = s31; out[k[11]] = s32;
  }

  private static void sum4x2(double[] g0, double[] g1, double[] g2, double[] g3, double[] h0, double[] h1, double[] out, int[] k, int n) {
    double s00 = out[k[0]], s01 = out[k[1]], s10 = out[k[3]], s11 = out[k[4]];
    double s20 = out[k[6]], s21 = out[k[7]], s30 = out[k[9]], s31 = out[k[10]];
    for (int i = 0; i < n; i++) {
      double a0 = h0[i], a1 = h1[i], q = g0[i];
      s00 += q * a0; s01 += q * a1;
      q = g1[i];
      s10 += q * a0; s11 += q * a1;
      q = g2[i];
      s20 += q * a0; s21 += q * a1;
      q = g3[i];
      s30 += q * a0; s31 += q * a1;
    }
    out[k[0]] = s00; out[k[1]] = s01; out[k[3]] = s10; out[k[4]] = s11;
    out[k[6]] = s20; out[k[7]] = s21; out[k[9]] = s30; out[k[10]] = s31;
  }

  private static void sum4x1(double[] g0, double[] g1, double[] g2, double[] g3, double[] h0, double[] out, int[] k, int n) {
    double s0 = out[k[0]], s1 = out[k[3]], s2 = out[k[6]], s3 = out[k[9]];
    for (int i = 0; i < n; i++) {
      double a0 = h0[i];
      s0 += g0[i] * a0; s1 += g1[i] * a0; s2 += g2[i] * a0; s3 += g3[i] * a0;
    }
    out[k[0]] = s0; out[k[3]] = s1; out[k[6]] = s2; out[k[9]] = s3;
  }

  private static void sum1x8(double[] g, double[][] h, int j, double[] out, int[] k, int n) {
    double[] h0 = h[j], h1 = h[j + 1], h2 = h[j + 2], h3 = h[j + 3], h4 = h[j + 4], h5 = h[j + 5], h6 = h[j + 6], h7 = h[j + 7];
    double s0 = out[k[0]], s1 = out[k[1]], s2 = out[k[2]], s3 = out[k[3]], s4 = out[k[4]], s5 = out[k[5]], s6 = out[k[6]], s7 = out[k[7]];
    for (int i = 0; i < n; i++) {
      double q = g[i];
      s0 += q * h0[i]; s1 += q * h1[i]; s2 += q * h2[i]; s3 += q * h3[i];
      s4 += q * h4[i]; s5 += q * h5[i]; s6 += q * h6[i]; s7 += q * h7[i];
    }
    out[k[0]] = s0; out[k[1]] = s1; out[k[2]] = s2; out[k[3]] = s3; out[k[4]] = s4; out[k[5]] = s5; out[k[6]] = s6; out[k[7]] = s7;
  }

  private static void sum1x4(double[] g, double[] h0, double[] h1, double[] h2, double[] h3, double[] out, int[] k, int n) {
    double s0 = out[k[0]], s1 = out[k[1]], s2 = out[k[2]], s3 = out[k[3]];
    for (int i = 0; i < n; i++) {
      double q = g[i];
      s0 += q * h0[i]; s1 += q * h1[i]; s2 += q * h2[i]; s3 += q * h3[i];
    }
    out[k[0]] = s0; out[k[1]] = s1; out[k[2]] = s2; out[k[3]] = s3;
  }

  private static void sum1x1(double[] g, double[] h0, double[] out, int k0, int n) {
    double s0 = out[k0];
    for (int i = 0; i < n; i++) s0 += g[i] * h0[i];
    out[k0] = s0;
  }
}
