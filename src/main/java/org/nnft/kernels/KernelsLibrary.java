package org.nnft.kernels;

import org.nnft.runtime.Registry;

/** Closed forms: kernel(net) and connected_exact(net, n). */
public final class KernelsLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Kernels.register(lib);
  }
}
