package org.nnft.reweight;

import org.nnft.runtime.Registry;

/**
 * Deformed parameter densities: ensembles weighed by a function of each network (weight = ...,
 * log_weight = ..., actions applied to nets), their diagnostics (ess) and extrapolation in 1/N or
 * a cutoff (extrapolate).
 */
public final class ReweightLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Extrapolate.register(lib);
  }
}
