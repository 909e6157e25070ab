package org.nnft.repl;

/** Placeholder replaced by the JLine REPL. */
public final class Repl {
  private Repl() {}

  public static int start(long seed, int threads) {
    System.err.println("the REPL is not built yet");
    return 2;
  }
}
