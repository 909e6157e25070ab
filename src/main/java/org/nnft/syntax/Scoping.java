package org.nnft.syntax;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.nnft.syntax.Ast.*;

/**
 * The one walk over an expression that knows the language's local scopes: a comprehension's
 * variable in its body and filter, and the variables a named argument binds (reparametrize(flow,
 * h = ...) reads h as a function of t). It visits every name with the local names in scope there,
 * and every call after its arguments, in source order, without recursion (a sum of 100,000 terms
 * or a deeply nested expression needs no deeper stack). The checker, the free names of a net, the
 * planner's sites and the type checker's `with` names all use it.
 */
public final class Scoping {
  private Scoping() {}

  /** What a walk wants to see. */
  public interface Visitor {
    /** A name, with the local names in scope where it stands. */
    default void name(Name n, Set<String> local) { }
    /** A call, after its callee and arguments, with the comprehensions around it (outermost first). */
    default void call(Call c, Set<String> local, List<Comprehension> around) { }
    /** A `with` binding (the name it gives a value to). */
    default void binding(Binding b) { }
  }

  /** The variables named argument `arg` of callee `f` binds (empty for most). */
  public interface Binds extends BiFunction<String, String, List<String>> { }

  public static final Binds NONE = (f, a) -> List.of();

  private record Frame(Object node, Set<String> local, boolean after, List<Comprehension> loops) {
    Frame(Object node, Set<String> local, boolean after) { this(node, local, after, List.of()); }
  }

  public static void walk(Expr root, Set<String> local, Binds binds, Visitor v) {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, local, false, List.of()));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      Object node = f.node;
      Set<String> sc = f.local;
      List<Comprehension> loops = f.loops;
      if (f.after) {
        v.call((Call) node, sc, loops);
        continue;
      }
      // children are pushed in reverse, so they are visited in source order
      if (node instanceof Name n) v.name(n, sc);
      else if (node instanceof Unary u) stack.push(new Frame(u.operand(), sc, false, loops));
      else if (node instanceof Binary b) {
        stack.push(new Frame(b.right(), sc, false, loops));
        stack.push(new Frame(b.left(), sc, false, loops));
      } else if (node instanceof Call c) {
        stack.push(new Frame(c, sc, true, loops));
        String callee = c.calleeName();
        List<Arg> args = c.args();
        for (int i = args.size() - 1; i >= 0; i--) {
          Arg a = args.get(i);
          List<String> bound = a.name() == null ? List.of() : binds.apply(callee, a.name());
          Set<String> inner = sc;
          if (!bound.isEmpty()) {
            inner = new HashSet<>(sc);
            inner.addAll(bound);
          }
          stack.push(new Frame(a.value(), inner, false, loops));
        }
        stack.push(new Frame(c.callee(), sc, false, loops));
      } else if (node instanceof Index i) {
        List<Expr> idx = i.indices();
        for (int k = idx.size() - 1; k >= 0; k--) stack.push(new Frame(idx.get(k), sc, false, loops));
        stack.push(new Frame(i.target(), sc, false, loops));
      } else if (node instanceof Member m) stack.push(new Frame(m.target(), sc, false, loops));
      else if (node instanceof ListLit l) {
        List<Expr> items = l.items();
        for (int k = items.size() - 1; k >= 0; k--) stack.push(new Frame(items.get(k), sc, false, loops));
      } else if (node instanceof Comprehension c) {
        Set<String> inner = new HashSet<>(sc);
        inner.add(c.var());
        List<Comprehension> in = new java.util.ArrayList<>(loops);
        in.add(c);
        if (c.filter() != null) stack.push(new Frame(c.filter(), inner, false, in));
        stack.push(new Frame(c.body(), inner, false, in));
        stack.push(new Frame(c.source(), sc, false, loops));
      } else if (node instanceof With w) {
        List<Binding> bs = w.bindings();
        for (int k = bs.size() - 1; k >= 0; k--) {
          v.binding(bs.get(k));
          stack.push(new Frame(bs.get(k).value(), sc, false, loops));
        }
        stack.push(new Frame(w.target(), sc, false, loops));
      }
    }
  }

  /** The names an expression reads that are not local, in source order. */
  public static Set<String> free(Expr e, Set<String> local, Binds binds) {
    Set<String> out = new java.util.LinkedHashSet<>();
    walk(e, local, binds, new Visitor() {
      @Override public void name(Name n, Set<String> sc) { if (!sc.contains(n.name())) out.add(n.name()); }
    });
    return out;
  }

  /** Every expression directly in a statement or net item (its own parts, not nested statements). */
  public static List<Expr> expressions(Object node) {
    List<Expr> out = new java.util.ArrayList<>();
    if (node instanceof Let l) out.add(l.value());
    else if (node instanceof NetAssign n) out.add(n.value());
    else if (node instanceof ActionDecl a) out.add(a.value());
    else if (node instanceof Show s) out.add(s.value());
    else if (node instanceof Expect e) {
      out.add(e.left());
      if (e.right() != null) { out.add(e.right()); out.add(e.tolerance()); }
    } else if (node instanceof Plot p) {
      out.add(p.value());
      if (p.over() != null) out.add(p.over());
      out.add(p.target());
      for (Binding o : p.options()) out.add(o.value());
    } else if (node instanceof Export x) { out.add(x.value()); out.add(x.target()); }
    else if (node instanceof ExprStmt x) out.add(x.value());
    else if (node instanceof ParamItem p) { out.addAll(p.shape()); out.add(p.density()); }
    else if (node instanceof FixedItem f) { out.addAll(f.shape()); out.add(f.value()); }
    else if (node instanceof LetItem l) out.add(l.value());
    else if (node instanceof ReturnItem r) out.add(r.value());
    return out;
  }

  /** The names a net's declaration reads from around it (its sizes, densities and body), in order. */
  public static Set<String> netFreeNames(NetDecl d) {
    Set<String> local = new HashSet<>();
    local.add(d.input());
    Set<String> out = new java.util.LinkedHashSet<>();
    if (d.inType().dim() != null) out.addAll(free(d.inType().dim(), local, NONE));
    if (d.inType().cols() != null) out.addAll(free(d.inType().cols(), local, NONE));
    if (d.outType() != null && d.outType().dim() != null) out.addAll(free(d.outType().dim(), local, NONE));
    for (NetItem it : d.items()) {
      for (Expr e : expressions(it)) out.addAll(free(e, local, NONE));
      if (it instanceof ParamItem p) local.add(p.name());
      else if (it instanceof FixedItem f) local.add(f.name());
      else if (it instanceof LetItem l) local.add(l.name());
    }
    return out;
  }
}
