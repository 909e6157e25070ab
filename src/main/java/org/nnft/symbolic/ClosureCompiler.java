package org.nnft.symbolic;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.codehaus.janino.SimpleCompiler;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IFraction;
import org.matheclipse.core.interfaces.IInteger;
import org.matheclipse.core.interfaces.IReal;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * Compiles a Symja expression once to a Java closure, so that the numeric side never calls Symja
 * per sample.
 *
 * <p>The expression tree is walked on the Symja thread and turned into straight-line Java source
 * (one final local per distinct subexpression, so shared subexpressions are computed once; integer
 * powers by repeated squaring, {@code Math.sqrt} for half-integer powers, divisions for negative
 * powers). Janino compiles the source into a class implementing {@link Compiled}. Large
 * expressions are cut into helper methods of bounded size, so that HotSpot still JIT-compiles them
 * (it leaves methods above 8000 bytes of bytecode to the interpreter).
 *
 * <p>Every new closure is checked against Symja's own numeric evaluation at {@value #CHECK_POINTS}
 * seeded random points in [-2, 2]; results are cached by their source.
 */
public final class ClosureCompiler {
  private ClosureCompiler() {}

  /** Points per check where Symja's value is finite. */
  public static final int CHECK_POINTS = 5;
  /** Random points tried at most to find {@link #CHECK_POINTS} where Symja's value is finite. */
  static final int MAX_TRIES = 20;
  static final long SEED = 0x6e6e66742d636cL;
  static final double REL_TOL = 1e-9;
  static final double ABS_TOL = 1e-12;
  /** Expression nodes per generated method before the expression is cut into helper methods. */
  static final int METHOD_NODES = 400;
  /** Integer powers up to this are unrolled into multiplications. */
  private static final int MAX_UNROLLED_POWER = 64;

  private static final String CLASS_NAME = "NnftClosure";

  private static final ConcurrentHashMap<String, Compiled> CACHE = new ConcurrentHashMap<>();

  /**
   * Compiles a symbolic expression held by {@link Symbolic} into a closure of the given user
   * variables, whose order fixes the order of {@link Compiled#eval}'s arguments.
   *
   * @throws Symbolic.SymbolicError if the expression uses a function that cannot be compiled, a
   *     complex number, or a symbol that is not among the variables
   * @throws IllegalStateException if the closure disagrees with Symja at a check point
   */
  public static Compiled compile(Object symjaExpr, List<String> userVariables) {
    Objects.requireNonNull(symjaExpr, "symjaExpr");
    Objects.requireNonNull(userVariables, "userVariables");
    if (!(symjaExpr instanceof IExpr expr)) {
      throw new IllegalArgumentException("not a symbolic expression: " + symjaExpr.getClass().getName());
    }
    if (SymbolicScope.onSymjaThread()) {
      throw new IllegalStateException("ClosureCompiler.compile was called on the Symja thread, where it would wait for itself");
    }
    String[] vars = userVariables.toArray(new String[0]);
    Set<String> seen = new HashSet<>();
    for (String v : vars) {
      if (v == null || !seen.add(v)) throw new IllegalArgumentException("variables must be distinct and non-null: " + userVariables);
    }
    Symbolic sym = Symbolic.get();
    String[] internals = new String[vars.length];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < vars.length; i++) {
      internals[i] = sym.internal(vars[i]);
      index.put(internals[i], i);
    }

    String[] printedInternal = new String[1];
    String body = sym.run(() -> {
      printedInternal[0] = expr.toString();
      return new Generator(index, vars, sym).generate(expr);
    });
    String printed = Symbolic.nnftNames(sym.unmangle(printedInternal[0]));
    String source = header(printed, vars) + body;
    String key = source + '\u0000' + String.join("\u0000", vars);

    Compiled hit = CACHE.get(key);
    if (hit != null) return hit;
    Compiled c = instantiate(source, vars, printed);
    verify(c, expr, internals, vars, printed, sym);
    Compiled prev = CACHE.putIfAbsent(key, c);
    return prev != null ? prev : c;
  }

  /** sin(x)/x, 1 at 0: Symja's Sinc, for compiled closures. */
  public static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(x) / x;
  }

  /** Number of cached closures (for tests and diagnostics). */
  static int cacheSize() { return CACHE.size(); }

  // ---------------------------------------------------------------------------------------------
  // checking against Symja

  static void verify(Compiled c, IExpr expr, String[] internals, String[] vars, String printed, Symbolic sym) {
    StringBuilder t = new StringBuilder("N[ReplaceAll[#1, {");
    for (int i = 0; i < internals.length; i++) {
      if (i > 0) t.append(", ");
      t.append(internals[i]).append(" -> #").append(i + 2);
    }
    String template = internals.length == 0 ? "N[#1]" : t.append("}]]").toString();

    SplittableRandom rnd = new SplittableRandom(SEED);
    double[] x = new double[vars.length];
    Object[] args = new Object[vars.length + 1];
    args[0] = expr;
    int checked = 0;
    for (int tries = 0; tries < MAX_TRIES && checked < CHECK_POINTS; tries++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = -2.0 + 4.0 * rnd.nextDouble();
        args[i + 1] = x[i];
      }
      double want;
      try {
        Object r = sym.apply(template, args);
        want = sym.run(() -> {
          IExpr v = (IExpr) r;
          return v.isReal() ? ((IReal) v).doubleValue() : Double.NaN;
        });
      } catch (Symbolic.SymbolicError e) {
        continue; // Symja cannot evaluate here: not a check point
      }
      if (!Double.isFinite(want)) continue;
      double got = c.eval(x);
      double diff = Math.abs(got - want);
      boolean ok = diff <= ABS_TOL || diff <= REL_TOL * Math.max(Math.abs(got), Math.abs(want));
      if (!ok) {
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < vars.length; i++) {
          if (i > 0) at.append(", ");
          at.append(vars[i]).append(" = ").append(x[i]);
        }
        throw new IllegalStateException("the compiled closure for " + printed + " disagrees with Symja at ("
            + at + "): closure " + got + ", Symja " + want + " (internal error, please report)");
      }
      checked++;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Janino

  private static String header(String printed, String[] vars) {
    String shown = printed.length() > 2000 ? printed.substring(0, 2000) + " ..." : printed;
    StringBuilder b = new StringBuilder();
    b.append("// nnft closure f(").append(comment(String.join(", ", vars))).append(")\n");
    b.append("//   = ").append(comment(shown)).append('\n');
    return b.toString();
  }

  /** Text safe inside a // comment (no line breaks, no unicode escapes). */
  private static String comment(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\') b.append("\\\\");
      else if (ch < 0x20 || ch > 0x7e) b.append(String.format("<%04x>", (int) ch));
      else b.append(ch);
    }
    return b.toString(); // doubled backslashes cannot start a unicode escape
  }

  private static Compiled instantiate(String source, String[] vars, String printed) {
    try {
      SimpleCompiler sc = new SimpleCompiler();
      sc.setParentClassLoader(ClosureCompiler.class.getClassLoader());
      sc.cook(source);
      Class<?> cls = sc.getClassLoader().loadClass(CLASS_NAME);
      return (Compiled) cls.getConstructor(String[].class, String.class).newInstance(vars.clone(), source);
    } catch (Exception | LinkageError e) {
      throw new IllegalStateException("the Java closure generated for " + printed + " did not compile (internal error, please report): "
          + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // code generation (runs on the Symja thread)

  private static final Map<ISymbol, String> UNARY = new IdentityHashMap<>();
  private static final Map<ISymbol, String> RECIPROCAL = new IdentityHashMap<>();

  static {
    UNARY.put(S.Exp, "Math.exp");
    UNARY.put(S.Sin, "Math.sin");
    UNARY.put(S.Cos, "Math.cos");
    UNARY.put(S.Tan, "Math.tan");
    UNARY.put(S.Sinh, "Math.sinh");
    UNARY.put(S.Cosh, "Math.cosh");
    UNARY.put(S.Tanh, "Math.tanh");
    UNARY.put(S.ArcSin, "Math.asin");
    UNARY.put(S.ArcCos, "Math.acos");
    UNARY.put(S.Abs, "Math.abs");
    UNARY.put(S.Sqrt, "Math.sqrt");
    UNARY.put(S.Sign, "Math.signum");
    UNARY.put(S.Erf, "org.nnft.numeric.VecMath.erf");
    UNARY.put(S.Erfc, "org.nnft.numeric.VecMath.erfc");
    UNARY.put(S.Sinc, "org.nnft.symbolic.ClosureCompiler.sinc");
    RECIPROCAL.put(S.Sec, "Math.cos");
    RECIPROCAL.put(S.Csc, "Math.sin");
    RECIPROCAL.put(S.Cot, "Math.tan");
    RECIPROCAL.put(S.Sech, "Math.cosh");
    RECIPROCAL.put(S.Csch, "Math.sinh");
    RECIPROCAL.put(S.Coth, "Math.tanh");
  }

  /** The functions a closure may use, as nnft spells them (for error messages). */
  static final String SUPPORTED = "+, -, *, /, ^, exp, log, sqrt, sin, cos, tan, sec, csc, cot, sinh, cosh, tanh, "
      + "sech, csch, coth, asin, acos, atan, abs, sign, erf, erfc, Max, Min, Ramp, UnitStep, pi, e";

  private static final class Method {
    final String name;
    final StringBuilder body = new StringBuilder();
    final Map<IExpr, String> memo = new HashMap<>();
    final Map<String, String> rhsMemo = new HashMap<>();
    final BitSet used = new BitSet();
    String result;
    int temps;

    Method(String name) { this.name = name; }

    /** A final local holding rhs (reused if the same rhs was emitted before in this method). */
    String temp(String rhs) {
      String t = rhsMemo.get(rhs);
      if (t != null) return t;
      t = "t" + temps++;
      body.append("    final double ").append(t).append(" = ").append(rhs).append(";\n");
      rhsMemo.put(rhs, t);
      return t;
    }

    String arg(int i) {
      used.set(i);
      return "a" + i;
    }
  }

  private static final class Generator {
    final Map<String, Integer> index;
    final String[] vars;
    final Symbolic sym;
    final List<Method> helpers = new ArrayList<>();
    final IdentityHashMap<IExpr, Integer> sizes = new IdentityHashMap<>();

    Generator(Map<String, Integer> index, String[] vars, Symbolic sym) {
      this.index = index;
      this.vars = vars;
      this.sym = sym;
    }

    String generate(IExpr e) {
      Method main = new Method("eval");
      String result = emit(e, main);
      StringBuilder b = new StringBuilder();
      b.append("public final class ").append(CLASS_NAME).append(" implements org.nnft.symbolic.Compiled {\n");
      b.append("  private final String[] vars;\n");
      b.append("  private final String src;\n");
      b.append("  public ").append(CLASS_NAME).append("(String[] vars, String src) { this.vars = vars; this.src = src; }\n");
      b.append("  public String[] variables() { return (String[]) vars.clone(); }\n");
      b.append("  public String source() { return src; }\n");
      b.append("  public String toString() { return \"Compiled\" + java.util.Arrays.asList(vars); }\n\n");
      b.append("  public double eval(double[] a) {\n");
      for (int i = 0; i < vars.length; i++) b.append("    final double a").append(i).append(" = a[").append(i).append("];\n");
      b.append(main.body).append("    return ").append(result).append(";\n  }\n");
      for (Method h : helpers) {
        b.append("\n  private static double ").append(h.name).append("(double[] a) {\n");
        for (int i = h.used.nextSetBit(0); i >= 0; i = h.used.nextSetBit(i + 1)) {
          b.append("    final double a").append(i).append(" = a[").append(i).append("];\n");
        }
        b.append(h.body).append("    return ").append(h.result).append(";\n  }\n");
      }
      b.append("}\n");
      return b.toString();
    }

    /** A Java expression for e: a local, a literal or a constant; statements go into m. */
    String emit(IExpr e, Method m) {
      if (e.isNumber()) return number(e);
      if (e.isSymbol()) return symbol((ISymbol) e, m);
      if (!e.isAST()) throw unsupported(e);
      String hit = m.memo.get(e);
      if (hit != null) return hit;
      String r = ast((IAST) e, m);
      m.memo.put(e, r);
      return r;
    }

    String number(IExpr e) {
      if (e.isInteger()) return literal(((IInteger) e).toBigNumerator().doubleValue());
      if (e.isFraction()) {
        IFraction f = (IFraction) e;
        return literal(new BigDecimal(f.toBigNumerator()).divide(new BigDecimal(f.toBigDenominator()), MathContext.DECIMAL128).doubleValue());
      }
      if (e.isReal()) return literal(((IReal) e).doubleValue());
      throw new Symbolic.SymbolicError("the complex number " + user(e) + " cannot be compiled to a real-valued Java closure");
    }

    String symbol(ISymbol s, Method m) {
      if (s == S.Pi) return "Math.PI";
      if (s == S.E) return "Math.E";
      if (s == S.EulerGamma) return literal(0.5772156649015329);
      if (s == S.Degree) return literal(Math.PI / 180);
      if (s == S.I) throw new Symbolic.SymbolicError("the imaginary unit cannot be compiled to a real-valued Java closure");
      Integer i = index.get(s.getSymbolName());
      if (i != null) return m.arg(i);
      if (s.isBuiltInSymbol()) {
        throw new Symbolic.SymbolicError("the constant " + user(s) + " cannot be compiled to a Java closure");
      }
      throw new Symbolic.SymbolicError("the expression uses " + user(s) + ", which is not among the closure's variables "
          + Arrays.toString(vars));
    }

    String ast(IAST e, Method m) {
      IExpr h = e.head();
      int n = e.argSize();
      if (h == S.Plus && n >= 1) return nary(e, m, " + ");
      if (h == S.Times && n >= 1) return times(e, m);
      if (h == S.Power && n == 2) return power(e.arg1(), e.arg2(), m);
      if (n == 1 && UNARY.containsKey(h)) return m.temp(UNARY.get(h) + "(" + emit(e.arg1(), m) + ")");
      if (n == 1 && RECIPROCAL.containsKey(h)) return m.temp("1.0 / " + RECIPROCAL.get(h) + "(" + emit(e.arg1(), m) + ")");
      if (h == S.Log && n == 1) return m.temp("Math.log(" + emit(e.arg1(), m) + ")");
      if (h == S.Log && n == 2) { // Log[b, x] = log x / log b
        String b = emit(e.arg1(), m);
        String x = emit(e.arg2(), m);
        return m.temp("Math.log(" + x + ") / Math.log(" + b + ")");
      }
      if (h == S.ArcTan && n == 1) return m.temp("Math.atan(" + emit(e.arg1(), m) + ")");
      if (h == S.ArcTan && n == 2) { // ArcTan[x, y] is the angle of the point (x, y)
        String x = emit(e.arg1(), m);
        String y = emit(e.arg2(), m);
        return m.temp("Math.atan2(" + y + ", " + x + ")");
      }
      if ((h == S.Max || h == S.Min) && n >= 1) {
        String f = h == S.Max ? "Math.max(" : "Math.min(";
        String acc = emit(e.arg1(), m);
        for (int i = 2; i <= n; i++) acc = m.temp(f + acc + ", " + emit(e.get(i), m) + ")");
        return acc;
      }
      if (h == S.Ramp && n == 1) return m.temp("Math.max(" + emit(e.arg1(), m) + ", 0.0)");
      if (h == S.UnitStep && n >= 1) {
        StringBuilder c = new StringBuilder("(");
        for (int i = 1; i <= n; i++) {
          if (i > 1) c.append(" && ");
          c.append(emit(e.get(i), m)).append(" >= 0.0");
        }
        return m.temp(c.append(" ? 1.0 : 0.0)").toString());
      }
      throw unsupported(e);
    }

    Symbolic.SymbolicError unsupported(IExpr e) {
      IExpr h = e.isAST() ? e.head() : e;
      String name = Symbolic.nnftNames(h.toString());
      return new Symbolic.SymbolicError("the function " + name + " (in " + user(e) + ") cannot be compiled to a Java closure; "
          + "compilable are " + SUPPORTED);
    }

    String user(IExpr e) {
      String s = e.toString();
      if (s.length() > 200) s = s.substring(0, 200) + " ...";
      return Symbolic.nnftNames(sym.unmangle(s));
    }

    /** A sum; large sums are cut into helper methods of at most METHOD_NODES nodes each. */
    String nary(IAST e, Method m, String op) {
      List<String> parts = new ArrayList<>();
      if (size(e) <= METHOD_NODES) {
        for (int i = 1; i <= e.argSize(); i++) parts.add(emit(e.get(i), m));
      } else {
        List<IExpr> group = new ArrayList<>();
        int groupSize = 0;
        for (int i = 1; i <= e.argSize(); i++) {
          IExpr a = e.get(i);
          int s = size(a);
          if (s > METHOD_NODES) { // big on its own: emitted here, it cuts itself further
            parts.add(emit(a, m));
            continue;
          }
          if (groupSize + s > METHOD_NODES && !group.isEmpty()) {
            parts.add(helper(group, op, m));
            group.clear();
            groupSize = 0;
          }
          group.add(a);
          groupSize += s;
        }
        if (!group.isEmpty()) parts.add(helper(group, op, m));
      }
      return m.temp(String.join(op, parts));
    }

    private String helper(List<IExpr> group, String op, Method caller) {
      Method h = new Method("p" + helpers.size());
      helpers.add(h);
      List<String> parts = new ArrayList<>();
      for (IExpr a : group) parts.add(emit(a, h));
      h.result = parts.size() == 1 ? parts.get(0) : h.temp(String.join(op, parts));
      return caller.temp(h.name + "(a)");
    }

    /** A product, with factors of negative power moved into a denominator. */
    String times(IAST e, Method m) {
      if (size(e) > METHOD_NODES) return nary(e, m, " * ");
      List<String> num = new ArrayList<>();
      List<String> den = new ArrayList<>();
      boolean negate = false;
      for (int i = 1; i <= e.argSize(); i++) {
        IExpr a = e.get(i);
        if (a.isMinusOne()) {
          negate = !negate;
        } else if (a.isPower() && a.first() != S.E && negativeNumber(a.second())) {
          IExpr inv = a.second().negate();
          den.add(inv.isOne() ? emit(a.first(), m) : power(a.first(), inv, m));
        } else {
          num.add(emit(a, m));
        }
      }
      String r = num.isEmpty() ? "1.0" : String.join(" * ", num);
      if (!den.isEmpty()) {
        String d = den.size() == 1 ? den.get(0) : m.temp(String.join(" * ", den));
        r = (num.size() > 1 ? m.temp(r) : r) + " / " + d;
      }
      if (negate) r = "-(" + r + ")";
      return m.temp(r);
    }

    private static boolean negativeNumber(IExpr x) {
      return x.isReal() && x.isNegative();
    }

    String power(IExpr base, IExpr ex, Method m) {
      if (base == S.E) return m.temp("Math.exp(" + emit(ex, m) + ")");
      if (ex.isInteger()) {
        IInteger k = (IInteger) ex;
        java.math.BigInteger big = k.toBigNumerator();
        if (big.abs().compareTo(java.math.BigInteger.valueOf(MAX_UNROLLED_POWER)) <= 0) {
          int p = big.intValue();
          String b = emit(base, m);
          if (p == 0) return "1.0";
          String r = intPow(b, Math.abs(p), m);
          return p > 0 ? r : m.temp("1.0 / " + r);
        }
        return m.temp("Math.pow(" + emit(base, m) + ", " + number(ex) + ")");
      }
      if (ex.isFraction()) {
        IFraction f = (IFraction) ex;
        java.math.BigInteger p = f.toBigNumerator();
        if (f.toBigDenominator().equals(java.math.BigInteger.TWO)
            && p.abs().compareTo(java.math.BigInteger.valueOf(2 * MAX_UNROLLED_POWER + 1)) <= 0) {
          String s = m.temp("Math.sqrt(" + emit(base, m) + ")");
          int q = p.intValue();
          String r = intPow(s, Math.abs(q), m);
          return q > 0 ? r : m.temp("1.0 / " + r);
        }
        return m.temp("Math.pow(" + emit(base, m) + ", " + number(ex) + ")");
      }
      if (ex.isNumber()) return m.temp("Math.pow(" + emit(base, m) + ", " + number(ex) + ")");
      String b = emit(base, m);
      return m.temp("Math.pow(" + b + ", " + emit(ex, m) + ")");
    }

    /** b^p for p >= 1 by repeated squaring. */
    private static String intPow(String b, int p, Method m) {
      String result = null;
      String sq = b;
      while (p > 0) {
        if ((p & 1) != 0) result = result == null ? sq : m.temp(result + " * " + sq);
        p >>= 1;
        if (p > 0) sq = m.temp(sq + " * " + sq);
      }
      return result;
    }

    int size(IExpr e) {
      if (!e.isAST()) return 1;
      Integer s = sizes.get(e);
      if (s != null) return s;
      int n = 1;
      IAST a = (IAST) e;
      for (int i = 1; i <= a.argSize(); i++) n += size(a.get(i));
      sizes.put(e, n);
      return n;
    }
  }

  static String literal(double v) {
    if (Double.isNaN(v)) return "Double.NaN";
    if (v == Double.POSITIVE_INFINITY) return "Double.POSITIVE_INFINITY";
    if (v == Double.NEGATIVE_INFINITY) return "(Double.NEGATIVE_INFINITY)";
    String s = Double.toString(v);
    return s.startsWith("-") ? "(" + s + ")" : s;
  }
}
