package org.nnft.runtime;

import java.util.Map;
import org.nnft.runtime.Value;
import org.nnft.syntax.Ast;

/**
 * A net: its declaration, the values it was given with `with` (overrides of the lets around it),
 * and the name it is known by. Lowered to a kernel when an ensemble needs it.
 */
public record NetV(String name, Ast.NetDecl decl, Map<String, Value> overrides) implements Value {
  @Override public String kind() { return "a net"; }

  @Override public org.nnft.check.SType staticType() {
    return new org.nnft.check.SType.NetT(name, decl, java.util.Map.of(), null, decl.inType().cols() != null);
  }

  @Override public String toString() {
    boolean any = overrides.keySet().stream().anyMatch(k -> !k.startsWith("__"));
    if (!any) return "net " + name;
    StringBuilder b = new StringBuilder("net " + name + " with ");
    boolean first = true;
    for (var e : overrides.entrySet()) {
      if (e.getKey().startsWith("__")) continue;
      if (!first) b.append(", ");
      first = false;
      b.append(e.getKey()).append(" = ").append(org.nnft.runtime.Printer.text(e.getValue()));
    }
    return b.toString();
  }
}
