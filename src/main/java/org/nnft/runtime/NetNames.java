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
    out.addAll(org.nnft.syntax.Scoping.free(e, local, org.nnft.syntax.Scoping.NONE));
  }

}
