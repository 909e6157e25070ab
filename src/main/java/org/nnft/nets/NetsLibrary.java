package org.nnft.nets;

import org.nnft.runtime.Registry;

/** Nets' building blocks: the densities of parameters and mlp(...). */
public final class NetsLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Densities.register(lib);
    Nets.register(lib);
  }
}
