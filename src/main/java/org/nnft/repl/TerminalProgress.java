package org.nnft.repl;

import java.io.PrintStream;
import org.nnft.runtime.Session;

/** A progress line on a terminal (stderr) for long sampling passes; silent for short ones. */
public final class TerminalProgress implements Session.ProgressFactory {
  private final PrintStream err;

  public TerminalProgress(PrintStream err) { this.err = err; }

  @Override public Session.Progress start(String what, long total) {
    long t0 = System.nanoTime();
    return new Session.Progress() {
      long lastPrint = t0;
      boolean printed;

      @Override public void update(long done) {
        long now = System.nanoTime();
        if (now - t0 < 1_000_000_000L || now - lastPrint < 200_000_000L) return;
        lastPrint = now;
        printed = true;
        int pct = (int) (100.0 * done / Math.max(1, total));
        int bar = pct / 4;
        err.print("\rsampling " + what + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "% ");
        err.flush();
      }

      @Override public void close() {
        if (printed) {
          err.print("\r" + " ".repeat(60) + "\r");
          err.flush();
        }
      }
    };
  }
}
