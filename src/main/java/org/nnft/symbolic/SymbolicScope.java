package org.nnft.symbolic;

import java.util.function.Supplier;

/**
 * Which session's symbolic engine the running code uses: a session installs a source of its own
 * engine on the thread that runs its statements. Kept apart from {@link Symbolic}, and free of
 * Symja types, so that a purely numeric script never loads Symja's classes.
 */
public final class SymbolicScope {
  private SymbolicScope() {}

  private static final ThreadLocal<Supplier<Object>> CURRENT = new ThreadLocal<>();

  /** Runs body with the given source of symbolic engines installed on this thread. */
  public static <T> T using(Supplier<Object> source, Supplier<T> body) {
    Supplier<Object> before = CURRENT.get();
    CURRENT.set(source);
    try {
      return body.get();
    } finally {
      if (before == null) CURRENT.remove();
      else CURRENT.set(before);
    }
  }

  static Supplier<Object> current() { return CURRENT.get(); }

  /** Whether this thread is one of the Symja threads (where waiting on Symja would wait for itself). */
  public static boolean onSymjaThread() { return Thread.currentThread().getName().startsWith(THREAD_NAME); }

  static final String THREAD_NAME = "nnft-symja";
}
