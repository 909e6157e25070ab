package org.nnft.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.nnft.report.Format;
import org.nnft.runtime.Values.*;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.Ast;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** Walks the checked AST and computes values; owned by a {@link Session}. */
public final class Interpreter {
  final Session session;
  private final Env globals;
  final boolean planning;
  private int argDepth;

  Interpreter(Session session, Env globals, boolean planning) {
    this.session = session;
    this.globals = globals;
    this.planning = planning;
  }

  public Env globals() { return globals; }
  public Session session() { return session; }
  public boolean planning() { return planning; }

  // ---------------- statements ----------------

  Value execute(Stmt s) {
    session.checkCancelled();
    { Object __s0 = s;
      if (__s0 instanceof Let l) {
        Value v = eval(l.value(), globals);
        checkFinite(v, l.value().span());
        globals.define(l.name(), v);
        return v;
      }
      else if (__s0 instanceof SymbolDecl d) {
        for (String n : d.names()) globals.define(n, planning ? Unknown.INSTANCE : new Sym(Symbolic.get().symbol(n)));
        return null;
      }
      else if (__s0 instanceof NetDecl n) {
        NetV v = new NetV(n.name(), n, Map.of());
        globals.define(n.name(), v);
        return v;
      }
      else if (__s0 instanceof NetAssign n) {
        Value v = eval(n.value(), globals);
        if (v instanceof NetV net) v = new NetV(n.name(), net.decl(), net.overrides());
        else if (v instanceof Named named) v = named.named(n.name());
        else if (!(v instanceof Unknown)) throw new NnftException(n.value().span(), "net " + n.name() + " = ... needs a net such as mlp(...), not " + v.kind() + ".");
        globals.define(n.name(), v);
        return v;
      }
      else if (__s0 instanceof FieldDecl f) {
        if (planning) {
          globals.define(f.name(), Unknown.INSTANCE);
          for (String v : f.vars()) globals.define(v, Unknown.INSTANCE);
          return null;
        }
        return declared(f, "fields");
      }
      else if (__s0 instanceof ActionDecl a) {
        Value v = eval(a.value(), globals);
        if (!(v.staticType() instanceof org.nnft.check.SType.Other o && o.kind() == org.nnft.check.ArgType.ACTION) && !(v instanceof Unknown)) {
          throw new NnftException(a.value().span(), "an action is integral(x, Lagrangian) over a field, not " + v.kind() + ".");
        }
        globals.define(a.name(), v);
        return v;
      }
      else if (__s0 instanceof GaugeDecl g) {
        if (planning) { globals.define(g.name(), Unknown.INSTANCE); return null; }
        return declared(g, "gauges");
      }
      else if (__s0 instanceof Show sh) {
        Value v = eval(sh.value(), globals);
        if (planning) return null;
        if (v instanceof RandomV r) {
          throw new NnftException(sh.value().span(), r.text() + " is a number for each network of " + r.net().name() + ", not a value: its moments come from an ensemble, e.g. correlator(sample("
              + r.net().name() + ", 1e5), x), and it can weigh one, sample(" + r.net().name() + ", count, log_weight = ...).");
        }
        boolean constant = sh.value() instanceof Name nm && session.registry().isConstant(nm.name());
        if (!constant) checkFinite(v, sh.value().span());
        session.show(sourceText(sh.value().span()), v, sh.span());
        return v;
      }
      else if (__s0 instanceof Expect e) {
        if (planning) {
          eval(e.left(), globals);
          if (e.right() != null) eval(e.right(), globals);
          return null;
        }
        Expectations.check(this, e);
        return null;
      }
      else if (__s0 instanceof Plot p) {
        Value v = eval(p.value(), globals);
        Value over = p.over() == null ? null : eval(p.over(), globals);
        Value to = eval(p.target(), globals);
        java.util.List<Value> options = new java.util.ArrayList<>();
        for (Binding o : p.options()) options.add(eval(o.value(), globals));
        if (planning) return null;
        Outputs.plot(this, p, v, over, to, options);
        return null;
      }
      else if (__s0 instanceof Export x) {
        Value v = eval(x.value(), globals);
        Value to = eval(x.target(), globals);
        if (planning) return null;
        Outputs.export(this, x, v, to);
        return null;
      }
      else if (__s0 instanceof ExprStmt x) {
        Value v = eval(x.value(), globals);
        if (!planning) checkFinite(v, x.value().span());
        return v;
      }
    }
    throw new IllegalStateException("unknown statement");
  }

  /** A declaration a feature's library gives meaning to. */
  private Value declared(Stmt s, String what) {
    Registry.Declaration d = session.registry().declaration(s.getClass());
    if (d == null) throw new NnftException(s.span(), what + " need built-ins this session does not have.");
    return d.execute(this, s);
  }

  String sourceText(Span s) { return s.text(); }

  void checkFinite(Value v, Span span) {
    if (v instanceof Tensor t) {
      for (int i = 0; i < t.data.length; i++) {
        double x = t.data[i];
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          String where = t.isScalar() ? "" : " (entry " + i + ")";
          String what = Double.isNaN(x) ? "NaN (not a number)" : (x > 0 ? "infinity" : "minus infinity");
          throw new NnftException(span, "this gives " + what + where + "; check the inputs of this statement.");
        }
      }
    } else if (v instanceof ListV l) {
      for (Value x : l.items()) checkFinite(x, span);
    }
  }

  // ---------------- expressions ----------------

  public Value eval(Expr e, Env env) {
    // every step of evaluation stops on a cancel: a long chain of whole-tensor operations included
    session.checkCancelled();
    try {
      return evalInner(e, env);
    } catch (TensorOps.ShapeError se) {
      throw new NnftException(e.span(), se.getMessage() + ".");
    } catch (Symbolic.SymbolicError se) {
      throw new NnftException(e.span(), se.getMessage().endsWith(".") ? se.getMessage() : se.getMessage() + ".");
    }
  }

  private Value evalInner(Expr e, Env env) {
    { Object __s1 = e;
      if (__s1 instanceof Num n) { return Tensor.scalar(n.value()); }
      else if (__s1 instanceof Ast.Str s) { return new Values.Str(s.value()); }
      else if (__s1 instanceof Ast.Bool b) { return new Values.Bool(b.value()); }
      else if (__s1 instanceof Name n) {
        Value v = env.lookup(n.name());
        if (v == null) v = session.registry().lookup(n.name());
        if (v == null) throw new NnftException(n.span(), org.nnft.check.Errors.unknownName(n.name(), env.allNames(), session.registry()));
        return v;
      }
      else if (__s1 instanceof Unary u) {
        Value a = eval(u.operand(), env);
        return switch (u.op()) {
          case NEG -> Arith.neg(a, u.span());
          case PLUS -> a;
          case SQRT -> Builtins.elementwise("sqrt", a, u.span());
          case NOT -> {
            if (a instanceof Unknown) yield a;
            yield new Values.Bool(!truth(a, u.operand().span()));
          }
        };
      }
      else if (__s1 instanceof Binary b) { return chain(b, env); }
      else if (__s1 instanceof Call c) { return call(c, env); }
      else if (__s1 instanceof Index ix) {
        Value t = eval(ix.target(), env);
        List<Value> idx = new ArrayList<>();
        for (Expr i : ix.indices()) idx.add(eval(i, env));
        return Arith.index(t, idx, ix);
      }
      else if (__s1 instanceof Member m) {
        Value t = eval(m.target(), env);
        if (t instanceof Unknown) return t;
        if (t instanceof Values.Record r) {
          Value v = r.fields().get(m.name());
          if (v == null) throw new NnftException(m.span(), "a " + r.type() + " has no part '" + m.name() + "'; it has " + String.join(", ", r.fields().keySet()) + ".");
          return v;
        }
        if (t instanceof Members mm) return mm.member(m.name(), m.span());
        String hint = t instanceof Tensor tt && tt.hasError() && Set.of("error", "value", "err").contains(m.name())
            ? "; use " + (m.name().equals("value") ? "value" : "error") + "(...) for it" : "";
        throw new NnftException(m.span(), t.kind() + " has no part '" + m.name() + "'" + hint + ".");
      }
      else if (__s1 instanceof ListLit l) {
        List<Value> items = new ArrayList<>();
        for (Expr x : l.items()) items.add(eval(x, env));
        return Arith.list(items, l.span());
      }
      else if (__s1 instanceof Comprehension c) {
        Value src = eval(c.source(), env);
        List<Value> items = new ArrayList<>();
        List<Value> xs = Arith.iterate(src, c.source().span());
        Sizes.items(c.source().span(), "a comprehension", xs.size());
        long entries = 0;
        for (Value x : xs) {
          session.checkCancelled();
          Env inner = new Env(env);
          inner.define(c.var(), x);
          if (c.filter() != null) {
            Value f = eval(c.filter(), inner);
            if (f instanceof Unknown) return f;
            if (!truth(f, c.filter().span())) continue;
          }
          Value item = eval(c.body(), inner);
          // refused as soon as the result is sure to be over the limit: the first item times the
          // count, or what has been made so far
          long n = Arith.entries(item);
          if (items.isEmpty() && c.filter() == null) Sizes.comprehension(c.span(), n * xs.size());
          entries += n;
          Sizes.comprehension(c.span(), entries);
          items.add(item);
        }
        return Arith.list(items, c.span());
      }
      else if (__s1 instanceof With w) {
        Value t = eval(w.target(), env);
        if (t instanceof Unknown) return t;
        if (!(t instanceof NetV net)) throw new NnftException(w.target().span(), "'with' gives a net other values, but this is " + t.kind() + ".");
        Map<String, Value> ov = new LinkedHashMap<>(net.overrides());
        java.util.Set<String> reads = NetNames.freeNames(net.decl());
        for (Binding b : w.bindings()) {
          if (!reads.contains(b.name())) {
            throw new NnftException(b.span(), "net " + net.name() + " does not read '" + b.name() + "'"
                + (reads.isEmpty() ? "" : "; it reads " + String.join(", ", reads))
                + (argDepth > 0 ? " (inside a call, put the net and its 'with' in parentheses)." : "."));
          }
          Value v = eval(b.value(), env);
          ov.put(b.name(), v);
        }
        return new NetV(net.name(), net.decl(), ov);
      }
    }
    throw new IllegalStateException("unknown expression");
  }

  /**
   * A binary operator, and the operators down its left side: a chain such as a sum of many terms
   * is evaluated in a loop, left to right as written, without recursing once per term.
   */
  private Value chain(Binary top, Env env) {
    List<Binary> spine = new ArrayList<>();
    Expr cur = top;
    while (cur instanceof Binary x) { spine.add(x); cur = x.left(); }
    Value acc = eval(cur, env);
    for (int i = spine.size() - 1; i >= 0; i--) {
      Binary b = spine.get(i);
      try {
        acc = binary(b, acc, env);
      } catch (TensorOps.ShapeError se) {
        throw new NnftException(b.span(), se.getMessage() + ".");
      } catch (Symbolic.SymbolicError se) {
        throw new NnftException(b.span(), se.getMessage().endsWith(".") ? se.getMessage() : se.getMessage() + ".");
      }
    }
    return acc;
  }

  /** One binary operator whose left operand has the value l. */
  private Value binary(Binary b, Value l, Env env) {
    if (b.op() == BinOp.AND || b.op() == BinOp.OR) {
      if (l instanceof Unknown) return l;
      boolean lv = truth(l, b.left().span());
      if (b.op() == BinOp.AND && !lv) return new Values.Bool(false);
      if (b.op() == BinOp.OR && lv) return new Values.Bool(true);
      Value r = eval(b.right(), env);
      if (r instanceof Unknown) return r;
      return new Values.Bool(truth(r, b.right().span()));
    }
    Value r = eval(b.right(), env);
    return Arith.binary(b.op(), l, r, b);
  }

  public boolean truth(Value v, Span s) {
    if (v instanceof Values.Bool b) return b.value();
    if (v instanceof Tensor t && t.isScalar()) return t.value() != 0;
    if (v instanceof Values.Record r && r.fields().get("holds") instanceof Values.Bool h) return h.value();
    if (v instanceof Sym sym) {
      Symbolic sy = Symbolic.get();
      if (sy.isTrue(sym.expr())) return true;
      if (sy.isFalse(sym.expr())) return false;
      throw new NnftException(s, "cannot decide whether " + sym + " is true: it still has free symbols.");
    }
    throw new NnftException(s, "expected true or false here, not " + v.kind() + ".");
  }

  private Value call(Call c, Env env) {
    Value f = eval(c.callee(), env);
    List<Value> pos = new ArrayList<>();
    Map<String, Value> named = new LinkedHashMap<>();
    List<Span> spans = new ArrayList<>();
    Map<String, Span> nspans = new LinkedHashMap<>();
    argDepth++;
    try {
    for (Arg a : c.args()) {
      if (a.name() == null) {
        if (!named.isEmpty()) throw new NnftException(a.span(), "positional arguments come before named ones.");
        pos.add(eval(a.value(), env));
        spans.add(a.value().span());
      } else {
        if (named.containsKey(a.name())) throw new NnftException(a.span(), "'" + a.name() + "' is given twice.");
        List<String> bound = Builtins.boundVariables(session.registry(), c.calleeName(), a.name());
        if (!bound.isEmpty()) {
          Env inner = new Env(env);
          for (String v : bound) inner.define(v, planning ? Unknown.INSTANCE : boundValue(v, pos));
          named.put(a.name(), eval(a.value(), inner));
        } else {
          named.put(a.name(), eval(a.value(), env));
        }
        nspans.put(a.name(), a.value().span());
      }
    }
    } finally {
      argDepth--;
    }
    if (f instanceof Unknown) return f;
    if (!(f instanceof Func fn)) {
      if (f instanceof NetV nv) return netAt(nv, c, pos, named, spans);
      throw new NnftException(c.callee().span(), (c.calleeName() != null ? c.calleeName() + " is " : "this is ") + f.kind() + ", which cannot be called.");
    }
    Func.CallSite site = new Func.CallSite(c.span(), spans, nspans, this);
    try {
      return fn.call(site, pos, named);
    } catch (NnftException ex) {
      throw ex.at(c.span());
    } catch (TensorOps.ShapeError se) {
      throw new NnftException(c.span(), se.getMessage() + ".");
    }
  }

  /**
   * A net called at a point: a number for each network (weights of an ensemble read it); its
   * moments come from an ensemble, correlator(sample(net, count), x).
   */
  private Value netAt(NetV nv, Call c, List<Value> pos, Map<String, Value> named, List<Span> spans) {
    String name = c.calleeName() != null ? c.calleeName() : nv.name();
    if (pos.size() != 1 || !named.isEmpty() || !(pos.get(0) instanceof Tensor t)) {
      throw new NnftException(c.span(), "a net is a random function: called at one point, " + name + "(x), it is a number for each network, for the weight of an ensemble; its moments come from an ensemble, e.g. correlator(sample(" + name + ", 1e5), x).");
    }
    int d = inputDim(nv);
    if (d > 0) {
      if (t.size() != d || t.rank() > 1) {
        throw new NnftException(spans.get(0), org.nnft.check.Rules.pointsInRd(name, d, t.kind()));
      }
    } else {
      throw new NnftException(c.span(), "a net over matrices cannot be called at a point in a weight yet.");
    }
    return RandomV.at(nv, t, name, spans.get(0));
  }

  /**
   * A variable bound by a named argument: x of a call whose first argument is a net over R^d
   * (d > 1) is the vector [x[0], ..., x[d-1]] of symbols (fit(net, target = norm(x))).
   */
  private Value boundValue(String var, List<Value> pos) {
    if (var.equals("x") && !pos.isEmpty() && pos.get(0) instanceof NetV nv && nv.decl().inType().cols() == null) {
      int d = inputDim(nv);
      if (d > 1) {
        Sizes.symbolic(null, d);
        Symbolic sy = Symbolic.get();
        List<Value> xs = new ArrayList<>();
        for (int i = 0; i < d; i++) xs.add(new Sym(sy.symbol("x[" + i + "]")));
        return new Values.ListV(xs);
      }
    }
    return Builtins.boundValue(var, pos);
  }

  /** A net's input dimension d (R^d), evaluated like the net would with its overrides; -1 for a net over matrices. */
  public int inputDim(NetV nv) {
    var in = nv.decl().inType();
    if (in.cols() != null) return -1;
    if (in.dim() == null) return 1;
    Env e = new Env(globals());
    for (var o : nv.overrides().entrySet()) e.define(o.getKey(), o.getValue());
    double d = number(eval(in.dim(), e), in.span(), "an input dimension");
    if (d > Sizes.limit()) {
      throw new NnftException(in.span(), "an input dimension of " + Sizes.whole(d) + " is more than the limit of " + Sizes.limit() + ".");
    }
    return (int) d;
  }

  /** The value as a tensor, or a plain error naming what was expected. */
  public Tensor tensorArg(Value v, Span s, String what) {
    if (v instanceof Tensor t) return t;
    if (v instanceof Sym sym) {
      Symbolic sy = Symbolic.get();
      if (sy.isReal(sym.expr())) return Tensor.scalar(sy.toDouble(sym.expr()));
      throw new NnftException(s, what + " needs numbers, but this is symbolic: " + sym + "; use subs(...) to give its symbols values.");
    }
    throw new NnftException(s, what + " needs a number, vector or matrix, not " + v.kind() + ".");
  }

  public double number(Value v, Span s, String what) {
    Tensor t = tensorArg(v, s, what);
    if (!t.isScalar()) throw new NnftException(s, what + " needs a single number, not " + t.kind() + ".");
    return t.value();
  }

  public static String fmt(double x) { return Format.num(x); }
}
