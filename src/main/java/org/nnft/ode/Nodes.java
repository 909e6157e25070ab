package org.nnft.ode;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.ejml.simple.SimpleMatrix;
import org.hipparchus.exception.MathRuntimeException;
import org.nnft.numeric.Rng;
import org.nnft.runtime.Values.ListV;
import org.nnft.symbolic.ClosureCompiler;
import org.nnft.symbolic.Compiled;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Neural ODEs and their gauge symmetries: node(...); reparametrize(flow, h = ...), a diffeomorphism
 * of time; transform(flow, g = ...), a diffeomorphism of space x' = g(x, t); invariant of flows;
 * linear_node(A = ...) with gauge_law(L, G = ...) (A' = G A G⁻¹ + Ġ G⁻¹, symbolically, and the
 * time-ordered exponential) and residual_limit(L, G = ...) (the residual net's continuum limit).
 */
public final class Nodes {
  private Nodes() {}

  /**
   * How a flow's end-point map relates to that of the flow it was derived from ({@code root}, the
   * vector field of the original node): Φ = after ∘ Φ_root ∘ before, null meaning the identity.
   * Gauge transformations keep both null; a change of coordinates g that is not the identity at
   * t = 0 or t = T sets before = g(·, 0)⁻¹ and after = g(·, T).
   */
  record Ends(Object root, UnaryOperator<double[]> before, UnaryOperator<double[]> after) {
    boolean identity() { return before == null && after == null; }
  }

  /** The symbolic matrix A(t) of a linear node dx/dt = A(t) x, and its compiled values. */
  record Linear(Object a, Function<Double, double[][]> matrix) {}

  /** A neural ODE (or a transformed vector field) over [0, T] in R^dim. */
  public record NodeV(String name, OdeGauge.VectorField field, int dim, double time, String text, Ends ends, Linear linear) implements Named, Flow {
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.FLOW); }

    @Override public String kind() { return linear != null ? "a linear neural ODE" : "a neural ODE"; }
    @Override public String toString() { return text; }
    public NodeV named(String n) { return new NodeV(n, field, dim, time, text, ends, linear); }

    public Value flowAt(double[] x0) {
      return Tensor.vector(OdeGauge.flow(field, x0, time));
    }
  }

  private static final String INTEGRATOR = "Dormand-Prince 8(5,3) at 1e-12, and at 1e-14 for the error estimate;"
      + " tolerance = max(100 (1e-12 + 1e-12 |x(T)|), 10 error_estimate)";

  static void register(Registry lib) {
    lib.add(Builtin.fn("node", "node(dim = 2, hidden = 8, act = tanh, time = 1)").named("dim", ArgType.INTEGER, "2").named("hidden", ArgType.INTEGER, "8").named("act", ArgType.FUNCTION, "tanh").named("time", ArgType.NUMBER, "1").named("seed", ArgType.INTEGER, "the session seed").returns(ArgType.FLOW).does("a neural ODE with random weights").impl((s, a, n) -> {
      int dim = Builtins.namedSize(s, n, "dim", 2, "node");
      int hidden = Builtins.namedSize(s, n, "hidden", 8, "node");
      org.nnft.runtime.Sizes.entries(s.span(), "this neural ODE's weights", hidden, 2L * dim + 2);
      double time = Builtins.named(s, n, "time", 1, "node");
      long seed = (long) Builtins.named(s, n, "seed", s.interp().session().seed(), "node");
      if (dim < 1 || hidden < 1) throw new NnftException(s.span(), "node needs dim >= 1 and hidden >= 1.");
      if (!(time > 0)) throw new NnftException(s.named("time"), "node needs a positive time.");
      String act = "tanh";
      if (n.get("act") instanceof Builtin b) act = b.name();
      else if (n.containsKey("act")) throw new NnftException(s.named("act"), "act is tanh, relu, leaky_relu, sigmoid or identity.");
      NeuralOde ode;
      try {
        ode = new NeuralOde(dim, hidden, NeuralOde.Activation.parse(act), time, seed);
      } catch (IllegalArgumentException e) {
        throw new NnftException(s.named("act"), "a neural ODE's act is tanh, relu, leaky_relu, sigmoid or identity, not " + act + ".");
      }
      return new NodeV(null, ode, dim, time, ode.toString(), new Ends(ode, null, null), null);
    }));
    lib.add(Builtin.fn("reparametrize", "reparametrize(flow, h = t + 0.1 * sin(pi * t))").arg("flow", ArgType.FLOW).binding("h", ArgType.EXPR, null, "t").costly().returns(ArgType.FLOW).does("the flow with time reparametrised by h(t)").impl((s, a, n) -> {
      if (!(a.get(0) instanceof NodeV f)) throw new NnftException(s.arg(0), "reparametrize needs a neural ODE from node(...), not " + a.get(0).kind() + ".");
      Value hv = n.get("h");
      if (hv == null) throw new NnftException(s.span(), "give the new time as h = ..., a function of t with h(0) = 0 and h(T) = T.");
      Symbolic sy = Symbolic.get();
      Object h = Builtins.symArg(hv, s.named("h"));
      Object dh = sy.apply("D(#1,#2)", h, sy.symbol("t"));
      Compiled hc = ClosureCompiler.compile(h, List.of("t")), dc = ClosureCompiler.compile(dh, List.of("t"));
      DoubleUnaryOperator hf = t -> hc.eval(new double[] {t}), df = t -> dc.eval(new double[] {t});
      OdeGauge.VectorField g;
      try {
        g = OdeGauge.reparametrize(f.field(), hf, df, f.time());
      } catch (IllegalArgumentException e) {
        throw new NnftException(s.named("h"), "h is not a diffeomorphism of [0, " + Interpreter.fmt(f.time()) + "]: " + e.getMessage().replaceAll("\\.$", "") + ".");
      }
      return new NodeV(null, g, f.dim(), f.time(), label(f) + " in the time h(t) = " + sy.print(h) + " (f'(x, t) = h'(t) f(x, h(t)))", f.ends(), null);
    }));
    lib.add(Builtin.fn("transform", "transform(flow, g = x + t * (1 - t) * [x[1]^2, 0])").arg("flow", ArgType.FLOW).binding("g", ArgType.ANY, null, "x", "t").costly().returns(ArgType.FLOW).does("the flow in the coordinates x' = g(x, t)").impl(Nodes::transform));
    lib.add(Builtin.fn("endpoint", "endpoint(node, x0): x(T)").arg("flow", ArgType.FLOW).arg("x0", ArgType.NUMBERS).costly().does("the end point x(T) from x(0) = x0").impl((s, a, n) -> {
      if (!(a.get(0) instanceof NodeV f)) throw new NnftException(s.arg(0), "endpoint needs a neural ODE, not " + a.get(0).kind() + ".");
      Tensor x = s.interp().tensorArg(a.get(1), s.arg(1), "flow");
      if (x.size() != f.dim()) throw new NnftException(s.arg(1), "this neural ODE lives in R^" + f.dim() + ", not " + x.kind() + ".");
      return numerically(s.span(), () -> f.flowAt(x.data.clone()));
    }));
    lib.add(Builtin.fn("linear_node", "linear_node(A = [[0, 1], [-1 - t, 0]], time = 1)").binding("A", ArgType.ANY, null, "t").named("time", ArgType.NUMBER, "1").costly().returns(ArgType.FLOW).does("the linear neural ODE dx/dt = A(t) x").impl(Nodes::linearNode));
    lib.add(Builtin.fn("gauge_law", "gauge_law(L, G = [[1, t * (1 - t)], [0, 1]])").arg("L", ArgType.FLOW).binding("G", ArgType.ANY, null, "t").costly().returns(ArgType.RECORD).does("proves A' = G A G^-1 + G' G^-1 for x' = G(t) x").impl(Nodes::gaugeLaw));
    lib.add(Builtin.fn("residual_limit", "residual_limit(L, G = [[1, t * (1 - t)], [0, 1]], eps = [0.1, 0.05, 0.025])").arg("L", ArgType.FLOW).binding("G", ArgType.ANY, null, "t").named("eps", ArgType.VECTOR, null).costly().returns(ArgType.RECORD).does("the residual net's gauge law approaching the ODE's as eps shrinks").impl(Nodes::residualLimit));
  }

  private static String label(NodeV f) { return f.name() == null ? "flow" : f.name(); }

  /** Runs an integration, turning the numerical failures of a bad transformation into plain errors. */
  private static <T> T numerically(Span at, Supplier<T> job) {
    try {
      return job.get();
    } catch (ArithmeticException e) {
      throw new NnftException(at, "the transformed flow left the region where g can be inverted; g must be a diffeomorphism of space at every time.");
    } catch (MathRuntimeException e) {
      throw new NnftException(at, "the integrator could not follow this flow: " + e.getMessage().replaceAll("\\.$", "") + ".");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // transform(flow, g = ...): x' = g(x, t)

  private static Value transform(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof NodeV f)) throw new NnftException(s.arg(0), "transform needs a neural ODE from node(...) or linear_node(...), not " + a.get(0).kind() + ".");
    Value gv = n.get("g");
    Span gs = s.named("g");
    int d = f.dim();
    if (gv == null) throw new NnftException(s.span(), "give the new coordinates as g = ..., a vector in x and t with g(x, 0) = g(x, T) = x, e.g. g = x + t * (1 - t) * [x[1]^2, 0].");
    List<Value> items = gv instanceof ListV l ? l.items() : gv instanceof Tensor t && t.rank() == 1 ? Arith.iterate(t, gs) : null;
    if (items == null) throw new NnftException(gs, "g must be a vector with one entry per coordinate of R^" + d + ", not " + gv.kind() + ".");
    if (items.size() != d) throw new NnftException(gs, "g has " + items.size() + " entr" + (items.size() == 1 ? "y" : "ies") + " but the flow lives in R^" + d + "; give one per coordinate, x[0] to x[" + (d - 1) + "].");
    Symbolic sy = Symbolic.get();
    List<String> vars = new ArrayList<>();
    for (int i = 0; i < d; i++) vars.add("x[" + i + "]");
    vars.add("t");
    Object[] g = new Object[d];
    for (int i = 0; i < d; i++) {
      Value v = items.get(i);
      if (!(v instanceof Sym) && !(v instanceof Tensor t && t.isScalar())) throw new NnftException(gs, "each entry of g is an expression in x and t, but entry " + i + " is " + v.kind() + ".");
      g[i] = Builtins.symArg(v, gs);
      onlyVariables(g[i], vars, gs, "g", "x and t");
    }
    Compiled[] gc = new Compiled[d], dtc = new Compiled[d];
    Compiled[][] jc = new Compiled[d][d];
    Object t = sy.symbol("t");
    for (int i = 0; i < d; i++) {
      gc[i] = compile(g[i], vars, gs, "g");
      dtc[i] = compile(sy.apply("D(#1,#2)", g[i], t), vars, gs, "g");
      for (int j = 0; j < d; j++) jc[i][j] = compile(sy.apply("D(#1,#2)", g[i], sy.symbol("x[" + j + "]")), vars, gs, "g");
    }
    OdeGauge.SpatialDiffeo diffeo = new OdeGauge.SpatialDiffeo() {
      private double[] args(double[] x, double tt) {
        double[] z = new double[d + 1];
        System.arraycopy(x, 0, z, 0, d);
        z[d] = tt;
        return z;
      }
      @Override public double[] apply(double[] x, double tt) {
        double[] z = args(x, tt), out = new double[d];
        for (int i = 0; i < d; i++) out[i] = gc[i].eval(z);
        return out;
      }
      @Override public double[][] jacobian(double[] x, double tt) {
        double[] z = args(x, tt);
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out[i][j] = jc[i][j].eval(z);
        return out;
      }
      @Override public double[] timeDerivative(double[] x, double tt) {
        double[] z = args(x, tt), out = new double[d];
        for (int i = 0; i < d; i++) out[i] = dtc[i].eval(z);
        return out;
      }
    };
    double T = f.time();
    checkInvertible(diffeo, d, T, gs);
    OdeGauge.VectorField field;
    try {
      field = OdeGauge.spatial(f.field(), diffeo, d, T, false);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new NnftException(gs, "g is not a diffeomorphism of R^" + d + ": " + e.getMessage().replaceAll("\\.$", "") + ".");
    }
    boolean id0 = identityAt(diffeo, d, 0.0), idT = identityAt(diffeo, d, T);
    UnaryOperator<double[]> g0inv = id0 ? null : x -> diffeo.inverse(x, 0.0), gT = idT ? null : x -> diffeo.apply(x, T);
    Ends ends = new Ends(f.ends().root(), then(g0inv, f.ends().before()), then(f.ends().after(), gT));
    String text = label(f) + " in the coordinates x' = g(x, t) = " + Printer.text(gv)
        + " (f'(x', t) = dg/dt + J_g f at x = g^-1(x', t)"
        + (id0 && idT ? ")" : "; g is not the identity at t = " + ends(id0, idT, T) + ", so this is a change of coordinates, not a gauge transformation)");
    return new NodeV(null, field, d, T, text, ends, null);
  }

  private static String ends(boolean id0, boolean idT, double T) {
    return !id0 && !idT ? "0 and t = " + Interpreter.fmt(T) : !id0 ? "0" : Interpreter.fmt(T);
  }

  /** first, then second (null is the identity). */
  private static UnaryOperator<double[]> then(UnaryOperator<double[]> first, UnaryOperator<double[]> second) {
    if (first == null) return second;
    if (second == null) return first;
    return x -> second.apply(first.apply(x));
  }

  /** g(·, t) = id at a few seeded points, to rounding. */
  private static boolean identityAt(OdeGauge.SpatialDiffeo g, int d, double t) {
    Rng rng = Rng.forStream(0x1DE57L, d);
    for (int k = 0; k < 8; k++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = 2 * rng.normal();
      double[] y = g.apply(x, t);
      for (int i = 0; i < d; i++) if (!(Math.abs(y[i] - x[i]) <= 1e-12 * Math.max(1, Math.abs(x[i])))) return false;
    }
    return true;
  }

  /**
   * g(·, t) must stay invertible for every t: det J_g(x, t) may neither vanish nor change sign along
   * t at seeded points x (a sign change means g folds space somewhere in between).
   */
  private static void checkInvertible(OdeGauge.SpatialDiffeo g, int d, double T, Span at) {
    Rng rng = Rng.forStream(0x1F01DL, d);
    int times = 64;
    for (int k = 0; k < 24; k++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = 1.5 * rng.normal();
      double first = 0;
      for (int m = 0; m <= times; m++) {
        double t = T * m / times;
        double det = det(g.jacobian(x, t));
        if (m == 0) first = det;
        if (!Double.isFinite(det) || Math.abs(det) < 1e-9 || Math.signum(det) != Math.signum(first)) {
          throw new NnftException(at, "g is not invertible: its Jacobian is singular near t = " + Interpreter.fmt(t)
              + " at x = " + Printer.text(Tensor.vector(x)) + "; g(., t) must be a diffeomorphism of R^" + d + " at every time.");
        }
      }
    }
  }

  private static double det(double[][] m) {
    int n = m.length;
    double[] flat = new double[n * n];
    for (int i = 0; i < n; i++) System.arraycopy(m[i], 0, flat, i * n, n);
    return new SimpleMatrix(n, n, true, flat).determinant();
  }

  private static void onlyVariables(Object e, List<String> vars, Span at, String what, String allowed) {
    for (String v : Symbolic.get().freeSymbols(e)) {
      if (!vars.contains(v)) throw new NnftException(at, what + " may use only " + allowed + ", but it also uses " + v + ".");
    }
    List<String> fns = Symbolic.get().freeFunctions(e);
    if (!fns.isEmpty()) throw new NnftException(at, what + " may use only " + allowed + ", but it also uses the field " + fns.get(0) + ".");
  }

  private static Compiled compile(Object e, List<String> vars, Span at, String what) {
    try {
      return ClosureCompiler.compile(e, vars);
    } catch (Symbolic.SymbolicError | IllegalStateException ex) {
      throw new NnftException(at, what + " cannot be evaluated numerically: " + ex.getMessage().replaceAll("\\.$", "") + ".");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // linear nodes: dx/dt = A(t) x

  private static Value linearNode(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Value av = n.get("A");
    if (av == null) throw new NnftException(s.span(), "give the matrix as A = ..., a square matrix whose entries may use t, e.g. A = [[0, 1], [-1 - t, 0]].");
    double time = Builtins.named(s, n, "time", 1, "linear_node");
    if (!(time > 0) || Double.isInfinite(time)) throw new NnftException(s.named("time"), "linear_node needs a positive time.");
    Span as = s.named("A");
    Object A = timeMatrix(av, as, "A", -1);
    int dim = (int) Symbolic.get().toDouble(Symbolic.get().apply("Length(#1)", A));
    Function<Double, double[][]> Af = compiled(A, dim, as, "A");
    OdeGauge.VectorField field = OdeGauge.linearField(Af);
    String text = "linear neural ODE dx/dt = A(t) x in R^" + dim + ", A(t) = " + Printer.text(av) + ", t in [0, " + Interpreter.fmt(time) + "]";
    return new NodeV(null, field, dim, time, text, new Ends(field, null, null), new Linear(A, Af));
  }

  /** A square matrix of expressions in t (n rows, or any size when n < 0) as a Symja matrix. */
  private static Object timeMatrix(Value v, Span at, String what, int n) {
    String example = what.equals("A") ? "A = [[0, 1], [-1 - t, 0]]" : "G = [[1, t * (1 - t)], [0, 1]]";
    List<Value> rows = v instanceof ListV l ? l.items() : v instanceof Tensor t && t.rank() == 2 ? Arith.iterate(t, at) : null;
    if (rows == null || rows.isEmpty()) throw new NnftException(at, what + " must be a square matrix whose entries may use t, e.g. " + example + ", not " + v.kind() + ".");
    for (Value r : rows) {
      List<Value> row = r instanceof ListV l ? l.items() : r instanceof Tensor t && t.rank() == 1 ? Arith.iterate(t, at) : null;
      if (row == null) throw new NnftException(at, what + " must be a square matrix whose entries may use t, e.g. " + example + "; a row is " + r.kind() + ".");
      if (row.size() != rows.size()) throw new NnftException(at, what + " must be square, but it has " + rows.size() + " rows of " + row.size() + " entries.");
      for (Value e : row) {
        if (!(e instanceof Sym) && !(e instanceof Tensor t && t.isScalar())) throw new NnftException(at, "the entries of " + what + " are expressions in t, not " + e.kind() + ".");
      }
    }
    if (n >= 0 && rows.size() != n) throw new NnftException(at, what + " must be " + n + "x" + n + " like the flow's matrix, not " + rows.size() + "x" + rows.size() + ".");
    Object m = Arith.symja(v, at);
    onlyVariables(m, List.of("t"), at, what, "t");
    return m;
  }

  /** The entries of a Symja matrix compiled as functions of t. */
  private static Function<Double, double[][]> compiled(Object m, int n, Span at, String what) {
    Symbolic sy = Symbolic.get();
    Compiled[][] c = new Compiled[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i][j] = compile(sy.apply("Part(#1,#2,#3)", m, i + 1, j + 1), List.of("t"), at, what);
    return t -> {
      double[] z = {t};
      double[][] out = new double[n][n];
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] = c[i][j].eval(z);
      return out;
    };
  }

  private static NodeV linearArg(Func.CallSite s, Value v, String f) {
    if (v instanceof NodeV node && node.linear() != null) return node;
    throw new NnftException(s.arg(0), f + " needs a linear neural ODE from linear_node(A = ...), not " + v.kind() + ".");
  }

  /** G(t) compiled with its derivative, after checking that det G(t) neither vanishes nor changes sign on [0, T]. */
  private record Gauge(Object g, Object gdot, Function<Double, double[][]> G, Function<Double, double[][]> Gdot) {}

  private static Gauge gauge(Value gv, Span at, NodeV L) {
    Symbolic sy = Symbolic.get();
    Object G = timeMatrix(gv, at, "G", L.dim());
    Object Gdot = sy.apply("D(#1,#2)", G, sy.symbol("t"));
    Function<Double, double[][]> Gf = compiled(G, L.dim(), at, "G"), Gd = compiled(Gdot, L.dim(), at, "G");
    double T = L.time(), first = 0;
    double previous = 0;
    for (int m = 0; m <= 256; m++) {
      double t = T * m / 256, det = det(Gf.apply(t));
      if (m == 0) first = det;
      if (!Double.isFinite(det)) {
        throw new NnftException(at, "G(t) is not finite at t = " + Interpreter.fmt(t) + "; a gauge transformation must be a finite, invertible matrix at every time in [0, " + Interpreter.fmt(T) + "].");
      }
      if (Math.abs(det) < 1e-9) {
        throw new NnftException(at, "G is not invertible near t = " + Interpreter.fmt(t) + " (det G = " + Interpreter.fmt(det) + "); a gauge transformation must be invertible at every time.");
      }
      if (Math.signum(det) != Math.signum(first)) {
        throw new NnftException(at, "det G changes sign between t = " + Interpreter.fmt(T * (m - 1) / 256) + " and t = " + Interpreter.fmt(t) + " (from "
            + Interpreter.fmt(previous) + " to " + Interpreter.fmt(det) + "), so G is singular or not finite in between; a gauge transformation must be invertible at every time.");
      }
      previous = det;
    }
    return new Gauge(G, Gdot, Gf, Gd);
  }

  private static SimpleMatrix mat(double[][] m) {
    int n = m.length;
    double[] flat = new double[n * n];
    for (int i = 0; i < n; i++) System.arraycopy(m[i], 0, flat, i * n, n);
    return new SimpleMatrix(n, n, true, flat);
  }

  private static double[][] arr(SimpleMatrix m) {
    double[][] out = new double[m.getNumRows()][m.getNumCols()];
    for (int i = 0; i < out.length; i++) for (int j = 0; j < out[i].length; j++) out[i][j] = m.get(i, j);
    return out;
  }

  private static double maxAbsDiff(double[][] a, double[][] b) {
    double w = 0;
    for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) w = Math.max(w, Math.abs(a[i][j] - b[i][j]));
    return w;
  }

  /** The max-row-sum norm. */
  private static double normInf(double[][] a) {
    double w = 0;
    for (double[] r : a) {
      double s = 0;
      for (double x : r) s += Math.abs(x);
      w = Math.max(w, s);
    }
    return w;
  }

  private static double maxAbs(double[][] a) {
    double w = 0;
    for (double[] r : a) for (double x : r) w = Math.max(w, Math.abs(x));
    return w;
  }

  private static boolean isIdentity(double[][] m) {
    for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) if (!(Math.abs(m[i][j] - (i == j ? 1 : 0)) <= 1e-12)) return false;
    return true;
  }

  private static Value gaugeLaw(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    NodeV L = linearArg(s, a.get(0), "gauge_law");
    Value gv = n.get("G");
    if (gv == null) throw new NnftException(s.span(), "give the gauge transformation as G = ..., an invertible matrix whose entries may use t, e.g. G = [[1, t * (1 - t)], [0, 1]].");
    Span at = s.named("G");
    Gauge g = gauge(gv, at, L);
    Symbolic sy = Symbolic.get();
    Object A = L.linear().a();
    // the law, symbolically: A' = G A G^-1 + dG/dt G^-1 = (G A + dG/dt) adj(G) / det(G), simplified
    // entry by entry. The adjugate is division-free, so A' is singular only where det G vanishes, which
    // gauge() has excluded on [0, T]; Symja's Inverse eliminates with pivots that may vanish where G is
    // invertible (cos(2 pi t) at t = 1/4 for a rotation), leaving Indeterminate behind.
    Object[] adjDet = adjugateAndDeterminant(g.g(), L.dim());
    Object Ap = sy.apply("Map(Simplify, Dot(Dot(#1,#2) + #3, #4) / #5, {2})", g.g(), A, g.gdot(), adjDet[0], adjDet[1]);
    // and the reason: d(G U)/dt = dG/dt U + G A U = A' (G U), i.e. dG/dt + G A - A' G = 0 identically
    // entry by entry: Simplify, and where that leaves trigonometric or hyperbolic terms (cosh^2 - sinh^2),
    // exponentials over a common denominator
    boolean proved = sy.isTrue(sy.apply("AllTrue(Flatten(#3 + Dot(#1,#2) - Dot(#4,#1)), Function(e, TimeConstrained(PossibleZeroQ(Simplify(e))"
        + " || Together(TrigToExp(e)) === 0, 30, False)))", g.g(), A, g.gdot(), Ap));
    Function<Double, double[][]> Apf = compiled(Ap, L.dim(), at, "A'");
    double T = L.time();
    // both at 1e-12 and at 1e-14: the differences estimate the integration error (A(t) may have kinks)
    double[][][] Ue = numerically(s.span(), () -> OdeGauge.timeOrderedExpWithError(L.linear().matrix(), T));
    double[][][] Upe = numerically(s.span(), () -> OdeGauge.timeOrderedExpWithError(Apf, T));
    double[][] U = Ue[0], Up = Upe[0];
    double[][] G0 = g.G().apply(0.0), GT = g.G().apply(T);
    SimpleMatrix conj = mat(G0).invert();
    double[][] predicted = arr(mat(GT).mult(mat(U)).mult(conj));
    double dev = maxAbsDiff(Up, predicted);
    // the error of U carried through G(T) U G(0)^-1 (bounded with the max-row-sum norms)
    double error = normInf(GT) * Ue[1][0][0] * normInf(arr(conj)) + Upe[1][0][0];
    double tol = OdeGauge.acceptedDeviation(maxAbs(predicted), error);
    boolean holds = dev <= tol, unchanged = isIdentity(G0) && isIdentity(GT);
    Map<String, Value> out = new LinkedHashMap<>();
    out.put("law", new Values.Str("A' = G A G^-1 + (dG/dt) G^-1"));
    out.put("A_prime", Arith.fromSymja(Ap, at));
    out.put("proved", new Values.Bool(proved));
    out.put("U", Tensor.matrix(U));
    out.put("U_prime", Tensor.matrix(Up));
    out.put("max_deviation", Tensor.scalar(dev));
    out.put("error_estimate", Tensor.scalar(error));
    out.put("tolerance", Tensor.scalar(tol));
    out.put("holds", new Values.Bool(holds && proved));
    out.put("unchanged", new Values.Bool(unchanged && holds));
    String law = proved ? "proved symbolically (dG/dt + G A - A' G = 0)" : "NOT proved symbolically";
    String num = unchanged
        ? "the time-ordered exponential is unchanged, U'(T) = U(T) since G(0) = G(T) = 1"
        : "the time-ordered exponential transforms as U'(T) = G(T) U(T) G(0)^-1";
    out.put("verdict", new Values.Str("the law is " + law + "; " + num + (holds ? ", within the integration's error" : ": FAILS numerically")));
    out.put("checked", new Values.Str("U'(T) from A' against " + (unchanged ? "U(T)" : "G(T) U(T) G(0)^-1") + ", " + INTEGRATOR));
    return new Values.Record("gauge law", out);
  }

  /**
   * {adj(G), det(G)} of a symbolic n x n matrix without division (Faddeev–LeVerrier): M_0 = 0, c_n = 1,
   * M_k = G M_(k-1) + c_(n-k+1) 1, c_(n-k) = -tr(G M_k) / k; by Cayley–Hamilton G M_n = -c_0 1, so
   * adj(G) = (-1)^(n+1) M_n and det(G) = (-1)^n c_0 (only divisions by the integers k). The determinant
   * is simplified (cos^2 + sin^2 = 1).
   */
  static Object[] adjugateAndDeterminant(Object G, int n) {
    Symbolic sy = Symbolic.get();
    Object M = sy.apply("ConstantArray(0, {#1, #1})", n);
    Object c = sy.apply("1");
    for (int k = 1; k <= n; k++) {
      M = sy.apply("Dot(#1,#2) + #3 * IdentityMatrix(#4)", G, M, c, n);
      c = sy.apply("-Tr(Dot(#1,#2)) / #3", G, M, k);
    }
    Object adj = n % 2 == 1 ? M : sy.apply("-#1", M);
    Object det = sy.apply("Simplify(#1)", n % 2 == 0 ? c : sy.apply("-#1", c));
    return new Object[] {adj, det};
  }

  private static Value residualLimit(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    NodeV L = linearArg(s, a.get(0), "residual_limit");
    double T = L.time();
    int dim = L.dim();
    Function<Double, double[][]> G, Gdot;
    if (n.get("G") == null) {
      G = t -> arr(SimpleMatrix.identity(dim));
      Gdot = t -> new double[dim][dim];
    } else {
      Gauge g = gauge(n.get("G"), s.named("G"), L);
      G = g.G();
      Gdot = g.Gdot();
    }
    double[] eps;
    if (n.get("eps") == null) eps = new double[] {T / 10, T / 20, T / 40, T / 80, T / 160};
    else {
      Tensor e = s.interp().tensorArg(n.get("eps"), s.named("eps"), "residual_limit");
      if (e.rank() != 1 || e.size() < 2) throw new NnftException(s.named("eps"), "eps is a vector of at least two step sizes, e.g. eps = [0.1, 0.05, 0.025].");
      eps = e.data.clone();
      for (double x : eps) {
        long layers = Math.round(T / x);
        if (!(x > 0) || layers < 1 || Math.abs(layers * x - T) > 1e-9 * T) {
          throw new NnftException(s.named("eps"), "each step size must divide the time T = " + Interpreter.fmt(T) + " into whole layers; " + Interpreter.fmt(x) + " does not.");
        }
        if (layers > 1_000_000) throw new NnftException(s.named("eps"), "eps = " + Interpreter.fmt(x) + " needs " + layers + " layers; use at most a million.");
      }
    }
    List<OdeGauge.ResidualRow> rows = numerically(s.span(), () -> OdeGauge.residualConvergence(L.linear().matrix(), G, Gdot, T, eps));
    int k = rows.size();
    double[] err = new double[k], plain = new double[k], primed = new double[k], mismatch = new double[k];
    for (int i = 0; i < k; i++) {
      err[i] = rows.get(i).gaugedError();
      plain[i] = rows.get(i).residualError();
      primed[i] = rows.get(i).primedNetError();
      mismatch[i] = rows.get(i).layerMismatch();
    }
    Map<String, Value> out = new LinkedHashMap<>();
    out.put("eps", Tensor.vector(eps));
    out.put("error", Tensor.vector(err));
    out.put("plain_error", Tensor.vector(plain));
    if (n.get("G") != null) out.put("primed_net_error", Tensor.vector(primed));
    out.put("layer_mismatch", Tensor.vector(mismatch));
    String target = n.get("G") == null ? "the time-ordered exponential U(T)" : "the gauge-transformed time-ordered exponential G(T) U(T) G(0)^-1";
    String net = n.get("G") == null ? "the residual net W_L ... W_1, W_l = 1 + eps A(l eps)," : "the gauge-transformed residual net, layers g_l W_l g_(l-1)^-1 with W_l = 1 + eps A(l eps) and g_l = G(l eps),";
    boolean exact = true;
    for (double e : err) exact &= e <= 1e-13;
    if (exact) {
      out.put("verdict", new Values.Str(net + " equals " + target + " to rounding at every eps"));
    } else {
      double[] ratio = new double[k - 1];
      for (int i = 0; i + 1 < k; i++) ratio[i] = err[i] / err[i + 1];
      // least-squares slope of log(error) against log(eps)
      double mx = 0, my = 0;
      for (int i = 0; i < k; i++) { mx += Math.log(eps[i]) / k; my += Math.log(err[i]) / k; }
      double sxy = 0, sxx = 0;
      for (int i = 0; i < k; i++) { sxy += (Math.log(eps[i]) - mx) * (Math.log(err[i]) - my); sxx += Math.pow(Math.log(eps[i]) - mx, 2); }
      double order = sxy / sxx;
      out.put("ratio", Tensor.vector(ratio));
      out.put("order", Tensor.scalar(order));
      out.put("verdict", new Values.Str(net + (order > 0.5 ? " approaches " : " does NOT approach ") + target + " as eps -> 0, the error falling like eps^" + String.format(java.util.Locale.ROOT, "%.2f", order)));
    }
    return new Values.Record("residual limit", out);
  }

  // ---------------------------------------------------------------------------------------------
  // invariant(flow1, flow2)

  public static Value invariant(Func.CallSite s, NodeV f, NodeV g, long seed) {
    OdeGauge.Invariance r = numerically(s.span(), () -> OdeGauge.invariant(f.field(), g.field(), f.dim(), f.time(), 16, seed));
    boolean coordinates = f.ends().identity() && !g.ends().identity() && f.ends().root() == g.ends().root();
    Map<String, Value> out = new LinkedHashMap<>();
    out.put("holds", new Values.Bool(r.invariant()));
    String verdict = r.invariant() ? "holds numerically: the end-point map is unchanged within the integration's error" : "fails: the end-point map changes by more than the integration's error";
    OdeGauge.Invariance c = null;
    if (coordinates) {
      c = numerically(s.span(), () -> OdeGauge.covariance(f.field(), g.field(), g.ends().before(), g.ends().after(), f.dim(), f.time(), 16, seed));
      String which = g.ends().before() != null && g.ends().after() != null ? "at t = 0 and t = T" : g.ends().before() != null ? "at t = 0" : "at t = T";
      verdict += (r.invariant() ? " although" : ", as it must:") + " g is not the identity " + which + ", so this is a change of coordinates, not a gauge transformation; "
          + (c.invariant() ? "the end-point map transforms covariantly instead, x0 -> g(Phi(g^-1(x0, 0)), T), within the integration's error" : "and the end-point map does not even transform covariantly, x0 -> g(Phi(g^-1(x0, 0)), T)");
    }
    out.put("verdict", new Values.Str(verdict));
    out.put("max_deviation", Tensor.scalar(r.maxDeviation()));
    out.put("error_estimate", Tensor.scalar(r.errorEstimate()));
    out.put("tolerance", Tensor.scalar(r.tolerance()));
    if (c != null) {
      out.put("covariant", new Values.Bool(c.invariant()));
      out.put("covariance_deviation", Tensor.scalar(c.maxDeviation()));
    }
    out.put("checked", new Values.Str(r.samples() + " starting points, " + INTEGRATOR));
    return new Values.Record("invariance", out);
  }
}
