package org.nnft.algebra;

import org.nnft.actions.Actions;

import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import static org.nnft.runtime.Builtins.sym;
import static org.nnft.runtime.Builtins.symArg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;

/** simplify, expand, D, integrate, series, subs, N: symbolic algebra through the Symja facade. */
public final class SymbolicFns {
  private SymbolicFns() {}

  static void register(Registry lib) {
    lib.add(Builtin.fn("simplify", "simplify(expr)").arg("expr", ArgType.EXPR).costly().does("the simplest form Symja finds").impl((s, a, n) -> one(s, a, "Simplify(#1)")));
    lib.add(Builtin.fn("expand", "expand(expr)").arg("expr", ArgType.ANY).costly().does("the expanded form (of an action: its terms)").impl((s, a, n) -> {
      if (a.get(0) instanceof Actions.ActionV act) {
        return new Actions.ActionV(Symbolic.get().apply("ExpandAll(#1)", Actions.opsAsDerivatives(act.lagrangian())), act.field(), act.var(), act.lo(), act.hi());
      }
      if (a.get(0) instanceof Sym y) return sym(Symbolic.get().apply("ExpandAll(#1)", Actions.opsAsDerivatives(y.expr())));
      return one(s, a, "ExpandAll(#1)");
    }));
    lib.add(Builtin.fn("D", "D(expr, x) or D(expr, x, order)").arg("expr", ArgType.EXPR).arg("x", ArgType.SYMBOL).optional("order", ArgType.INTEGER, "1").costly().does("the derivative").impl((s, a, n) -> {
      Object f = symArg(a.get(0), s.arg(0));
      Object x = variable(s, a, 1, "D");
      if (!Symbolic.get().isTrue(Symbolic.get().apply("FreeQ(#1," + Actions.OP + ")", f))) {
        throw new NnftException(s.arg(0), "D does not differentiate op(K, phi); a derivative d/dx is a factor i p in the symbol, so -D(op(K, phi), x, 2) is op(p^2 * K, phi).");
      }
      if (a.size() == 3) {
        int k = order(Builtins.num(s, a, 2, "D"), s.arg(2), "the order of a derivative");
        return sym(Symbolic.get().apply("D(#1,{#2,#3})", f, x, (double) k));
      }
      return sym(Symbolic.get().apply("D(#1,#2)", f, x));
    }));
    lib.add(Builtin.fn("integrate", "integrate(expr, x) or integrate(expr, x, a, b)").arg("expr", ArgType.EXPR).arg("x", ArgType.SYMBOL).optional("a", ArgType.EXPR, null).optional("b", ArgType.EXPR, null).costly().does("the integral, indefinite or from a to b").impl((s, a, n) -> {
      Object f = symArg(a.get(0), s.arg(0));
      Object x = variable(s, a, 1, "integrate");
      if (a.size() == 3) throw new NnftException(s.span(), "integrate takes a lower and an upper limit: integrate(expr, x, a, b).");
      Object r = a.size() == 4
          ? Symbolic.get().apply("TimeConstrained(Integrate(#1,{#2,#3,#4}),20)", f, x, symArg(a.get(2), s.arg(2)), symArg(a.get(3), s.arg(3)))
          : Symbolic.get().apply("TimeConstrained(Integrate(#1,#2),20)", f, x);
      String printed = Symbolic.get().print(r);
      if (printed.contains("Integrate") || printed.contains("Rubi") || printed.contains("Aborted")) {
        throw new NnftException(s.span(), "Symja found no closed form for this integral; for a number, give numeric limits and use N(...) or a finer grid with sum().");
      }
      return sym(r);
    }));
    lib.add(Builtin.fn("series", "series(expr, x, x0, order)").arg("expr", ArgType.EXPR).arg("x", ArgType.SYMBOL).arg("x0", ArgType.EXPR).arg("order", ArgType.INTEGER).costly().does("the Taylor series").impl((s, a, n) -> {
      Object f = symArg(a.get(0), s.arg(0));
      Object x = variable(s, a, 1, "series");
      int k = order(Builtins.num(s, a, 3, "series"), s.arg(3), "the order of a series");
      return sym(Symbolic.get().apply("Normal(Series(#1,{#2,#3,#4}))", f, x, symArg(a.get(2), s.arg(2)), (double) k));
    }));
    lib.add(Builtin.fn("subs", "subs(expr, name = value, ...)").arg("expr", ArgType.ANY).anyNamed().costly().does("the expression with symbols replaced: subs(expr, m = 1)").impl((s, a, n) -> {
      if (a.get(0) instanceof Actions.ActionV act) {
        Func subs = (Func) Builtins.lookup("subs");
        Value l = subs.call(s, List.of(new Sym(act.lagrangian())), n);
        if (!(l instanceof Sym ls)) throw new NnftException(s.arg(0), "after subs the Lagrangian has no field left.");
        return new Actions.ActionV(ls.expr(), act.field(), act.var(), act.lo(), act.hi());
      }
      Object f = symArg(a.get(0), s.arg(0));
      if (n.isEmpty()) return a.get(0);
      StringBuilder rules = new StringBuilder("ReplaceAll(#1,{");
      List<Object> args = new ArrayList<>();
      args.add(f);
      int i = 2;
      for (Map.Entry<String, Value> e : n.entrySet()) {
        if (!(s.interp().globals().lookup(e.getKey()) instanceof Sym)) {
          throw new NnftException(s.named(e.getKey()), "'" + e.getKey() + "' is not a declared symbol; subs gives values to symbols declared with symbol.");
        }
        if (i > 2) rules.append(',');
        rules.append(Symbolic.get().internal(e.getKey())).append("->#").append(i++);
        args.add(symArg(e.getValue(), s.named(e.getKey())));
      }
      rules.append("})");
      return sym(Symbolic.get().apply(rules.toString(), args.toArray()));
    }));
    lib.add(Builtin.fn("N", "N(expr)").arg("expr", ArgType.EXPR).costly().does("the numeric value").impl((s, a, n) -> numeric(s, a)));
    lib.add(Builtin.fn("compile", "compile(expr, x, y, ...)").arg("expr", ArgType.EXPR).rest("x", ArgType.SYMBOL, 1, 15).costly().returns(ArgType.FUNCTION).does("a Java closure of the expression, checked against Symja").impl((s, a, n) -> {
      Object e = symArg(a.get(0), s.arg(0));
      List<String> vars = new ArrayList<>();
      for (int i = 1; i < a.size(); i++) {
        variable(s, a, i, "compile");
        vars.add(Symbolic.get().print(((Sym) a.get(i)).expr()));
      }
      org.nnft.symbolic.Compiled c;
      try {
        c = org.nnft.symbolic.ClosureCompiler.compile(e, vars);
      } catch (IllegalStateException ex) {
        throw new NnftException(s.span(), "the compiled function disagrees with Symja: " + ex.getMessage());
      }
      return new CompiledFunc(c, Symbolic.get().print(e));
    }));
    lib.add(Builtin.fn("numeric", "numeric(expr)").arg("expr", ArgType.EXPR).costly().does("the numeric value").impl((s, a, n) -> numeric(s, a)));
  }

  /** A symbolic expression compiled to a Java closure: f(1, 2) evaluates it at numbers. */
  record CompiledFunc(org.nnft.symbolic.Compiled c, String text) implements Func {
    @Override public String name() { return "compiled " + text; }
    @Override public String toString() { return "compiled(" + String.join(", ", c.variables()) + ") " + text; }
    @Override public Value call(CallSite site, List<Value> args, Map<String, Value> named) {
      String[] vars = c.variables();
      if (args.size() != vars.length) throw new NnftException(site.span(), "this compiled function takes " + vars.length + " number" + (vars.length == 1 ? "" : "s") + " (" + String.join(", ", vars) + "), not " + args.size() + ".");
      double[] x = new double[vars.length];
      for (int i = 0; i < x.length; i++) x[i] = site.interp().number(args.get(i), site.arg(i), vars[i]);
      return Tensor.scalar(c.eval(x));
    }
  }

  private static Value numeric(Func.CallSite s, List<Value> a) {
    if (a.get(0) instanceof Tensor t) return t;
    return sym(Symbolic.get().apply("N(#1)", symArg(a.get(0), s.arg(0))));
  }

  private static Value one(Func.CallSite s, List<Value> a, String t) {
    if (a.get(0) instanceof Tensor tt) return tt;
    return sym(Symbolic.get().apply(t, symArg(a.get(0), s.arg(0))));
  }

  private static Object variable(Func.CallSite s, List<Value> a, int i, String f) {
    Value v = a.get(i);
    if (v instanceof Sym y && Symbolic.get().freeSymbols(y.expr()).size() == 1 && Symbolic.get().print(y.expr()).matches("[\\p{L}_][\\p{L}\\p{N}_]*")) {
      return y.expr();
    }
    throw new NnftException(s.arg(i), f + " needs a declared symbol here (symbol x), not " + v.kind() + ".");
  }

  /** The most a derivative's or a series' order may be: the symbolic work grows quickly with it. */
  static final int MAX_ORDER = 100;

  /** An order of a derivative or series: a whole number from 0 to {@link #MAX_ORDER}, checked before Symja sees it. */
  static int order(double x, org.nnft.syntax.Span at, String what) {
    int k = Builtins.wholeNumber(x, at, what);
    if (x < 0) throw new NnftException(at, what + " must be 0 or more, not " + org.nnft.runtime.Sizes.whole(x) + ".");
    if (x > MAX_ORDER) {
      throw new NnftException(at, what + " is " + org.nnft.runtime.Sizes.whole(x) + ", more than the limit of " + MAX_ORDER + " (symbolic work grows quickly with the order).");
    }
    return k;
  }
}
