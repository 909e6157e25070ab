package org.nnft.runtime;

import java.util.LinkedHashSet;
import java.util.Set;
import org.nnft.syntax.Ast.*;

/** The names a net reads from around it (candidates for `with`). */
public final class NetNames {
  private NetNames() {}

  public static Set<String> freeNames(NetDecl d) {
    Set<String> local = new LinkedHashSet<>();
    local.add(d.input());
    Set<String> out = new LinkedHashSet<>();
    if (d.inType().dim() != null) collect(d.inType().dim(), local, out);
    if (d.inType().cols() != null) collect(d.inType().cols(), local, out);
    if (d.outType() != null && d.outType().dim() != null) collect(d.outType().dim(), local, out);
    for (NetItem it : d.items()) {
      { Object __s0 = it;
        if (__s0 instanceof ParamItem p) { p.shape().forEach(e -> collect(e, local, out)); collect(p.density(), local, out); local.add(p.name()); }
        else if (__s0 instanceof FixedItem f) { f.shape().forEach(e -> collect(e, local, out)); collect(f.value(), local, out); local.add(f.name()); }
        else if (__s0 instanceof LetItem l) { collect(l.value(), local, out); local.add(l.name()); }
        else if (__s0 instanceof ReturnItem r) { collect(r.value(), local, out); }
      }
    }
    out.removeIf(n -> Builtins.lookup(n) != null && !n.equals("N"));
    return out;
  }

  static void collect(Expr e, Set<String> local, Set<String> out) {
    { Object __s1 = e;
      if (__s1 instanceof Name n) { if (!local.contains(n.name())) out.add(n.name()); }
      else if (__s1 instanceof Unary u) { collect(u.operand(), local, out); }
      else if (__s1 instanceof Binary b) { collect(b.left(), local, out); collect(b.right(), local, out); }
      else if (__s1 instanceof Call c) { collect(c.callee(), local, out); c.args().forEach(a -> collect(a.value(), local, out)); }
      else if (__s1 instanceof Index i) { collect(i.target(), local, out); i.indices().forEach(x -> collect(x, local, out)); }
      else if (__s1 instanceof Member m) { collect(m.target(), local, out); }
      else if (__s1 instanceof ListLit l) { l.items().forEach(x -> collect(x, local, out)); }
      else if (__s1 instanceof Comprehension c) {
        collect(c.source(), local, out);
        Set<String> inner = new LinkedHashSet<>(local);
        inner.add(c.var());
        collect(c.body(), inner, out);
        if (c.filter() != null) collect(c.filter(), inner, out);
      }
      else if (__s1 instanceof With w) { collect(w.target(), local, out); w.bindings().forEach(b -> collect(b.value(), local, out)); }
      else  { }
    }
  }
}
