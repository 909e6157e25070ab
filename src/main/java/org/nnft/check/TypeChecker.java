package org.nnft.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.check.SType.Arr;
import org.nnft.check.SType.EnsT;
import org.nnft.check.SType.NetT;
import org.nnft.check.SType.Num;
import org.nnft.check.SType.Other;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Types and shapes before anything runs. Walks a name-checked program statement by statement with
 * what it can know of every binding (a constant number, numbers of a known shape, a net and its
 * input dimension, an ensemble, a density, ...) and refuses what cannot work: an argument of the
 * wrong kind for a built-in's signature, a literal density parameter out of range, a sample count
 * below 2, a point of the wrong dimension for an ensemble's net, a matrix that does not fit the
 * vector it multiplies inside a net. It only refuses what it knows: anything it cannot tell is
 * left to the run, so a valid script is never refused.
 */
public final class TypeChecker {
  private final Signatures registry;
  private final Map<String, SType> scope = new HashMap<>();
  /**
   * Names bound more than once in the program, or given other values with `with`: a net reads them
   * when it is sampled, so the checker does not trust their constant values inside net bodies.
   */
  private final Set<String> rebound = new HashSet<>();
  /** Inside a net body a list of numbers (or of one-entry vectors) is a vector, as the net is lowered. */
  private boolean inNet;

  /** With the built-ins a session has and what is known of the names it has bound so far. */
  public TypeChecker(Signatures registry, Map<String, SType> bound) {
    this.registry = registry;
    scope.putAll(bound);
  }

  public void check(Program p) {
    Map<String, Integer> lets = new HashMap<>();
    for (Stmt s : p.statements()) {
      String n = s instanceof Let l ? l.name() : s instanceof NetDecl d ? d.name() : s instanceof NetAssign a ? a.name() : null;
      if (n != null && lets.merge(n, 1, Integer::sum) > 1) rebound.add(n);
    }
    for (String n : scope.keySet()) if (lets.containsKey(n)) rebound.add(n);
    for (Stmt s : p.statements()) withNames(s, rebound);
    for (Stmt s : p.statements()) stmt(s);
  }

  /** Every name a `with` gives a value to, anywhere in the statement (net bodies included). */
  private static void withNames(Stmt s, Set<String> out) {
    List<Object> parts = new ArrayList<>(List.of(s));
    if (s instanceof NetDecl n) parts.addAll(n.items());
    for (Object part : parts) {
      for (Expr e : org.nnft.syntax.Scoping.expressions(part)) {
        org.nnft.syntax.Scoping.walk(e, Set.of(), org.nnft.syntax.Scoping.NONE, new org.nnft.syntax.Scoping.Visitor() {
          @Override public void binding(Binding b) { out.add(b.name()); }
        });
      }
    }
  }

  // ---------------- statements ----------------

  private void stmt(Stmt s) {
    if (s instanceof Let l) scope.put(l.name(), type(l.value(), scope));
    else if (s instanceof SymbolDecl d) { for (String n : d.names()) scope.put(n, new Other(ArgType.SYMBOL)); }
    else if (s instanceof NetDecl n) {
      scope.put(n.name(), new NetT(n.name(), n, Map.of(), null, n.inType().cols() != null));
      body(n);
    } else if (s instanceof NetAssign n) {
      SType t = type(n.value(), scope);
      if (t instanceof NetT nt) t = new NetT(n.name(), nt.decl(), nt.overrides(), nt.inDim(), nt.matrixInput());
      scope.put(n.name(), t);
    } else if (s instanceof FieldDecl f) {
      scope.put(f.name(), new Other(ArgType.SYMBOL));
      for (String v : f.vars()) scope.put(v, new Other(ArgType.SYMBOL));
    } else if (s instanceof ActionDecl a) { type(a.value(), scope); scope.put(a.name(), new Other(ArgType.ACTION)); }
    else if (s instanceof GaugeDecl g) scope.put(g.name(), new Other(ArgType.GAUGE));
    else if (s instanceof Show sh) type(sh.value(), scope);
    else if (s instanceof Expect e) {
      type(e.left(), scope);
      if (e.right() != null) { type(e.right(), scope); type(e.tolerance(), scope); }
    } else if (s instanceof Plot p) {
      SType v = type(p.value(), scope);
      if (p.over() != null) type(p.over(), scope);
      type(p.target(), scope);
      plotOptions(p, v);
    }
    else if (s instanceof Export x) { type(x.value(), scope); type(x.target(), scope); }
    else if (s instanceof ExprStmt x) type(x.value(), scope);
  }

  /**
   * plot's options against what is known of their values: no numbers where a string goes, a size
   * of two numbers, and as many labels as the plotted numbers have series (a vector is one, a
   * matrix one for each row).
   */
  private void plotOptions(Plot p, SType value) {
    for (Binding o : p.options()) {
      SType t = type(o.value(), scope);
      String name = o.name();
      boolean numbers = t instanceof Num || t instanceof Arr;
      if (PlotOptions.takesString(name) && numbers) {
        throw new NnftException(o.value().span(), PlotOptions.wrongKind(name, SType.describe(t)) + ".");
      }
      if (name.equals("labels") && t instanceof Num) {
        throw new NnftException(o.value().span(), PlotOptions.wrongKind(name, SType.describe(t)) + ".");
      }
      if (name.equals("size") && (t instanceof Num || t instanceof Arr a && a.known() && !(a.shape().length == 1 && a.shape()[0] == 2))) {
        throw new NnftException(o.value().span(), PlotOptions.wrongKind(name, SType.describe(t)) + ".");
      }
      if (name.equals("labels") && o.value() instanceof ListLit l && value instanceof Arr a && a.known() && (a.shape().length == 1 || a.shape().length == 2)) {
        int series = a.shape().length == 1 ? 1 : a.shape()[0];
        if (l.items().size() != series) throw new NnftException(o.value().span(), PlotOptions.labelCount(l.items().size(), series) + ".");
      }
    }
  }

  /**
   * A net's input dimension as it will be when the net is sampled here: its declared size with the
   * names around it now and the values `with` gave it; null when not a constant.
   */
  private Integer inDim(NetT n, Map<String, SType> sc) {
    if (n.decl() == null) return n.inDim();
    NetDecl d = n.decl();
    if (d.inType().dim() == null) return 1;
    Map<String, SType> inner = new HashMap<>(sc);
    inner.putAll(n.overrides());
    Integer r = whole(type(d.inType().dim(), inner));
    if (r == null || d.inType().cols() == null) return r;
    Integer c = whole(type(d.inType().cols(), inner));
    return c == null ? null : r * c;
  }

  private static Integer whole(SType t) {
    if (t instanceof Num n && n.value() != null && n.value() == Math.rint(n.value()) && n.value() >= 1 && n.value() < 1e8) return n.value().intValue();
    return null;
  }

  /**
   * A net body's shapes: the input, parameters and fixed tensors with their declared sizes, and
   * every product, element-wise operation and dot on them. Sizes that use a name bound again later
   * in the script are left to the run (the net reads the value current when it is sampled).
   */
  private void body(NetDecl n) {
    Map<String, SType> b = new HashMap<>(scope);
    for (String name : org.nnft.syntax.Scoping.netFreeNames(n)) if (rebound.contains(name) && b.containsKey(name)) b.put(name, weaken(b.get(name)));
    int[] in = null;
    if (n.inType().dim() == null) in = new int[] {1};
    else {
      Integer r = whole(type(n.inType().dim(), b));
      if (n.inType().cols() != null) {
        Integer c = whole(type(n.inType().cols(), b));
        in = new int[] {r == null ? -1 : r, c == null ? -1 : c};
      } else in = new int[] {r == null ? -1 : r};
    }
    b.put(n.input(), new Arr(in));
    inNet = true;
    try {
      netItems(n, b);
    } finally {
      inNet = false;
    }
  }

  private void netItems(NetDecl n, Map<String, SType> b) {
    for (NetItem it : n.items()) {
      if (it instanceof ParamItem p) {
        type(p.density(), b);
        b.put(p.name(), declared(p.shape(), b));
      } else if (it instanceof FixedItem f) {
        type(f.value(), b);
        b.put(f.name(), declared(f.shape(), b));
      } else if (it instanceof LetItem l) {
        b.put(l.name(), type(l.value(), b));
      } else if (it instanceof ReturnItem r) {
        SType t = type(r.value(), b);
        Integer out = n.outType() == null || n.outType().dim() == null ? Integer.valueOf(1) : whole(type(n.outType().dim(), b));
        int size = t instanceof Num ? 1 : t instanceof Arr a && a.known() ? product(a.shape()) : -1;
        if (out != null && size >= 0 && size != out) {
          throw new NnftException(r.value().span(), Errors.returnShape(out, SType.describe(t)) + ".");
        }
      }
    }
  }

  /** The same kind without its constant value or sizes. */
  private static SType weaken(SType t) {
    if (t instanceof Num) return new Num(null);
    if (t instanceof Arr) return SType.NUMBERS;
    return t;
  }

  private SType declared(List<Expr> shape, Map<String, SType> sc) {
    if (shape.isEmpty()) return new Num(null);
    int[] s = new int[shape.size()];
    for (int i = 0; i < s.length; i++) {
      Integer v = whole(type(shape.get(i), sc));
      s[i] = v == null ? -1 : v;
    }
    return new Arr(s);
  }

  private static int product(int[] s) {
    int p = 1;
    for (int d : s) p *= d;
    return p;
  }

  // ---------------- expressions ----------------

  SType type(Expr e, Map<String, SType> sc) {
    if (e instanceof org.nnft.syntax.Ast.Num n) return new Num(n.value());
    if (e instanceof Str) return new Other(ArgType.STRING);
    if (e instanceof Bool) return SType.UNKNOWN;
    if (e instanceof Name n) {
      SType t = sc.get(n.name());
      if (t != null) return t;
      Double c = registry.constant(n.name());
      if (c != null) return new Num(c);
      if (registry.signature(n.name()) != null) return new Other(ArgType.FUNCTION);
      return SType.UNKNOWN;
    }
    if (e instanceof Unary u) {
      SType a = type(u.operand(), sc);
      if (u.op() == UnOp.NEG && a instanceof Num x) return new Num(x.value() == null ? null : -x.value());
      if (u.op() == UnOp.SQRT && a instanceof Num x) return new Num(x.value() == null ? null : Math.sqrt(x.value()));
      if (u.op() != UnOp.NOT && (a instanceof Arr || a instanceof Other o && o.kind() == ArgType.SYMBOL)) return a;
      return u.op() == UnOp.PLUS && a instanceof Num ? a : SType.UNKNOWN;
    }
    if (e instanceof Binary b) return binary(b, sc);
    if (e instanceof Call c) return call(c, sc);
    if (e instanceof ListLit l) {
      List<SType> items = new ArrayList<>();
      for (Expr x : l.items()) items.add(type(x, sc));
      if (items.isEmpty()) return new Arr(new int[] {0});
      if (items.stream().allMatch(t -> t instanceof Num)) return new Arr(new int[] {items.size()});
      if (inNet) return items.stream().allMatch(t -> t instanceof Num || t instanceof Arr a && a.known() && product(a.shape()) == 1) ? new Arr(new int[] {items.size()}) : SType.UNKNOWN;
      if (items.stream().allMatch(t -> t instanceof Arr a && a.known() && a.shape().length == 1)) {
        int k = ((Arr) items.get(0)).shape()[0];
        boolean same = items.stream().allMatch(t -> ((Arr) t).shape()[0] == k);
        return same ? new Arr(new int[] {items.size(), k}) : SType.UNKNOWN;
      }
      return SType.UNKNOWN;
    }
    if (e instanceof With w) {
      SType t = type(w.target(), sc);
      Map<String, SType> over = new LinkedHashMap<>();
      for (Binding bd : w.bindings()) over.put(bd.name(), type(bd.value(), sc));
      if (t instanceof NetT nt && nt.decl() != null) {
        Map<String, SType> all = new HashMap<>(nt.overrides());
        all.putAll(over);
        return new NetT(nt.name(), nt.decl(), all, null, nt.matrixInput());
      }
      return t instanceof NetT ? new NetT(null, null, Map.of(), null, false) : SType.UNKNOWN;
    }
    if (e instanceof Index i) {
      type(i.target(), sc);
      i.indices().forEach(x -> type(x, sc));
      return SType.UNKNOWN;
    }
    if (e instanceof Member m) { type(m.target(), sc); return SType.UNKNOWN; }
    if (e instanceof Comprehension c) {
      type(c.source(), sc);
      Map<String, SType> inner = new HashMap<>(sc);
      inner.put(c.var(), SType.UNKNOWN);
      type(c.body(), inner);
      if (c.filter() != null) type(c.filter(), inner);
      return SType.UNKNOWN;
    }
    return SType.UNKNOWN;
  }

  private SType binary(Binary b, Map<String, SType> sc) {
    // a long chain (a sum of many terms) down its left side in a loop, not by recursion
    List<Binary> spine = new ArrayList<>();
    Expr cur = b;
    while (cur instanceof Binary x) { spine.add(x); cur = x.left(); }
    SType acc = type(cur, sc);
    for (int i = spine.size() - 1; i >= 0; i--) acc = combine(spine.get(i), acc, type(spine.get(i).right(), sc));
    return acc;
  }

  private SType combine(Binary b, SType l, SType r) {
    BinOp op = b.op();
    if (op.comparison() || op == BinOp.AND || op == BinOp.OR) return SType.UNKNOWN;
    if (op == BinOp.PM) return l instanceof Num ? new Num(null) : l instanceof Arr ? l : SType.UNKNOWN;
    boolean symbolic = l instanceof Other o && o.kind() == ArgType.SYMBOL || r instanceof Other p && p.kind() == ArgType.SYMBOL;
    if (symbolic) return new Other(ArgType.SYMBOL);
    if (op == BinOp.MATMUL) {
      if (l instanceof Arr a && r instanceof Arr c && a.known() && c.known()) {
        int[] sx = a.shape(), sy = c.shape();
        if (sx.length == 2 && sy.length == 1 && sx[1] == sy[0]) return new Arr(new int[] {sx[0]});
        if (sx.length == 1 && sy.length == 2 && sx[0] == sy[0]) return new Arr(new int[] {sy[1]});
        if (sx.length == 2 && sy.length == 2 && sx[1] == sy[0]) return new Arr(new int[] {sx[0], sy[1]});
        if (sx.length == 1 && sy.length == 1 && sx[0] == sy[0]) return new Num(null);
        if (product(sx) == 1 || product(sy) == 1) return new Arr(product(sx) == 1 ? sy : sx);
        if (sx.length <= 2 && sy.length <= 2 && sx.length >= 1 && sy.length >= 1) {
          int k = sx[sx.length - 1], m = sy[0];
          throw new NnftException(b.span(), Errors.cannotMultiply(Shapes.text(sx), Shapes.text(sy), k, m) + ".");
        }
        return SType.NUMBERS;
      }
      if (l instanceof Num && r instanceof Num) return new Num(null);
      return l instanceof Arr || r instanceof Arr || l instanceof Num || r instanceof Num ? SType.NUMBERS : SType.UNKNOWN;
    }
    if (l instanceof Num x && r instanceof Num y) {
      if (x.value() == null || y.value() == null) return new Num(null);
      double u = x.value(), w = y.value();
      Double v = switch (op) {
        case ADD -> u + w;
        case SUB -> u - w;
        case MUL -> u * w;
        case DIV -> u / w;
        case POW -> w == 2 ? u * u : Math.pow(u, w);
        default -> null;
      };
      return new Num(v);
    }
    if (l instanceof Num && r instanceof Arr) return r;
    if (l instanceof Arr && r instanceof Num) return l;
    if (l instanceof Arr a && r instanceof Arr c) {
      if (!a.known() || !c.known()) return SType.NUMBERS;
      if (product(a.shape()) == 1) return c;
      if (product(c.shape()) == 1) return a;
      int[] sh = Shapes.broadcast(a.shape(), c.shape());
      if (sh == null) throw new NnftException(b.span(), Errors.cannotCombine(Shapes.text(a.shape()), Shapes.text(c.shape())) + ".");
      return new Arr(sh);
    }
    return SType.UNKNOWN;
  }

  // ---------------- calls ----------------

  private SType call(Call c, Map<String, SType> sc) {
    List<SType> pos = new ArrayList<>();
    List<Span> posSpans = new ArrayList<>();
    Map<String, SType> named = new LinkedHashMap<>();
    Map<String, Span> namedSpans = new LinkedHashMap<>();
    String f = c.calleeName();
    Signature sig = f != null && !sc.containsKey(f) ? registry.signature(f) : null;
    if (sig == null) type(c.callee(), sc);
    for (Arg a : c.args()) {
      Map<String, SType> inner = sc;
      if (sig != null && a.name() != null && !sig.binds(a.name()).isEmpty()) {
        inner = new HashMap<>(sc);
        for (String v : sig.binds(a.name())) inner.put(v, new Other(ArgType.SYMBOL));
      }
      SType t = type(a.value(), inner);
      if (a.name() == null) { pos.add(t); posSpans.add(a.value().span()); }
      else { named.put(a.name(), t); namedSpans.put(a.name(), a.value().span()); }
    }
    if (sig == null) return SType.UNKNOWN;
    for (int i = 0; i < pos.size(); i++) accepts(sig, sig.positionalAt(i), pos.get(i), posSpans.get(i));
    for (var e : named.entrySet()) {
      Signature.Param p = sig.namedParam(e.getKey());
      if (p != null) accepts(sig, p, e.getValue(), namedSpans.get(e.getKey()));
    }
    return result(sig, c, pos, posSpans, named, namedSpans, sc);
  }

  /** Refuses an argument that cannot be what the signature asks for. */
  private void accepts(Signature sig, Signature.Param p, SType t, Span at) {
    if (fits(t, p.type())) return;
    String hint = switch (p.type()) {
      case ENSEMBLE -> " (make one with sample(net, count))";
      case NET -> " (declare one with net NAME(x: R^d) { ... })";
      case DECLARED_NET -> "";
      case DENSITY -> " such as normal(0, 1)";
      case SYMBOL -> " (declared with symbol)";
      case FUNCTION -> " such as relu, tanh or erf";
      default -> "";
    };
    boolean symbolic = t instanceof Other o && o.kind() == ArgType.SYMBOL;
    String extra = symbolic ? "; use subs(...) to give its symbols values" : "";
    throw new NnftException(at, Errors.argumentType(sig.name(), p.type().text + hint, p.name(), SType.describe(t) + extra) + ".");
  }

  static boolean fits(SType t, ArgType want) {
    if (t instanceof SType.Unknown || want == ArgType.ANY) return true;
    boolean symbolic = t instanceof Other o && o.kind() == ArgType.SYMBOL;
    return switch (want) {
      case NUMBER, INTEGER -> t instanceof Num || t instanceof Arr a && (!a.known() || product(a.shape()) == 1);
      case NUMBERS, VECTOR, MATRIX, POINT -> t instanceof Num || t instanceof Arr || symbolic;
      case EXPR -> t instanceof Num || t instanceof Arr || symbolic;
      case SYMBOL -> symbolic;
      case NET -> t instanceof NetT || t instanceof Other o && (o.kind() == ArgType.FLOW || o.kind() == ArgType.FITTED);
      case DECLARED_NET -> t instanceof NetT n && n.declared();
      case ENSEMBLE -> t instanceof EnsT;
      case FLOW -> t instanceof Other o && o.kind() == ArgType.FLOW;
      default -> t instanceof Other o && o.kind() == want;
    };
  }

  /** The result's type, and the checks that need several arguments or constant values. */
  private SType result(Signature sig, Call c, List<SType> pos, List<Span> posSpans, Map<String, SType> named, Map<String, Span> namedSpans,
      Map<String, SType> sc) {
    String f = sig.name();
    if (sig.typer() != null) return sig.typer().type(new StaticCall(c.span(), pos, posSpans, named, namedSpans, nt -> inDim(nt, sc)));
    if (sig.verifier() != null && pos.stream().allMatch(t -> t instanceof Num n && n.value() != null) && named.isEmpty()) {
      // constant arguments (a density's parameters): checked now, placed as at run time
      double[] v = new double[pos.size()];
      for (int i = 0; i < v.length; i++) v[i] = ((Num) pos.get(i)).value();
      sig.verifier().verify(v, posSpans, c.span());
    }
    if (org.nnft.numeric.Elementwise.languageNames().contains(f) && pos.size() == 1) {
      SType a = pos.get(0);
      if (a instanceof Num n) return new Num(n.value() == null ? null : org.nnft.numeric.Elementwise.of(f).value(n.value()));
      return a instanceof Arr || a instanceof Other o && o.kind() == ArgType.SYMBOL ? a : SType.UNKNOWN;
    }
    return SType.of(sig.returns());
  }
}
