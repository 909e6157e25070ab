package org.nnft.polytope;

import org.nnft.runtime.Registry;

/** Neural polytopes: fit, polytope, dual, level_set, and the data and optimizers of fit. */
public final class PolytopeLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Fit.register(lib);
    Polytopes.register(lib);
  }
}
