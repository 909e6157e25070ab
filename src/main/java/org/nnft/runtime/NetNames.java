package org.nnft.runtime;

import java.util.LinkedHashSet;
import java.util.Set;
import org.nnft.syntax.Ast.*;

/** The names a net reads from around it (candidates for `with`). */
public final class NetNames {
  private NetNames() {}

  public static Set<String> freeNames(NetDecl d) {
    Set<String> out = new LinkedHashSet<>(org.nnft.syntax.Scoping.netFreeNames(d));
    out.removeIf(n -> Builtins.lookup(n) != null && !n.equals("N"));
    return out;
  }

  static void collect(Expr e, Set<String> local, Set<String> out) {
    out.addAll(org.nnft.syntax.Scoping.free(e, local, org.nnft.syntax.Scoping.NONE));
  }

}
