package org.nnft.ensemble;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes engines other than the local one, found by {@link ServiceLoader} on the class path (the
 * nnft-spark module provides "spark"). The core knows no engine but its own, so a run that does
 * not ask for another never loads one.
 */
public interface EngineProvider {

  /** The name used in {@code --engine NAME}. */
  String name();

  /** An engine for these options (say "master" = "local[2]"), with the local thread count as a fallback. */
  Engine create(Map<String, String> options, int threads);

  /** The provider named {@code name}, or null when none on the class path has that name. */
  static EngineProvider find(String name) {
    for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) if (p.name().equals(name)) return p;
    return null;
  }
}
