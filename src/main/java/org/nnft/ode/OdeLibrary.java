package org.nnft.ode;

import org.nnft.runtime.Registry;

/** Neural ODEs: node, reparametrize, transform, endpoint, linear_node, gauge_law, residual_limit. */
public final class OdeLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Nodes.register(lib);
  }
}
