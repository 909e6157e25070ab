package org.nnft.algebra;

import org.nnft.runtime.Registry;

/** Symbolic algebra: simplify, expand, D, integrate, series, subs, N, compile. */
public final class AlgebraLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    SymbolicFns.register(lib);
  }
}
