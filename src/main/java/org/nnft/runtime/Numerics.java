package org.nnft.runtime;

import org.nnft.check.ArgType;
import org.nnft.check.SType;
import org.nnft.check.Shapes;
import org.nnft.check.StaticCall;
import static org.nnft.runtime.Builtins.num;
import static org.nnft.runtime.Builtins.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.ejml.simple.SimpleMatrix;
import org.nnft.syntax.NnftException;

/** Reductions, constructors and linear algebra on numbers. */
public final class Numerics {
  private Numerics() {}

  /** zeros' and ones' static type: a vector of n, or an n x m matrix. */
  static SType filledType(StaticCall c) {
    return c.positional().size() > 1 ? StaticCall.matrix(c.whole(0), c.whole(1)) : StaticCall.vector(c.whole(0));
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("sum", "sum(v)").arg("v", ArgType.NUMBERS).does("the sum of the entries").impl((s, a, n) -> {
      if (a.get(0) instanceof Values.ListV l) {
        Value r = RandomV.sum(l.items(), s.arg(0));
        if (r != null) return r;
      }
      return TensorOps.sum(tensor(s, a, 0, "sum"));
    }));
    lib.add(Builtin.fn("mean", "mean(v)").arg("v", ArgType.NUMBERS).does("the mean of the entries").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "mean");
      if (t.size() == 0) throw new NnftException(s.arg(0), "mean needs at least one number: " + Arith.empty(t) + ".");
      return TensorOps.binary(TensorOps.sum(t), Tensor.scalar(t.size()), TensorOps.DIV);
    }));
    lib.add(Builtin.fn("prod", "prod(v)").arg("v", ArgType.NUMBERS).does("the product of the entries").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "prod");
      return TensorOps.apply(t, x -> {
        double p = 1;
        for (double v : x) p *= v;
        return new double[] {p};
      }, new int[0], t.note);
    }));
    lib.add(Builtin.fn("norm", "norm(v)").arg("v", ArgType.NUMBERS).does("the Euclidean norm").impl((s, a, n) -> {
      if (a.get(0) instanceof Values.ListV l && !l.items().isEmpty()) return symbolicNorm(l, s.arg(0));
      Tensor t = tensor(s, a, 0, "norm");
      return TensorOps.apply(t, x -> {
        double p = 0;
        for (double v : x) p += v * v;
        return new double[] {Math.sqrt(p)};
      }, new int[0], t.note);
    }));
    lib.add(Builtin.fn("max", "max(v) or max(a, b)").arg("v", ArgType.NUMBERS).optional("b", ArgType.NUMBERS, null).does("the largest entry, or the larger of two entry by entry").impl((s, a, n) -> extreme(s, a, true)));
    lib.add(Builtin.fn("min", "min(v) or min(a, b)").arg("v", ArgType.NUMBERS).optional("b", ArgType.NUMBERS, null).does("the smallest entry, or the smaller of two entry by entry").impl((s, a, n) -> extreme(s, a, false)));
    lib.add(Builtin.fn("dot", "dot(u, v)").arg("u", ArgType.NUMBERS).arg("v", ArgType.NUMBERS).does("the dot product").typed(c -> {
      if (c.positional().size() == 2 && c.arg(0) instanceof SType.Arr a && c.arg(1) instanceof SType.Arr b && a.known() && b.known()
          && (a.shape().length != 1 || b.shape().length != 1 || a.shape()[0] != b.shape()[0])) {
        throw new NnftException(c.span(), "dot needs two vectors of the same length, not " + Shapes.text(a.shape()) + " and " + Shapes.text(b.shape()) + ".");
      }
      return new SType.Num(null);
    }).impl((s, a, n) -> TensorOps.dot(tensor(s, a, 0, "dot"), tensor(s, a, 1, "dot"))));
    lib.add(Builtin.fn("len", "len(v)").arg("v", ArgType.ANY).does("the number of entries (rows of a matrix, items of a list)").impl((s, a, n) -> {
      if (a.get(0) instanceof Values.ListV l) return Tensor.scalar(l.items().size());
      Tensor t = tensor(s, a, 0, "len");
      return Tensor.scalar(t.isScalar() ? 1 : t.shape[0]);
    }));
    lib.add(Builtin.fn("diag", "diag(v)").arg("v", ArgType.NUMBERS).does("the diagonal matrix of a vector, or the diagonal of a matrix").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "diag");
      if (t.rank() == 2) {
        int k = Math.min(t.shape[0], t.shape[1]);
        double[] d = new double[k];
        for (int i = 0; i < k; i++) d[i] = t.data[i * t.shape[1] + i];
        return Tensor.vector(d);
      }
      int k = t.size();
      Sizes.entries(s.span(), "diag of a vector of " + k + " entries", k, k);
      return TensorOps.apply(t, x -> {
        double[] d = new double[k * k];
        for (int i = 0; i < k; i++) d[i * k + i] = x[i];
        return d;
      }, new int[] {k, k}, t.note);
    }));
    lib.add(Builtin.fn("transpose", "transpose(M)").arg("M", ArgType.NUMBERS).does("the transposed matrix").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "transpose");
      if (t.rank() < 2) return t;
      int r = t.shape[0], c = t.shape[1];
      return TensorOps.apply(t, x -> {
        double[] d = new double[x.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[j * r + i] = x[i * c + j];
        return d;
      }, new int[] {c, r}, t.note);
    }));
    lib.add(Builtin.fn("inverse", "inverse(M)").arg("M", ArgType.NUMBERS).does("the inverse of a square matrix").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "inverse");
      if (t.rank() != 2 || t.shape[0] != t.shape[1]) throw new NnftException(s.arg(0), "inverse needs a square matrix, not " + t.kind() + ".");
      if (t.size() == 0) throw new NnftException(s.arg(0), "inverse needs a matrix with at least one entry, not an empty 0x0 matrix.");
      for (int i = 0; i < t.size(); i++) {
        if (!Double.isFinite(t.data[i])) {
          throw new NnftException(s.arg(0), "inverse needs finite entries, but entry [" + i / t.shape[1] + ", " + i % t.shape[1] + "] is " + Interpreter.fmt(t.data[i]) + ".");
        }
      }
      SimpleMatrix m = Builtins.matrix(t);
      double cond = m.conditionP2();
      if (!(cond < 1e14)) throw new NnftException(s.arg(0), "this matrix is singular (condition number " + Interpreter.fmt(cond) + ") and has no inverse.");
      int k = t.shape[0];
      try {
        return TensorOps.apply(t, x -> new SimpleMatrix(k, k, true, x).invert().getDDRM().getData().clone(), new int[] {k, k}, t.note);
      } catch (org.ejml.data.SingularMatrixException e) {
        // the condition number can come out finite for entries near overflow, where the inversion still fails
        throw new NnftException(s.arg(0), "this matrix is singular to working precision and has no inverse.");
      }
    }));
    lib.add(Builtin.fn("det", "det(M)").arg("M", ArgType.NUMBERS).does("the determinant of a square matrix").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "det");
      if (t.rank() != 2 || t.shape[0] != t.shape[1]) throw new NnftException(s.arg(0), "det needs a square matrix, not " + t.kind() + ".");
      if (t.size() == 0) throw new NnftException(s.arg(0), "det needs a matrix with at least one entry, not an empty 0x0 matrix.");
      int k = t.shape[0];
      return TensorOps.apply(t, x -> new double[] {new SimpleMatrix(k, k, true, x).determinant()}, new int[0], t.note);
    }));
    lib.add(Builtin.fn("softmax", "softmax(v): along the last axis, row by row for a matrix").arg("v", ArgType.NUMBERS).does("exp(v) / sum(exp(v)) along the last axis").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "softmax");
      // along the last axis: each row of a matrix (attention weights over keys)
      int len = t.rank() == 0 ? 1 : t.shape[t.rank() - 1];
      return TensorOps.apply(t, x -> {
        double[] d = new double[x.length];
        for (int r = 0; r < x.length; r += len) {
          double mx = Double.NEGATIVE_INFINITY;
          for (int i = r; i < r + len; i++) mx = Math.max(mx, x[i]);
          double z = 0;
          for (int i = r; i < r + len; i++) { d[i] = Math.exp(x[i] - mx); z += d[i]; }
          for (int i = r; i < r + len; i++) d[i] /= z;
        }
        return d;
      }, t.shape, t.note);
    }));
    lib.add(Builtin.fn("range", "range(a, b) gives a, a+1, ..., b").arg("a", ArgType.INTEGER).arg("b", ArgType.INTEGER).does("the whole numbers a, a + 1, ..., b (both ends included)").impl((s, a, n) -> {
      double lo = num(s, a, 0, "range");
      double hi = num(s, a, 1, "range");
      double span = Math.floor(hi - lo) + 1;
      String call = "range(" + Interpreter.fmt(lo) + ", " + Interpreter.fmt(hi) + ")";
      if (!(span >= 1)) throw new NnftException(s.span(), call + " is empty: it counts up from the first number to the second, which here is smaller.");
      if (span > Sizes.limit()) throw new NnftException(s.span(), call + " would have " + Sizes.whole(span) + " entries, more than the limit of " + Sizes.limit() + ".");
      int cnt = (int) span;
      double[] d = new double[cnt];
      for (int i = 0; i < d.length; i++) d[i] = lo + i;
      return Tensor.vector(d);
    }));
    lib.add(Builtin.fn("linspace", "linspace(a, b, n)").arg("a", ArgType.NUMBER).arg("b", ArgType.NUMBER).arg("n", ArgType.INTEGER).does("n equally spaced points from a to b").typed(c -> StaticCall.vector(c.positional().size() == 3 ? c.whole(2) : null)).impl((s, a, n) -> {
      double lo = num(s, a, 0, "linspace"), hi = num(s, a, 1, "linspace");
      double c = num(s, a, 2, "linspace");
      if (c > Sizes.limit() && c == Math.rint(c)) {
        throw new NnftException(s.arg(2), "linspace would make " + Sizes.whole(c) + " points, more than " + Sizes.limitText() + ".");
      }
      int k = Sizes.count(c, s.arg(2), "the number of points");
      if (k < 1) throw new NnftException(s.arg(2), "linspace needs at least 1 point, not 0.");
      double[] d = new double[k];
      for (int i = 0; i < k; i++) d[i] = k == 1 ? lo : lo + (hi - lo) * i / (k - 1);
      if (k > 1) d[k - 1] = hi;
      return Tensor.vector(d);
    }));
    lib.add(Builtin.fn("zeros", "zeros(n) or zeros(n, m)").arg("n", ArgType.INTEGER).optional("m", ArgType.INTEGER, null).does("a vector or matrix of zeros").typed(Numerics::filledType).impl((s, a, n) -> filled(s, a, 0)));
    lib.add(Builtin.fn("ones", "ones(n) or ones(n, m)").arg("n", ArgType.INTEGER).optional("m", ArgType.INTEGER, null).does("a vector or matrix of ones").typed(Numerics::filledType).impl((s, a, n) -> filled(s, a, 1)));
    lib.add(Builtin.fn("eye", "eye(n)").arg("n", ArgType.INTEGER).does("the n x n identity matrix").typed(c -> StaticCall.matrix(c.whole(0), c.whole(0))).impl((s, a, n) -> {
      int k = size(num(s, a, 0, "eye"), s.arg(0));
      entries(new int[] {k, k}, s.span(), "eye(" + k + ")");
      double[] d = new double[k * k];
      for (int i = 0; i < k; i++) d[i * k + i] = 1;
      return new Tensor(d, null, new int[] {k, k}, null);
    }));
    lib.add(Builtin.fn("value", "value(estimate)").arg("m", ArgType.NUMBERS).does("the value of an estimate, without its error").impl((s, a, n) -> tensor(s, a, 0, "value").values()));
    lib.add(Builtin.fn("error", "error(estimate)").arg("m", ArgType.NUMBERS).does("the standard error of an estimate").impl((s, a, n) -> tensor(s, a, 0, "error").errors()));
    lib.add(Builtin.fn("pareto_k", "pareto_k(estimate)").arg("m", ArgType.NUMBERS).does("the tail shape k of the summands behind an estimate (above 0.7 its error bar cannot be trusted)").impl((s, a, n) -> {
      Tensor t = tensor(s, a, 0, "pareto_k");
      if (t.err == null) throw new NnftException(s.arg(0), "pareto_k needs an estimate from an ensemble; this is an exact number.");
      if (Double.isNaN(t.tail)) throw new NnftException(s.arg(0), "the tail of this estimate's summands was not measured (fewer than about 400 samples, or too few nonzero summands).");
      return Tensor.scalar(t.tail);
    }));
    lib.add(Builtin.fn("full", "full(x)").arg("x", ArgType.ANY).returns(ArgType.STRING).does("the text of x with every entry: show full(x) prints a large vector or matrix whole (show alone summarises it)").impl((s, a, n) -> {
      long k = Arith.entries(a.get(0));
      if (k > FULL_LIMIT) {
        throw new NnftException(s.arg(0), "full prints at most " + FULL_LIMIT + " entries, and this has " + k + "; export it to a CSV file instead.");
      }
      return new Values.Str(Printer.full(a.get(0)));
    }));
    lib.add(Builtin.fn("shape", "shape(x)").arg("v", ArgType.NUMBERS).does("the sizes of each dimension").impl((s, a, n) -> {
      int[] sh = tensor(s, a, 0, "shape").shape;
      double[] d = new double[sh.length];
      for (int i = 0; i < d.length; i++) d[i] = sh[i];
      return Tensor.vector(d);
    }));
  }

  /** The most entries full(x) prints (a million numbers are some 10 MB of text). */
  static final long FULL_LIMIT = 1_000_000;

  /** A size: a whole number, 0 or more (0 makes an empty vector or matrix), within {@link Sizes#limit()}. */
  private static int size(double x, org.nnft.syntax.Span at) {
    return Sizes.count(x, at, "a size");
  }

  /** The number of entries of a shape, refused over {@link Sizes#limit()}. */
  private static int entries(int[] shape, org.nnft.syntax.Span at, String what) {
    return Sizes.entries(at, what, shape);
  }

  private static Value extreme(Func.CallSite s, List<Value> a, boolean max) {
    if (a.size() == 2) {
      Tensor x = tensor(s, a, 0, "max"), y = tensor(s, a, 1, "max");
      TensorOps.Bin op = new TensorOps.Bin() {
        public double f(double p, double q) { return max ? Math.max(p, q) : Math.min(p, q); }
        public double da(double p, double q) { return (max ? p >= q : p <= q) ? 1 : 0; }
        public double db(double p, double q) { return (max ? p >= q : p <= q) ? 0 : 1; }
      };
      return TensorOps.binary(x, y, op);
    }
    Tensor t = tensor(s, a, 0, max ? "max" : "min");
    if (t.size() == 0) throw new NnftException(s.arg(0), (max ? "max" : "min") + " needs at least one number: " + Arith.empty(t) + ".");
    int best = 0;
    for (int i = 1; i < t.size(); i++) if (max ? t.data[i] > t.data[best] : t.data[i] < t.data[best]) best = i;
    final int at = best;
    return t.slice(at, at + 1, new int[0]);
  }

  private static Value filled(Func.CallSite s, List<Value> a, double v) {
    int r = size(num(s, a, 0, "size"), s.arg(0));
    int[] shape = a.size() == 2 ? new int[] {r, size(num(s, a, 1, "size"), s.arg(1))} : new int[] {r};
    double[] d = new double[entries(shape, s.span(), "this " + (shape.length == 1 ? "vector" : "matrix"))];
    Arrays.fill(d, v);
    return new Tensor(d, null, shape, null);
  }

  /** The norm of a vector of symbolic entries (the bound x = [x[0], ..., x[d-1]] of fit's target): Sqrt(x[0]^2 + ...). */
  private static Value symbolicNorm(Values.ListV l, org.nnft.syntax.Span at) {
    org.nnft.symbolic.Symbolic sy = org.nnft.symbolic.Symbolic.get();
    Object acc = null;
    for (Value v : l.items()) {
      Object e = Builtins.symArg(v, at);
      acc = acc == null ? sy.apply("(#1)^2", e) : sy.apply("#1+(#2)^2", acc, e);
    }
    return Builtins.sym(sy.apply("Sqrt(#1)", acc));
  }
}
