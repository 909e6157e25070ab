package org.nnft.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.runtime.Session;

class ReplTest {
  /** Output and exit code of the piped (non-interactive) REPL. */
  record Run(String out, String err, int code) {}

  static Run piped(String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    Session.Options o = new Session.Options();
    int code = Repl.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), o);
    return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
  }

  static String lines(String... ls) { return String.join("\n", ls) + "\n"; }

  @Test void bareExpressionPrintsItsValueButLetDoesNot() {
    Run r = piped(lines("let x = 2", "x * 3", "exp(0)"));
    assertEquals("6\n1\n", r.out());
    assertEquals("", r.err());
    assertEquals(0, r.code());
  }

  /** A bare symbolic value prints with the names the user wrote, not Symja's internal ones. */
  @Test void aBareSymbolicValuePrintsTheUsersNames() {
    Run r = piped(lines("symbol lam_b, x", "D(sin(lam_b * x)^2, x)"));
    assertEquals("2*lam_b*cos(lam_b*x)*sin(lam_b*x)\n", r.out());
    assertEquals(0, r.code());
  }

  /** A statement that fails binds nothing and changes nothing: the earlier values stay. */
  @Test void aFailingStatementLeavesTheBindingsAsTheyWere() {
    Run r = piped(lines("let x = 2", "let v = [1, 2]", "let x = zeros(-1)", "let v = v @ [[1, 2, 3]]",
        "let y = 1 / [1, 2] @ eye(3)", "x", "v", "y"));
    assertEquals("2\n[1, 2]\n", r.out());
    assertTrue(r.err().contains("'y' is not declared"), r.err());
    assertEquals(1, r.code());
  }

  @Test void varsListsBindingsAndResetForgetsThem() {
    Run r = piped(lines("let a = 1.5", "let v = [1, 2, 3]", "let M = [[1, 2], [3, 4]]",
        "let big = linspace(0, 1, 101)", ":vars", ":reset", ":vars", "a"));
    String out = r.out();
    assertTrue(out.contains("a = 1.5\n"), out);
    assertTrue(out.contains("v = [1, 2, 3]\n"), out);
    assertTrue(out.contains("M = [[1, 2], [3, 4]]  (a 2x2 matrix)\n"), out);
    assertTrue(out.contains("big = [0, "), out);
    assertTrue(out.contains("...  (a vector of length 101)"), out);
    assertTrue(out.contains("session cleared\nno variables\n"), out);
    // after :reset, a is gone
    assertTrue(r.err().contains("'a' is not declared"), r.err());
    assertEquals(1, r.code());
  }

  @Test void inputContinuesWhileBracketsAreOpen() {
    Run r = piped(lines("let v = [1,", "  2,", "  3]", "sum(v", ")", "dot(v,", "  [1, 1, 1])",
        "\"(\"", "1 + \\", "  2"));
    assertEquals("6\n6\n(\n3\n", r.out());
    assertEquals("", r.err());
  }

  @Test void errorsAreRenderedWithACaretAndTheSessionGoesOn() {
    Run r = piped(lines("let y = 1 +* 2", "let ok = 4", "zz + 1", "ok"));
    assertEquals("4\n", r.out());
    String err = r.err();
    assertTrue(err.contains("<repl>:1:12: error: "), err);
    assertTrue(err.contains("    1 | let y = 1 +* 2\n"), err);
    assertTrue(err.contains("      |            ^"), err);
    assertTrue(err.contains("<repl>:1:1: error: 'zz' is not declared"), err);
    assertFalse(err.contains("Exception"), err);
    assertFalse(err.contains("\tat "), err);
    assertEquals(1, r.code());
  }

  @Test void commandsLoadAndQuit(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("defs.nnft");
    Files.writeString(f, "let k = 7\nshow k + 1\n");
    Run r = piped(lines(":load " + f, "k * 2", ":bogus", ":load " + dir.resolve("missing.nnft"), ":quit", "k"));
    assertEquals("k + 1 = 8\n14\n", r.out());
    assertTrue(r.err().contains("unknown command :bogus"), r.err());
    assertTrue(r.err().contains("no such file"), r.err());
    Run help = piped(":help\n");
    assertTrue(help.out().contains(":vars"), help.out());
    assertEquals(0, help.code());
    // :help NAME reads the built-in's signature
    Run sample = piped(":help sample\n:help nothing\n");
    assertTrue(sample.out().contains("sample(net, count, seed = s, estimator = \"auto\")"), sample.out());
    assertTrue(sample.out().contains("count: a whole number"), sample.out());
    assertTrue(sample.out().contains("seed = a whole number (default the session seed)"), sample.out());
    assertTrue(sample.err().contains("nothing is not a built-in function"), sample.err());
  }

  @Test void failedExpectationIsReportedAndCounts() {
    Run r = piped(lines("expect 1 + 1 ~= 3 within 1e-9", "2"));
    assertTrue(r.out().contains("expect failed"), r.out());
    assertTrue(r.out().endsWith("2\n"), r.out());
    assertEquals(1, r.code());
  }

  @Test void incompleteInputDetection() {
    assertTrue(Repl.incomplete("let v = [1,"));
    assertTrue(Repl.incomplete("net f(x: R) {\n  W[3] ~ normal(0, 1)\n"));
    assertTrue(Repl.incomplete("1 + \\"));
    assertFalse(Repl.incomplete("let s = \"(\""));
    assertFalse(Repl.incomplete("let a = 1 # (open in a comment"));
    assertFalse(Repl.incomplete("let a = (1))"));
    assertFalse(Repl.incomplete(":load file(.nnft"));
    assertFalse(Repl.incomplete("sum([1, 2])"));
  }

  @Test void jlineParserAsksForMoreAndSplitsIdentifiers() {
    Repl.InputParser p = new Repl.InputParser();
    try {
      p.parse("f(1,", 4, ParseContext.ACCEPT_LINE);
      throw new AssertionError("expected EOFError");
    } catch (EOFError e) {
      assertEquals(")", e.getMissing());
    }
    var line = p.parse("show cor(E", 8, ParseContext.COMPLETE);
    assertEquals("cor", line.word());
    assertEquals(3, line.wordCursor());
    var cmd = p.parse(":va", 3, ParseContext.COMPLETE);
    assertEquals(":va", cmd.word());
  }

  @Test void completionOffersNamesBuiltinsKeywordsAndCommands() {
    Repl.NameCompleter c = new Repl.NameCompleter(() -> java.util.Set.of("myvar"), org.nnft.runtime.Registry::standard);
    List<Candidate> cs = new ArrayList<>();
    c.complete(null, new Repl.InputParser().parse("my", 2, ParseContext.COMPLETE), cs);
    List<String> values = cs.stream().map(Candidate::value).toList();
    assertTrue(values.contains("myvar"));
    assertTrue(values.contains("correlator"));
    assertTrue(values.contains("expect"));
    cs.clear();
    c.complete(null, new Repl.InputParser().parse(":", 1, ParseContext.COMPLETE), cs);
    assertTrue(cs.stream().map(Candidate::value).toList().contains(":vars"));
  }

  // ---------------------------------------------------------------- through a JLine dumb terminal

  static String interactive(InputStream in, ByteArrayOutputStream out, java.util.function.Consumer<Terminal> during)
      throws IOException {
    Terminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
    if (during != null) during.accept(t);
    int code = Repl.run(t, new Session.Options(), null);
    t.close();
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test void dumbTerminalSession() throws IOException {
    String input = lines("let x = 2", "let v = [x,", "  3]", "sum(v)", ":vars", "let q = x +* 1", ":reset", ":vars");
    String out = interactive(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    assertTrue(out.contains("nnft> "), out);
    assertTrue(out.contains("5\n") || out.contains("5\r\n"), out);
    assertTrue(out.contains("v = [2, 3]"), out);
    assertTrue(out.contains("<repl>:1:12: error: "), out);
    assertTrue(out.contains("^"), out);
    assertTrue(out.contains("no variables"), out);
  }

  /**
   * Ctrl-C while a sampling pass runs stops that pass (not just its output) and keeps the session.
   * No clock: the signal is raised once the pass has reported progress, and the pass must not
   * report more than the wave it was in when the signal came.
   */
  @Test void ctrlCCancelsARunningComputationAndKeepsTheSession() throws Exception {
    long total = 1_000_000_000L;
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger updatesAfter = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    Session.Options options = new Session.Options();
    options.threads = 2;
    options.progress = (what, count) -> new Session.Progress() {
      @Override public void update(long d) {
        done.set(d);
        if (interrupted.get()) updatesAfter.incrementAndGet();
        running.countDown();
      }

      @Override public void close() { closed.set(true); }
    };
    // a queue, not a pipe: a pipe refuses writes once the thread that last read it has ended
    // ("Read end dead"), which JLine's reader thread may do while a slow pass runs
    QueueInput in = new QueueInput();
    QueueInput feed = in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Terminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8);
    Thread repl = new Thread(() -> Repl.run(t, options, null));
    repl.setDaemon(true); // should cancelling fail, the test fails instead of waiting for 10^9 samples
    repl.start();
    feed.write(lines("let keep = 42",
        "net f(x: R) {",
        "  W[1000] ~ normal(0, 1)",
        "  b[1000] ~ uniform(-pi, pi)",
        "  return dot(W, cos(x + b)) / sqrt(1000)",
        "}",
        "correlator(sample(f, " + total + ", seed = 3, estimator = \"networks\"), 0, 1)").getBytes(StandardCharsets.UTF_8));
    feed.flush();
    running.await(); // the pass has done its first wave
    t.raise(Terminal.Signal.INT);
    interrupted.set(true); // after: only the wave running when Ctrl-C came may still report
    while (!out.toString(StandardCharsets.UTF_8).contains("cancelled") && updatesAfter.get() <= 1) Thread.sleep(20);
    assertTrue(updatesAfter.get() <= 1, "the pass went on for " + updatesAfter.get() + " waves after Ctrl-C");
    feed.write(lines("keep + 1", ":quit").getBytes(StandardCharsets.UTF_8));
    feed.flush();
    repl.join();
    t.close();
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(done.get() < total, "the pass ran to the end");
    assertTrue(closed.get(), "the progress display is closed");
    assertFalse(text.contains(" ± "), "no estimate from a cancelled pass: " + text);
    assertTrue(text.contains("43"), text);
  }

  /** Standard input fed by the test: bytes written go to a queue that read takes from, with no thread bound to either end. */
  static final class QueueInput extends java.io.InputStream {
    private final java.util.concurrent.LinkedBlockingQueue<Integer> q = new java.util.concurrent.LinkedBlockingQueue<>();

    void write(byte[] b) { for (byte x : b) q.add(x & 0xff); }

    void flush() { }

    @Override public int read() throws java.io.IOException {
      try {
        return q.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    @Override public int read(byte[] b, int off, int len) throws java.io.IOException {
      if (len == 0) return 0;
      b[off] = (byte) read();
      int n = 1;
      Integer x;
      while (n < len && (x = q.poll()) != null) b[off + n++] = (byte) (int) x;
      return n;
    }

    @Override public int available() { return q.size(); }
  }
}
