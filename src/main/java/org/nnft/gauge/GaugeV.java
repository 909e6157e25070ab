package org.nnft.gauge;

import org.nnft.runtime.*;
import org.nnft.syntax.Ast;

/** A declared gauge transformation of a net's parameters by a group element. */
public record GaugeV(Ast.GaugeDecl decl, NetV net, int dim) implements Value {
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.GAUGE); }

  @Override public String kind() { return "a gauge transformation"; }

  public String groupText() {
    return switch (decl.group().kind()) {
      case "R+" -> "(R+)^" + dim;
      case "R" -> "R^" + dim;
      case "GL" -> "GL(" + dim + ")";
      case "S" -> "S_" + dim;
      default -> "{±1}^" + dim;
    };
  }

  @Override public String toString() { return "gauge " + decl.name() + "(" + decl.element() + ": " + groupText() + ") on " + net.name(); }
}
