package org.nnft.repl;

import java.io.PrintStream;
import org.nnft.runtime.Session;

/** A progress line on a terminal (stderr) for long sampling passes; silent for short ones. */
public final class TerminalProgress implements Session.ProgressFactory {
  private final PrintStream err;

  public TerminalProgress(PrintStream err) { this.err = err; }

  /** 42 s, 3 min 5 s, 1 h 2 min. */
  static String time(double s) {
    if (!(s < 1e7)) return "?";
    long t = Math.round(s);
    if (t < 60) return t + " s";
    if (t < 3600) return t / 60 + " min " + t % 60 + " s";
    return t / 3600 + " h " + (t % 3600) / 60 + " min";
  }

  @Override public Session.Progress start(String what, long total) {
    long t0 = System.nanoTime();
    return new Session.Progress() {
      long lastPrint = t0;
      boolean printed;

      int width;

      @Override public void update(long done) { update(done, null); }

      @Override public void update(long done, String detail) {
        long now = System.nanoTime();
        if (now - t0 < 1_000_000_000L || now - lastPrint < 200_000_000L) return;
        lastPrint = now;
        printed = true;
        int pct = (int) (100.0 * done / Math.max(1, total));
        int bar = Math.min(25, pct / 4);
        double secs = (now - t0) / 1e9, rate = done / Math.max(secs, 1e-9);
        String eta = done > 0 ? "ETA " + time((total - done) / rate) : "";
        String line = "sampling " + what + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "% "
            + (detail != null ? detail + " " : "") + eta;
        width = Math.max(width, line.length());
        err.print("\r" + line + " ".repeat(width - line.length()));
        err.flush();
      }

      @Override public void close() {
        if (printed) {
          err.print("\r" + " ".repeat(Math.max(60, width)) + "\r");
          err.flush();
        }
      }
    };
  }
}
