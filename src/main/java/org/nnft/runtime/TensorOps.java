package org.nnft.runtime;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.nnft.numeric.VecMath;

/**
 * Arithmetic on tensors with NumPy-style broadcasting and first-order propagation of the
 * standard errors of estimates (independent errors added in quadrature).
 */
public final class TensorOps {
  private TensorOps() {}

  /** Thrown for shape problems; the interpreter attaches the place. */
  public static final class ShapeError extends RuntimeException {
    public ShapeError(String m) { super(m, null, false, false); }
  }

  static int[] broadcastShape(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
      int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new ShapeError("cannot combine " + Tensor.shapeText(a) + " with " + Tensor.shapeText(b) + " element by element");
      }
      out[i] = da == 1 ? db : da; // a size 1 stretches to the other, also to 0 (not max: [] + 1 is [])
    }
    return out;
  }

  /** For each flat index of the broadcast shape, the flat index into a tensor of shape s. */
  static int[] indexMap(int[] s, int[] out) {
    int total = 1;
    for (int d : out) total *= d;
    int[] map = new int[total];
    int n = out.length;
    int[] idx = new int[n];
    for (int f = 0; f < total; f++) {
      int flat = 0;
      for (int i = 0; i < s.length; i++) {
        int oi = i + (n - s.length);
        int k = s[i] == 1 ? 0 : idx[oi];
        flat = flat * s[i] + k;
      }
      map[f] = flat;
      for (int i = n - 1; i >= 0; i--) {
        if (++idx[i] < out[i]) break;
        idx[i] = 0;
      }
    }
    return map;
  }

  public interface Bin {
    double f(double a, double b);
    /** partial derivatives for error propagation */
    double da(double a, double b);
    double db(double a, double b);
  }

  public static final Bin ADD = new Bin() {
    public double f(double a, double b) { return a + b; }
    public double da(double a, double b) { return 1; }
    public double db(double a, double b) { return 1; }
  };
  public static final Bin SUB = new Bin() {
    public double f(double a, double b) { return a - b; }
    public double da(double a, double b) { return 1; }
    public double db(double a, double b) { return -1; }
  };
  public static final Bin MUL = new Bin() {
    public double f(double a, double b) { return a * b; }
    public double da(double a, double b) { return b; }
    public double db(double a, double b) { return a; }
  };
  public static final Bin DIV = new Bin() {
    public double f(double a, double b) { return a / b; }
    public double da(double a, double b) { return 1 / b; }
    public double db(double a, double b) { return -a / (b * b); }
  };
  public static final Bin POW = new Bin() {
    public double f(double a, double b) { return pow(a, b); }
    public double da(double a, double b) { return b == 0 ? 0 : b * pow(a, b - 1); }
    public double db(double a, double b) { return a > 0 ? pow(a, b) * Math.log(a) : 0; }
  };

  public static double pow(double a, double b) {
    if (b == 2) return a * a;
    if (b == 3) return a * a * a;
    if (b == 4) { double s = a * a; return s * s; }
    if (b == 0.5) return Math.sqrt(a);
    return Math.pow(a, b);
  }

  public static Tensor binary(Tensor a, Tensor b, Bin op) {
    int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : broadcastShape(a.shape, b.shape);
    int n = 1;
    for (int d : shape) n *= d;
    double[] out = new double[n];
    boolean errs = a.err != null || b.err != null;
    double[] e = errs ? new double[n] : null;
    int[] ma = a.data.length == n && Arrays.equals(a.shape, shape) ? null : indexMap(a.shape, shape);
    int[] mb = b.data.length == n && Arrays.equals(b.shape, shape) ? null : indexMap(b.shape, shape);
    for (int i = 0; i < n; i++) {
      int ia = ma == null ? i : ma[i], ib = mb == null ? i : mb[i];
      double x = a.data[ia], y = b.data[ib];
      out[i] = op.f(x, y);
      if (errs) {
        double ea = a.err == null ? 0 : a.err[ia] * op.da(x, y);
        double eb = b.err == null ? 0 : b.err[ib] * op.db(x, y);
        e[i] = Math.sqrt(ea * ea + eb * eb);
      }
    }
    String note = a.note != null ? a.note : b.note;
    // replicas: both from the same ensemble, or one of them exact
    boolean same = a.jack != null && b.jack != null && a.source != null && a.source.equals(b.source) && a.jack[0].length == b.jack[0].length;
    if (same || a.jack != null && b.err == null || b.jack != null && a.err == null) {
      int nb = (a.jack != null ? a.jack : b.jack)[0].length;
      double[][] r = new double[n][nb];
      if (e == null) e = new double[n];
      for (int i = 0; i < n; i++) {
        int ia = ma == null ? i : ma[i], ib = mb == null ? i : mb[i];
        for (int k = 0; k < nb; k++) {
          r[i][k] = op.f(a.jack != null ? a.jack[ia][k] : a.data[ia], b.jack != null ? b.jack[ib][k] : b.data[ib]);
        }
        e[i] = Tensor.jackError(r[i]);
      }
      return new Tensor(out, e, shape, note, r, a.jack != null ? a.source : b.source);
    }
    return new Tensor(out, e, shape, note);
  }

  public static Tensor unary(Tensor a, DoubleUnaryOperator f, DoubleUnaryOperator df) {
    int n = a.data.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(a.data[i]);
    double[] e = null;
    if (a.err != null) {
      e = new double[n];
      for (int i = 0; i < n; i++) e[i] = Math.abs(df.applyAsDouble(a.data[i]) * a.err[i]);
    }
    if (a.jack != null) {
      double[][] r = new double[n][];
      if (e == null) e = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = new double[a.jack[i].length];
        for (int k = 0; k < r[i].length; k++) r[i][k] = f.applyAsDouble(a.jack[i][k]);
        e[i] = Tensor.jackError(r[i]);
      }
      return new Tensor(out, e, a.shape, a.note, r, a.source);
    }
    return new Tensor(out, e, a.shape, a.note);
  }

  /** The element-wise functions of the language (null for an unknown name). */
  public static DoubleUnaryOperator fn(String name) { return org.nnft.numeric.Elementwise.value(name); }

  /** Their derivatives, for error propagation. */
  public static DoubleUnaryOperator dfn(String name) {
    DoubleUnaryOperator d = org.nnft.numeric.Elementwise.derivative(name);
    return d == null ? x -> 0 : d;
  }

  public static Tensor matmul(Tensor a, Tensor b) {
    if (a.err != null || b.err != null) {
      // propagate errors through the bilinear product entry by entry
      return matmulWithErrors(a, b);
    }
    if (a.rank() == 2 && b.rank() == 1) {
      int m = a.shape[0], k = a.shape[1];
      if (b.shape[0] != k) throw new ShapeError("cannot multiply " + Tensor.shapeText(a.shape) + " by " + Tensor.shapeText(b.shape) + ": inner sizes " + k + " and " + b.shape[0] + " differ");
      double[] out = new double[m];
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < k; j++) s += a.data[i * k + j] * b.data[j];
        out[i] = s;
      }
      return new Tensor(out, null, new int[] {m}, null);
    }
    if (a.rank() == 1 && b.rank() == 2) {
      int k = b.shape[0], n = b.shape[1];
      if (a.shape[0] != k) throw new ShapeError("cannot multiply " + Tensor.shapeText(a.shape) + " by " + Tensor.shapeText(b.shape) + ": inner sizes " + a.shape[0] + " and " + k + " differ");
      double[] out = new double[n];
      for (int j = 0; j < k; j++) for (int i = 0; i < n; i++) out[i] += a.data[j] * b.data[j * n + i];
      return new Tensor(out, null, new int[] {n}, null);
    }
    if (a.rank() == 2 && b.rank() == 2) {
      int m = a.shape[0], k = a.shape[1], n = b.shape[1];
      if (b.shape[0] != k) throw new ShapeError("cannot multiply " + Tensor.shapeText(a.shape) + " by " + Tensor.shapeText(b.shape) + ": inner sizes " + k + " and " + b.shape[0] + " differ");
      double[] out = new double[m * n];
      for (int i = 0; i < m; i++)
        for (int j = 0; j < k; j++) {
          double x = a.data[i * k + j];
          for (int l = 0; l < n; l++) out[i * n + l] += x * b.data[j * n + l];
        }
      return new Tensor(out, null, new int[] {m, n}, null);
    }
    if (a.rank() == 1 && b.rank() == 1) return dot(a, b);
    if (a.isScalar() || b.isScalar()) return binary(a, b, MUL);
    throw new ShapeError("cannot multiply " + Tensor.shapeText(a.shape) + " by " + Tensor.shapeText(b.shape) + " with @");
  }

  private static Tensor matmulWithErrors(Tensor a, Tensor b) {
    Tensor v = matmul(a.values(), b.values());
    Tensor ea = matmul(square(a.errors()), square(b.values()));
    Tensor eb = matmul(square(a.values()), square(b.errors()));
    double[] e = new double[v.data.length];
    for (int i = 0; i < e.length; i++) e[i] = Math.sqrt(ea.data[i] + eb.data[i]);
    return new Tensor(v.data, e, v.shape, a.note != null ? a.note : b.note);
  }

  private static Tensor square(Tensor t) {
    double[] d = new double[t.data.length];
    for (int i = 0; i < d.length; i++) d[i] = t.data[i] * t.data[i];
    return new Tensor(d, null, t.shape, null);
  }

  public static Tensor dot(Tensor a, Tensor b) {
    if (a.data.length != b.data.length) {
      throw new ShapeError("dot needs two vectors of the same length, not " + Tensor.shapeText(a.shape) + " and " + Tensor.shapeText(b.shape));
    }
    Tensor p = binary(a, b, MUL);
    return sum(p);
  }

  public static Tensor sum(Tensor a) {
    double s = 0, e = 0;
    for (int i = 0; i < a.data.length; i++) {
      s += a.data[i];
      if (a.err != null) e += a.err[i] * a.err[i];
    }
    if (a.jack != null) {
      // the entries come from one ensemble: sum their replicas, so correlations count
      double[] r = new double[a.jack[0].length];
      for (double[] j : a.jack) for (int k = 0; k < r.length; k++) r[k] += j[k];
      return new Tensor(new double[] {s}, new double[] {Tensor.jackError(r)}, new int[0], a.note, new double[][] {r}, a.source);
    }
    return a.err == null ? Tensor.scalar(s) : new Tensor(new double[] {s}, new double[] {Math.sqrt(e)}, new int[0], a.note);
  }
}
