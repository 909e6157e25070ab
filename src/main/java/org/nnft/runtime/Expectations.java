package org.nnft.runtime;

import org.nnft.report.Format;
import org.nnft.syntax.Ast.Expect;
import org.nnft.syntax.NnftException;

/** expect statements: comparisons, booleans, and A ~= B within tol or within k sigma. */
public final class Expectations {
  private Expectations() {}

  static void check(Interpreter in, Expect e) {
    String text = in.sourceText(e.span());
    if (text.startsWith("expect")) text = text.substring(6).trim();
    Value l = in.eval(e.left(), in.globals());
    if (e.right() == null) {
      boolean ok = in.truth(l, e.left().span());
      in.session().expectResult(ok, ok ? text : text + " is false", e.span());
      return;
    }
    Value r = in.eval(e.right(), in.globals());
    Tensor a = in.tensorArg(l, e.left().span(), "~=");
    Tensor b = in.tensorArg(r, e.right().span(), "~=");
    double tol = in.number(in.eval(e.tolerance(), in.globals()), e.tolerance().span(), "a tolerance");
    if (!(tol >= 0)) throw new NnftException(e.tolerance().span(), "a tolerance must be 0 or more.");
    boolean sigma = e.unit() != null;
    if (a.size() == 0 || b.size() == 0) {
      // nothing to compare would pass without checking anything
      throw new NnftException(a.size() == 0 ? e.left().span() : e.right().span(), "expect ... ~= ... has nothing to compare: " + Arith.empty(a.size() == 0 ? a : b) + ".");
    }
    Tensor diff = TensorOps.binary(a, b, TensorOps.SUB);
    in.checkFinite(a, e.left().span());
    in.checkFinite(b, e.right().span());
    if (sigma && diff.err == null) {
      throw new NnftException(e.unitSpan(), "'within " + Format.num(tol) + " sigma' needs an estimate with an error on one side; use 'within " + Format.num(tol) + "' for a plain tolerance.");
    }
    if (a.heavyTailed() || b.heavyTailed()) {
      Tensor h = a.heavyTailed() ? a : b;
      in.session().expectResult(false, text + ": the estimate " + (h == a ? "on the left" : "on the right") + " comes from summands with heavy tails (k = "
          + Format.num(h.tail, 3) + " > " + Format.num(org.nnft.ensemble.Runner.TAIL_LIMIT) + "), so neither its value nor its error bar can be trusted; "
          + "compare an exact form instead, or check the diagnostic with pareto_k(...)", e.span());
      return;
    }
    double worst = -1;
    int at = 0;
    boolean ok = true;
    for (int i = 0; i < diff.size(); i++) {
      double d = Math.abs(diff.data[i]);
      double bound = sigma ? tol * diff.err[i] : tol;
      double score = sigma ? (d == 0 ? 0 : d / diff.err[i]) : d;
      if (!(d <= bound)) ok = false;
      if (score > worst || Double.isNaN(score)) { worst = score; at = i; }
    }
    String where = diff.isScalar() ? "" : " (worst entry " + at + ")";
    String lhs = entry(a, at), rhs = entry(b, at);
    double dist = Math.abs(diff.data[at]);
    String msg;
    if (sigma) {
      msg = text + ": " + lhs + " vs " + rhs + where + ", off by " + Format.num(dist) + " = " + Format.num(worst, 3) + " sigma" + (ok ? " <= " : " > ") + Format.num(tol) + " sigma";
    } else {
      msg = text + ": " + lhs + " vs " + rhs + where + ", off by " + Format.num(dist) + (ok ? " <= " : " > ") + Format.num(tol);
    }
    in.session().expectResult(ok, msg, e.span());
  }

  private static String entry(Tensor t, int i) {
    int k = t.isScalar() ? 0 : Math.min(i, t.size() - 1);
    return t.err == null ? Format.num(t.data[k]) : Format.measured(t.data[k], t.err[k]);
  }
}
