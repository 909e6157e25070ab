package org.nnft.runtime;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.nnft.numeric.VecMath;

/**
 * Arithmetic on tensors with NumPy-style broadcasting and the errors of estimates: every random
 * source replica by replica (see {@link Tensor#reps}), errors with no replicas to first order in
 * quadrature.
 */
public final class TensorOps {
  private TensorOps() {}

  /** Thrown for shape problems; the interpreter attaches the place. */
  public static final class ShapeError extends RuntimeException {
    public ShapeError(String m) { super(m, null, false, false); }
  }

  static int[] broadcastShape(int[] a, int[] b) {
    // a size 1 stretches to the other, also to 0 (not max: [] + 1 is [])
    int[] out = org.nnft.check.Shapes.broadcast(a, b);
    if (out == null) throw new ShapeError(org.nnft.check.Errors.cannotCombine(Tensor.shapeText(a), Tensor.shapeText(b)));
    Sizes.entries(null, "the result", out);
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
    int[] ma = a.data.length == n && Arrays.equals(a.shape, shape) ? null : indexMap(a.shape, shape);
    int[] mb = b.data.length == n && Arrays.equals(b.shape, shape) ? null : indexMap(b.shape, shape);
    for (int i = 0; i < n; i++) out[i] = op.f(a.data[ma == null ? i : ma[i]], b.data[mb == null ? i : mb[i]]);
    String note = a.note != null ? a.note : b.note;
    double tail = Tensor.tail(a.tail, b.tail);
    if (a.err == null && b.err == null) return new Tensor(out, null, shape, note, Map.of(), null, tail);
    Sizes.estimate(n, a, b);
    // every random source replica by replica; the independent parts to first order
    double[] var = new double[n];
    Map<String, double[][]> reps = new LinkedHashMap<>();
    Set<String> sources = new LinkedHashSet<>(a.reps.keySet());
    sources.addAll(b.reps.keySet());
    for (String src : sources) {
      double[][] r = new double[n][];
      boolean any = false;
      for (int i = 0; i < n; i++) {
        // replica by replica this is n times the replicas: long for large estimates, so it stops on cancel
        if ((i & 1023) == 0) Session.checkCurrent();
        int ia = ma == null ? i : ma[i], ib = mb == null ? i : mb[i];
        double x = a.data[ia], y = b.data[ib];
        double[] ra = a.rep(src, ia), rb = b.rep(src, ib);
        if (ra == null && rb == null) continue;
        if (ra != null && rb != null && ra.length != rb.length) {
          // the same random numbers in batches that cannot be paired: bound by full correlation
          double bound = Math.abs(op.da(x, y)) * Tensor.jackError(ra) + Math.abs(op.db(x, y)) * Tensor.jackError(rb);
          var[i] += bound * bound;
          continue;
        }
        int nb = (ra != null ? ra : rb).length;
        double[] ri = new double[nb];
        for (int k = 0; k < nb; k++) ri[k] = op.f(ra != null ? ra[k] : x, rb != null ? rb[k] : y);
        double e = Tensor.jackError(ri);
        var[i] += e * e;
        r[i] = ri;
        any = true;
      }
      if (any) reps.put(src, r);
    }
    double[] e = new double[n], indep = new double[n];
    for (int i = 0; i < n; i++) {
      int ia = ma == null ? i : ma[i], ib = mb == null ? i : mb[i];
      double x = a.data[ia], y = b.data[ib];
      double ea = a.independent(ia) * op.da(x, y), eb = b.independent(ib) * op.db(x, y);
      // a bound for unpaired batches is independent of everything from here on
      double unpairedVar = 0;
      for (String src : sources) {
        double[] ra = a.rep(src, ia), rb = b.rep(src, ib);
        if (ra != null && rb != null && ra.length != rb.length) {
          double bd = Math.abs(op.da(x, y)) * Tensor.jackError(ra) + Math.abs(op.db(x, y)) * Tensor.jackError(rb);
          unpairedVar += bd * bd;
        }
      }
      indep[i] = Math.sqrt(ea * ea + eb * eb + unpairedVar);
      e[i] = Math.sqrt(var[i] + ea * ea + eb * eb);
    }
    return new Tensor(out, e, shape, note, reps, reps.isEmpty() ? null : indep, tail);
  }

  public static Tensor unary(Tensor a, DoubleUnaryOperator f, DoubleUnaryOperator df) {
    int n = a.data.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = f.applyAsDouble(a.data[i]);
    if (a.err == null) return new Tensor(out, null, a.shape, a.note, Map.of(), null, a.tail);
    Sizes.estimate(n, a);
    double[] e = new double[n], indep = new double[n];
    Map<String, double[][]> reps = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> src : a.reps.entrySet()) {
      double[][] r = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] ri = src.getValue()[i];
        if (ri == null) continue;
        r[i] = new double[ri.length];
        for (int k = 0; k < ri.length; k++) r[i][k] = f.applyAsDouble(ri[k]);
        double x = Tensor.jackError(r[i]);
        e[i] += x * x;
      }
      reps.put(src.getKey(), r);
    }
    for (int i = 0; i < n; i++) {
      indep[i] = Math.abs(df.applyAsDouble(a.data[i]) * a.independent(i));
      e[i] = Math.sqrt(e[i] + indep[i] * indep[i]);
    }
    return new Tensor(out, e, a.shape, a.note, reps, reps.isEmpty() ? null : indep, a.tail);
  }

  /**
   * A function of a whole tensor (its flat data to the result's flat data) applied to an
   * estimate: every random source replica by replica, so the result carries its jackknife error
   * with the correlations between the entries, and independent errors (given with ±) to first order
   * by central differences. An exact tensor gives an exact result.
   */
  public static Tensor apply(Tensor a, java.util.function.Function<double[], double[]> f, int[] shape, String note) {
    double[] out = f.apply(a.data);
    if (a.err == null) return new Tensor(out, null, shape, note, Map.of(), null, a.tail);
    int n = out.length;
    Sizes.estimate(n, a);
    double[] var = new double[n];
    Map<String, double[][]> reps = new LinkedHashMap<>();
    for (String src : a.reps.keySet()) {
      int nb = replicaCount(a, src);
      if (nb == 0) continue;
      double[][] r = new double[n][nb];
      for (int k = 0; k < nb; k++) {
        double[] y = f.apply(replica(a, src, k).data);
        for (int i = 0; i < n; i++) r[i][k] = y[i];
      }
      for (int i = 0; i < n; i++) { double e = Tensor.jackError(r[i]); var[i] += e * e; }
      reps.put(src, r);
    }
    double[] indep = new double[n];
    for (int j = 0; j < a.data.length; j++) {
      double ej = a.independent(j);
      if (ej == 0) continue;
      double h = 1e-6 * Math.max(Math.abs(a.data[j]), ej);
      double[] x = a.data.clone();
      x[j] += h;
      double[] up = f.apply(x);
      x[j] -= 2 * h;
      double[] dn = f.apply(x);
      for (int i = 0; i < n; i++) { double d = (up[i] - dn[i]) / (2 * h) * ej; indep[i] += d * d; }
    }
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      e[i] = Math.sqrt(var[i] + indep[i]);
      indep[i] = Math.sqrt(indep[i]);
    }
    return new Tensor(out, e, shape, note, reps, reps.isEmpty() ? null : indep, a.tail);
  }

  /** The element-wise functions of the language (null for an unknown name). */
  public static DoubleUnaryOperator fn(String name) {
    org.nnft.numeric.Elementwise e = org.nnft.numeric.Elementwise.byName(name);
    return e == null ? null : e::value;
  }

  /** Their derivatives, for error propagation. */
  public static DoubleUnaryOperator dfn(String name) {
    org.nnft.numeric.Elementwise e = org.nnft.numeric.Elementwise.byName(name);
    return e == null ? x -> 0 : e::d1;
  }

  public static Tensor matmul(Tensor a, Tensor b) {
    if (a.err != null || b.err != null) {
      // propagate errors through the bilinear product entry by entry
      return matmulWithErrors(a, b);
    }
    if (a.rank() == 2 && b.rank() == 1) {
      int m = a.shape[0], k = a.shape[1];
      if (b.shape[0] != k) throw new ShapeError(org.nnft.check.Errors.cannotMultiply(Tensor.shapeText(a.shape), Tensor.shapeText(b.shape), k, b.shape[0]));
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
      if (a.shape[0] != k) throw new ShapeError(org.nnft.check.Errors.cannotMultiply(Tensor.shapeText(a.shape), Tensor.shapeText(b.shape), a.shape[0], k));
      double[] out = new double[n];
      for (int j = 0; j < k; j++) for (int i = 0; i < n; i++) out[i] += a.data[j] * b.data[j * n + i];
      return new Tensor(out, null, new int[] {n}, null);
    }
    if (a.rank() == 2 && b.rank() == 2) {
      int m = a.shape[0], k = a.shape[1], n = b.shape[1];
      if (b.shape[0] != k) throw new ShapeError(org.nnft.check.Errors.cannotMultiply(Tensor.shapeText(a.shape), Tensor.shapeText(b.shape), k, b.shape[0]));
      Sizes.entries(null, "this product", m, n);
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

  /**
   * A product of estimates: every random source replica by replica (so the correlations between
   * the entries of one ensemble count), the independent parts to first order.
   */
  private static Tensor matmulWithErrors(Tensor a, Tensor b) {
    Tensor v = matmul(a.values(), b.values());
    int n = v.data.length;
    Sizes.estimate(n, a, b);
    double[] var = new double[n];
    Map<String, double[][]> reps = new LinkedHashMap<>();
    Set<String> sources = new LinkedHashSet<>(a.reps.keySet());
    sources.addAll(b.reps.keySet());
    double[] unpaired = new double[n];
    for (String src : sources) {
      int nb = replicaCount(a, src), nbb = replicaCount(b, src);
      if (nb > 0 && nbb > 0 && nb != nbb) {
        // batches that cannot be paired: bound by full correlation, |A| dB + dA |B|
        Tensor bound = binary(matmul(abs(a.values()), sourceErrors(b, src)), matmul(sourceErrors(a, src), abs(b.values())), ADD);
        for (int i = 0; i < n; i++) unpaired[i] += bound.data[i] * bound.data[i];
        continue;
      }
      int count = Math.max(nb, nbb);
      double[][] r = new double[n][count];
      for (int k = 0; k < count; k++) {
        Tensor p = matmul(replica(a, src, k), replica(b, src, k));
        for (int i = 0; i < n; i++) r[i][k] = p.data[i];
      }
      for (int i = 0; i < n; i++) { double e = Tensor.jackError(r[i]); var[i] += e * e; }
      reps.put(src, r);
    }
    Tensor ea = matmul(square(independents(a)), square(b.values()));
    Tensor eb = matmul(square(a.values()), square(independents(b)));
    double[] e = new double[n], indep = new double[n];
    for (int i = 0; i < n; i++) {
      indep[i] = Math.sqrt(ea.data[i] + eb.data[i] + unpaired[i]);
      e[i] = Math.sqrt(var[i] + indep[i] * indep[i]);
    }
    String note = a.note != null ? a.note : b.note;
    return new Tensor(v.data, e, v.shape, note, reps, reps.isEmpty() ? null : indep, Tensor.tail(a.tail, b.tail));
  }

  private static int replicaCount(Tensor t, String src) {
    double[][] r = t.reps.get(src);
    if (r == null) return 0;
    for (double[] x : r) if (x != null) return x.length;
    return 0;
  }

  /** The tensor with every entry that depends on src replaced by its replica k. */
  private static Tensor replica(Tensor t, String src, int k) {
    double[] d = t.data.clone();
    double[][] r = t.reps.get(src);
    if (r != null) for (int i = 0; i < d.length; i++) if (r[i] != null) d[i] = r[i][k];
    return new Tensor(d, null, t.shape, null);
  }

  private static Tensor sourceErrors(Tensor t, String src) {
    double[] d = new double[t.data.length];
    double[][] r = t.reps.get(src);
    if (r != null) for (int i = 0; i < d.length; i++) if (r[i] != null) d[i] = Tensor.jackError(r[i]);
    return new Tensor(d, null, t.shape, null);
  }

  private static Tensor independents(Tensor t) {
    double[] d = new double[t.data.length];
    for (int i = 0; i < d.length; i++) d[i] = t.independent(i);
    return new Tensor(d, null, t.shape, null);
  }

  private static Tensor abs(Tensor t) {
    double[] d = new double[t.data.length];
    for (int i = 0; i < d.length; i++) d[i] = Math.abs(t.data[i]);
    return new Tensor(d, null, t.shape, null);
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
    double s = 0;
    for (double x : a.data) s += x;
    if (a.err == null) return new Tensor(new double[] {s}, null, new int[0], a.note, Map.of(), null, a.tail);
    // the entries may come from one ensemble: sum their replicas, so correlations count
    double var = 0, ind = 0;
    Map<String, double[][]> reps = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> src : a.reps.entrySet()) {
      int nb = replicaCount(a, src.getKey());
      double[] r = new double[nb];
      Arrays.fill(r, s);
      for (int i = 0; i < a.data.length; i++) {
        double[] ri = src.getValue()[i];
        if (ri == null) continue;
        if (ri.length != nb) throw new IllegalStateException("replicas of one source with different batch counts");
        for (int k = 0; k < nb; k++) r[k] += ri[k] - a.data[i];
      }
      double e = Tensor.jackError(r);
      var += e * e;
      reps.put(src.getKey(), new double[][] {r});
    }
    for (int i = 0; i < a.data.length; i++) ind += a.independent(i) * a.independent(i);
    return new Tensor(new double[] {s}, new double[] {Math.sqrt(var + ind)}, new int[0], a.note, reps,
        reps.isEmpty() ? null : new double[] {Math.sqrt(ind)}, a.tail);
  }
}
