package org.nnft.reweight;

import org.nnft.runtime.Registry;

/** extrapolate(estimates, at = xs, order = 1): weighted least squares to x = 0 (placeholder, being written). */
final class Extrapolate {
  private Extrapolate() {}

  static void register(Registry lib) { }
}
