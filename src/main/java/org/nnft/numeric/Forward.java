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
  /** For a fused w * x + b node: the nodes of w, x and b (affW -1 for other nodes). */
  private final int[] affW, affX, affB;
  private final int points;
  /**
   * Points per block: the per-point nodes run over a block of points at a time, so that their
   * buffers stay in cache (a net of width 250 at 256 points would stream megabytes per network
   * through memory otherwise). All points in one block in {@link Mode#SCALAR}, which {@link Reverse} reads.
   */
  private final int block;
  /** The number of points in the block being evaluated. */
  private int cur;
  /** The per-point nodes that depend on the input but not on the parameters, and the points they were last computed at. */
  private final int[] inputOnly;
  private double[] lastXs;
  private static final int BLOCK_VALUES = Integer.getInteger("nnft.blockValues", 16384);
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
    int widest = 1;
    for (Node nd : nodes) if (nd.inputDep) widest = Math.max(widest, nd.size);
    this.block = scalar ? points : Math.max(1, Math.min(points, BLOCK_VALUES / widest));
    this.cur = block;
    buf = new double[n][];
    batched = new boolean[n];
    java.util.List<Integer> net = new java.util.ArrayList<>(), pt = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Node nd = nodes[i];
      batched[i] = nd.inputDep;
      buf[i] = nd.kind == Kind.CONST ? nd.value : new double[batched[i] ? nd.size * block : nd.size];
      if (nd.kind == Kind.CONST || nd.kind == Kind.PARAM || nd.kind == Kind.INPUT) continue;
      (nd.inputDep ? pt : net).add(i);
    }
    perNetwork = net.stream().mapToInt(Integer::intValue).toArray();
    // peephole: w * x + b (W @ x with a one-column W, or w * x with x a scalar, either order) with
    // w and b fixed per network and x a scalar per point runs as one loop
    affW = new int[n];
    affX = new int[n];
    affB = new int[n];
    java.util.Arrays.fill(affW, -1);
    int[] uses = new int[n];
    for (Node nd : nodes) for (int i : nd.in) uses[i]++;
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    for (int i : pt) {
      Node nd = nodes[i];
      if (nd.kind == Kind.BINARY && nd.mode == Tape.Broadcast.SAME && nd.op == Tape.BinOp.ADD) {
        for (int side = 0; side < 2; side++) {
          int prod = nd.in[side], bias = nd.in[1 - side];
          if (uses[prod] != 1 || !batched[prod] || batched[bias] || nodes[bias].size != nd.size) continue;
          int[] wx = scaledInput(nodes[prod], batched);
          if (wx == null || nodes[wx[0]].size != nd.size) continue;
          affW[i] = wx[0];
          affX[i] = wx[1];
          affB[i] = bias;
          keep.remove((Integer) prod);
          break;
        }
      }
      keep.add(i);
    }
    perPointRun = keep.stream().mapToInt(Integer::intValue).toArray();
    inputOnly = keep.stream().filter(i -> !nodes[i].paramDep).mapToInt(Integer::intValue).toArray();
    input = tape.input;
    output = tape.output;
    inDim = input >= 0 ? nodes[input].size : 0;
    outSize = nodes[output].size;
    // cos or sin of a fused w * t + b on a one-dimensional input: rotations across shifted points
    rotating = new boolean[n];
    anchorsOnly = new boolean[n];
    int rmax = 0;
    if (!scalar && inDim == 1) {
      for (int i : perPointRun) {
        Node nd = nodes[i];
        if (nd.kind == Kind.UNARY && (nd.fn == Elementwise.COS || nd.fn == Elementwise.SIN) && affW[nd.in[0]] >= 0 && affX[nd.in[0]] == input) {
          rotating[i] = true;
          rmax = Math.max(rmax, nd.size);
          // w t + b read by nothing else: computed only where the rotations start
          if (uses[nd.in[0]] == 1) anchorsOnly[nd.in[0]] = true;
        }
      }
    }
    aux = rmax == 0 ? null : new double[rmax * block];
    plans = new Shifts[(points + block - 1) / block];
    angle = new double[rmax];
    rowC = new double[rmax];
    rowS = new double[rmax];
    rotCos = new double[Shifts.MAX_SHIFTS][rmax];
    rotSin = new double[Shifts.MAX_SHIFTS][rmax];
  }

  // ---------------------------------------------------------------- rotations

  private final boolean[] rotating, anchorsOnly;
  private final double[] aux, angle, rowC, rowS;
  private final double[][] rotCos, rotSin;
  private Shifts shifts;
  private final Shifts[] plans;

  /**
   * Points that are shifts of earlier points: point p is point {@code from[p]} moved by
   * {@code shift[which[p]]} (up to a few ulp), or computed directly when {@code from[p] < 0}. For
   * cos(w t + b) and sin(w t + b) of a one-dimensional input, a shifted point's values follow from
   * the earlier point's by a rotation through w·h: four products instead of a cosine. Grids and
   * composite quadrature rules (the same nodes panel after panel) are made of such shifts; chains
   * restart from a direct evaluation every {@link #MAX_DEPTH} steps, so rounding cannot build up
   * (the values agree with direct evaluation to about 1e-15 relative to |w t|).
   */
  static final class Shifts {
    static final int MAX_SHIFTS = 4, MAX_STRIDE = 64, MAX_DEPTH = 8;
    final double[] xs;
    final int[] from, which;
    final double[] shift;
    final int rotated;

    private Shifts(double[] xs, int[] from, int[] which, double[] shift, int rotated) {
      this.xs = xs;
      this.from = from;
      this.which = which;
      this.shift = shift;
      this.rotated = rotated;
    }

    /** The best plan for the points xs[0..n) (null when rotations would not pay). */
    static Shifts plan(double[] xs, int n) {
      double[] x = java.util.Arrays.copyOf(xs, n);
      Shifts best = null;
      int bestScore = 0;
      for (int g = 1; g <= Math.min(MAX_STRIDE, n - 1); g++) {
        double[] d = new double[n - g];
        for (int p = g; p < n; p++) d[p - g] = x[p] - x[p - g];
        double[] hs = common(d, x, g);
        if (hs.length == 0) continue;
        int[] from = new int[n], which = new int[n], depth = new int[n];
        java.util.Arrays.fill(from, -1);
        int rot = 0;
        for (int p = g; p < n; p++) {
          int q = p - g;
          if (depth[q] >= MAX_DEPTH) continue;
          double tol = tolerance(x[p], x[q]);
          for (int k = 0; k < hs.length; k++) {
            if (Math.abs(d[q] - hs[k]) <= tol) {
              from[p] = q;
              which[p] = k;
              depth[p] = depth[q] + 1;
              rot++;
              break;
            }
          }
        }
        // each shift costs a cosine and a sine per row: worth two points
        int score = rot - 2 * hs.length;
        if (score > bestScore) {
          bestScore = score;
          best = new Shifts(x, from, which, hs, rot);
        }
      }
      return best;
    }

    private static double tolerance(double a, double b) {
      return 4 * Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
    }

    /** The (at most MAX_SHIFTS) nonzero finite differences d[p - g] = x[p] - x[p - g] that occur most often (at least twice). */
    private static double[] common(double[] d, double[] x, int g) {
      double[] s = java.util.Arrays.stream(d).filter(v -> v != 0 && Double.isFinite(v)).sorted().toArray();
      double scale = 0;
      for (double v : x) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
      double tol = 4 * Math.ulp(scale);
      java.util.List<double[]> runs = new java.util.ArrayList<>(); // {value, count}
      for (int i = 0; i < s.length; ) {
        int j = i;
        while (j + 1 < s.length && s[j + 1] - s[i] <= tol) j++;
        if (j > i) runs.add(new double[] {s[(i + j) / 2], j - i + 1});
        i = j + 1;
      }
      runs.sort((a, b) -> Double.compare(b[1], a[1]));
      int k = Math.min(MAX_SHIFTS, runs.size());
      double[] out = new double[k];
      for (int i = 0; i < k; i++) out[i] = runs.get(i)[0];
      return out;
    }
  }

  /** Makes {@link #shifts} the plan of block b (its points from xs[p0]): the cached one while the points stay the same. */
  private void planShifts(double[] xs, int b, int p0) {
    Shifts s = plans[b];
    if (s == null || !java.util.Arrays.equals(s.xs, 0, cur, xs, p0, p0 + cur)) {
      double[] x = java.util.Arrays.copyOfRange(xs, p0, p0 + cur);
      s = Shifts.plan(x, cur);
      if (s == null) s = new Shifts(x, null, null, null, 0);
      plans[b] = s;
    }
    shifts = s;
  }

  /** (c, s) ← (c ch − s sh, s ch + c sh), the rotation of (cos a, sin a) by h to (cos(a + h), sin(a + h)). */
  private static void rotateRow(double[] c, double[] s, double[] ch, double[] sh, int n) {
    for (int r = 0; r < n; r++) {
      double cq = c[r], sq = s[r];
      c[r] = cq * ch[r] - sq * sh[r];
      s[r] = sq * ch[r] + cq * sh[r];
    }
  }

  /** cos or sin (node i) of w t + b at every point, by rotations where the plan has them. */
  private void rotate(int i) {
    Node nd = nodes[i];
    int a = nd.in[0];
    double[] pre = buf[a], w = buf[affW[a]], b = buf[affB[a]], x = buf[affX[a]];
    boolean lazy = anchorsOnly[a];
    int rows = nd.size, nh = shifts.shift.length;
    boolean sine = nd.fn == Elementwise.SIN;
    double[] c = sine ? aux : buf[i], s = sine ? buf[i] : aux;
    for (int k = 0; k < nh; k++) {
      double h = shifts.shift[k];
      for (int r = 0; r < rows; r++) angle[r] = w[r] * h;
      VecMath.cosKernelUnscanned(angle, rotCos[k], 0, rows);
      VecMath.sin(angle, 0, rotSin[k], 0, rows);
    }
    int[] from = shifts.from, which = shifts.which;
    for (int p = 0; p < cur; p++) {
      int o = p * rows, q = from[p];
      if (q < 0) {
        if (lazy) {
          double xv = x[p];
          for (int r = 0; r < rows; r++) pre[o + r] = w[r] * xv + b[r];
        }
        VecMath.cosKernelUnscanned(pre, c, o, o + rows);
        VecMath.sin(pre, o, s, o, rows);
        continue;
      }
      // through row-length buffers: every array in the loop at the same index, so that it vectorises
      int qo = q * rows, k = which[p];
      System.arraycopy(c, qo, rowC, 0, rows);
      System.arraycopy(s, qo, rowS, 0, rows);
      rotateRow(rowC, rowS, rotCos[k], rotSin[k], rows);
      System.arraycopy(rowC, 0, c, o, rows);
      System.arraycopy(rowS, 0, s, o, rows);
    }
  }

  /** {w, x} when the node is w * x with w a vector fixed per network and x a scalar per point, else null. */
  private int[] scaledInput(Node m, boolean[] batched) {
    if (m.kind == Kind.MATVEC && nodes[m.in[1]].size == 1 && !batched[m.in[0]] && batched[m.in[1]]) return new int[] {m.in[0], m.in[1]};
    if (m.kind == Kind.BINARY && m.op == Tape.BinOp.MUL) {
      if (m.mode == Tape.Broadcast.B_SCALAR && !batched[m.in[0]] && batched[m.in[1]] && nodes[m.in[1]].size == 1) return new int[] {m.in[0], m.in[1]};
      if (m.mode == Tape.Broadcast.A_SCALAR && batched[m.in[0]] && !batched[m.in[1]] && nodes[m.in[0]].size == 1) return new int[] {m.in[1], m.in[0]};
    }
    return null;
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
    if (input < 0) {
      // nothing depends on the input: the value at every point is the same
      cur = block;
      int[] pp = perPointRun;
      for (int i = 0; i < pp.length; i++) run(pp[i]);
      double[] o = buf[output];
      for (int p = 0; p < points; p++) System.arraycopy(o, 0, out, outOff + p * outSize, outSize);
      return;
    }
    // with all points in one block, nodes that depend on the input only keep their values while the points stay the same
    boolean keepInputOnly = block == points && inputOnly.length > 0 && lastXs != null && java.util.Arrays.equals(lastXs, 0, inDim * points, xs, 0, inDim * points);
    if (block == points && inputOnly.length > 0 && !keepInputOnly) lastXs = java.util.Arrays.copyOf(xs, inDim * points);
    for (int b = 0, p0 = 0; p0 < points; b++, p0 += block) {
      cur = Math.min(block, points - p0);
      System.arraycopy(xs, p0 * inDim, buf[input], 0, inDim * cur);
      if (aux != null) planShifts(xs, b, p0);
      int[] pp = perPointRun;
      for (int i = 0; i < pp.length; i++) {
        int k = pp[i];
        if (keepInputOnly && !nodes[k].paramDep) continue;
        if (rotating[k] && shifts.rotated > 0) rotate(k);
        else if (!(anchorsOnly[k] && shifts.rotated > 0)) run(k);
      }
      double[] o = buf[output];
      int to = outOff + p0 * outSize;
      if (batched[output]) System.arraycopy(o, 0, out, to, outSize * cur);
      else for (int p = 0; p < cur; p++) System.arraycopy(o, 0, out, to + p * outSize, outSize);
    }
  }

  /**
   * A chunk of networks at the batch of points: network n's parameters are
   * {@code theta[thetaOff + n*parameterCount ..]}, its outputs go to
   * {@code out[outOff + n*points*outSize ..]} (point after point). Leaves the last network in the
   * parameter buffers.
   */
  public void evalChunk(double[] theta, int thetaOff, int networks, double[] xs, double[] out, int outOff) {
    int pc = tape.parameterCount(), stride = points * outSize;
    for (int n = 0; n < networks; n++) {
      setParameters(theta, thetaOff + n * pc);
      eval(xs, out, outOff + n * stride);
    }
  }

  // ---------------------------------------------------------------- for Reverse

  /** The value buffer of a node after {@link #eval} (point after point when {@link #batched}). */
  public double[] value(int node) {
    if (block != points) throw new IllegalStateException("the values of a blocked evaluator are those of its last block");
    return buf[node];
  }

  /** Whether the node's value has one copy per point. */
  boolean batched(int node) { return batched[node]; }

  private void run(int i) {
    Node nd = nodes[i];
    double[] d = buf[i];
    if (nd.kind == Kind.UNARY) { // its input is batched exactly when it is
      int n = batched[i] ? nd.size * cur : nd.size;
      if (scalar) {
        double[] a = buf[nd.in[0]];
        Elementwise f = nd.fn;
        for (int j = 0; j < n; j++) d[j] = f.value(a[j]);
      } else {
        unary(nd.fn, buf[nd.in[0]], d, n);
      }
      return;
    }
    if (affW[i] >= 0) {
      double[] w = buf[affW[i]], b = buf[affB[i]], x = buf[affX[i]];
      int rows = nd.size;
      for (int p = 0; p < cur; p++) {
        double xv = x[p];
        int o = p * rows;
        for (int r = 0; r < rows; r++) d[o + r] = w[r] * xv + b[r];
      }
      return;
    }
    if (nd.kind == Kind.BINARY && nd.mode == Tape.Broadcast.SAME && batched[nd.in[0]] && batched[nd.in[1]]) {
      binary(nd.op, nd.mode, buf[nd.in[0]], 0, buf[nd.in[1]], 0, d, 0, nd.size * cur, 0);
      return;
    }
    int reps = batched[i] ? cur : 1;
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
