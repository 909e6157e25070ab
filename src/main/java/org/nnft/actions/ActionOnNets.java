package org.nnft.actions;

import java.util.List;
import java.util.Map;
import org.nnft.ensemble.Functional;
import org.nnft.ensemble.Functional.Pointwise;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;
import org.nnft.runtime.Func;
import org.nnft.runtime.NetV;
import org.nnft.runtime.RandomV;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.symbolic.Symbolic;
import org.nnft.symbolic.Symbolic.Tree;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * An action with limits applied to a net, S(net): the Lagrangian compiled once (Symja is read
 * here, never per sample) to a pointwise expression in φ, φ' and the variable, integrated by a
 * composite Gauss–Legendre rule over the limits on each network of an ensemble.
 */
public final class ActionOnNets {
  private ActionOnNets() {}

  /** The default number of quadrature points. */
  static final int DEFAULT_POINTS = 128;
  /** Points of each Gauss–Legendre panel. */
  static final int ORDER = 8;

  static Value apply(Actions.ActionV act, Func.CallSite s, List<Value> args, Map<String, Value> named) {
    if (args.size() != 1 || !named.isEmpty() || !(args.get(0) instanceof NetV net)) {
      throw new NnftException(s.span(), "an action is applied to one net, S(net): the functional on each of its networks.");
    }
    if (act.lo() == null) {
      throw new NnftException(s.span(), "this action has no limits; to evaluate it on nets give them, integral(" + act.var() + ", a, b, L).");
    }
    int d = s.interp().inputDim(net);
    int dims = Actions.coordinates(act).size();
    if (d != dims) {
      String over = dims == 1 ? act.var() + " in R^1" : "(" + String.join(", ", Actions.coordinates(act)) + ") in R^" + dims;
      throw new NnftException(s.arg(0), "the action integrates over " + over + ", but net " + net.name() + " takes points in " + (d < 0 ? "matrices" : "R^" + d) + ".");
    }
    return new RandomV(net, integral(act, s.span()), "action(" + net + ")");
  }

  /** The action as a quadrature over its limits (an error at s when it has none, or the Lagrangian cannot be compiled). */
  public static Functional integral(Actions.ActionV act, Span s) {
    if (act.lo() == null) {
      throw new NnftException(s, "this action has no limits; to evaluate it on nets give them, integral(" + act.var() + ", a, b, L).");
    }
    if (Actions.several(act)) return box(act, s);
    double lo = limit(act.lo(), s), hi = limit(act.hi(), s);
    Pointwise integrand = compile(Symbolic.get().tree(act.lagrangian()), act, s);
    int m = act.points() > 0 ? act.points() : DEFAULT_POINTS;
    if ("midpoint".equals(act.rule())) return new Functional.Integral(lo, hi, m, 1, integrand);
    if ("lattice".equals(act.rule())) {
      // the time-sliced action: terms with the derivative at the midpoints of the m intervals, the rest at their ends
      java.util.List<Pointwise> kinetic = new java.util.ArrayList<>(), potential = new java.util.ArrayList<>();
      for (Pointwise term : terms(integrand, new java.util.ArrayList<>())) (term.derivative() ? kinetic : potential).add(term);
      java.util.List<Functional> parts = new java.util.ArrayList<>();
      if (!kinetic.isEmpty()) parts.add(new Functional.Integral(lo, hi, m, 1, sum(kinetic)));
      if (!potential.isEmpty()) parts.add(new Functional.Integral(lo, hi, m, Functional.Integral.NODES, sum(potential)));
      return parts.size() == 1 ? parts.get(0) : new Functional.Sum(parts);
    }
    int order = Math.min(ORDER, m), panels = (m + order - 1) / order;
    return new Functional.Integral(lo, hi, panels, order, integrand);
  }

  /** Default points on each axis of a box: 32 in 2-D, 16 in 3-D, 8 beyond. */
  static int defaultPerAxis(int d) { return d == 2 ? 32 : d == 3 ? 16 : 8; }

  /** An action over a box: the tensor product of the composite rule on each axis. */
  private static Functional box(Actions.ActionV act, Span s) {
    int d = Actions.coordinates(act).size();
    double[] lo = limits(act.lo(), d, s), hi = limits(act.hi(), d, s);
    for (int k = 0; k < d; k++) {
      if (!(lo[k] < hi[k])) throw new NnftException(s, "the box's lower limits must be below its upper limits on every axis; on " + Actions.coordinates(act).get(k) + " they are " + org.nnft.runtime.Interpreter.fmt(lo[k]) + " and " + org.nnft.runtime.Interpreter.fmt(hi[k]) + ".");
    }
    Pointwise integrand = compile(Symbolic.get().tree(act.lagrangian()), act, s);
    int m = act.points() > 0 ? act.points() : defaultPerAxis(d);
    int order = "midpoint".equals(act.rule()) ? 1 : Math.min(ORDER, m), panels = (m + order - 1) / order;
    // the nodes once, or once per axis when the integrand reads partial derivatives (Functional.Layout)
    double total = Math.pow(panels * (double) order, d) * (integrand.derivative() ? d : 1);
    if (total > 1 << 22) {
      throw new NnftException(s, "a box of " + (panels * order) + " points on each of " + d + " axes is " + String.format("%.3g", total) + " evaluations of the net per network; give fewer points (points = M sets the points on each axis).");
    }
    return new Functional.Box(lo, hi, panels, order, integrand);
  }

  private static double[] limits(Value v, int d, Span s) {
    double[] r = new double[d];
    if (v instanceof Tensor t && t.isScalar()) {
      java.util.Arrays.fill(r, limit(t, s));
      return r;
    }
    if (v instanceof Tensor t && t.rank() == 1 && t.size() == d) {
      for (int k = 0; k < d; k++) r[k] = limit(Tensor.scalar(t.data[k]), s);
      return r;
    }
    if (v instanceof org.nnft.runtime.Values.ListV l && l.items().size() == d) {
      for (int k = 0; k < d; k++) r[k] = limit(l.items().get(k), s);
      return r;
    }
    throw new NnftException(s, "an action evaluated on nets needs finite numeric limits, not " + v + ".");
  }

  private static double limit(Value v, Span s) {
    if (v instanceof Tensor t && t.isScalar() && Double.isFinite(t.value())) return t.value();
    throw new NnftException(s, "an action evaluated on nets needs finite numeric limits, not " + v + ".");
  }

  /** The terms of a sum. */
  private static java.util.List<Pointwise> terms(Pointwise p, java.util.List<Pointwise> out) {
    if (p instanceof Pointwise.Op o && o.op() == Tape.BinOp.ADD) {
      terms(o.a(), out);
      terms(o.b(), out);
    } else {
      out.add(p);
    }
    return out;
  }

  private static Pointwise sum(java.util.List<Pointwise> ts) {
    Pointwise r = ts.get(0);
    for (int i = 1; i < ts.size(); i++) r = new Pointwise.Op(Tape.BinOp.ADD, r, ts.get(i));
    return r;
  }

  /** The Lagrangian as a pointwise expression: numbers, the variable, the field and its first derivative. */
  static Pointwise compile(Tree t, Actions.ActionV act, Span s) {
    switch (t.kind()) {
      case NUMBER -> { return new Pointwise.Num(t.value()); }
      case SYMBOL -> {
        if (t.name().equals(act.var())) return new Pointwise.Var();
        int axis = Actions.several(act) ? Actions.coordinates(act).indexOf(t.name()) : -1;
        if (axis >= 0) return new Pointwise.Coord(axis);
        throw new NnftException(s, "the Lagrangian has the free symbol " + t.name() + "; give it a value with let before the action (or subs) to evaluate the action on nets.");
      }
      default -> { }
    }
    List<Tree> a = t.args();
    String h = t.name();
    int dims = Actions.coordinates(act).size();
    if (h.equals(act.field()) && a.size() == dims) return new Pointwise.Phi();
    if (h.equals("Derivative") && dims > 1) {
      // Derivative(k1, ..., kd, phi, x1, ..., xd): a first partial derivative has one k equal to 1
      int axis = -1, total = 0;
      boolean ok = a.size() == 2 * dims + 1 && act.field().equals(a.get(dims).name());
      for (int k = 0; ok && k < dims; k++) {
        if (a.get(k).kind() != Tree.Kind.NUMBER) { ok = false; break; }
        double o = a.get(k).value();
        total += (int) o;
        if (o == 1) axis = k;
      }
      if (ok && total == 1) return new Pointwise.Partial(axis);
      throw new NnftException(s, "an action evaluated on nets may use the field and its first partial derivatives only, not higher or mixed derivatives.");
    }
    if (h.equals("Derivative")) {
      if (a.size() == 3 && a.get(0).kind() == Tree.Kind.NUMBER && a.get(0).value() == 1 && act.field().equals(a.get(1).name())) return new Pointwise.DPhi();
      throw new NnftException(s, "an action evaluated on nets may use the field and its first derivative only, not higher derivatives.");
    }
    switch (h) {
      case "Plus", "Times" -> {
        Tape.BinOp op = h.equals("Plus") ? Tape.BinOp.ADD : Tape.BinOp.MUL;
        Pointwise r = compile(a.get(0), act, s);
        for (int i = 1; i < a.size(); i++) r = new Pointwise.Op(op, r, compile(a.get(i), act, s));
        return r;
      }
      case "Power" -> { return new Pointwise.Op(Tape.BinOp.POW, compile(a.get(0), act, s), compile(a.get(1), act, s)); }
      default -> { }
    }
    Elementwise fn = FUNCTIONS.get(h);
    if (fn != null && a.size() == 1) return new Pointwise.Fn(fn, compile(a.get(0), act, s));
    throw new NnftException(s, "an action evaluated on nets cannot contain " + Symbolic.get().unmangle(h) + "(...) yet; use the field, its first derivative, numbers and element-wise functions.");
  }

  private static final Map<String, Elementwise> FUNCTIONS = Map.ofEntries(
      Map.entry("Sin", Elementwise.SIN), Map.entry("Cos", Elementwise.COS), Map.entry("Tan", Elementwise.TAN),
      Map.entry("Exp", Elementwise.EXP), Map.entry("Log", Elementwise.LOG), Map.entry("Sqrt", Elementwise.SQRT),
      Map.entry("Tanh", Elementwise.TANH), Map.entry("Erf", Elementwise.ERF), Map.entry("Sinh", Elementwise.SINH),
      Map.entry("Cosh", Elementwise.COSH), Map.entry("ArcTan", Elementwise.ATAN), Map.entry("ArcSin", Elementwise.ASIN),
      Map.entry("ArcCos", Elementwise.ACOS), Map.entry("Abs", Elementwise.ABS), Map.entry("Sign", Elementwise.SIGN));
}
