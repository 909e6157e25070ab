package org.nnft.numeric;

import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * A per-thread executor of a {@link Tape}: owns one buffer per node, allocated once. Fill the
 * parameter buffers (see {@link #paramBuffer}), call {@link #prepare()} once per network and
 * {@link #at(double[], int, double[], int)} per point. Allocates nothing per call.
 */
public final class Kernel {
  private final Node[] nodes;
  private final double[][] buf;
  private final int[] perNetwork;
  private final int[] perPoint;
  private final int input, output, inDim, outSize;
  private final boolean[] fusedAffine;
  private final int[] perPointRun;

  public Kernel(Tape tape) {
    int n = tape.nodes.size();
    nodes = tape.nodes.toArray(new Node[0]);
    buf = new double[n][];
    int a = 0, b = 0;
    for (Node nd : nodes) if (nd.inputDep) { if (nd.kind != Kind.INPUT) b++; } else if (nd.kind != Kind.CONST && nd.kind != Kind.PARAM) a++;
    perNetwork = new int[a];
    perPoint = new int[b];
    a = 0;
    b = 0;
    for (int i = 0; i < n; i++) {
      Node nd = nodes[i];
      buf[i] = nd.kind == Kind.CONST ? nd.value : new double[nd.size];
      if (nd.inputDep) { if (nd.kind != Kind.INPUT) perPoint[b++] = i; }
      else if (nd.kind != Kind.CONST && nd.kind != Kind.PARAM) perNetwork[a++] = i;
    }
    // peephole: W @ x + b with a one-column W and a single use of the product runs as one loop
    fusedAffine = new boolean[n];
    int[] uses = new int[n];
    for (Node nd : nodes) for (int i : nd.in) uses[i]++;
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    for (int i : perPoint) {
      Node nd = nodes[i];
      if (nd.kind == Kind.BINARY && nd.mode == Tape.SAME && "+".equals(nd.fn)) {
        Node m = nodes[nd.in[0]];
        if (m.kind == Kind.MATVEC && nodes[m.in[1]].size == 1 && uses[nd.in[0]] == 1 && m.inputDep) {
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
    if (b < perPoint.length) throw new IllegalStateException("input node counted twice");
  }

  public double[] paramBuffer(int node) { return buf[node]; }
  public int outputSize() { return outSize; }

  /** Runs the nodes that do not depend on the input. */
  public void prepare() {
    for (int i : perNetwork) run(i);
  }

  /** Evaluates at the point x[xOff .. xOff+d) and writes the output to out[outOff ..]. */
  public void at(double[] x, int xOff, double[] out, int outOff) {
    if (input >= 0) System.arraycopy(x, xOff, buf[input], 0, inDim);
    int[] pp = perPointRun;
    for (int i = 0; i < pp.length; i++) run(pp[i]);
    double[] o = buf[output];
    if (outSize == 1) out[outOff] = o[0];
    else System.arraycopy(o, 0, out, outOff, outSize);
  }

  private void run(int i) {
    Node nd = nodes[i];
    double[] d = buf[i];
    switch (nd.kind) {
      case UNARY -> unary(nd.fn, buf[nd.in[0]], d, nd.size);
      case BINARY -> {
        if (fusedAffine[i]) {
          Node m = nodes[nd.in[0]];
          double[] w = buf[m.in[0]], b = buf[nd.in[1]];
          double x = buf[m.in[1]][0];
          int rows = nd.size;
          for (int r = 0; r < rows; r++) d[r] = w[r] * x + b[r];
        } else {
          binary(nd, buf[nd.in[0]], buf[nd.in[1]], d);
        }
      }
      case MATVEC -> {
        double[] m = buf[nd.in[0]], v = buf[nd.in[1]];
        int rows = nd.size, k = v.length;
        if (k == 1) {
          double x = v[0];
          for (int r = 0; r < rows; r++) d[r] = m[r] * x;
        } else if (k == 2) {
          double x0 = v[0], x1 = v[1];
          for (int r = 0; r < rows; r++) d[r] = m[2 * r] * x0 + m[2 * r + 1] * x1;
        } else {
          for (int r = 0; r < rows; r++) {
            double s = 0;
            int o = r * k;
            for (int j = 0; j < k; j++) s += m[o + j] * v[j];
            d[r] = s;
          }
        }
      }
      case VECMAT -> {
        double[] v = buf[nd.in[0]], m = buf[nd.in[1]];
        int cols = nd.size, k = v.length;
        java.util.Arrays.fill(d, 0, cols, 0.0);
        for (int j = 0; j < k; j++) {
          double x = v[j];
          int o = j * cols;
          for (int c = 0; c < cols; c++) d[c] += x * m[o + c];
        }
      }
      case MATMAT -> {
        double[] a = buf[nd.in[0]], b = buf[nd.in[1]];
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[nd.in[0]].shape[1];
        java.util.Arrays.fill(d, 0, rows * cols, 0.0);
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double x = a[r * k + j];
            for (int c = 0; c < cols; c++) d[r * cols + c] += x * b[j * cols + c];
          }
      }
      case DOT -> d[0] = dot(buf[nd.in[0]], buf[nd.in[1]]);
      case SUM -> d[0] = sum(buf[nd.in[0]]);
      case PROD -> {
        double[] a = buf[nd.in[0]];
        double s = 1;
        for (double x : a) s *= x;
        d[0] = s;
      }
      case NORM -> {
        double[] a = buf[nd.in[0]];
        double s = 0;
        for (double x : a) s += x * x;
        d[0] = Math.sqrt(s);
      }
      case MAX -> {
        double[] a = buf[nd.in[0]];
        double s = Double.NEGATIVE_INFINITY;
        for (double x : a) s = Math.max(s, x);
        d[0] = s;
      }
      case MIN -> {
        double[] a = buf[nd.in[0]];
        double s = Double.POSITIVE_INFINITY;
        for (double x : a) s = Math.min(s, x);
        d[0] = s;
      }
      case INDEX -> System.arraycopy(buf[nd.in[0]], nd.index, d, 0, nd.size);
      case STACK -> {
        int o = 0;
        for (int j : nd.in) {
          double[] a = buf[j];
          System.arraycopy(a, 0, d, o, a.length);
          o += a.length;
        }
      }
      case TRANSPOSE -> {
        double[] a = buf[nd.in[0]];
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++) for (int y = 0; y < c; y++) d[y * r + x] = a[x * c + y];
      }
      case SOFTMAX -> {
        double[] a = buf[nd.in[0]];
        double mx = Double.NEGATIVE_INFINITY;
        for (double x : a) mx = Math.max(mx, x);
        double s = 0;
        for (int j = 0; j < a.length; j++) { d[j] = Math.exp(a[j] - mx); s += d[j]; }
        for (int j = 0; j < a.length; j++) d[j] /= s;
      }
      default -> throw new IllegalStateException("cannot run " + nd.kind);
    }
  }

  /** Dot product with four independent accumulators (a fixed order: deterministic). */
  static double dot(double[] a, double[] b) {
    int n = a.length, j = 0;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[j] * b[j];
      s1 += a[j + 1] * b[j + 1];
      s2 += a[j + 2] * b[j + 2];
      s3 += a[j + 3] * b[j + 3];
    }
    for (; j < n; j++) s0 += a[j] * b[j];
    return (s0 + s1) + (s2 + s3);
  }

  static double sum(double[] a) {
    int n = a.length, j = 0;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; j + 3 < n; j += 4) {
      s0 += a[j];
      s1 += a[j + 1];
      s2 += a[j + 2];
      s3 += a[j + 3];
    }
    for (; j < n; j++) s0 += a[j];
    return (s0 + s1) + (s2 + s3);
  }

  static void unary(String fn, double[] a, double[] d, int n) {
    switch (fn) {
      case "cos" -> VecMath.cosKernelUnscanned(a, d, n);
      case "sin" -> VecMath.sin(a, 0, d, 0, n);
      case "exp" -> VecMath.exp(a, 0, d, 0, n);
      case "log" -> VecMath.log(a, 0, d, 0, n);
      case "sqrt" -> VecMath.sqrt(a, 0, d, 0, n);
      case "tanh" -> VecMath.tanh(a, 0, d, 0, n);
      case "erf" -> VecMath.erf(a, 0, d, 0, n);
      case "relu" -> VecMath.relu(a, 0, d, 0, n);
      case "sigmoid" -> VecMath.sigmoid(a, 0, d, 0, n);
      case "softplus" -> VecMath.softplus(a, 0, d, 0, n);
      case "gelu" -> VecMath.gelu(a, 0, d, 0, n);
      case "abs" -> VecMath.abs(a, 0, d, 0, n);
      case "identity" -> System.arraycopy(a, 0, d, 0, n);
      case "neg" -> { for (int i = 0; i < n; i++) d[i] = -a[i]; }
      case "tan" -> { for (int i = 0; i < n; i++) d[i] = Math.tan(a[i]); }
      case "sign" -> { for (int i = 0; i < n; i++) d[i] = Math.signum(a[i]); }
      case "step" -> { for (int i = 0; i < n; i++) d[i] = a[i] > 0 ? 1 : 0; }
      case "square" -> { for (int i = 0; i < n; i++) d[i] = a[i] * a[i]; }
      case "acos" -> { for (int i = 0; i < n; i++) d[i] = Math.acos(a[i]); }
      case "asin" -> { for (int i = 0; i < n; i++) d[i] = Math.asin(a[i]); }
      case "atan" -> { for (int i = 0; i < n; i++) d[i] = Math.atan(a[i]); }
      case "sinh" -> { for (int i = 0; i < n; i++) d[i] = Math.sinh(a[i]); }
      case "cosh" -> { for (int i = 0; i < n; i++) d[i] = Math.cosh(a[i]); }
      default -> throw new IllegalStateException("no kernel for " + fn);
    }
  }

  private static void binary(Node nd, double[] a, double[] b, double[] d) {
    int n = nd.size;
    switch (nd.mode) {
      case Tape.SAME -> {
        switch (nd.fn) {
          case "+" -> { for (int i = 0; i < n; i++) d[i] = a[i] + b[i]; }
          case "-" -> { for (int i = 0; i < n; i++) d[i] = a[i] - b[i]; }
          case "*" -> { for (int i = 0; i < n; i++) d[i] = a[i] * b[i]; }
          case "/" -> { for (int i = 0; i < n; i++) d[i] = a[i] / b[i]; }
          default -> { for (int i = 0; i < n; i++) d[i] = pow(a[i], b[i]); }
        }
      }
      case Tape.B_SCALAR -> {
        double y = b[0];
        switch (nd.fn) {
          case "+" -> { for (int i = 0; i < n; i++) d[i] = a[i] + y; }
          case "-" -> { for (int i = 0; i < n; i++) d[i] = a[i] - y; }
          case "*" -> { for (int i = 0; i < n; i++) d[i] = a[i] * y; }
          case "/" -> { for (int i = 0; i < n; i++) d[i] = a[i] / y; }
          default -> {
            if (y == 2) { for (int i = 0; i < n; i++) d[i] = a[i] * a[i]; }
            else { for (int i = 0; i < n; i++) d[i] = pow(a[i], y); }
          }
        }
      }
      case Tape.A_SCALAR -> {
        double x = a[0];
        switch (nd.fn) {
          case "+" -> { for (int i = 0; i < n; i++) d[i] = x + b[i]; }
          case "-" -> { for (int i = 0; i < n; i++) d[i] = x - b[i]; }
          case "*" -> { for (int i = 0; i < n; i++) d[i] = x * b[i]; }
          case "/" -> { for (int i = 0; i < n; i++) d[i] = x / b[i]; }
          default -> { for (int i = 0; i < n; i++) d[i] = pow(x, b[i]); }
        }
      }
      default -> {
        boolean rowB = nd.mode == Tape.B_ROW;
        int cols = nd.shape[1];
        for (int i = 0; i < n; i++) {
          double x = rowB ? a[i] : a[i % cols];
          double y = rowB ? b[i % cols] : b[i];
          d[i] = switch (nd.fn) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            default -> pow(x, y);
          };
        }
      }
    }
  }

  private static double pow(double a, double b) {
    if (b == 2) return a * a;
    if (b == 0.5) return Math.sqrt(a);
    return Math.pow(a, b);
  }
}
