package org.nnft.actions;

import org.nnft.runtime.Registry;

/** Fields and actions, and actions reconstructed from correlators. */
public final class ActionsLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    Actions.register(lib);
    Reconstructions.register(lib);
  }
}
