package org.nnft.runtime;

import org.nnft.check.ArgType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ejml.simple.SimpleMatrix;
import org.nnft.runtime.Values.*;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.Ast;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** The table of built-in functions and constants. */
public final class Builtins {
  private Builtins() {}

  public static final List<String> ELEMENTWISE = org.nnft.numeric.Elementwise.languageNames();

  /** The standard library: constants, element-wise functions and every feature's built-ins. */
  static void registerStandard(Registry r) {
    r.constant("pi", Tensor.scalar(Math.PI));
    r.constant("π", Tensor.scalar(Math.PI));
    r.constant("e", Tensor.scalar(Math.E));
    r.constant("inf", Tensor.scalar(Double.POSITIVE_INFINITY));
    for (String f : ELEMENTWISE) {
      r.add(Builtin.fn(f, f + "(x)").arg("x", ArgType.ANY).does("applied entry by entry, to numbers, vectors, matrices and symbolic expressions")
          .impl((s, a, n) -> elementwise(f, a.get(0), s.arg(0))));
    }
    Numerics.register(r);
    TextTable.register(r);
    // every feature's built-ins: the libraries listed in META-INF/services, in the order listed
    for (Registry.Library l : java.util.ServiceLoader.load(Registry.Library.class, Builtins.class.getClassLoader())) l.register(r);
  }

  /** Named arguments in the order they are listed. */
  static Set<String> names(String... n) { return new java.util.LinkedHashSet<>(List.of(n)); }

  /** A built-in of the standard library, for code that runs outside a session. */
  public static Value lookup(String name) { return Registry.shared().lookup(name); }

  public static boolean isConstant(String name) { return Registry.shared().isConstant(name); }

  public static Set<String> names() { return Registry.shared().names(); }

  /**
   * The variables a named argument of a built-in binds while it is evaluated, so that they need no
   * symbol declaration: reparametrize(flow, h = ...) reads h as a function of the time t;
   * transform(flow, g = ...) reads g as a function of the point x and the time t; the matrices of
   * linear_node(A = ...), gauge_law(L, G = ...) and residual_limit(L, G = ...) are functions of t.
   * Empty when the argument binds nothing.
   */
  static List<String> boundVariables(Registry r, String callee, String arg) {
    if (callee == null || arg == null) return List.of();
    org.nnft.check.Signature sig = r.signature(callee);
    return sig == null ? List.of() : sig.binds(arg);
  }

  /**
   * The value of a bound variable: the time t is a free symbol; the point x of transform(flow,
   * g = ...) is the vector [x[0], ..., x[n-1]] of symbols of the flow's R^n (a plain symbol when the
   * first argument is not a neural ODE, which the built-in then reports).
   */
  static Value boundValue(String var, List<Value> positional) {
    Symbolic sy = Symbolic.get();
    if (var.equals("x") && !positional.isEmpty() && positional.get(0) instanceof Flow f) {
      Sizes.symbolic(null, f.dim());
      List<Value> xs = new ArrayList<>();
      for (int i = 0; i < f.dim(); i++) xs.add(new Sym(sy.symbol("x[" + i + "]")));
      return new ListV(xs);
    }
    return new Sym(sy.symbol(var));
  }

  // ---------------- helpers shared by the built-in groups ----------------

  static Value elementwise(String f, Value a, Span s) {
    if (a instanceof Unknown) return a;
    if (a instanceof RandomV r) return RandomV.apply(f, r, s);
    if (a instanceof Sym y) {
      String t = org.nnft.model.TapeSym.symja(f, "#1");
      if (t == null) throw new NnftException(s, f + " does not apply to symbolic expressions.");
      return sym(Symbolic.get().apply(t, y.expr()));
    }
    if (a instanceof ListV l) {
      List<Value> out = new ArrayList<>();
      for (Value v : l.items()) out.add(elementwise(f, v, s));
      return new ListV(out);
    }
    if (!(a instanceof Tensor t)) throw new NnftException(s, f + " needs numbers, not " + a.kind() + ".");
    return TensorOps.unary(t, TensorOps.fn(f), TensorOps.dfn(f));
  }

  /** A Symja result: a plain number when no free symbol is left. */
  public static Value sym(Object expr) {
    Symbolic sy = Symbolic.get();
    if (sy.freeSymbols(expr).isEmpty() && sy.isReal(expr)) {
      double v = sy.toDouble(expr);
      if (!Double.isNaN(v)) return Tensor.scalar(v);
    }
    return new Sym(expr);
  }

  public static Object symArg(Value v, Span s) {
    if (v instanceof Sym y) return y.expr();
    if (v instanceof Tensor t && t.isScalar()) {
      if (Double.isInfinite(t.value())) return Symbolic.get().apply(t.value() > 0 ? "Infinity" : "-Infinity");
      if (t.value() == Math.PI) return Symbolic.get().apply("Pi");
      if (t.value() == Math.E) return Symbolic.get().apply("E");
      return Symbolic.get().number(t.value());
    }
    if (v instanceof Values.Bool b) return Symbolic.get().apply(b.value() ? "True" : "False");
    throw new NnftException(s, "a symbolic expression takes numbers and symbols, not " + v.kind() + ".");
  }

  static Tensor tensor(Func.CallSite s, List<Value> a, int i, String f) {
    return s.interp().tensorArg(a.get(i), s.arg(i), f);
  }

  public static double num(Func.CallSite s, List<Value> a, int i, String f) {
    return s.interp().number(a.get(i), s.arg(i), f);
  }

  public static double named(Func.CallSite s, Map<String, Value> n, String key, double dflt, String f) {
    Value v = n.get(key);
    return v == null ? dflt : s.interp().number(v, s.named(key), f);
  }

  /**
   * A size given as a named argument (a dimension, a width, a count of heads): a whole number from
   * 1 to {@link Sizes#limit()}, the default when it is not given.
   */
  public static int namedSize(Func.CallSite s, Map<String, Value> n, String key, int dflt, String f) {
    Value v = n.get(key);
    if (v == null) return dflt;
    double x = s.interp().number(v, s.named(key), f);
    int k = Sizes.count(x, s.named(key), key);
    if (k < 1) throw new NnftException(s.named(key), f + " needs " + key + " >= 1, not " + k + ".");
    return k;
  }

  public static int wholeNumber(double x, Span s, String what) {
    if (x != Math.rint(x) || Double.isInfinite(x)) throw new NnftException(s, what + " must be a whole number, not " + Interpreter.fmt(x) + ".");
    return (int) x;
  }

  static SimpleMatrix matrix(Tensor t) {
    int r = t.rows(), c = t.cols();
    return new SimpleMatrix(r, c, true, t.data);
  }

  static Tensor fromMatrix(SimpleMatrix m) {
    double[] d = new double[m.getNumRows() * m.getNumCols()];
    for (int i = 0; i < m.getNumRows(); i++) for (int j = 0; j < m.getNumCols(); j++) d[i * m.getNumCols() + j] = m.get(i, j);
    return new Tensor(d, null, new int[] {m.getNumRows(), m.getNumCols()}, null);
  }

  static int[] shapeOf(Tensor t) { return Arrays.copyOf(t.shape, t.shape.length); }
}
