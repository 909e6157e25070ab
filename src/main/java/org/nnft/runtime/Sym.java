package org.nnft.runtime;

import org.nnft.symbolic.Symbolic;

/** A symbolic expression (held by Symja on its own thread). */
public record Sym(Object expr) implements Value, Latex {
  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.SYMBOL); }

  @Override public String kind() { return "a symbolic expression"; }

  @Override public String toString() { return Symbolic.get().print(expr); }

  @Override public String latex() { return Symbolic.get().tex(expr); }
}
