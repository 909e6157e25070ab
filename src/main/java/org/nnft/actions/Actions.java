package org.nnft.actions;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Fields and actions: field phi(x: R^1) makes phi the symbolic function phi(x); integral(x, L)
 * is an action with Lagrangian L; eom (Euler-Lagrange), propagator (momentum space, from the
 * quadratic part with constant coefficients), couplings (n! times the coefficient of phi^n) and
 * expand work on it. Derivatives up to fourth order are handled. op(K, phi) is the operator
 * K(-i d/dx) with momentum-space symbol K(p) applied to the field (Symja's nnop(K, phi(x))), for
 * infinite-derivative kinetic terms such as 1/2 * phi * op(exp(c * p^2), phi); it may appear only
 * in terms c * phi * op(K, phi) with constant c and K even in p.
 */
public final class Actions {
  private Actions() {}

  static final int MAX_DERIV = 4;

  /** An action: the integral of a Lagrangian density over x (with limits, or over all x). */
  public record ActionV(Object lagrangian, String field, String var, Value lo, Value hi, int points, String rule) implements Value, Members, Func, org.nnft.runtime.Latex {
    public ActionV(Object lagrangian, String field, String var, Value lo, Value hi) { this(lagrangian, field, var, lo, hi, 0, "gauss"); }

    @Override public String name() { return "action"; }

    /** S(net): the functional on each network of the net (a number for each network). */
    @Override public Value call(Func.CallSite s, List<Value> args, Map<String, Value> named) {
      return ActionOnNets.apply(this, s, args, named);
    }

    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.ACTION); }

    @Override public String kind() { return "an action"; }

    @Override public String toString() {
      String l = Symbolic.get().print(lagrangian);
      String v = var.contains(",") ? "[" + var.replace(",", ", ") + "]" : var;
      return lo == null ? "integral(" + v + ", " + l + ")" : "integral(" + v + ", " + Printer.text(lo) + ", " + Printer.text(hi) + ", " + l + ")";
    }

    /** \int dx\, L, with the limits when it has them. */
    @Override public String latex() {
      String l = Symbolic.get().tex(lagrangian);
      if (l == null) return null;
      StringBuilder b = new StringBuilder("\\int");
      if (lo != null) b.append("_{").append(Printer.text(lo)).append("}^{").append(Printer.text(hi)).append("}");
      for (String v : var.split(",")) b.append(" d").append(v.strip().length() == 1 ? v.strip() : "\\mathrm{" + v.strip() + "}").append("\\,");
      return b.append(" \\left(").append(l).append("\\right)").toString();
    }

    @Override public Value member(String name, Span s) {
      if (name.equals("lagrangian")) return new Sym(lagrangian);
      throw new NnftException(s, "an action has no part '" + name + "'; it has lagrangian.");
    }
  }

  static Value declareField(String name, List<String> vars) {
    Symbolic sy = Symbolic.get();
    sy.registerField(name, String.join(",", vars));
    StringBuilder call = new StringBuilder(sy.internal(name)).append('(');
    for (int i = 0; i < vars.size(); i++) call.append(i > 0 ? "," : "").append(sy.internal(vars.get(i)));
    return new Sym(sy.apply(call.append(')').toString()));
  }

  /** The name of a value that is a bare symbol, x; null for anything else (x + 1, a number, ...). */
  private static String symbolName(Value v) {
    if (!(v instanceof Sym vs)) return null;
    Symbolic sy = Symbolic.get();
    List<String> free = sy.freeSymbols(vs.expr());
    return free.size() == 1 && sy.print(vs.expr()).equals(free.get(0)) ? free.get(0) : null;
  }

  /** Whether an action's field depends on several coordinates (its variable is "t,x"). */
  static boolean several(ActionV a) { return a.var().contains(","); }

  /** The coordinates of an action's field. */
  public static List<String> coordinates(ActionV a) { return List.of(a.var().split(",")); }

  static void register(Registry lib) {
    lib.declaration(org.nnft.syntax.Ast.FieldDecl.class, (in, st) -> {
      org.nnft.syntax.Ast.FieldDecl f = (org.nnft.syntax.Ast.FieldDecl) st;
      for (int i = 0; i < f.vars().size(); i++) {
        org.nnft.syntax.Ast.Type ty = f.types().get(i);
        if (ty.dim() != null) {
          double dd = in.number(in.eval(ty.dim(), in.globals()), ty.span(), "the dimension of a field's space");
          if (dd != 1) {
            String v = f.vars().get(i);
            throw new NnftException(ty.span(), "each coordinate of a field is in R^1; name them one by one, as in field " + f.name() + "(" + v + "1: R^1, " + v + "2: R^1).");
          }
        }
        if (!ty.base().equals("R")) throw new NnftException(ty.span(), "a field's coordinate lives in R^1, not " + ty.base() + ".");
        if (f.vars().indexOf(f.vars().get(i)) != i) throw new NnftException(ty.span(), "the coordinate " + f.vars().get(i) + " appears twice in field " + f.name() + ".");
      }
      Value field = declareField(f.name(), f.vars());
      for (String v : f.vars()) in.globals().define(v, new Sym(Symbolic.get().symbol(v)));
      in.globals().define(f.name(), field);
      return null;
    });
    lib.add(Builtin.fn("integral", "integral(x, L) or integral(x, a, b, L); over a box, integral([t, x], [a1, a2], [b1, b2], L)").arg("x", ArgType.ANY).rest("L", ArgType.EXPR, 1, 3).named("points", ArgType.INTEGER, "128 (composite Gauss-Legendre, 8 points a panel)").named("rule", ArgType.STRING, "\"gauss\"; or \"midpoint\", \"lattice\"").costly().returns(ArgType.ACTION).does("an action: integral(x, L) or integral(x, a, b, L)").impl((s, a, n) -> {
      if (a.size() == 3) throw new NnftException(s.span(), "integral takes the variable, optionally two limits, and the Lagrangian: integral(x, L) or integral(x, a, b, L).");
      Value var = a.get(0);
      Value l = a.get(a.size() - 1);
      Symbolic sy = Symbolic.get();
      java.util.List<String> vars = new java.util.ArrayList<>();
      if (symbolName(var) != null) vars.add(symbolName(var));
      else if (var instanceof Values.ListV lv && lv.items().size() >= 2) {
        for (Value x : lv.items()) {
          if (symbolName(x) == null) throw new NnftException(s.arg(0), "integral over a box needs the field's coordinates, such as [t, x], not a list with " + x.kind() + ".");
          vars.add(symbolName(x));
        }
      } else {
        throw new NnftException(s.arg(0), "integral needs the field's variable first, such as x (or its coordinates, [t, x]), not " + var.kind() + ".");
      }
      String vname = String.join(",", vars);
      String shown = vars.size() == 1 ? vname : String.join(", ", vars);
      String field = null;
      Object lag = Builtins.symArg(l, s.arg(a.size() - 1));
      for (String f : sy.fields()) {
        if (sy.fieldVar(f).equals(vname) && sy.freeFunctions(lag).contains(f)) field = f;
      }
      if (field == null) {
        String decl = vars.size() == 1 ? vname + ": R^1" : String.join(": R^1, ", vars) + ": R^1";
        throw new NnftException(s.arg(a.size() - 1), "this Lagrangian contains no field over " + shown + "; declare one with field phi(" + decl + ").");
      }
      for (int i = 1; a.size() == 4 && i <= 2; i++) {
        Value lim = a.get(i);
        boolean ok = lim instanceof Sym || lim instanceof Tensor t && t.isScalar();
        if (vars.size() > 1) {
          ok |= lim instanceof Tensor t && t.rank() == 1 && t.size() == vars.size();
          ok |= lim instanceof Values.ListV lv && lv.items().size() == vars.size() && lv.items().stream().allMatch(x -> x instanceof Sym || x instanceof Tensor t && t.isScalar());
        }
        if (!ok) {
          throw new NnftException(s.arg(i), vars.size() == 1 ? "an integration limit is a single number or a symbolic expression, not " + lim.kind() + "."
              : "the limits of a box over " + shown + " are vectors of " + vars.size() + " numbers (or one number for every coordinate), not " + lim.kind() + ".");
        }
      }
      int points = 0;
      if (n.containsKey("points")) {
        if (a.size() != 4) throw new NnftException(s.named("points"), "points sets the quadrature of an integral with limits, integral(x, a, b, L, points = M).");
        double m = s.interp().number(n.get("points"), s.named("points"), "points");
        if (m != Math.rint(m) || m < 1 || m > 1 << 20) throw new NnftException(s.named("points"), "points is a whole number of quadrature points from 1 to 1048576, not " + Interpreter.fmt(m) + ".");
        points = (int) m;
      }
      String rule = "gauss";
      if (n.containsKey("rule")) {
        if (a.size() != 4) throw new NnftException(s.named("rule"), "rule sets the quadrature of an integral with limits, integral(x, a, b, L, rule = \"midpoint\").");
        if (!(n.get("rule") instanceof Values.Str r) || !List.of("gauss", "midpoint", "lattice").contains(r.value())) {
          throw new NnftException(s.named("rule"), "rule is \"gauss\" (composite Gauss-Legendre, 8 points a panel), \"midpoint\" (the midpoint rule on equal intervals) or \"lattice\" (the time-sliced action: terms with the derivative at the midpoints of the intervals, the others at their ends).");
        }
        rule = r.value();
        if (vars.size() > 1 && rule.equals("lattice")) throw new NnftException(s.named("rule"), "the lattice rule is for actions of one variable; over a box use \"gauss\" or \"midpoint\".");
      }
      ActionV act = new ActionV(lag, field, vname, a.size() == 4 ? a.get(1) : null, a.size() == 4 ? a.get(2) : null, points, rule);
      split(act, s.arg(a.size() - 1));
      return act;
    }));
    lib.add(Builtin.fn("eom", "eom(S)").arg("S", ArgType.ACTION).costly().does("the Euler-Lagrange equation").impl((s, a, n) -> eom(s, action(s, a.get(0)))));
    lib.add(Builtin.fn("propagator", "propagator(S)").arg("S", ArgType.ANY).costly().does("the momentum-space propagator").impl((s, a, n) -> {
      if (a.get(0) instanceof Values.Record r && r.type().equals("momentum-space action")) return r.fields().get("propagator");
      return propagator(s, action(s, a.get(0)));
    }));
    lib.add(Builtin.fn("couplings", "couplings(S)").arg("S", ArgType.ACTION).costly().does("the couplings of the action").impl((s, a, n) -> couplings(s, action(s, a.get(0)))));
    lib.add(Builtin.fn("op", "op(K, phi): the operator with momentum-space symbol K(p), i.e. K(-i d/dx), applied to the field phi; "
        + "K even in p, as in 1/2 * phi * op(exp(c * p^2), phi) for the kinetic operator exp(-c d^2/dx^2)").arg("K", ArgType.EXPR).arg("phi", ArgType.ANY).costly().does("the operator with momentum-space symbol K(p) applied to the field").impl(Actions::op));
  }

  /** The Symja head of op(K, phi). */
  public static final String OP = "nnop";

  /** op(K, phi): checks K (a function of p and constants, even in p) and the field. */
  private static Value op(Func.CallSite s, List<Value> a, Map<String, Value> named) {
    Symbolic sy = Symbolic.get();
    Value fv = a.get(1);
    String field = null;
    if (fv instanceof Sym fs) {
      String printed = sy.print(fs.expr());
      if (sy.fields().contains(printed) && sy.freeFunctions(fs.expr()).contains(printed)) field = printed;
      else if (!sy.freeFunctions(fs.expr()).isEmpty()) {
        String f = sy.freeFunctions(fs.expr()).get(0);
        throw new NnftException(s.arg(1), "op applies its operator to the field itself, such as " + f + ", not to " + printed + "; keep other factors outside and move derivatives into the symbol (d/dx is i p), as in " + f + " * op(p^2 * K, " + f + ").");
      }
    }
    if (field == null) throw new NnftException(s.arg(1), "op needs a field as its second argument (field phi(x: R^1)), not " + describe(fv) + ".");
    String var = sy.fieldVar(field);
    if (var.contains(",")) throw new NnftException(s.arg(1), "op(K, " + field + ") works on fields of one variable; " + field + " depends on " + var.replace(",", ", ") + ".");
    if (var.equals("p")) throw new NnftException(s.arg(1), "op's symbol is a function of the momentum p, so the field's variable cannot be p; declare the field over another name, such as x.");
    Object k = Builtins.symArg(a.get(0), s.arg(0));
    if (!sy.freeFunctions(k).isEmpty()) throw new NnftException(s.arg(0), "the symbol K(p) of op is a function of the momentum p and constants, not of the field " + sy.freeFunctions(k).get(0) + ".");
    if (sy.freeSymbols(k).contains(var)) throw new NnftException(s.arg(0), "the symbol K(p) of op is a function of the momentum p and constants, not of " + var + "; op(K, " + field + ") is K(-i d/d" + var + ") " + field + ".");
    Object phi = ((Sym) fv).expr();
    if (!sy.freeSymbols(k).contains("p")) return new Sym(sy.apply("(#1)*(#2)", k, phi));
    if (!even(k)) throw new NnftException(s.arg(0), "op needs a symbol even in p, K(p) = K(-p), so that the operator is symmetric; " + sy.print(k) + " is not even.");
    return new Sym(sy.apply(OP + "(#1,#2)", k, phi));
  }

  private static String describe(Value v) {
    return v instanceof Sym y ? Symbolic.get().print(y.expr()) : v.kind();
  }

  /** K(p) = K(-p): by simplification, else at random values of the symbols. */
  private static boolean even(Object k) {
    Symbolic sy = Symbolic.get();
    String p = sy.internal("p");
    String diff = "(#1)-ReplaceAll(#1," + p + "->-" + p + ")";
    if (sy.isTrue(sy.apply("PossibleZeroQ(Simplify(" + diff + "))", k))) return true;
    java.util.Random r = new java.util.Random(7);
    for (int t = 0; t < 4; t++) {
      StringBuilder rules = new StringBuilder("{");
      for (String u : sy.freeSymbols(k)) rules.append(rules.length() > 1 ? "," : "").append(sy.internal(u)).append("->").append(0.3 + 1.4 * r.nextDouble());
      rules.append("}");
      Object d = sy.apply("N(Abs(ReplaceAll(" + diff + "," + rules + "))/(1+Abs(ReplaceAll(#1," + rules + "))))", k);
      if (!sy.isReal(d) || !(sy.toDouble(d) < 1e-10)) return false;
    }
    return true;
  }

  /** A Lagrangian split into its local part and its operator terms c * phi * op(K, phi). */
  record Split(Object local, List<Object[]> ops) {
    /** sum 2 c K(p): the operator terms' part of K in S2 = 1/2 int phi(-p) K(p) phi(p). */
    Object kernel() {
      Symbolic sy = Symbolic.get();
      Object k = sy.apply("0");
      for (Object[] o : ops) k = sy.apply("(#1)+2*(#2)*(#3)", k, o[0], o[1]);
      return k;
    }
  }

  static Split split(ActionV s, Span at) {
    Symbolic sy = Symbolic.get();
    Object lag = s.lagrangian();
    List<Object[]> ops = new java.util.ArrayList<>();
    if (sy.isTrue(sy.apply("FreeQ(#1," + OP + ")", lag))) return new Split(lag, ops);
    String f = sy.internal(s.field()), x = sy.internal(s.var());
    if (s.lo() != null) throw new NnftException(at, "op(K, " + s.field() + ") acts on fields over all of " + s.var() + "; write the action without limits, integral(" + s.var() + ", L).");
    Object terms = sy.apply("If(Head(#1)===Plus,Apply(List,#1),{#1})", sy.apply("Expand(#1)", lag));
    int n = (int) sy.toDouble(sy.apply("Length(#1)", terms));
    Object local = sy.apply("0");
    String form = "an op term must be quadratic in the field, a constant times " + s.field() + " * op(K, " + s.field() + "), as in 1/2 * " + s.field() + " * op(exp(c * p^2), " + s.field() + ")";
    for (int i = 1; i <= n; i++) {
      Object t = sy.apply("Part(#1," + i + ")", terms);
      if (sy.isTrue(sy.apply("FreeQ(#1," + OP + ")", t))) {
        local = sy.apply("(#1)+(#2)", local, t);
        continue;
      }
      Object found = sy.apply("Cases({#1}," + OP + "(_,_),Infinity)", t);
      boolean one = sy.toDouble(sy.apply("Length(#1)", found)) == 1;
      Object o = one ? sy.apply("Part(#1,1)", found) : null;
      Object c = one ? sy.apply("Cancel((#1)/(" + f + "(" + x + ")*(#2)))", t, o) : null;
      if (!one || !sy.isTrue(sy.apply("FreeQ(#1," + OP + ")&&FreeQ(#1," + f + ")", c))) {
        throw new NnftException(at, form + "; " + sy.print(t) + " is not.");
      }
      if (!sy.isTrue(sy.apply("SameQ(Part(#1,2)," + f + "(" + x + "))", o))) {
        throw new NnftException(at, "op in this action must act on its field " + s.field() + ", not on " + sy.print(sy.apply("Part(#1,2)", o)) + ".");
      }
      if (sy.freeSymbols(c).contains(s.var())) {
        throw new NnftException(at, "the coefficient " + sy.print(c) + " of " + s.field() + " * op(K, " + s.field() + ") depends on " + s.var() + "; an op term needs a constant coefficient.");
      }
      ops.add(new Object[] {c, sy.apply("Part(#1,1)", o)});
    }
    return new Split(local, ops);
  }

  private static ActionV local(ActionV s, Split sp) {
    return new ActionV(sp.local(), s.field(), s.var(), s.lo(), s.hi());
  }

  /** op(K, phi) with K a polynomial in p as derivatives: p^k -> (-i d/dx)^k. */
  public static Object opsAsDerivatives(Object e) {
    Symbolic sy = Symbolic.get();
    String p = sy.internal("p");
    return sy.apply("ReplaceAll(#1," + OP + "(nnk_,nnh_(nny_)):>If(PolynomialQ(nnk," + p + "),Sum(Coefficient(Expand(nnk)," + p + ",nnj)*(-I)^nnj*D(nnh(nny),{nny,nnj}),{nnj,0,Exponent(nnk," + p + ")})," + OP + "(nnk,nnh(nny))))", e);
  }

  static ActionV action(Func.CallSite s, Value v) {
    if (v instanceof ActionV av) {
      if (several(av)) throw new NnftException(s.arg(0), "eom, propagator and couplings work on fields of one variable; this action's field depends on " + String.join(", ", coordinates(av)) + " (evaluate it on nets with S(net)).");
      return av;
    }
    throw new NnftException(s.arg(0), "this needs an action (action S = integral(x, ...)), not " + v.kind() + ".");
  }

  /** Rules u_k -> the k-th derivative of the field, and back. */
  private static String toJets(ActionV s) {
    Symbolic sy = Symbolic.get();
    String f = sy.internal(s.field()), x = sy.internal(s.var());
    StringBuilder r = new StringBuilder("{");
    for (int k = MAX_DERIV; k >= 1; k--) r.append("Derivative(").append(k).append(")[").append(f).append("][").append(x).append("]->nnjet").append(k).append(",");
    return r.append(f).append("(").append(x).append(")->nnjet0}").toString();
  }

  private static String fromJets(ActionV s) {
    Symbolic sy = Symbolic.get();
    String f = sy.internal(s.field()), x = sy.internal(s.var());
    StringBuilder r = new StringBuilder("{nnjet0->" + f + "(" + x + ")");
    for (int k = 1; k <= MAX_DERIV; k++) r.append(",nnjet").append(k).append("->D(").append(f).append("(").append(x).append("),{").append(x).append(",").append(k).append("})");
    return r.append("}").toString();
  }

  /** Euler-Lagrange: sum_k (-d/dx)^k dL/du_k = 0; c phi op(K, phi) with K even gives 2 c op(K, phi). */
  static Value eom(Func.CallSite site, ActionV full) {
    Symbolic sy = Symbolic.get();
    Split sp = split(full, site.arg(0));
    ActionV s = local(full, sp);
    String x = sy.internal(s.var());
    StringBuilder e = new StringBuilder("Expand(0");
    for (int k = 0; k <= MAX_DERIV; k++) {
      String partial = "ReplaceAll(D(ReplaceAll(#1," + toJets(s) + "),nnjet" + k + ")," + fromJets(s) + ")";
      e.append(k % 2 == 0 ? "+" : "-").append(k == 0 ? partial : "D(" + partial + ",{" + x + "," + k + "})");
    }
    e.append(")");
    Object el = sy.apply(e.toString(), s.lagrangian());
    String phi = sy.internal(s.field()) + "(" + sy.internal(s.var()) + ")";
    for (Object[] o : sp.ops()) el = sy.apply("(#1)+2*(#2)*" + OP + "(#3," + phi + ")", el, o[0], o[1]);
    return new Sym(sy.apply("Expand(#1)==0", el));
  }

  /** The part of the Lagrangian of degree k in the field and its derivatives, in jet variables. */
  static String degree(ActionV s, int k) {
    StringBuilder scale = new StringBuilder("{");
    for (int j = 0; j <= MAX_DERIV; j++) scale.append(j > 0 ? "," : "").append("nnjet").append(j).append("->nneps*nnjet").append(j);
    scale.append("}");
    return "Coefficient(Expand(ReplaceAll(ReplaceAll(#1," + toJets(s) + ")," + scale + ")),nneps," + k + ")";
  }

  /** 1/K(p) with S2 = 1/2 int phi(-p) K(p) phi(p) from the quadratic part. */
  static Value propagator(Func.CallSite site, ActionV full) {
    Symbolic sy = Symbolic.get();
    Split sp = split(full, site.arg(0));
    ActionV s = local(full, sp);
    String p = sy.internal("p");
    String q = degree(s, 2);
    // Q(v(p) + v(-p)) - Q(v(p)) - Q(v(-p)) with v(p)_k = (i p)^k
    StringBuilder plus = new StringBuilder("{"), minus = new StringBuilder("{"), both = new StringBuilder("{");
    for (int k = 0; k <= MAX_DERIV; k++) {
      String sep = k > 0 ? "," : "";
      plus.append(sep).append("nnjet").append(k).append("->(I*").append(p).append(")^").append(k);
      minus.append(sep).append("nnjet").append(k).append("->(-I*").append(p).append(")^").append(k);
      both.append(sep).append("nnjet").append(k).append("->((I*").append(p).append(")^").append(k).append("+(-I*").append(p).append(")^").append(k).append(")");
    }
    plus.append("}");
    minus.append("}");
    both.append("}");
    String quad = "(" + q + ")";
    String kp = "Simplify(ReplaceAll(" + quad + "," + both + ")-ReplaceAll(" + quad + "," + plus + ")-ReplaceAll(" + quad + "," + minus + ")+#2)";
    Object k = sy.apply(kp, s.lagrangian(), sp.kernel());
    if (sy.freeFunctions(k).contains(s.field()) || sy.freeSymbols(k).contains(s.var())) {
      throw new NnftException(site.arg(0), "the quadratic part of this action has coefficients that depend on " + s.var() + "; a momentum-space propagator needs constant coefficients.");
    }
    if (sy.print(k).equals("0")) throw new NnftException(site.arg(0), "this action has no quadratic part, so no propagator.");
    sy.symbol("p");
    return new Sym(sy.apply("Simplify(1/(#1))", k));
  }

  /**
   * n! times the coefficient of phi^n (no derivatives), and Z for the kinetic term (1/2) Z phi'^2;
   * op terms give kernel, their part of K(p) in S2 = 1/2 int phi(-p) K(p) phi(p).
   */
  static Value couplings(Func.CallSite site, ActionV full) {
    Symbolic sy = Symbolic.get();
    Split sp = split(full, site.arg(0));
    ActionV s = local(full, sp);
    Map<String, Value> out = new LinkedHashMap<>();
    String jets = "ReplaceAll(#1," + toJets(s) + ")";
    Object z = sy.apply("2*Coefficient(Expand(" + jets + "),nnjet1,2)", s.lagrangian());
    if (!sy.print(z).equals("0")) out.put("Z", Builtins.sym(z));
    if (!sp.ops().isEmpty()) out.put("kernel", Builtins.sym(sy.apply("Simplify(#1)", sp.kernel())));
    String noDeriv = "ReplaceAll(" + jets + ",{nnjet1->0,nnjet2->0,nnjet3->0,nnjet4->0})";
    List<String> names = List.of("g0", "g1", "m2", "g3", "lambda", "g5", "g6", "g7", "g8");
    for (int k = 1; k <= 8; k++) {
      Object c = sy.apply("Factorial(" + k + ")*Coefficient(Expand(" + noDeriv + "),nnjet0," + k + ")", s.lagrangian());
      if (!sy.print(c).equals("0")) out.put(names.get(k), Builtins.sym(c));
    }
    return new Values.Record("couplings", out);
  }
}
