package org.nnft.repl;

import java.io.PrintStream;
import org.nnft.runtime.Session;

/** A progress line on a terminal (stderr) for long sampling passes; silent for short ones. */
public final class TerminalProgress implements Session.ProgressFactory {
  private final PrintStream err;

  public TerminalProgress(PrintStream err) { this.err = err; }

  /** How a line still on the terminal is cleared when the JVM ends (Ctrl-C during a run): null when none is. */
  private static volatile Runnable active;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Runnable a = active;
      if (a != null) a.run();
    }, "nnft-progress-cleanup"));
  }

  /** 850, 12.3k, 1.25M, 3.1G: a rate for the progress line. */
  static String rate(double r) {
    if (!(r < 1e15)) return "?";
    if (r < 1e3) return String.format(java.util.Locale.ROOT, "%.0f", r);
    if (r < 1e6) return String.format(java.util.Locale.ROOT, "%.3gk", r / 1e3);
    if (r < 1e9) return String.format(java.util.Locale.ROOT, "%.3gM", r / 1e6);
    return String.format(java.util.Locale.ROOT, "%.3gG", r / 1e9);
  }

  /**
   * Whether standard error is a terminal (where the progress line goes): on Linux from the file
   * descriptor's target, elsewhere from JLine's check of the stream; never when it is a file or a pipe.
   */
  public static boolean stderrIsTerminal() {
    try {
      java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd/2");
      if (java.nio.file.Files.isSymbolicLink(fd)) {
        String t = java.nio.file.Files.readSymbolicLink(fd).toString();
        return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
      }
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      // not Linux: ask JLine below
    }
    for (String provider : new String[] {"jni", "exec"}) {
      try {
        return org.jline.terminal.spi.TerminalProvider.load(provider).isSystemStream(org.jline.terminal.spi.SystemStream.Error);
      } catch (Throwable t) {
        // this provider is not available here: try the next
      }
    }
    return false;
  }

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
        String speed = done > 0 ? rate(rate) + "/s " : "";
        String line = "sampling " + what + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "% "
            + speed + (detail != null ? detail + " " : "") + eta;
        width = Math.max(width, line.length());
        err.print("\r" + line + " ".repeat(width - line.length()));
        err.flush();
        active = this::clear;
      }

      private void clear() {
        if (printed) {
          err.print("\r" + " ".repeat(Math.max(60, width)) + "\r");
          err.flush();
        }
      }

      @Override public void close() {
        active = null;
        if (printed) {
          err.print("\r" + " ".repeat(Math.max(60, width)) + "\r");
          err.flush();
        }
      }
    };
  }
}
