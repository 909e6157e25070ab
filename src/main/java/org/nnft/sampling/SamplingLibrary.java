package org.nnft.sampling;

import org.nnft.runtime.Registry;

/** Ensembles: sample(...), correlator and connected. */
public final class SamplingLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Ensembles.register(lib);
  }
}
