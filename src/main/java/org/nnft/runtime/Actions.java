package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;

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
 * expand work on it. Derivatives up to fourth order are handled.
 */
final class Actions {
  private Actions() {}

  static final int MAX_DERIV = 4;

  /** An action: the integral of a Lagrangian density over x (with limits, or over all x). */
  record ActionV(Object lagrangian, String field, String var, Value lo, Value hi) implements Value, Members {
    @Override public String kind() { return "an action"; }

    @Override public String toString() {
      String l = Symbolic.get().print(lagrangian);
      return lo == null ? "integral(" + var + ", " + l + ")" : "integral(" + var + ", " + Printer.text(lo) + ", " + Printer.text(hi) + ", " + l + ")";
    }

    @Override public Value member(String name, Span s) {
      if (name.equals("lagrangian")) return new Sym(lagrangian);
      throw new NnftException(s, "an action has no part '" + name + "'; it has lagrangian.");
    }
  }

  static Value declareField(String name, String var) {
    Symbolic sy = Symbolic.get();
    sy.registerField(name, var);
    return new Sym(sy.apply(sy.internal(name) + "(" + sy.internal(var) + ")"));
  }

  static void register() {
    def("integral", 2, 4, Set.of(), (s, a, n) -> {
      if (a.size() == 3) throw new NnftException(s.span(), "integral takes the variable, optionally two limits, and the Lagrangian: integral(x, L) or integral(x, a, b, L).");
      Value var = a.get(0);
      Value l = a.get(a.size() - 1);
      Symbolic sy = Symbolic.get();
      if (!(var instanceof Sym vs)) throw new NnftException(s.arg(0), "integral needs the field's variable first, such as x, not " + var.kind() + ".");
      String vname = sy.print(vs.expr());
      String field = null;
      Object lag = Builtins.symArg(l, s.arg(a.size() - 1));
      for (String f : sy.fields()) {
        if (sy.fieldVar(f).equals(vname) && sy.freeFunctions(lag).contains(f)) field = f;
      }
      if (field == null) throw new NnftException(s.arg(a.size() - 1), "this Lagrangian contains no field over " + vname + "; declare one with field phi(" + vname + ": R^1).");
      return new ActionV(lag, field, vname, a.size() == 4 ? a.get(1) : null, a.size() == 4 ? a.get(2) : null);
    }, "integral(x, L) or integral(x, a, b, L)");
    def("eom", 1, 1, Set.of(), (s, a, n) -> eom(action(s, a.get(0))), "eom(S)");
    def("propagator", 1, 1, Set.of(), (s, a, n) -> {
      if (a.get(0) instanceof Values.Record r && r.type().equals("momentum-space action")) return r.fields().get("propagator");
      return propagator(s, action(s, a.get(0)));
    }, "propagator(S)");
    def("couplings", 1, 1, Set.of(), (s, a, n) -> couplings(action(s, a.get(0))), "couplings(S)");
  }

  static ActionV action(Func.CallSite s, Value v) {
    if (v instanceof ActionV av) return av;
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

  /** Euler-Lagrange: sum_k (-d/dx)^k dL/du_k = 0. */
  static Value eom(ActionV s) {
    Symbolic sy = Symbolic.get();
    String x = sy.internal(s.var());
    StringBuilder e = new StringBuilder("Expand(0");
    for (int k = 0; k <= MAX_DERIV; k++) {
      String partial = "ReplaceAll(D(ReplaceAll(#1," + toJets(s) + "),nnjet" + k + ")," + fromJets(s) + ")";
      e.append(k % 2 == 0 ? "+" : "-").append(k == 0 ? partial : "D(" + partial + ",{" + x + "," + k + "})");
    }
    e.append(")==0");
    return new Sym(sy.apply(e.toString(), s.lagrangian()));
  }

  /** The part of the Lagrangian of degree k in the field and its derivatives, in jet variables. */
  static String degree(ActionV s, int k) {
    StringBuilder scale = new StringBuilder("{");
    for (int j = 0; j <= MAX_DERIV; j++) scale.append(j > 0 ? "," : "").append("nnjet").append(j).append("->nneps*nnjet").append(j);
    scale.append("}");
    return "Coefficient(Expand(ReplaceAll(ReplaceAll(#1," + toJets(s) + ")," + scale + ")),nneps," + k + ")";
  }

  /** 1/K(p) with S2 = 1/2 int phi(-p) K(p) phi(p) from the quadratic part. */
  static Value propagator(Func.CallSite site, ActionV s) {
    Symbolic sy = Symbolic.get();
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
    String kp = "Simplify(ReplaceAll(" + quad + "," + both + ")-ReplaceAll(" + quad + "," + plus + ")-ReplaceAll(" + quad + "," + minus + "))";
    Object k = sy.apply(kp, s.lagrangian());
    if (sy.freeFunctions(k).contains(s.field()) || sy.print(k).contains(s.var())) {
      throw new NnftException(site.arg(0), "the quadratic part of this action has coefficients that depend on " + s.var() + "; a momentum-space propagator needs constant coefficients.");
    }
    if (sy.print(k).equals("0")) throw new NnftException(site.arg(0), "this action has no quadratic part, so no propagator.");
    sy.symbol("p");
    return new Sym(sy.apply("Simplify(1/(#1))", k));
  }

  /** n! times the coefficient of phi^n (no derivatives), and Z for the kinetic term (1/2) Z phi'^2. */
  static Value couplings(ActionV s) {
    Symbolic sy = Symbolic.get();
    Map<String, Value> out = new LinkedHashMap<>();
    String jets = "ReplaceAll(#1," + toJets(s) + ")";
    Object z = sy.apply("2*Coefficient(Expand(" + jets + "),nnjet1,2)", s.lagrangian());
    if (!sy.print(z).equals("0")) out.put("Z", Builtins.sym(z));
    String noDeriv = "ReplaceAll(" + jets + ",{nnjet1->0,nnjet2->0,nnjet3->0,nnjet4->0})";
    List<String> names = List.of("g0", "g1", "m2", "g3", "lambda", "g5", "g6", "g7", "g8");
    for (int k = 1; k <= 8; k++) {
      Object c = sy.apply("Factorial(" + k + ")*Coefficient(Expand(" + noDeriv + "),nnjet0," + k + ")", s.lagrangian());
      if (!sy.print(c).equals("0")) out.put(names.get(k), Builtins.sym(c));
    }
    return new Values.Record("couplings", out);
  }
}
