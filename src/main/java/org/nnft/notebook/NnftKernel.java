package org.nnft.notebook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.nnft.api.Nnft;
import org.nnft.check.Signature;
import org.nnft.repl.Repl;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;
import org.nnft.syntax.DeepStack;
import org.nnft.syntax.Source;

/**
 * The nnft Jupyter kernel: one {@link Session} for the whole notebook, on the Jupyter messaging
 * protocol of jjava-jupyter (JeroMQ). A cell runs like a REPL input: its {@code show} lines and
 * plots appear as they come (display_data: text, LaTeX for symbolic values, PNG for plots), a bare
 * last expression is the cell's result (execute_result), an error is the cell's error with the
 * cell's line and a caret, a failed {@code expect} fails the cell. Interrupt (interrupt_mode
 * "message") cancels the running statement and keeps the session; a second one interrupts its
 * thread. Lines starting with ':' at the top of a cell are the REPL's commands.
 */
public final class NnftKernel extends BaseKernel {
  static final String VERSION = "0.1.0";

  private static final String HELP = String.join("\n",
      "Cells hold nnft statements; the notebook keeps one session, so names defined in one cell",
      "are there in the next. show prints a value (LaTeX for symbolic ones), a bare expression on",
      "a cell's last line is the cell's result, plot ... to \"f.png\" writes the file and shows it.",
      "Lines at the top of a cell may be commands:",
      "  :help        this text",
      "  :help NAME   what a built-in function takes and does (also Shift-Tab on a name)",
      "  :vars        the bound names and their values",
      "  :reset       forget every binding",
      "  :load FILE   run a script file into this session",
      "Tab completes names, built-ins and keywords; the kernel's Interrupt stops a running",
      "computation (sampling, chains, symbolic work) and keeps the session.");

  private final Session session;
  /** Where the session's printed output goes: the running cell's stdout stream. */
  private final CellStream out = new CellStream();

  /** The cell being run: its environment (for publishing) and worker, or null while idle. */
  private volatile Running running;
  /**
   * Guards {@link #running} between the shell thread and the control thread's interrupts (not the
   * kernel itself: jjava holds that lock while a cell runs).
   */
  private final Object lock = new Object();

  private static final class Running {
    final ShellReplyEnvironment env;
    final Thread worker;
    final AtomicInteger interrupts = new AtomicInteger();
    /** Display ids for progress displays of this cell. */
    final AtomicInteger displays = new AtomicInteger();

    Running(ShellReplyEnvironment env, Thread worker) {
      this.env = env;
      this.worker = worker;
    }
  }

  NnftKernel(Session.Options options) {
    super("nnft", VERSION,
        new LanguageInfo.Builder("nnft").version(VERSION).mimetype("text/x-nnft").fileExtension(".nnft")
            // nnft reads close enough to Python (# comments, strings, numbers) for its highlighting
            .pygments("python").codemirror("python").build(),
        List.of(),
        null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null, new MagicsRegistry(), false,
        new StringStyler.Builder().build());
    options.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    options.display = new Display();
    options.progress = new Progress();
    this.session = new Session(options);
  }

  /** Serves the notebook described by the connection file until the front end shuts it down. */
  public static void serve(Path connectionFile, Session.Options options) throws Exception {
    KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile, StandardCharsets.UTF_8));
    JupyterConnection connection = new JupyterConnection(props);
    NnftKernel kernel = new NnftKernel(options);
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
  }

  Session session() { return session; }

  @Override public String getBanner() {
    return "nnft " + VERSION + " — neural-network field theory (:help for commands)";
  }

  // ---------------------------------------------------------------- execution

  @Override protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
    commManager.setMessageContext(message);
    ExecuteRequest request = message.getContent();
    boolean silent = request.isSilent();
    int count = silent ? executionCount.get() : executionCount.getAndIncrement();
    env.setStatusBusy();
    try {
      if (!silent) env.publish(new PublishExecuteInput(request.getCode(), count));
      Cell.Outcome o = run(env, request.getCode(), count, silent);
      if (o.error() == null) {
        env.reply(new ExecuteReply(count, Collections.emptyMap()));
      } else {
        Cell.Failure f = o.error();
        if (!silent) env.publish(new PublishError(f.ename(), f.evalue(), f.traceback()));
        ErrorReply e = new ErrorReply(f.ename(), f.evalue(), f.traceback());
        e.setExecutionCount(count);
        env.replyError(ExecuteReply.MESSAGE_TYPE.error(), e);
      }
    } finally {
      env.setStatusIdle();
    }
  }

  /** Runs a cell on a worker thread with nnft's stack, so that an interrupt can reach it. */
  private Cell.Outcome run(ShellReplyEnvironment env, String code, int count, boolean silent) {
    Cell.Outcome[] result = new Cell.Outcome[1];
    Thread worker = DeepStack.thread(() -> result[0] = new Cell(this, count, silent).run(code), "nnft-cell-" + count);
    Running r = new Running(env, worker);
    synchronized (lock) {
      running = r;
    }
    out.attach(silent ? null : env);
    worker.start();
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    out.flush();
    out.attach(null);
    synchronized (lock) {
      running = null;
    }
    // an interrupt that came after the statement ended would cancel the next cell: clear it by
    // running nothing (a run resets the session's cancel flag when it ends)
    if (r.interrupts.get() > 0) session.run(Source.of("<interrupt>", ""));
    if (interrupted) Thread.currentThread().interrupt();
    Cell.Outcome o = result[0];
    return o != null ? o : Cell.Outcome.failed(new Cell.Failure("internal error", "the cell stopped without a result",
        List.of("internal error: the cell stopped without a result; this is a bug in nnft, please report it.")));
  }

  @Override public void interrupt() {
    Running r;
    int n;
    synchronized (lock) {
      r = running;
      if (r == null) return;
      session.cancel();
      // counted under the lock: the cell's end then sees every interrupt that reached it
      n = r.interrupts.incrementAndGet();
    }
    // the first interrupt asks the statement to stop where it checks; a second one interrupts its thread
    if (n >= 2) r.worker.interrupt();
  }

  /** Publishes to the running cell (no-op while idle or silent). */
  void publish(java.util.function.Consumer<ShellReplyEnvironment> send) {
    Running r = running;
    if (r != null && out.env() != null) send.accept(r.env);
  }

  @Override public void display(DisplayData d) { publish(env -> env.publish(new PublishDisplayData(d))); }

  void result(int count, DisplayData d) { publish(env -> env.publish(new PublishExecuteResult(count, d))); }

  void print(String text) {
    out.flush();
    publish(env -> env.publish(new PublishStream(PublishStream.StreamType.OUT, text.endsWith("\n") ? text : text + "\n")));
  }

  void flushOut() { out.flush(); }

  static String help() { return HELP; }

  // ---------------------------------------------------------------- display hooks

  /** show lines and plots of the running statement, as display_data. */
  private final class Display implements Session.Display {
    @Override public boolean show(String label, Value v) {
      if (running == null || out.env() == null) return false;
      out.flush();
      display(Render.value(label, v));
      return true;
    }

    @Override public void wrote(Path file) {
      if (running == null || out.env() == null) return;
      String name = String.valueOf(file.getFileName());
      // a PNG or SVG shows inline; a PDF is only written (notebooks do not show PDF inline)
      boolean png = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png"), svg = name.toLowerCase(java.util.Locale.ROOT).endsWith(".svg");
      if (!png && !svg) return;
      try {
        byte[] bytes = Files.readAllBytes(file);
        out.flush();
        display(png ? Render.png(bytes, name) : Render.svg(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), name));
      } catch (IOException | RuntimeException e) {
        // the file is written; showing it is a convenience
      }
    }
  }

  /** A progress line for long passes: one display, updated in place and cleared at the end. */
  private final class Progress implements Session.ProgressFactory {
    @Override public Session.Progress start(String what, long total) {
      Running r = running;
      long t0 = System.nanoTime();
      String id = r == null ? null : "nnft-progress-" + System.identityHashCode(r) + "-" + r.displays.incrementAndGet();
      return new Session.Progress() {
        long last = t0;
        boolean shown;

        @Override public void update(long done) { update(done, null); }

        @Override public void update(long done, String detail) {
          if (id == null) return;
          long now = System.nanoTime();
          // silent for short passes; at most a few updates a second
          if (now - t0 < 1_000_000_000L || now - last < 250_000_000L) return;
          last = now;
          int pct = (int) (100.0 * done / Math.max(1, total));
          int bar = Math.min(25, pct / 4);
          DisplayData d = new DisplayData("sampling " + what + " [" + "#".repeat(bar) + " ".repeat(25 - bar) + "] " + pct + "%"
              + (detail != null ? " " + detail : ""));
          d.setDisplayId(id);
          if (shown) publish(env -> env.publish(new PublishUpdateDisplayData(d)));
          else {
            out.flush();
            publish(env -> env.publish(new PublishDisplayData(d)));
          }
          shown = true;
        }

        @Override public void close() {
          if (!shown) return;
          DisplayData d = new DisplayData("");
          d.setDisplayId(id);
          publish(env -> env.publish(new PublishUpdateDisplayData(d)));
        }
      };
    }
  }

  /** The session's printed output, sent to the running cell's stdout line by line. */
  private static final class CellStream extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private volatile ShellReplyEnvironment env;

    synchronized void attach(ShellReplyEnvironment e) {
      env = e;
      buf.reset();
    }

    ShellReplyEnvironment env() { return env; }

    @Override public synchronized void write(int b) { buf.write(b); }

    @Override public synchronized void write(byte[] b, int off, int len) { buf.write(b, off, len); }

    @Override public synchronized void flush() {
      if (buf.size() == 0) return;
      String text = buf.toString(StandardCharsets.UTF_8);
      buf.reset();
      ShellReplyEnvironment e = env;
      if (e != null) e.publish(new PublishStream(PublishStream.StreamType.OUT, text));
    }
  }

  // ---------------------------------------------------------------- completion, inspection

  @Override public Object evalRaw(String source) {
    throw new UnsupportedOperationException("cells run through execute requests");
  }

  @Override public ReplacementOptions complete(String code, int cursor) {
    int at = charIndex(code, cursor);
    int start = at;
    while (start > 0 && Repl.identChar(code.charAt(start - 1))) start--;
    int end = at;
    while (end < code.length() && Repl.identChar(code.charAt(end))) end++;
    String prefix = code.substring(start, at);
    int lineStart = code.lastIndexOf('\n', start - 1) + 1;
    String before = code.substring(lineStart, start);
    List<String> matches = new ArrayList<>();
    if (before.strip().equals(":") && before.endsWith(":")) {
      // a command at the start of a line
      for (String c : Repl.COMMANDS) if (c.startsWith(":" + prefix) && !c.equals(":quit")) matches.add(c.substring(1));
    } else {
      Set<String> seen = new TreeSet<>();
      List<String> vars = new ArrayList<>(new TreeSet<>(session.names()));
      for (String n : vars) if (n.startsWith(prefix) && seen.add(n)) matches.add(n);
      if (!before.strip().startsWith(":load")) {
        for (String n : new TreeSet<>(session.registry().names())) if (n.startsWith(prefix) && seen.add(n)) matches.add(n);
        if (!before.strip().startsWith(":help")) for (String k : Nnft.KEYWORDS) if (k.startsWith(prefix) && seen.add(k)) matches.add(k);
      }
    }
    return new ReplacementOptions(matches, codePoint(code, start), codePoint(code, end));
  }

  @Override public DisplayData inspect(String code, int cursor, boolean extraDetail) {
    int at = charIndex(code, cursor);
    int start = at, end = at;
    while (start > 0 && Repl.identChar(code.charAt(start - 1))) start--;
    while (end < code.length() && Repl.identChar(code.charAt(end))) end++;
    if (start == end && start > 0) {
      // just after a name and an opening parenthesis: the function being called
      int p = start - 1;
      while (p > 0 && Character.isWhitespace(code.charAt(p))) p--;
      if (code.charAt(p) == '(') {
        end = p;
        start = p;
        while (start > 0 && Repl.identChar(code.charAt(start - 1))) start--;
      }
    }
    String name = code.substring(start, end);
    String text = describe(name);
    return text == null ? null : new DisplayData(text);
  }

  /** What :help NAME and Shift-Tab say about a name; null when it is nothing known. */
  String describe(String name) {
    if (name.isEmpty()) return null;
    if (session.names().contains(name)) {
      Value v = session.get(name);
      return name + " = " + session.inScope(() -> Render.text(v)) + "  (" + v.kind() + ")";
    }
    Signature sig = session.registry().signature(name);
    if (sig != null) return sig.describe();
    if (session.registry().isConstant(name)) return name + " is a built-in constant.";
    if (Nnft.KEYWORDS.contains(name)) return name + " is a keyword of the language (docs/language.md).";
    return null;
  }

  @Override public String isComplete(String code) {
    if (code.strip().startsWith(":")) return IS_COMPLETE_YES;
    return Repl.incomplete(code) ? "  " : IS_COMPLETE_YES;
  }

  /** Jupyter counts cursor positions in code points; Java strings in UTF-16 units. */
  static int charIndex(String s, int codePoints) {
    try {
      return s.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, s.codePointCount(0, s.length()))));
    } catch (IndexOutOfBoundsException e) {
      return s.length();
    }
  }

  static int codePoint(String s, int charIndex) { return s.codePointCount(0, charIndex); }

  @Override public void onShutdown(boolean restarting) {
    interrupt();
    super.onShutdown(restarting);
  }
}
