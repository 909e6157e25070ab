package org.nnft.gauge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.nnft.numeric.Kernel;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.numeric.VecMath;

/**
 * The exact Jacobian {@code ∂f(x)/∂θ} of a lowered net ({@link Tape}) with respect to all its
 * parameters, at one input, in plain doubles by reverse mode (one backward sweep per output
 * component), and the generic orbit dimension of any declared net built on it ({@link #orbitDim}).
 *
 * <p>The forward pass follows {@code org.nnft.numeric.Kernel} node by node (same broadcast modes,
 * softmax along the last axis, {@code ^} with the same special cases); element-wise functions use
 * {@link Math} and the scalar forms of {@link VecMath}, so the values agree with the kernel's to
 * rounding. Parameters are numbered as on the tape (parameter number, then row-major within a
 * parameter), which is the declaration order of the net.
 *
 * <p>Derivatives of the non-smooth operations are one-sided: {@code relu}, {@code leaky_relu},
 * {@code step} and {@code abs} use their slope on the side {@code x > 0} / {@code x ≤ 0} (as the
 * kernel decides the value), {@code sign} and {@code step} have derivative 0, {@code max} and
 * {@code min} pass the adjoint to the first entry attaining them. These are exact away from the kinks,
 * which random inputs reach with probability zero.
 *
 * <p>An instance owns its buffers: one thread at a time.
 */
public final class TapeJacobian {
  private final Node[] nodes;
  private final double[][] val, adj;
  private final int[] paramOffset; // per node: offset of its entries in θ (PARAM nodes), else -1
  private final DoubleUnaryOperator[] f, df;
  private final int input, output, inSize, outSize, parameters;

  public TapeJacobian(Tape tape) {
    int n = tape.nodes.size();
    nodes = tape.nodes.toArray(new Node[0]);
    val = new double[n][];
    adj = new double[n][];
    paramOffset = new int[n];
    f = new DoubleUnaryOperator[n];
    df = new DoubleUnaryOperator[n];
    Arrays.fill(paramOffset, -1);
    // parameter offsets in parameter-number order (the order of CompiledNet.params)
    List<Integer> ps = new ArrayList<>(tape.paramNodes);
    ps.sort((a, b) -> Integer.compare(nodes[a].index, nodes[b].index));
    int off = 0;
    for (int p : ps) {
      paramOffset[p] = off;
      off += nodes[p].size;
    }
    parameters = off;
    for (int i = 0; i < n; i++) {
      Node nd = nodes[i];
      val[i] = nd.kind == Kind.CONST ? nd.value : new double[nd.size];
      if (nd.paramDep) adj[i] = new double[nd.size];
      if (nd.kind == Kind.UNARY) {
        f[i] = nd.fn::value;
        df[i] = nd.fn::d1;
      }
    }
    input = tape.input;
    output = tape.output;
    inSize = input >= 0 ? nodes[input].size : 0;
    outSize = nodes[output].size;
  }

  public int parameterCount() { return parameters; }
  public int inputSize() { return inSize; }
  public int outputSize() { return outSize; }

  /** Sets all parameters: {@code theta} in tape order (see the class comment), length {@link #parameterCount}. */
  public void setParameters(double[] theta) {
    if (theta.length != parameters) throw new IllegalArgumentException("expected " + parameters + " parameters, got " + theta.length);
    for (int i = 0; i < nodes.length; i++) {
      if (paramOffset[i] >= 0) System.arraycopy(theta, paramOffset[i], val[i], 0, nodes[i].size);
    }
  }

  /** Sets the parameter with tape number {@code number} (row-major values). */
  public void setParameter(int number, double[] values) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i].kind == Kind.PARAM && nodes[i].index == number) {
        System.arraycopy(values, 0, val[i], 0, nodes[i].size);
        return;
      }
    }
    throw new IllegalArgumentException("no parameter " + number);
  }

  /** The outputs at input {@code x} (row-major for a matrix input). */
  public double[] eval(double[] x) {
    forward(x);
    return val[output].clone();
  }

  /**
   * The outputs at {@code x}, and {@code rows[k][j] = ∂f_k/∂θ_j} ({@code rows} is
   * {@code outputSize × parameterCount}, overwritten).
   */
  public double[] jacobian(double[] x, double[][] rows) {
    forward(x);
    for (int k = 0; k < outSize; k++) {
      double[] row = rows[k];
      Arrays.fill(row, 0);
      if (!nodes[output].paramDep) continue;
      for (double[] a : adj) if (a != null) Arrays.fill(a, 0);
      adj[output][k] = 1;
      for (int i = output; i >= 0; i--) if (nodes[i].paramDep) backward(i, row);
    }
    return val[output].clone();
  }

  // ---------------------------------------------------------------- forward

  private void forward(double[] x) {
    if (input >= 0) {
      if (x.length != inSize) throw new IllegalArgumentException("expected an input of size " + inSize + ", got " + x.length);
      System.arraycopy(x, 0, val[input], 0, inSize);
    }
    for (int i = 0; i <= output; i++) {
      Node nd = nodes[i];
      if (nd.kind == Kind.INPUT || nd.kind == Kind.PARAM || nd.kind == Kind.CONST) continue;
      run(i, nd, val[i]);
    }
  }

  private void run(int i, Node nd, double[] d) {
    switch (nd.kind) {
      case UNARY -> {
        double[] a = val[nd.in[0]];
        DoubleUnaryOperator g = f[i];
        for (int j = 0; j < nd.size; j++) d[j] = g.applyAsDouble(a[j]);
      }
      case BINARY -> {
        double[] a = val[nd.in[0]], b = val[nd.in[1]];
        int cols = nd.shape.length == 2 ? nd.shape[1] : 1;
        for (int j = 0; j < nd.size; j++) d[j] = op(nd.op, a[ia(nd.mode, j, cols)], b[ib(nd.mode, j, cols)]);
      }
      case MATVEC -> {
        double[] m = val[nd.in[0]], v = val[nd.in[1]];
        int k = nodes[nd.in[1]].size;
        for (int r = 0; r < nd.size; r++) {
          double s = 0;
          for (int j = 0; j < k; j++) s += m[r * k + j] * v[j];
          d[r] = s;
        }
      }
      case VECMAT -> {
        double[] v = val[nd.in[0]], m = val[nd.in[1]];
        int cols = nd.size, k = nodes[nd.in[0]].size;
        Arrays.fill(d, 0);
        for (int j = 0; j < k; j++) for (int c = 0; c < cols; c++) d[c] += v[j] * m[j * cols + c];
      }
      case MATMAT -> {
        double[] a = val[nd.in[0]], b = val[nd.in[1]];
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[nd.in[0]].shape[1];
        Arrays.fill(d, 0);
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double x = a[r * k + j];
            for (int c = 0; c < cols; c++) d[r * cols + c] += x * b[j * cols + c];
          }
      }
      case DOT -> {
        double[] a = val[nd.in[0]], b = val[nd.in[1]];
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        d[0] = s;
      }
      case SUM, PROD, NORM, MAX, MIN -> {
        double[] a = val[nd.in[0]];
        double s = nd.kind == Kind.PROD ? 1 : nd.kind == Kind.MAX ? Double.NEGATIVE_INFINITY : nd.kind == Kind.MIN ? Double.POSITIVE_INFINITY : 0;
        for (double x : a) {
          s = switch (nd.kind) {
            case SUM -> s + x;
            case PROD -> s * x;
            case MAX -> Math.max(s, x);
            case MIN -> Math.min(s, x);
            default -> s + x * x;
          };
        }
        d[0] = nd.kind == Kind.NORM ? Math.sqrt(s) : s;
      }
      case INDEX -> System.arraycopy(val[nd.in[0]], nd.index, d, 0, nd.size);
      case STACK -> {
        int q = 0;
        for (int j : nd.in) {
          System.arraycopy(val[j], 0, d, q, nodes[j].size);
          q += nodes[j].size;
        }
      }
      case TRANSPOSE -> {
        double[] a = val[nd.in[0]];
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++) for (int y = 0; y < c; y++) d[y * r + x] = a[x * c + y];
      }
      case SOFTMAX -> {
        double[] a = val[nd.in[0]];
        int len = lastDim(nd);
        for (int r = 0; r < nd.size; r += len) {
          double mx = Double.NEGATIVE_INFINITY;
          for (int j = r; j < r + len; j++) mx = Math.max(mx, a[j]);
          double s = 0;
          for (int j = r; j < r + len; j++) { d[j] = Math.exp(a[j] - mx); s += d[j]; }
          for (int j = r; j < r + len; j++) d[j] /= s;
        }
      }
      default -> throw new IllegalStateException("cannot differentiate a " + nd.kind + " node");
    }
  }

  private static int lastDim(Node nd) { return nd.shape.length == 0 ? 1 : nd.shape[nd.shape.length - 1]; }

  /** Index into the first operand of a binary node for output entry j. */
  private static int ia(Tape.Broadcast mode, int j, int cols) {
    return switch (mode) {
      case A_SCALAR -> 0;
      case A_ROW -> j % cols;
      default -> j;
    };
  }

  private static int ib(Tape.Broadcast mode, int j, int cols) {
    return switch (mode) {
      case B_SCALAR -> 0;
      case B_ROW -> j % cols;
      default -> j;
    };
  }

  private static double op(Tape.BinOp fn, double x, double y) { return Kernel.apply(fn, x, y); }

  private static double pow(double a, double b) { return Kernel.pow(a, b); }

  // ---------------------------------------------------------------- backward

  /** Accumulates into the adjoints of node i's parameter-dependent inputs, or into θ for a parameter. */
  private void backward(int i, double[] row) {
    Node nd = nodes[i];
    double[] g = adj[i];
    if (nd.kind == Kind.PARAM) {
      int o = paramOffset[i];
      for (int j = 0; j < nd.size; j++) row[o + j] += g[j];
      return;
    }
    int i0 = nd.in.length > 0 ? nd.in[0] : -1;
    double[] ga = i0 >= 0 ? adj[i0] : null; // null unless the input depends on the parameters
    switch (nd.kind) {
      case UNARY -> {
        if (ga == null) return;
        double[] a = val[i0];
        DoubleUnaryOperator dg = df[i];
        for (int j = 0; j < nd.size; j++) if (g[j] != 0) ga[j] += g[j] * dg.applyAsDouble(a[j]);
      }
      case BINARY -> {
        double[] gb = adj[nd.in[1]];
        double[] a = val[i0], b = val[nd.in[1]];
        int cols = nd.shape.length == 2 ? nd.shape[1] : 1;
        Tape.BinOp fn = nd.op;
        for (int j = 0; j < nd.size; j++) {
          double gj = g[j];
          if (gj == 0) continue;
          int ja = ia(nd.mode, j, cols), jb = ib(nd.mode, j, cols);
          double x = a[ja], y = b[jb];
          if (ga != null) {
            double dx = switch (fn) {
              case ADD, SUB -> 1;
              case MUL -> y;
              case DIV -> 1 / y;
              default -> y == 2 ? 2 * x : y == 1 ? 1 : y == 0 ? 0 : y * Math.pow(x, y - 1);
            };
            ga[ja] += gj * dx;
          }
          if (gb != null) {
            double dy = switch (fn) {
              case ADD -> 1;
              case SUB -> -1;
              case MUL -> x;
              case DIV -> -x / (y * y);
              default -> x == 0 ? 0 : pow(x, y) * Math.log(x);
            };
            gb[jb] += gj * dy;
          }
        }
      }
      case MATVEC -> {
        double[] m = val[i0], v = val[nd.in[1]], gv = adj[nd.in[1]];
        int k = nodes[nd.in[1]].size;
        for (int r = 0; r < nd.size; r++) {
          double gr = g[r];
          if (gr == 0) continue;
          if (ga != null) for (int j = 0; j < k; j++) ga[r * k + j] += gr * v[j];
          if (gv != null) for (int j = 0; j < k; j++) gv[j] += gr * m[r * k + j];
        }
      }
      case VECMAT -> {
        double[] v = val[i0], m = val[nd.in[1]], gm = adj[nd.in[1]];
        int cols = nd.size, k = nodes[i0].size;
        for (int j = 0; j < k; j++)
          for (int c = 0; c < cols; c++) {
            if (ga != null) ga[j] += g[c] * m[j * cols + c];
            if (gm != null) gm[j * cols + c] += v[j] * g[c];
          }
      }
      case MATMAT -> {
        double[] a = val[i0], b = val[nd.in[1]], gb = adj[nd.in[1]];
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[i0].shape[1];
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double s = 0, x = a[r * k + j];
            for (int c = 0; c < cols; c++) {
              double gc = g[r * cols + c];
              s += gc * b[j * cols + c];
              if (gb != null) gb[j * cols + c] += x * gc;
            }
            if (ga != null) ga[r * k + j] += s;
          }
      }
      case DOT -> {
        double[] a = val[i0], b = val[nd.in[1]], gb = adj[nd.in[1]];
        if (ga != null) for (int j = 0; j < a.length; j++) ga[j] += g[0] * b[j];
        if (gb != null) for (int j = 0; j < a.length; j++) gb[j] += g[0] * a[j];
      }
      case SUM -> { if (ga != null) for (int j = 0; j < ga.length; j++) ga[j] += g[0]; }
      case PROD -> {
        if (ga == null) return;
        double[] a = val[i0];
        int len = a.length;
        double[] suffix = new double[len + 1];
        suffix[len] = 1;
        for (int j = len - 1; j >= 0; j--) suffix[j] = suffix[j + 1] * a[j];
        double prefix = 1;
        for (int j = 0; j < len; j++) {
          ga[j] += g[0] * prefix * suffix[j + 1];
          prefix *= a[j];
        }
      }
      case NORM -> {
        if (ga == null) return;
        double[] a = val[i0];
        double nrm = val[i][0];
        if (nrm > 0) for (int j = 0; j < a.length; j++) ga[j] += g[0] * a[j] / nrm;
      }
      case MAX, MIN -> {
        if (ga == null) return;
        double[] a = val[i0];
        double m = val[i][0];
        for (int j = 0; j < a.length; j++) {
          if (a[j] == m) {
            ga[j] += g[0];
            break;
          }
        }
      }
      case INDEX -> { if (ga != null) for (int j = 0; j < nd.size; j++) ga[nd.index + j] += g[j]; }
      case STACK -> {
        int q = 0;
        for (int j : nd.in) {
          double[] gj = adj[j];
          if (gj != null) for (int t = 0; t < nodes[j].size; t++) gj[t] += g[q + t];
          q += nodes[j].size;
        }
      }
      case TRANSPOSE -> {
        if (ga == null) return;
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++) for (int y = 0; y < c; y++) ga[x * c + y] += g[y * r + x];
      }
      case SOFTMAX -> {
        if (ga == null) return;
        double[] s = val[i];
        int len = lastDim(nd);
        for (int r = 0; r < nd.size; r += len) {
          double dot = 0;
          for (int j = r; j < r + len; j++) dot += g[j] * s[j];
          for (int j = r; j < r + len; j++) ga[j] += s[j] * (g[j] - dot);
        }
      }
      default -> throw new IllegalStateException("cannot differentiate a " + nd.kind + " node");
    }
  }

  // ---------------------------------------------------------------- element-wise functions


  /** Whether the tape uses an operation whose derivative jumps: relu-type functions, max, min. */
  public static boolean nonSmooth(Tape tape) {
    for (Node nd : tape.nodes) {
      if (!nd.paramDep) continue;
      if (nd.kind == Kind.UNARY && !nd.fn.smooth()) return true;
      if (nd.kind == Kind.MAX || nd.kind == Kind.MIN) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- orbit dimension

  /** Fills {@code theta} (tape order) with one draw of the net's parameters. */
  @FunctionalInterface
  public interface ParameterDraw {
    void draw(Rng rng, double[] theta);
  }

  /** Input scales: inputs are {@code s g}, {@code g ~ N(0, I)}, with {@code s} cycling through these. */
  static final double[] SCALES = {0.5, 1, 2};
  /** Inputs per batch: {@code max(MIN_INPUTS, ⌈BATCH_FACTOR · P / outputs⌉)}. */
  static final int MIN_INPUTS = 64, BATCH_FACTOR = 4;
  /** Rounds of batch growth (up to {@code GaugeRank.DIRECT_COLS} parameters) while the rank grows. */
  static final int GROWTH_ROUNDS = 3;

  /**
   * The generic orbit dimension of the net on {@code tape}: {@code P} minus the rank of the
   * Jacobian of all outputs over a batch of inputs with respect to all parameters, at a parameter
   * point from {@code draw}, confirmed at a second independent point (and batch); both from
   * {@code seed}.
   *
   * <p><b>Batch.</b> {@code max(64, ⌈4P/outputs⌉)} Gaussian inputs (every entry of a matrix input
   * too) at scales 1/2, 1, 2 in turn; up to {@code GaugeRank.DIRECT_COLS} = 500 parameters as many
   * again, up to 3 times, while the rank grows. Inputs at which an output or a derivative is not
   * finite (e.g. {@code log} of a negative number) are replaced, and counted in the note.
   *
   * <p><b>Rank.</b> By {@code GaugeRank}, with the tolerance and the gap of {@link OrbitDim}:
   * {@code tol = max(rows, cols) · ε · σ_max · 10³}, gap {@code σ_r / σ_{r+1}}. The Jacobian is
   * exact (reverse mode), so the null directions sit at rounding level, far below {@code tol}.
   *
   * <p><b>Non-smooth nets.</b> With relu-type functions, {@code max} or {@code min} (outside the
   * feed-forward form, whose batches are built to switch every unit) the Gaussian batch may not
   * reach every linear region; a unit that never switches on the batch is linear there and fakes
   * symmetries, so the rank is then a lower bound (the orbit dimension an upper bound). One draw is
   * made per point; the note says so, and a disagreement of the two points is flagged.
   *
   * @throws IllegalArgumentException above {@link OrbitDim#MAX_PARAMETERS} parameters, or when no
   *     input gives finite outputs and derivatives
   */
  public static OrbitDim.Result orbitDim(Tape tape, ParameterDraw draw, long seed) {
    TapeJacobian J = new TapeJacobian(tape);
    int P = J.parameterCount();
    OrbitDim.checkSize(P);
    long t0 = System.nanoTime();
    if (P == 0) return new OrbitDim.Result(0, 0, 0, 0, Double.POSITIVE_INFINITY, 0, "no random parameters");
    boolean rough = nonSmooth(tape);
    OrbitDim.Point a = point(J, draw, Rng.forStream(seed, 0x7a9e1L), rough);
    OrbitDim.Point b = point(J, draw, Rng.forStream(seed, 0x7a9e2L), rough);
    return OrbitDim.result(P, a, b, t0);
  }

  private static OrbitDim.Point point(TapeJacobian J, ParameterDraw draw, Rng rng, boolean rough) {
    int P = J.parameterCount(), out = J.outputSize();
    double[] theta = new double[P];
    draw.draw(rng, theta);
    for (double t : theta) {
      if (!Double.isFinite(t)) throw new IllegalArgumentException("a parameter draw is not finite");
    }
    J.setParameters(theta);
    List<double[]> xs = new ArrayList<>();
    int[] dropped = {0};
    int perBatch = Math.max(MIN_INPUTS, (BATCH_FACTOR * P + out - 1) / out);
    addBatch(J, xs, perBatch, rng, dropped);
    long rankSeed = rng.nextLong();
    GaugeRank.Info info = rankOn(J, xs, rankSeed);
    for (int round = 0; P <= GaugeRank.DIRECT_COLS && round < GROWTH_ROUNDS; round++) {
      addBatch(J, xs, perBatch, rng, dropped);
      GaugeRank.Info more = rankOn(J, xs, rankSeed);
      boolean grew = more.rank() > info.rank();
      info = more;
      if (!grew) break;
    }
    List<String> remarks = new ArrayList<>();
    remarks.add("any declared net: exact reverse-mode Jacobian of the tape, parameters drawn from the net's densities");
    if (dropped[0] > 0) remarks.add(dropped[0] + " input(s) with non-finite outputs or derivatives replaced");
    if (rough) {
      remarks.add("the net has kinks (relu-type functions, max or min): the Gaussian batch may not reach every linear"
          + " region, so the rank is a lower bound and the orbit dimension an upper bound");
    }
    return new OrbitDim.Point(info, xs.size(), "inputs", String.join("; ", remarks));
  }

  private static void addBatch(TapeJacobian J, List<double[]> xs, int count, Rng rng, int[] dropped) {
    int d = J.inputSize(), P = J.parameterCount(), out = J.outputSize();
    double[][] rows = new double[out][P];
    int added = 0, tries = 0, bad = 0, limit = 20 * count;
    while (added < count) {
      if (tries >= limit) {
        throw new IllegalArgumentException("its outputs or their derivatives are not finite at " + bad + " of " + tries
            + " random inputs (Gaussian, scales 1/2 to 2)");
      }
      tries++;
      double s = SCALES[(xs.size() + dropped[0]) % SCALES.length];
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = s * rng.normal();
      double[] y = J.jacobian(x, rows);
      if (!finite(y) || !finite(rows)) {
        dropped[0]++;
        bad++;
        continue;
      }
      xs.add(x);
      added++;
    }
  }

  private static boolean finite(double[] v) {
    for (double x : v) if (!Double.isFinite(x)) return false;
    return true;
  }

  private static boolean finite(double[][] m) {
    for (double[] r : m) if (!finite(r)) return false;
    return true;
  }

  private static GaugeRank.Info rankOn(TapeJacobian J, List<double[]> xs, long seed) {
    int P = J.parameterCount(), out = J.outputSize();
    return GaugeRank.rank(xs.size() * out, P, sink -> {
      double[][] rows = new double[out][P];
      for (double[] x : xs) {
        J.jacobian(x, rows);
        for (double[] r : rows) sink.accept(r);
      }
    }, seed);
  }
}
