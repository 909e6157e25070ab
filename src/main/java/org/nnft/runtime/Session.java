package org.nnft.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.ensemble.Request;
import org.nnft.syntax.Ast;
import org.nnft.syntax.DeepStack;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Parser;
import org.nnft.syntax.Source;
import org.nnft.syntax.Span;
import org.nnft.symbolic.Symbolic;

/**
 * The state of one user's work: bindings, settings, output. The CLI, the REPL, the JSR-223 engine
 * and the Java API are thin front ends over a Session.
 */
public final class Session {
  /** Thrown when a running computation is cancelled (Ctrl-C in the REPL). */
  public static final class Cancelled extends RuntimeException {
    public Cancelled() { super("cancelled", null, false, false); }
  }

  /** Progress of a long sampling pass. */
  public interface Progress {
    void update(long done);

    /** As {@link #update(long)}, with a few words on the parts (the chains of an mcmc run, each in percent). */
    default void update(long done, String detail) { update(done); }

    void close();
  }

  public interface ProgressFactory {
    Progress start(String what, long total);
  }

  public static final class Options {
    public PrintStream out = System.out;
    public boolean json = false;
    public long seed = 1;
    public int threads = 1;
    public Path baseDir = Path.of(".");
    public ProgressFactory progress = null;
    /** Echo passing expectations ("ok") as well as failures. */
    public boolean echoExpect = true;
    /** What scripts may do: set by the host or the command line, never by a script. */
    public Policy policy = Policy.embedded();
    /** The engine that runs ensemble passes (null: this machine's, with {@link #threads} threads). */
    public org.nnft.ensemble.Engine engine = null;
    /** A front end that shows values and pictures itself (a notebook); null: shown values print to {@link #out}. */
    public Display display = null;
  }

  /**
   * Rich output for a front end such as a Jupyter notebook. Its methods run on the thread of the
   * statement, as this session's (symbolic values print with the user's names there).
   */
  public interface Display {
    /** A shown value with its label (the source text); true when the display took it, and nothing is printed. */
    default boolean show(String label, Value v) { return false; }

    /** A picture a statement wrote (plot ... to "f.png", ".svg" or ".pdf"), complete. */
    default void wrote(Path file) { }
  }

  /** A shown value, kept for JSON output and for embedding. */
  public record Shown(String label, Value value, int line) {}

  private final Options options;
  private Registry registry = Registry.standard();
  private Env globals = new Env(null);
  private final Map<String, List<Request>> plans = new LinkedHashMap<>();
  private volatile boolean cancelled;
  private final List<Shown> shown = new ArrayList<>();
  private int expectsPassed;
  private int passes;

  public Session(Options options) { this.options = options; }

  public Session() { this(new Options()); }

  public Options options() { return options; }
  /** The built-ins this session knows; a fresh copy of the standard library unless replaced. */
  public Registry registry() { return registry; }
  /** Installs another set of built-ins (for an embedder: a subset of {@link Registry#standard}). */
  public void install(Registry r) { registry = r; }
  public long seed() { return options.seed; }
  /** Sampling threads: as asked, within the policy's limit. */
  public int threads() { return Math.max(1, Math.min(options.threads, options.policy.maxThreads())); }
  public Policy policy() { return options.policy; }
  public Env globals() { return globals; }
  public List<Shown> shown() { return shown; }
  /** The failed expectations as text, "file:line: expect failed: message", in order. */
  public List<String> failures() {
    List<String> out = new ArrayList<>();
    for (Note n : failedNotes) out.add(n.span().file() + ":" + n.span().line() + ": expect failed: " + n.message());
    return out;
  }
  public int expectsPassed() { return expectsPassed; }
  /** How many sampling passes have run in this session. */
  public int passes() { return passes; }
  public void countPass() { passes++; }

  /**
   * Parses, checks and runs a script; returns the value of its last statement (or null). Runs on a
   * thread with nnft's stack ({@link DeepStack}) whatever the caller's, so nesting and long chains
   * behave the same for every front end.
   */
  public Value run(Source src) {
    return DeepStack.call(() -> asCurrent(() -> {
      Ast.Program p = parse(src);
      check(p);
      return runHere(p);
    }));
  }

  /** Runs a program that {@link #check(Source)} returned (checks it again against the current names). */
  public Value run(Ast.Program p) {
    return DeepStack.call(() -> asCurrent(() -> runHere(p)));
  }

  /** This session's symbolic engine, started on first use: its own Symja thread, its own fields. */
  private Object symbolic;

  /** A {@link Symbolic}, typed Object here so that a numeric script never loads Symja's classes. */
  private synchronized Object symbolic() {
    if (!options.policy.symbolic()) {
      throw new org.nnft.symbolic.Symbolic.SymbolicError("this needs the symbolic engine (Symja), which this session's policy does not load; "
          + (options.policy.commandLine() ? "run nnft without --no-symbolic" : "the application allows it with Policy.withSymbolic(true) or the context attribute nnft.symbolic"));
    }
    if (symbolic == null) symbolic = SymbolicStart.create(this);
    return symbolic;
  }

  /** Starts a session's symbolic engine; its own class, loaded only when a script needs Symja. */
  private static final class SymbolicStart {
    static Object create(Session s) {
      return Symbolic.create(new Symbolic.Limits() {
        public boolean cancelled() { return s.isCancelled(); }
        public double seconds() { return s.options.policy.symbolicSeconds(); }
      });
    }

    static void startStatement(Object sy) { ((Symbolic) sy).startStatement(); }

    static void close(Object sy) { ((Symbolic) sy).close(); }
  }

  /**
   * Runs work as this session's: {@link #checkCurrent()}, {@link #currentPolicy()} and
   * {@link Symbolic#get()} on this thread then answer for it.
   */
  private <T> T asCurrent(java.util.function.Supplier<T> work) {
    Session before = RUNNING.get();
    RUNNING.set(this);
    try {
      return org.nnft.symbolic.SymbolicScope.using(this::symbolic, work);
    } finally {
      if (before == null) RUNNING.remove();
      else RUNNING.set(before);
    }
  }

  /** The policy of the session whose work runs on this thread, or null outside any session. */
  public static Policy currentPolicy() {
    Session s = RUNNING.get();
    return s == null ? null : s.options.policy;
  }

  private Value runHere(Ast.Program p) {
    runner = Thread.currentThread();
    try {
      check(p);
      plans.clear();
      Planner planner = new Planner(p, registry);
      Interpreter in = new Interpreter(this, globals, false);
      Value last = null;
      List<Ast.Stmt> ss = p.statements();
      for (int i = 0; i < ss.size(); i++) {
        int at = i;
        // planning evaluates the statement's points ahead: its failures are the statement's too
        guarded(ss.get(i), () -> {
          planner.before(at, this, globals);
          return null;
        });
        last = execute(in, ss.get(i));
      }
      return last;
    } finally {
      cancelled = false;
      runner = null;
    }
  }

  /**
   * One statement. Every failure leaves as an {@link NnftException} placed on the statement (unless
   * it has a better place already) or as {@link Cancelled}: a stack overflow and a bug in nnft
   * (kind "internal error") included, so no front end has to know about Java exceptions.
   */
  private Value execute(Interpreter in, Ast.Stmt s) {
    Object sy;
    synchronized (this) {
      sy = symbolic;
    }
    if (sy != null) SymbolicStart.startStatement(sy);
    return guarded(s, () -> in.execute(s));
  }

  /** Runs part of a statement, turning every failure into an error placed on it (see execute). */
  private <T> T guarded(Ast.Stmt s, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (NnftException | Cancelled e) {
      throw e;
    } catch (StackOverflowError e) {
      throw new NnftException(s.span(), "this statement nests too deeply to evaluate; split it into smaller ones with let.");
    } catch (OutOfMemoryError e) {
      throw new NnftException("out of memory", s.span(), "this statement needed more memory than the JVM has (" + Policy.human(Runtime.getRuntime().maxMemory())
          + " of heap); ask for less (fewer samples or points, smaller nets), or give Java more with -Xmx", null);
    } catch (org.nnft.symbolic.Symbolic.SymbolicError e) {
      if (isCancelled()) throw new Cancelled();
      String m = e.getMessage();
      throw new NnftException(s.span(), m.endsWith(".") ? m : m + ".");
    } catch (TensorOps.ShapeError e) {
      String m = e.getMessage();
      throw new NnftException(s.span(), m.endsWith(".") ? m : m + ".");
    } catch (RuntimeException e) {
      throw internal(s.span(), e);
    }
  }

  /** A bug in nnft, placed on the statement that ran into it. */
  public static NnftException internal(Span span, Throwable e) {
    if (System.getenv("NNFT_TRACE") != null) e.printStackTrace(); // for developers: the Java stack of a bug
    return new NnftException("internal error", span, e + "; this is a bug in nnft, please report it with the script that caused it.", e);
  }

  public Value run(String text, String name) { return run(Source.of(name, text)); }

  /**
   * Runs work as this session's, on nnft's stack, outside any statement: for a front end that
   * renders a value after its statement ran (a symbolic expression prints its names as the user
   * wrote them only inside its session).
   */
  public <T> T inScope(java.util.function.Supplier<T> work) {
    return DeepStack.call(() -> asCurrent(work));
  }

  /** Parses and checks without running anything. */
  public Ast.Program check(Source src) {
    return DeepStack.call(() -> asCurrent(() -> {
      Ast.Program p = parse(src);
      check(p);
      return p;
    }));
  }

  /** Parses with this session's built-ins, so that 'with' inside a call stops at the call's named arguments. */
  public Ast.Program parse(Source src) {
    return Parser.parse(src, (f, a) -> {
      org.nnft.check.Signature sg = registry.signature(f);
      return sg != null && sg.namedNames().contains(a);
    });
  }

  private void check(Ast.Program p) {
    new org.nnft.check.Checker(globals.allNames(), registry).check(p);
    Map<String, org.nnft.check.SType> known = new LinkedHashMap<>();
    for (String n : globals.allNames()) known.put(n, globals.lookup(n).staticType());
    new org.nnft.check.TypeChecker(registry, known).check(p);
  }

  public void plan(String key, List<Request> reqs) {
    plans.computeIfAbsent(key, k -> new ArrayList<>()).addAll(reqs);
  }

  public List<Request> plannedRequests(String key) {
    return plans.getOrDefault(key, List.of());
  }

  public void cancel() { cancelled = true; }
  /** The thread running this session's statements, whose interrupt cancels like Ctrl-C. */
  private volatile Thread runner;

  /** The session whose statement runs on this thread (null elsewhere), for {@link #checkCurrent()}. */
  private static final ThreadLocal<Session> RUNNING = new ThreadLocal<>();

  /**
   * For long loops anywhere (training, region walks, draws): stops the running statement when its
   * session was cancelled (Ctrl-C) or its thread interrupted. Cheap enough to call per step.
   */
  public static void checkCurrent() {
    Session s = RUNNING.get();
    if (s != null ? s.isCancelled() : Thread.currentThread().isInterrupted()) throw new Cancelled();
  }

  /** Whether the running statement should stop: cancel() was called, or its thread was interrupted. */
  public boolean isCancelled() {
    Thread r = runner;
    return cancelled || r != null && r.isInterrupted();
  }

  void checkCancelled() {
    // Ctrl-C (cancel) or an interrupt of the thread that runs the statement (Future.cancel(true) of an eval)
    if (isCancelled() || Thread.currentThread().isInterrupted()) throw new Cancelled();
  }

  public void reset() {
    synchronized (this) {
      if (symbolic != null) SymbolicStart.close(symbolic);
      symbolic = null;
    }
    globals = new Env(null);
    plans.clear();
    shown.clear();
    failedNotes.clear();
    warnings.clear();
    written.clear();
    expectsPassed = 0;
  }

  public java.util.Set<String> names() { return globals.allNames(); }

  public Value get(String name) { return globals.lookup(name); }

  public void put(String name, Value v) { globals.define(name, v); }

  public Progress startProgress(String what, long total) {
    if (options.progress == null || options.json) return new Progress() {
      public void update(long d) { }
      public void close() { }
    };
    return options.progress.start(what, total);
  }

  void show(String label, Value v, Span span) {
    shown.add(new Shown(label, v, span.line()));
    if (!options.json && options.display != null && options.display.show(label, v)) return;
    if (!options.json) {
      String text = Printer.text(v);
      if (text.contains("\n")) options.out.println(label + " =\n" + text);
      else options.out.println(label + " = " + text);
    }
  }

  /** A message tied to a place in a script: a warning or a failed expectation. */
  public record Note(Span span, String message) {
    /** As JSON: file, line, column (0 when the message has no place) and message. */
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", span.file());
      m.put("line", span.line());
      m.put("column", span.column());
      m.put("message", message);
      return m;
    }
  }

  /** Warnings about results: printed with their place and a caret (not in --json), kept with the run. */
  private final List<Note> warnings = new ArrayList<>();
  private final List<Note> failedNotes = new ArrayList<>();

  public List<Note> warnings() { return warnings; }

  public void warn(String message, Span span) {
    warnings.add(new Note(span, message));
    if (options.json) return;
    if (span == Span.NONE || span.line() < 1) options.out.println("warning: " + message);
    else options.out.println(new NnftException("warning", span, message).render());
  }

  /** A file written by plot or export: kind, path as printed, line of the statement. */
  public record Written(String kind, String path, int line) {}

  private final List<Written> written = new ArrayList<>();

  /** The files this run wrote, in order. */
  public List<Written> written() { return written; }

  /**
   * Records a file written by plot or export ({@code path} as printed; a plot's complete {@code file}),
   * prints "wrote plot f.png (detail)" (not in --json), and hands a plot to the front end's display.
   */
  void wrote(String kind, Path file, String path, String detail, Span span) {
    written.add(new Written(kind, path, span.line()));
    if (!options.json) options.out.println("wrote " + (kind.equals("plot") ? "plot " : "") + path + (detail == null ? "" : " (" + detail + ")"));
    if (kind.equals("plot") && options.display != null) options.display.wrote(file);
  }

  void expectResult(boolean ok, String message, Span span) {
    if (ok) {
      expectsPassed++;
      if (options.echoExpect && !options.json) options.out.println("ok: " + message);
    } else {
      failedNotes.add(new Note(span, message));
      if (!options.json) options.out.println(new NnftException("expect failed", span, message).render());
    }
  }

  /** The JSON document of a run: every shown value and the expectations. */
  public String json() { return json(null); }

  /** The JSON document, with the error that stopped the run (file, line, column, message) if any. */
  public String json(NnftException error) {
    Map<String, Object> doc = new LinkedHashMap<>();
    List<Object> items = new ArrayList<>();
    for (Shown s : shown) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("line", s.line());
      m.put("expr", s.label());
      m.put("value", Printer.json(s.value()));
      items.add(m);
    }
    doc.put("shown", items);
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put("passed", expectsPassed);
    List<Object> failed = new ArrayList<>();
    for (Note n : failedNotes) failed.add(n.json());
    ex.put("failed", failed);
    doc.put("expect", ex);
    List<Object> warn = new ArrayList<>();
    for (Note n : warnings) warn.add(n.json());
    doc.put("warnings", warn);
    List<Object> files = new ArrayList<>();
    for (Written w : written) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("line", w.line());
      f.put("kind", w.kind());
      f.put("path", w.path());
      files.add(f);
    }
    doc.put("files", files);
    if (error != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("kind", error.kind());
      e.put("file", error.span().file());
      e.put("line", error.line());
      e.put("column", error.column());
      e.put("message", error.getMessage());
      doc.put("error", e);
    }
    return org.nnft.report.Json.pretty(doc);
  }
}
