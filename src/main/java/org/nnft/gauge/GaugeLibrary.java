package org.nnft.gauge;

import org.nnft.runtime.Registry;

/** Gauge symmetries: gauge declarations, invariant, symmetries, orbit_dim, balance, attention. */
public final class GaugeLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Gauges.register(lib);
    GaugeNets.register(lib);
  }
}
