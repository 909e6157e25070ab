package org.nnft.nets;

import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.runtime.NetV;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.runtime.Env;
import org.nnft.runtime.Interpreter;
import org.nnft.runtime.Sizes;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.syntax.Ast;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Lowers a net to a {@link Tape}. Sub-expressions that do not touch the input or the parameters
 * are evaluated once by the interpreter (sizes, scales, constant vectors); the rest becomes tape
 * nodes over fixed-size arrays. Also recognises nets whose output is a sum of N i.i.d. neuron
 * terms and lowers their single-neuron form.
 */
public final class Lowering {
  private final Interpreter interp;
  private final NetV net;
  private final Env consts;
  private final Tape.Builder tape = new Tape.Builder();
  private final Map<String, Integer> nodes = new HashMap<>();
  private final int rowWidth; // >0: lower the single-neuron form (leading dimension rowWidth -> 1)
  private final List<CompiledNet.Param> params = new ArrayList<>();

  private Lowering(Interpreter interp, NetV net, int rowWidth) {
    this.interp = interp;
    this.net = net;
    this.rowWidth = rowWidth;
    Env outer = new Env(interp.globals());
    for (var e : net.overrides().entrySet()) outer.define(e.getKey(), e.getValue());
    this.consts = new Env(outer);
  }

  public static CompiledNet lower(Interpreter interp, NetV net) {
    CompiledNet full = new Lowering(interp, net, 0).run();
    int n = iidWidth(full);
    if (n > 1) {
      CompiledNet one = integrateGaussianWeight(new Lowering(interp, net, n).run());
      full.neuron = one;
      full.width = n;
      full.integratedWeight = one.integratedWeight;
    }
    return full;
  }

  /**
   * The single-neuron form of an i.i.d.-neuron net with its output weight still a parameter (not
   * integrated out), for the symbolic rules; null when the net is not a sum of i.i.d. terms.
   */
  public static CompiledNet neuronForm(Interpreter interp, NetV net) {
    CompiledNet full = new Lowering(interp, net, 0).run();
    int n = iidWidth(full);
    if (n < 1) {
      // a single neuron written with scalar parameters: a * act(w * x + b)
      if (full.outDim != 1 || full.params.isEmpty()) return null;
      for (CompiledNet.Param p : full.params) if (p.shape().length != 0) return null;
      full.width = 1;
      return full;
    }
    CompiledNet one = new Lowering(interp, net, n).run();
    one.width = n;
    return one;
  }

  /** The output node with the constant or input-only scale factors stripped. */
  public static int unscaledOutput(Tape t) { return stripScale(t, t.output); }

  private CompiledNet run() {
    try {
      CompiledNet c = lowered();
      long total = 0;
      for (Node nd : c.tape.nodes) total += nd.size;
      Sizes.total(net.decl().span(), "one network of " + net.name(), total);
      return c;
    } catch (org.nnft.numeric.Tape.TooLarge e) {
      long n = 1;
      for (int x : e.shape) n = Math.min(Long.MAX_VALUE / 2, n * x);
      throw new NnftException(net.decl().span(), "net " + net.name() + " makes a value of shape " + Tensor.shapeText(e.shape)
          + ", " + n + " entries, more than the limit of " + Sizes.limit() + ".");
    }
  }

  private CompiledNet lowered() {
    NetDecl d = net.decl();
    int inDim = d.inType().dim() == null ? 1 : dim(d.inType().dim(), "input dimension");
    int inCols = d.inType().cols() == null ? 0 : dim(d.inType().cols(), "input dimension");
    if (d.outType() != null && d.outType().cols() != null) throw new NnftException(d.outType().span(), "a net returns a number or a vector.");
    int outDim = d.outType() == null || d.outType().dim() == null ? 1 : dim(d.outType().dim(), "output dimension");
    Sizes.entries(d.inType().span(), "the input of net " + net.name(), inDim, Math.max(1, inCols));
    int in = tape.input(inCols > 0 ? new int[] {inDim, inCols} : new int[] {inDim});
    if (inCols > 0) inDim *= inCols;
    nodes.put(d.input(), in);
    boolean returned = false;
    for (NetItem item : d.items()) {
      if (item instanceof ParamItem p) {
        int[] shape = new int[p.shape().size()];
        for (int i = 0; i < shape.length; i++) shape[i] = dim(p.shape().get(i), "size");
        Sizes.entries(p.span(), "parameter " + p.name(), shape);
        Value dv = interp.eval(p.density(), consts);
        if (!(dv instanceof DensityV dval)) {
          throw new NnftException(p.density().span(), "a parameter needs a density such as normal(0, 1), not " + dv.kind() + ".");
        }
        Density dens = dval.density();
        if (dens instanceof Density.UniformBall && shape.length != 2) {
          throw new NnftException(p.density().span(), "uniform_ball draws rows of a matrix: declare " + p.name() + "[N, d].");
        }
        int[] tshape = shape.clone();
        if (rowWidth > 0 && tshape.length > 0 && tshape[0] == rowWidth) tshape[0] = 1;
        int node = tape.param(params.size(), tshape);
        params.add(new CompiledNet.Param(p.name(), node, tshape, dens));
        nodes.put(p.name(), node);
      } else if (item instanceof FixedItem f) {
        int[] shape = new int[f.shape().size()];
        for (int i = 0; i < shape.length; i++) shape[i] = dim(f.shape().get(i), "size");
        Sizes.entries(f.span(), f.name(), shape);
        if (refsNode(f.value())) {
          throw new NnftException(f.value().span(), "a fixed tensor cannot depend on the input or on random parameters; use let for that.");
        }
        Value v = interp.eval(f.value(), consts);
        Tensor t = interp.tensorArg(v, f.value().span(), "a fixed tensor");
        int size = 1;
        for (int s : shape) size *= s;
        if (t.isScalar()) {
          double[] a = new double[size];
          Arrays.fill(a, t.value());
          t = new Tensor(a, null, shape, null);
        } else if (t.size() != size) {
          throw new NnftException(f.value().span(), f.name() + " is declared as " + Tensor.shapeText(shape) + " but its value is " + t.kind() + ".");
        } else {
          t = new Tensor(t.data, null, shape, null);
        }
        consts.define(f.name(), t);
      } else if (item instanceof LetItem l) {
        if (refsNode(l.value())) nodes.put(l.name(), stage(l.value()));
        else {
          Value lv = interp.eval(l.value(), consts);
          if (lv instanceof DensityV) {
            throw new NnftException(l.span(), "a density is not a value: declare a random parameter with " + l.name() + " ~ " + org.nnft.runtime.Printer.text(lv) + ".");
          }
          consts.define(l.name(), lv);
        }
      } else if (item instanceof ReturnItem r) {
        int out = refsNode(r.value()) ? stage(r.value()) : constNode(r.value().span(), interp.eval(r.value(), consts));
        Node o = tape.node(out);
        if (o.size != outDim) {
          throw new NnftException(r.value().span(), org.nnft.check.Errors.returnShape(outDim, Tensor.shapeText(o.shape)) + ".");
        }
        tape.output(out);
        returned = true;
      }
    }
    if (!returned) throw new NnftException(d.nameSpan(), org.nnft.check.Errors.noReturn(d.name()) + ".");
    return new CompiledNet(net.name(), tape.build(), List.copyOf(params), inDim, outDim);
  }

  private int dim(Expr e, String what) {
    if (refsNode(e)) throw new NnftException(e.span(), (what.matches("[aeiou].*") ? "an " : "a ") + what + " must be a fixed number, not depend on parameters.");
    Value v = interp.eval(e, consts);
    if (v instanceof Tensor t && t.isScalar() && t.err == null) {
      double x = t.value();
      if (x >= 1 && x == Math.rint(x) && x <= Sizes.limit()) return (int) x;
      if (x > Sizes.limit() && x == Math.rint(x)) {
        throw new NnftException(e.span(), (what.matches("[aeiou].*") ? "an " : "a ") + what + " of " + Sizes.whole(x) + " is more than the limit of " + Sizes.limit() + ".");
      }
      throw new NnftException(e.span(), (what.matches("[aeiou].*") ? "an " : "a ") + what + " must be a positive whole number, not " + org.nnft.report.Format.num(x) + ".");
    }
    throw new NnftException(e.span(), (what.matches("[aeiou].*") ? "an " : "a ") + what + " must be a number, not " + v.kind() + ".");
  }

  /** Whether e reads a node of the tape (a parameter, the input or a staged let), by the one scoping walk. */
  private boolean refsNode(Expr e) {
    for (String n : org.nnft.syntax.Scoping.free(e, java.util.Set.of(), org.nnft.syntax.Scoping.NONE)) if (nodes.containsKey(n)) return true;
    return false;
  }

  private int constNode(Span s, Value v) {
    Tensor t = interp.tensorArg(v, s, "a net body");
    return tape.constant(t.data.clone(), t.shape);
  }

  private int operand(Expr e) {
    if (refsNode(e)) return stage(e);
    return constNode(e.span(), interp.eval(e, consts));
  }

  private int stage(Expr e) {
    { Object __s0 = e;
      if (__s0 instanceof Name n) { return nodes.get(n.name()); }
      else if (__s0 instanceof Unary u) {
        int a = stage(u.operand());
        return switch (u.op()) {
          case NEG -> tape.unary("neg", a);
          case SQRT -> tape.unary("sqrt", a);
          case PLUS -> a;
          case NOT -> throw new NnftException(u.span(), "'" + u.op() + "' cannot be used on network values.");
        };
      }
      else if (__s0 instanceof Binary b) {
        String op = b.op().symbol;
        if (b.op() == BinOp.MATMUL) return matmul(b, operand(b.left()), operand(b.right()));
        if (!b.op().arithmetic()) {
          throw new NnftException(b.span(), "'" + op + "' cannot be used on network values.");
        }
        int x = operand(b.left()), y = operand(b.right());
        int r = tape.binary(op, x, y);
        if (r < 0) {
          throw new NnftException(b.span(), org.nnft.check.Errors.cannotCombine(Tensor.shapeText(tape.node(x).shape), Tensor.shapeText(tape.node(y).shape)) + ".");
        }
        return r;
      }
      else if (__s0 instanceof Call c) {
        String f = c.calleeName();
        if (f == null || interp.globals().lookup(f) != null && !(interp.globals().lookup(f) instanceof org.nnft.runtime.Func)) {
          throw new NnftException(c.callee().span(), "only built-in functions can be called on network values here.");
        }
        for (Arg a : c.args()) {
          if (a.name() != null) throw new NnftException(a.span(), f + " takes no named argument '" + a.name() + "' inside a net.");
        }
        List<Arg> args = c.args();
        org.nnft.numeric.Elementwise fn = org.nnft.numeric.Elementwise.byName(f);
        if (fn != null && fn.inNets()) {
          arity(c, 1);
          return tape.unary(fn, operand(args.get(0).value()));
        }
        switch (f) {
          case "dot" -> {
            arity(c, 2);
            int x = operand(args.get(0).value()), y = operand(args.get(1).value());
            Node nx = tape.node(x), ny = tape.node(y);
            if (nx.shape.length != 1 || ny.shape.length != 1 || nx.size != ny.size) {
              throw new NnftException(c.span(), "dot needs two vectors of the same length, not " + Tensor.shapeText(nx.shape) + " and " + Tensor.shapeText(ny.shape) + ".");
            }
            return tape.add(Kind.DOT, new int[] {x, y}, new int[0]);
          }
          case "sum", "prod", "norm", "max", "min" -> {
            arity(c, 1);
            int x = operand(args.get(0).value());
            Kind k = switch (f) { case "sum" -> Kind.SUM; case "prod" -> Kind.PROD; case "norm" -> Kind.NORM; case "max" -> Kind.MAX; default -> Kind.MIN; };
            return tape.add(k, new int[] {x}, new int[0]);
          }
          case "softmax" -> {
            arity(c, 1);
            int x = operand(args.get(0).value());
            return tape.add(Kind.SOFTMAX, new int[] {x}, tape.node(x).shape);
          }
          case "transpose" -> {
            arity(c, 1);
            int x = operand(args.get(0).value());
            Node nx = tape.node(x);
            if (nx.shape.length != 2) return x;
            return tape.add(Kind.TRANSPOSE, new int[] {x}, new int[] {nx.shape[1], nx.shape[0]});
          }
          default -> throw new NnftException(c.callee().span(), f + " cannot be used on the input or the random parameters inside a net; it needs fixed values.");
        }
      }
      else if (__s0 instanceof Index ix) {
        int t = stage(ix.target());
        Node nt = tape.node(t);
        int[] idx = new int[ix.indices().size()];
        for (int i = 0; i < idx.length; i++) {
          Expr ie = ix.indices().get(i);
          if (refsNode(ie)) throw new NnftException(ie.span(), "an index must be a fixed whole number.");
          Tensor iv = interp.tensorArg(interp.eval(ie, consts), ie.span(), "an index");
          if (!iv.isScalar()) throw new NnftException(ie.span(), "an index must be a whole number, not " + iv.kind() + ".");
          idx[i] = (int) iv.value();
          int dimSize = i < nt.shape.length ? nt.shape[i] : 0;
          if (iv.value() != Math.rint(iv.value()) || idx[i] < 0 || idx[i] >= dimSize) {
            throw new NnftException(ie.span(), "index " + org.nnft.report.Format.num(iv.value()) + " is out of range for " + Tensor.shapeText(nt.shape) + " (indices start at 0).");
          }
        }
        if (idx.length > nt.shape.length) throw new NnftException(ix.span(), "too many indices for " + Tensor.shapeText(nt.shape) + ".");
        int off = 0;
        int stride = nt.size;
        for (int i = 0; i < idx.length; i++) {
          stride /= nt.shape[i];
          off += idx[i] * stride;
        }
        int[] rest = Arrays.copyOfRange(nt.shape, idx.length, nt.shape.length);
        return tape.index(t, off, rest);
      }
      else if (__s0 instanceof ListLit l) {
        int[] parts = new int[l.items().size()];
        for (int i = 0; i < parts.length; i++) {
          parts[i] = operand(l.items().get(i));
          if (tape.node(parts[i]).size != 1) {
            throw new NnftException(l.items().get(i).span(), "a vector built inside a net takes numbers, not " + Tensor.shapeText(tape.node(parts[i]).shape) + ".");
          }
        }
        return tape.add(Kind.STACK, parts, new int[] {parts.length});
      }
      else  { throw new NnftException(e.span(), "this kind of expression cannot use the input or the random parameters inside a net."); }
    }
  }

  private static void arity(Call c, int n) {
    if (c.args().size() != n) {
      throw new NnftException(c.span(), c.calleeName() + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + c.args().size() + ".");
    }
  }

  private int matmul(Binary b, int x, int y) {
    Node nx = tape.node(x), ny = tape.node(y);
    int[] sx = nx.shape, sy = ny.shape;
    if (sx.length == 2 && sy.length == 1 && sx[1] == sy[0]) return tape.add(Kind.MATVEC, new int[] {x, y}, new int[] {sx[0]});
    if (sx.length == 1 && sy.length == 2 && sx[0] == sy[0]) return tape.add(Kind.VECMAT, new int[] {x, y}, new int[] {sy[1]});
    if (sx.length == 2 && sy.length == 2 && sx[1] == sy[0]) return tape.add(Kind.MATMAT, new int[] {x, y}, new int[] {sx[0], sy[1]});
    if (sx.length == 1 && sy.length == 1 && sx[0] == sy[0]) return tape.add(Kind.DOT, new int[] {x, y}, new int[0]);
    if (nx.size == 1 || ny.size == 1) return tape.binary("*", x, y);
    throw new NnftException(b.span(), org.nnft.check.Errors.cannotMultiply(Tensor.shapeText(sx), Tensor.shapeText(sy), sx[sx.length - 1], sy[0]) + ".");
  }

  // ---------------- i.i.d.-neuron structure ----------------

  /**
   * The width N when the output is (constant) x sum_i term_i with every parameter's leading
   * dimension N and each term reading only row i of each parameter; 0 otherwise.
   */
  static int iidWidth(CompiledNet net) {
    Tape t = net.tape;
    if (net.outDim != 1 || net.params.isEmpty()) return 0;
    int n = -1;
    for (CompiledNet.Param p : net.params) {
      if (p.shape().length == 0 || p.shape().length > 2) return 0;
      if (n < 0) n = p.shape()[0];
      else if (p.shape()[0] != n) return 0;
      if (p.density() instanceof Density.UniformBall && p.shape().length != 2) return 0;
    }
    if (n < 1) return 0;
    int o = stripScale(t, t.output);
    Node out = t.node(o);
    if (out.kind != Kind.DOT && out.kind != Kind.SUM) return 0;
    boolean[] row = new boolean[t.nodes.size()];
    for (int i = 0; i < t.nodes.size(); i++) {
      Node nd = t.node(i);
      if (!nd.paramDep) continue;
      if (i == o) break;
      boolean ok = switch (nd.kind) {
        case PARAM -> true;
        case UNARY -> row[nd.in[0]];
        case BINARY -> {
          Node a = t.node(nd.in[0]), b = t.node(nd.in[1]);
          boolean ra = row[nd.in[0]], rb = row[nd.in[1]];
          if (ra && rb) yield nd.mode == Tape.Broadcast.SAME;
          if (ra && !b.paramDep) yield b.size == 1 || (nd.mode == Tape.Broadcast.B_ROW);
          if (rb && !a.paramDep) yield a.size == 1 || (nd.mode == Tape.Broadcast.A_ROW);
          yield false;
        }
        case MATVEC -> row[nd.in[0]] && !t.node(nd.in[1]).paramDep;
        default -> false;
      };
      if (!ok || nd.shape.length == 0 || nd.shape[0] != n) return 0;
      row[i] = true;
    }
    for (int i = 0; i < t.nodes.size(); i++) {
      Node nd = t.node(i);
      // constant vectors of length N (e.g. range(1, N)) make the terms differ: not identically distributed
      if (!nd.paramDep && nd.kind == Kind.CONST && nd.shape.length >= 1 && nd.shape[0] == n && nd.size > 1) return 0;
    }
    for (int i : out.in) if (!row[i] || t.node(i).shape.length != 1) return 0;
    // every param-dependent node after the reduction must be the scale chain
    return n;
  }

  /** Follows output = c * x, x * c, x / c, -x with constant c down to x. */
  static int stripScale(Tape t, int o) {
    while (true) {
      Node nd = t.node(o);
      if (nd.kind == Kind.BINARY && nd.size == 1) {
        Node a = t.node(nd.in[0]), b = t.node(nd.in[1]);
        if ((nd.op == Tape.BinOp.MUL || nd.op == Tape.BinOp.DIV) && !b.paramDep && b.size == 1 && a.paramDep) { o = nd.in[0]; continue; }
        if (nd.op == Tape.BinOp.MUL && !a.paramDep && a.size == 1 && b.paramDep) { o = nd.in[1]; continue; }
      }
      if (nd.kind == Kind.UNARY && nd.fn == Elementwise.NEG) { o = nd.in[0]; continue; }
      return o;
    }
  }

  /**
   * In a single-neuron net out = c * a * h(x) with a ~ normal(0, s): the same net with a replaced by
   * 1 and its density kept in {@link CompiledNet#integratedWeight} (a is still drawn, so that the
   * random streams stay the same), or the net itself when its output is not of that form.
   */
  static CompiledNet integrateGaussianWeight(CompiledNet one) {
    Tape t = one.tape;
    int o = stripScale(t, t.output);
    Node out = t.node(o);
    if (out.kind != Kind.DOT) return one;
    for (int slot = 0; slot < 2; slot++) {
      Node a = t.node(out.in[slot]);
      if (a.kind != Kind.PARAM) continue;
      CompiledNet.Param p = one.params.get(a.index);
      if (!p.density().isCenteredNormal()) continue;
      int uses = 0;
      for (Node nd : t.nodes) for (int i : nd.in) if (i == out.in[slot]) uses++;
      if (uses != 1) continue;
      if (t.node(out.in[1 - slot]).paramDep == false) continue;
      double[] ones = new double[a.size];
      Arrays.fill(ones, 1.0);
      int[] map = new int[t.nodes.size()];
      Tape nt = t.withConstantInput(o, slot, ones, map);
      List<CompiledNet.Param> ps = new ArrayList<>();
      for (CompiledNet.Param q : one.params) ps.add(new CompiledNet.Param(q.name(), map[q.node()], q.shape(), q.density()));
      CompiledNet r = new CompiledNet(one.name, nt, List.copyOf(ps), one.inDim, one.outDim);
      r.integratedWeight = p.density();
      return r;
    }
    return one;
  }
}
