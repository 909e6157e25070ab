package org.nnft.numeric;

import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * The forward evaluator of a {@link Tape}: the values of a chunk of networks at a fixed batch of P
 * input points. One instance per thread; it owns one buffer per node, allocated once (P copies for
 * nodes that depend on the input, laid out point after point), and allocates nothing per call.
 *
 * <p>Per network, nodes that do not depend on the input run once and the others over all points,
 * so that element-wise functions run as one long vectorised loop ({@link Elementwise#apply}). A
 * network's parameters are either drawn straight into the parameter buffers ({@link #paramBuffer},
 * as the sampler does) or copied from a flat parameter vector θ in tape order
 * ({@link #setParameters}, {@link #evalChunk}: many networks back to back). The arithmetic (order
 * of sums, kernels) is fixed, so values are the same bits on every call and thread.
 *
 * <p>{@link Reverse} runs one of these for the values its sweeps need.
 */
public final class Forward {
  private final Tape tape;
  private final Node[] nodes;
  private final double[][] buf;
  private final boolean[] batched;
  private final int[] perNetwork;
  private final int[] perPointRun;
  private final boolean[] fusedAffine;
  private final int points;
  private final int input, output, inDim, outSize;
  private final boolean scalar;

  /**
   * The arithmetic of an evaluator. KERNELS: the vectorised array kernels ({@link Elementwise#apply})
   * and sums with four accumulators — the sampler's values. SCALAR: {@link Elementwise#value}
   * element by element and sums in order — the interpreter's values, which the derivatives of
   * {@link Reverse} are taken at. The two agree to a few units in the last place.
   */
  public enum Mode { KERNELS, SCALAR }

  /** An evaluator with the sampler's arithmetic ({@link Mode#KERNELS}). */
  public Forward(Tape tape, int points) { this(tape, points, Mode.KERNELS); }

  public Forward(Tape tape, int points, Mode mode) {
    this.scalar = mode == Mode.SCALAR;
    if (points < 1) throw new IllegalArgumentException("at least one point");
    this.tape = tape;
    this.points = points;
    int n = tape.nodes.size();
    nodes = tape.nodes.toArray(new Node[0]);
    buf = new double[n][];
    batched = new boolean[n];
    java.util.List<Integer> net = new java.util.ArrayList<>(), pt = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Node nd = nodes[i];
      batched[i] = nd.inputDep;
      buf[i] = nd.kind == Kind.CONST ? nd.value : new double[batched[i] ? nd.size * points : nd.size];
      if (nd.kind == Kind.CONST || nd.kind == Kind.PARAM || nd.kind == Kind.INPUT) continue;
      (nd.inputDep ? pt : net).add(i);
    }
    perNetwork = net.stream().mapToInt(Integer::intValue).toArray();
    // peephole: W @ x + b with a one-column fixed-per-network W and b runs as one loop
    fusedAffine = new boolean[n];
    int[] uses = new int[n];
    for (Node nd : nodes) for (int i : nd.in) uses[i]++;
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    for (int i : pt) {
      Node nd = nodes[i];
      if (nd.kind == Kind.BINARY && nd.mode == Tape.Broadcast.SAME && nd.op == Tape.BinOp.ADD) {
        Node m = nodes[nd.in[0]];
        if (m.kind == Kind.MATVEC && nodes[m.in[1]].size == 1 && uses[nd.in[0]] == 1 && batched[nd.in[0]]
            && !batched[m.in[0]] && batched[m.in[1]] && !batched[nd.in[1]]) {
          fusedAffine[i] = true;
          keep.remove((Integer) nd.in[0]);
        }
      }
      keep.add(i);
    }
    perPointRun = keep.stream().mapToInt(Integer::intValue).toArray();
    input = tape.input;
    output = tape.output;
    inDim = input >= 0 ? nodes[input].size : 0;
    outSize = nodes[output].size;
  }

  public Tape tape() { return tape; }

  /** The buffer of the PARAM node {@code node}: write a network's values of that parameter here. */
  public double[] paramBuffer(int node) { return buf[node]; }

  /** The buffer of parameter number {@code number}. */
  public double[] parameter(int number) { return buf[tape.parameterNode(number)]; }

  public int outputSize() { return outSize; }
  public int inputSize() { return inDim; }
  public int points() { return points; }
  public int parameterCount() { return tape.parameterCount(); }

  /** Copies one network's parameters from {@code theta[off ..]} (tape order) into the parameter buffers. */
  public void setParameters(double[] theta, int off) {
    for (int k = 0, n = tape.parameters(); k < n; k++) {
      double[] b = buf[tape.parameterNode(k)];
      System.arraycopy(theta, off + tape.parameterOffset(k), b, 0, b.length);
    }
  }

  /** Copies the parameter buffers into {@code theta[off ..]} (tape order). */
  public void getParameters(double[] theta, int off) {
    for (int k = 0, n = tape.parameters(); k < n; k++) {
      double[] b = buf[tape.parameterNode(k)];
      System.arraycopy(b, 0, theta, off + tape.parameterOffset(k), b.length);
    }
  }

  /**
   * Evaluates the network in the parameter buffers at all P points {@code xs[p*d .. p*d+d)} and
   * writes {@code out[p*outSize ..]}.
   */
  public void eval(double[] xs, double[] out) { eval(xs, out, 0); }

  /** As {@link #eval(double[], double[])}, writing from {@code out[outOff]}. */
  public void eval(double[] xs, double[] out, int outOff) {
    for (int i : perNetwork) run(i);
    if (input >= 0) System.arraycopy(xs, 0, buf[input], 0, inDim * points);
    int[] pp = perPointRun;
    for (int i = 0; i < pp.length; i++) run(pp[i]);
    double[] o = buf[output];
    if (batched[output]) System.arraycopy(o, 0, out, outOff, outSize * points);
    else for (int p = 0; p < points; p++) System.arraycopy(o, 0, out, outOff + p * outSize, outSize);
  }

  /**
   * A chunk of networks at the batch of points: network n's parameters are
   * {@code theta[thetaOff + n*parameterCount ..]}, its outputs go to
   * {@code out[outOff + n*points*outSize ..]} (point after point). Leaves the last network in the
   * parameter buffers.
   */
  public void evalChunk(double[] theta, int thetaOff, int networks, double[] xs, double[] out, int outOff) {
    int pc = tape.parameterCount(), block = points * outSize;
    for (int n = 0; n < networks; n++) {
      setParameters(theta, thetaOff + n * pc);
      eval(xs, out, outOff + n * block);
    }
  }

  // ---------------------------------------------------------------- for Reverse

  /** The value buffer of a node after {@link #eval} (point after point when {@link #batched}). */
  public double[] value(int node) { return buf[node]; }

  /** Whether the node's value has one copy per point. */
  boolean batched(int node) { return batched[node]; }

  private void run(int i) {
    Node nd = nodes[i];
    double[] d = buf[i];
    if (nd.kind == Kind.UNARY) { // its input is batched exactly when it is
      int n = batched[i] ? nd.size * points : nd.size;
      if (scalar) {
        double[] a = buf[nd.in[0]];
        Elementwise f = nd.fn;
        for (int j = 0; j < n; j++) d[j] = f.value(a[j]);
      } else {
        unary(nd.fn, buf[nd.in[0]], d, n);
      }
      return;
    }
    if (fusedAffine[i]) {
      Node m = nodes[nd.in[0]];
      double[] w = buf[m.in[0]], b = buf[nd.in[1]], x = buf[m.in[1]];
      int rows = nd.size;
      for (int p = 0; p < points; p++) {
        double xv = x[p];
        int o = p * rows;
        for (int r = 0; r < rows; r++) d[o + r] = w[r] * xv + b[r];
      }
      return;
    }
    if (nd.kind == Kind.BINARY && nd.mode == Tape.Broadcast.SAME && batched[nd.in[0]] && batched[nd.in[1]]) {
      binary(nd.op, nd.mode, buf[nd.in[0]], 0, buf[nd.in[1]], 0, d, 0, nd.size * points, 0);
      return;
    }
    int reps = batched[i] ? points : 1;
    for (int p = 0; p < reps; p++) one(i, nd, d, p);
  }

  private int off(int node, int p) { return batched[node] ? p * nodes[node].size : 0; }

  /** Node i at point p (offsets into batched buffers). */
  private void one(int i, Node nd, double[] d, int p) {
    int o = p * nd.size;
    switch (nd.kind) {
      case BINARY -> {
        int cols = nd.shape.length == 2 ? nd.shape[1] : 1;
        binary(nd.op, nd.mode, buf[nd.in[0]], off(nd.in[0], p), buf[nd.in[1]], off(nd.in[1], p), d, o, nd.size, cols);
      }
      case MATVEC -> {
        double[] m = buf[nd.in[0]], v = buf[nd.in[1]];
        int mo = off(nd.in[0], p), vo = off(nd.in[1], p);
        int rows = nd.size, k = nodes[nd.in[1]].size;
        if (k == 1) {
          double x = v[vo];
          for (int r = 0; r < rows; r++) d[o + r] = m[mo + r] * x;
        } else {
          for (int r = 0; r < rows; r++) {
            double s = 0;
            int mr = mo + r * k;
            for (int j = 0; j < k; j++) s += m[mr + j] * v[vo + j];
            d[o + r] = s;
          }
        }
      }
      case VECMAT -> {
        double[] v = buf[nd.in[0]], m = buf[nd.in[1]];
        int vo = off(nd.in[0], p), mo = off(nd.in[1], p);
        int cols = nd.size, k = nodes[nd.in[0]].size;
        java.util.Arrays.fill(d, o, o + cols, 0.0);
        for (int j = 0; j < k; j++) {
          double x = v[vo + j];
          int mj = mo + j * cols;
          for (int c = 0; c < cols; c++) d[o + c] += x * m[mj + c];
        }
      }
      case MATMAT -> {
        double[] a = buf[nd.in[0]], b = buf[nd.in[1]];
        int ao = off(nd.in[0], p), bo = off(nd.in[1], p);
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[nd.in[0]].shape[1];
        java.util.Arrays.fill(d, o, o + rows * cols, 0.0);
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double x = a[ao + r * k + j];
            for (int c = 0; c < cols; c++) d[o + r * cols + c] += x * b[bo + j * cols + c];
          }
      }
      case DOT -> {
        double[] a = buf[nd.in[0]], b = buf[nd.in[1]];
        int ao = off(nd.in[0], p), bo = off(nd.in[1], p), len = nodes[nd.in[0]].size;
        if (scalar) {
          double s = 0;
          for (int j = 0; j < len; j++) s += a[ao + j] * b[bo + j];
          d[o] = s;
        } else {
          d[o] = dot(a, ao, b, bo, len);
        }
      }
      case SUM -> {
        double[] a = buf[nd.in[0]];
        int ao = off(nd.in[0], p), len = nodes[nd.in[0]].size;
        if (scalar) {
          double s = 0;
          for (int j = 0; j < len; j++) s += a[ao + j];
          d[o] = s;
        } else {
          d[o] = sum(a, ao, len);
        }
      }
      case PROD, NORM, MAX, MIN -> {
        double[] a = buf[nd.in[0]];
        int ao = off(nd.in[0], p), len = nodes[nd.in[0]].size;
        double s = nd.kind == Kind.PROD ? 1 : nd.kind == Kind.MAX ? Double.NEGATIVE_INFINITY : nd.kind == Kind.MIN ? Double.POSITIVE_INFINITY : 0;
        for (int j = ao; j < ao + len; j++) {
          double x = a[j];
          s = switch (nd.kind) {
            case PROD -> s * x;
            case MAX -> Math.max(s, x);
            case MIN -> Math.min(s, x);
            default -> s + x * x;
          };
        }
        d[o] = nd.kind == Kind.NORM ? Math.sqrt(s) : s;
      }
      case INDEX -> System.arraycopy(buf[nd.in[0]], off(nd.in[0], p) + nd.index, d, o, nd.size);
      case STACK -> {
        int q = o;
        for (int j : nd.in) {
          int len = nodes[j].size;
          System.arraycopy(buf[j], off(j, p), d, q, len);
          q += len;
        }
      }
      case TRANSPOSE -> {
        double[] a = buf[nd.in[0]];
        int ao = off(nd.in[0], p);
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++) for (int y = 0; y < c; y++) d[o + y * r + x] = a[ao + x * c + y];
      }
      case SOFTMAX -> {
        // along the last axis: each row of a matrix
        double[] a = buf[nd.in[0]];
        int ao = off(nd.in[0], p), len = nd.shape.length == 0 ? 1 : nd.shape[nd.shape.length - 1];
        for (int r = 0; r < nd.size; r += len) {
          double mx = Double.NEGATIVE_INFINITY;
          for (int j = r; j < r + len; j++) mx = Math.max(mx, a[ao + j]);
          double s = 0;
          for (int j = r; j < r + len; j++) { d[o + j] = Math.exp(a[ao + j] - mx); s += d[o + j]; }
          for (int j = r; j < r + len; j++) d[o + j] /= s;
        }
      }
      default -> throw new IllegalStateException("cannot run " + nd.kind);
    }
  }

  /** Dot product with four independent accumulators (a fixed order: deterministic). */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    int j = 0;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[ao + j] * b[bo + j];
      s1 += a[ao + j + 1] * b[bo + j + 1];
      s2 += a[ao + j + 2] * b[bo + j + 2];
      s3 += a[ao + j + 3] * b[bo + j + 3];
    }
    for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
    return (s0 + s1) + (s2 + s3);
  }

  static double sum(double[] a, int ao, int n) {
    int j = 0;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[ao + j];
      s1 += a[ao + j + 1];
      s2 += a[ao + j + 2];
      s3 += a[ao + j + 3];
    }
    for (; j < n; j++) s0 += a[ao + j];
    return (s0 + s1) + (s2 + s3);
  }

  static void unary(Elementwise fn, double[] a, double[] d, int n) {
    fn.apply(a, d, n);
  }


  /** d[do..do+n) = a op b with the node's broadcast mode; cols is the row length for row modes. */
  private static void binary(Tape.BinOp fn, Tape.Broadcast mode, double[] a, int ao, double[] b, int bo, double[] d, int dOff, int n, int cols) {
    switch (mode) {
      case SAME -> {
        switch (fn) {
          case ADD -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] + b[bo + i]; }
          case SUB -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] - b[bo + i]; }
          case MUL -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] * b[bo + i]; }
          case DIV -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] / b[bo + i]; }
          default -> { for (int i = 0; i < n; i++) d[dOff + i] = pow(a[ao + i], b[bo + i]); }
        }
      }
      case B_SCALAR -> {
        double y = b[bo];
        switch (fn) {
          case ADD -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] + y; }
          case SUB -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] - y; }
          case MUL -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] * y; }
          case DIV -> { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] / y; }
          default -> {
            if (y == 2) { for (int i = 0; i < n; i++) d[dOff + i] = a[ao + i] * a[ao + i]; }
            else { for (int i = 0; i < n; i++) d[dOff + i] = pow(a[ao + i], y); }
          }
        }
      }
      case A_SCALAR -> {
        double x = a[ao];
        switch (fn) {
          case ADD -> { for (int i = 0; i < n; i++) d[dOff + i] = x + b[bo + i]; }
          case SUB -> { for (int i = 0; i < n; i++) d[dOff + i] = x - b[bo + i]; }
          case MUL -> { for (int i = 0; i < n; i++) d[dOff + i] = x * b[bo + i]; }
          case DIV -> { for (int i = 0; i < n; i++) d[dOff + i] = x / b[bo + i]; }
          default -> { for (int i = 0; i < n; i++) d[dOff + i] = pow(x, b[bo + i]); }
        }
      }
      default -> {
        boolean rowB = mode == Tape.Broadcast.B_ROW;
        for (int i = 0; i < n; i++) {
          double x = rowB ? a[ao + i] : a[ao + i % cols];
          double y = rowB ? b[bo + i % cols] : b[bo + i];
          d[dOff + i] = fn.apply(x, y);
        }
      }
    }
  }

  private static double pow(double a, double b) { return Tape.pow(a, b); }
}
