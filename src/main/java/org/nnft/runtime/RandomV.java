package org.nnft.runtime;

import java.util.ArrayList;
import java.util.List;
import org.nnft.ensemble.Functional;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * A number for each network of a net: the net at a point ({@code osc(0.3)}), an action applied to
 * it ({@code S(osc)}), and arithmetic, element-wise functions and sums of those. It has no value of
 * its own; {@code sample(net, n, weight = w)} or {@code log_weight = l} evaluates it on every
 * network drawn.
 */
public record RandomV(NetV net, Functional functional, String text) implements Value {
  @Override public String kind() { return "a function of the network (" + text + ")"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.RANDOM); }

  @Override public String toString() {
    return text + ", a number for each network of " + net.name() + ": weigh an ensemble with it, sample(" + net.name() + ", count, log_weight = ...)";
  }

  /** The net at a point: for a net on R^d, a number (d = 1) or a vector of d numbers. */
  static RandomV at(NetV net, Tensor point, String callee, Span s) {
    if (point.err != null) throw new NnftException(s, "a point must be exact numbers, not an estimate.");
    for (double x : point.data) if (!Double.isFinite(x)) throw new NnftException(s, "a point must have finite coordinates.");
    if (point.rank() > 1) throw new NnftException(s, "a net is evaluated at one point at a time, not at " + point.kind() + ".");
    return new RandomV(net, new Functional.At(point.data.clone()), callee + "(" + Printer.text(point) + ")");
  }

  static Value neg(RandomV a) { return new RandomV(a.net, new Functional.Unary(Elementwise.NEG, a.functional), "-" + a.text); }

  static Value apply(String f, RandomV a, Span s) {
    Elementwise e = Elementwise.byName(f);
    if (e == null) throw new NnftException(s, f + " does not apply to a function of the network.");
    return new RandomV(a.net, new Functional.Unary(e, a.functional), f + "(" + a.text + ")");
  }

  /** l op r where one side is a function of the network and the other one too or a plain number. */
  static Value binary(org.nnft.syntax.Ast.BinOp op, Value l, Value r, org.nnft.syntax.Ast.Binary b) {
    Tape.BinOp t = switch (op) {
      case ADD -> Tape.BinOp.ADD;
      case SUB -> Tape.BinOp.SUB;
      case MUL -> Tape.BinOp.MUL;
      case DIV -> Tape.BinOp.DIV;
      case POW -> Tape.BinOp.POW;
      default -> throw new NnftException(b.span(), "'" + op + "' does not apply to a function of the network; use + - * / ^ and element-wise functions.");
    };
    NetV net = l instanceof RandomV x ? x.net : ((RandomV) r).net;
    Functional a = operand(l, net, b.left().span()), c = operand(r, net, b.right().span());
    return new RandomV(net, new Functional.Binary(t, a, c), text(l) + " " + op + " " + text(r));
  }

  private static String text(Value v) {
    if (v instanceof RandomV x) return x.functional instanceof Functional.Binary ? "(" + x.text + ")" : x.text;
    return Printer.text(v);
  }

  static Functional operand(Value v, NetV net, Span s) {
    if (v instanceof RandomV x) {
      if (!sameNet(x.net, net)) {
        throw new NnftException(s, "this is a function of " + x.net + ", the other side of " + net + "; a weight reads one net, the one sampled.");
      }
      return x.functional;
    }
    if (v instanceof Tensor t && t.isScalar() && t.err == null) return new Functional.Const(t.value());
    if (v instanceof Tensor t && t.isScalar()) throw new NnftException(s, "a function of the network combines with exact numbers, not with an estimate.");
    throw new NnftException(s, "a function of the network combines with single numbers, not with " + v.kind() + ".");
  }

  /** The sum of a list whose entries are functions of one net or numbers, or null when none is. */
  static Value sum(List<Value> items, Span s) {
    NetV net = null;
    for (Value v : items) if (v instanceof RandomV x) { net = x.net; break; }
    if (net == null) return null;
    List<Functional> terms = new ArrayList<>();
    for (Value v : items) terms.add(operand(v, net, s));
    return new RandomV(net, new Functional.Sum(terms), "sum of " + items.size() + " terms");
  }

  /** The same net: one declaration with equal overrides. */
  public static boolean sameNet(NetV a, NetV b) {
    if (a.decl() != b.decl() || !a.name().equals(b.name())) return false;
    if (!a.overrides().keySet().equals(b.overrides().keySet())) return false;
    for (var e : a.overrides().entrySet()) {
      if (!Printer.key(e.getValue()).equals(Printer.key(b.overrides().get(e.getKey())))) return false;
    }
    return true;
  }
}
