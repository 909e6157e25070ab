package org.nnft.symbolic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IExpr;

/**
 * The one door to Symja. Symja's evaluator is not thread-safe, so this facade owns one engine on
 * one daemon thread and runs every symbolic operation there. It starts on first use only: a purely
 * numeric script never loads Symja. User symbols are renamed (m to nnvm, λ to nnvq03bb, ...) so that names such
 * as N, D, E or I cannot collide with Symja's built-ins, and renamed back when printed.
 */
public final class Symbolic {
  private static volatile Symbolic shared;
  private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();

  /** Symja's global start-up runs once, on whichever engine thread comes first. */
  private static final Object INIT = new Object();
  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

  /** What a session tells its symbolic engine: whether to stop, and how long a statement may take. */
  public interface Limits {
    /** True when the user asked to stop (Ctrl-C, cancel). */
    boolean cancelled();

    /** Seconds of symbolic work one statement may use. */
    double seconds();
  }

  private static final Limits NO_LIMITS = new Limits() {
    public boolean cancelled() { return false; }
    public double seconds() { return 600; }
  };

  private final Limits limits;
  private ExecutorService thread;
  private ExprEvaluator ev;
  /** The evaluation engine of the Symja thread, for stop requests from the waiting thread. */
  private volatile EvalEngine engine;
  private final Map<String, String> toInternal = new LinkedHashMap<>();
  private final Map<String, String> toUser = new LinkedHashMap<>();
  private int tmp;
  /** Symbolic work done in the current statement, in nanoseconds. */
  private long spent;

  private Symbolic(Limits limits) {
    this.limits = limits;
    start();
  }

  /** A symbolic engine of its own (one thread, one evaluator) for a session. */
  public static Symbolic create(Limits limits) { return new Symbolic(limits); }

  private void start() {
    thread = Executors.newSingleThreadExecutor(r -> {
      // Symja recurses once or more per level of an expression: room for the deepest nnft allows
      Thread t = new Thread(null, r, SymbolicScope.THREAD_NAME + "-" + THREADS.incrementAndGet(), org.nnft.syntax.DeepStack.SIZE);
      t.setDaemon(true);
      return t;
    });
    // an engine nobody holds any more (a session dropped without reset) lets its thread end
    CLEANER.register(this, thread::shutdown);
    Future<Object> f = thread.submit(() -> {
      synchronized (INIT) {
        F.initSymbols();
      }
      ev = new ExprEvaluator();
      anyLoaded = true;
      engine = EvalEngine.get();
      engine.setQuietMode(true);
      // the default (512) is below what nnft's 1000 levels of nesting make in Symja
      engine.setRecursionLimit(RECURSION_LIMIT);
      return null;
    });
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SymbolicError("the symbolic engine was interrupted while it started");
    } catch (ExecutionException e) {
      throw new SymbolicError("the symbolic engine could not start: " + e.getCause());
    }
  }

  private static volatile boolean anyLoaded;

  /** Whether Symja has been loaded in this JVM (a purely numeric script never loads it). */
  public static boolean loaded() { return anyLoaded; }

  /** Lets the Symja thread end (a session that is reset or closed). */
  public void close() { thread.shutdown(); }

  /** The symbolic engine of the running session, or one shared by code that runs outside any session. */
  public static Symbolic get() {
    java.util.function.Supplier<Object> c = SymbolicScope.current();
    if (c != null) return (Symbolic) c.get();
    Symbolic s = shared;
    if (s == null) {
      synchronized (Symbolic.class) {
        if (shared == null) shared = new Symbolic(NO_LIMITS);
        s = shared;
      }
    }
    return s;
  }

  /** A new statement: its symbolic work starts from zero against the limit. */
  public void startStatement() { spent = 0; }

  /** How often the waiting thread looks at the clock and at cancellation. */
  private static final long POLL_MS = 50;
  /** How long a stop request may take to reach Symja before its thread is abandoned. */
  private static final long STOP_GRACE_MS = 800;

  /**
   * Runs a task on the Symja thread and waits for it, within what is left of the statement's time
   * limit. On timeout or cancellation Symja is asked to stop (it checks between evaluation steps);
   * if it does not within 0.8 s, its thread is abandoned and a fresh one takes over, so the
   * session stays usable either way.
   */
  public <T> T run(Callable<T> task) {
    if (SymbolicScope.onSymjaThread()) {
      throw new SymbolicError("a symbolic operation was started from the Symja thread itself, where it would wait for itself");
    }
    // outside a session every call is its own statement
    if (limits == NO_LIMITS) spent = 0;
    // a statement that was cancelled or has used up its time asks nothing more of Symja (callers
    // that try one rule after another would otherwise each wait for a stop)
    if (limits.cancelled() || Thread.currentThread().isInterrupted()) throw new SymbolicError("the symbolic computation was stopped");
    long limit = (long) (limits.seconds() * 1e9);
    if (spent > limit) throw overLimit();
    Future<T> f = thread.submit(() -> {
      engine.setStopRequested(false);
      return task.call();
    });
    long t0 = System.nanoTime();
    try {
      while (true) {
        try {
          return f.get(POLL_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException waiting) {
          long used = spent + System.nanoTime() - t0;
          boolean cancel = limits.cancelled() || Thread.currentThread().isInterrupted();
          if (cancel || used > limit) {
            stop(f);
            if (cancel) throw new SymbolicError("the symbolic computation was stopped");
            throw overLimit();
          }
        }
      }
    } catch (InterruptedException e) {
      stop(f);
      Thread.currentThread().interrupt();
      throw new SymbolicError("the symbolic computation was interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof SymbolicError se) throw se;
      if (c instanceof StackOverflowError) throw new SymbolicError("this expression nests too deeply for the symbolic engine to evaluate");
      if (c instanceof OutOfMemoryError) throw new SymbolicError("the symbolic engine ran out of memory on this expression");
      if (c instanceof org.matheclipse.core.eval.exception.TimeoutException) throw new SymbolicError("the symbolic computation was stopped");
      throw new SymbolicError("Symja could not do this: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
    } finally {
      spent += System.nanoTime() - t0;
    }
  }

  private SymbolicError overLimit() {
    double s = limits.seconds();
    return new SymbolicError("the symbolic work of this statement took longer than its limit of "
        + (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s"
        + " (the session's symbolic time limit: --symbolic-time-limit on the command line, Policy.withSymbolicSeconds in Java)");
  }

  /** Asks Symja to stop; abandons its thread for a fresh one if it does not. */
  private void stop(Future<?> f) {
    EvalEngine e = engine;
    if (e != null) e.stopRequest();
    try {
      f.get(STOP_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
      return;
    } catch (ExecutionException | java.util.concurrent.CancellationException done) {
      return;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException stuck) {
      // below
    }
    f.cancel(true);
    thread.shutdownNow();
    boolean interrupted = Thread.interrupted();
    try {
      start();
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** How deeply Symja may recurse before it gives up. */
  static final int RECURSION_LIMIT = 1 << 14;

  /**
   * The result, unless Symja gave up at its recursion limit: quietly, it then returns the input
   * wrapped in Hold, which would otherwise pass for an unevaluated but valid expression.
   */
  private static IExpr held(IExpr r) {
    if (r.isAST() && r.head() == org.matheclipse.core.expression.S.Hold) {
      throw new SymbolicError("this expression nests too deeply for the symbolic engine to evaluate");
    }
    if (r == org.matheclipse.core.expression.S.$Aborted || r.has(x -> x == org.matheclipse.core.expression.S.Hold || x == org.matheclipse.core.expression.S.$Aborted, true)) {
      throw new SymbolicError("the symbolic engine gave up on this expression (it returned it unevaluated)");
    }
    return r;
  }

  /** A user error from the symbolic side. */
  public static final class SymbolicError extends RuntimeException {
    public SymbolicError(String m) { super(m, null, false, false); }
  }

  /** The internal name of a user symbol, created on first use. */
  public String internal(String user) {
    synchronized (toInternal) {
      return toInternal.computeIfAbsent(user, u -> {
        String n = "nnv" + encode(u);
        toUser.put(n, u);
        return n;
      });
    }
  }

  /** The expression of a user symbol. */
  public Object symbol(String user) {
    String n = internal(user);
    return run(() -> ev.eval(n));
  }

  /** A number for Symja: exact when it is a whole number or a fraction with a small denominator. */
  public Object number(double v) {
    String frac = org.nnft.model.TapeSym.rational(v);
    return run(() -> {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) return F.ZZ((long) v);
      if (frac != null) return ev.eval(frac);
      return F.num(v);
    });
  }

  /**
   * Evaluates a Symja template whose #1, #2, ... stand for the given expressions (each either a
   * Symja expression from this facade, a Double, or a String of Symja code).
   */
  public Object apply(String template, Object... args) {
    return run(() -> {
      String code = template;
      java.util.Map<String, IExpr> values = new java.util.HashMap<>();
      for (int i = args.length - 1; i >= 0; i--) {
        String name = "nntmp" + (tmp++);
        Object a = args[i];
        IExpr v;
        if (a instanceof IExpr ie) v = ie;
        else if (a instanceof Double d) {
          String frac = org.nnft.model.TapeSym.rational(d);
          v = d == Math.rint(d) && Math.abs(d) < 1e15 ? F.ZZ(d.longValue()) : frac != null ? ev.eval(frac) : F.num(d);
        } else if (a instanceof Integer k) v = F.ZZ(k);
        else v = ev.eval(a.toString());
        values.put(name, v);
        code = code.replace("#" + (i + 1), name);
      }
      // substitute the placeholders into the unevaluated template, then evaluate once
      IExpr parsed = ev.parse(code);
      IExpr filled = parsed.replaceAll(x -> x.isSymbol() && values.containsKey(x.toString()) ? values.get(x.toString()) : F.NIL);
      return held(ev.eval(filled.isPresent() ? filled : parsed));
    });
  }

  public boolean isNumber(Object e) {
    return run(() -> {
      IExpr x = (IExpr) e;
      return x.isNumber() || x.isNumericFunction(true);
    });
  }

  public boolean isReal(Object e) {
    return run(() -> {
      IExpr x = (IExpr) e;
      if (!(x.isNumber() || x.isNumericFunction(true))) return false;
      IExpr n = held(ev.eval(F.N(x)));
      return n.isReal();
    });
  }

  public double toDouble(Object e) {
    return run(() -> ((IExpr) e).evalDouble());
  }

  public boolean isTrue(Object e) { return run(() -> ((IExpr) e).isTrue()); }
  public boolean isFalse(Object e) { return run(() -> ((IExpr) e).isFalse()); }

  private static final Pattern INTERNAL = Pattern.compile("nnv[a-z0-9]+");

  /**
   * A user name as the tail of an internal Symja name: lower-case ASCII letters (but q) and
   * digits stay, anything else becomes q and four hex digits. Deterministic, so Symja orders
   * terms the same way in every session.
   */
  static String encode(String user) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if ((c >= 'a' && c <= 'z' && c != 'q') || (c >= '0' && c <= '9')) b.append(c);
      else b.append('q').append(String.format("%04x", (int) c));
    }
    return b.toString();
  }

  /** Symja's input form with user names restored. */
  public String print(Object e) {
    String s = run(() -> e.toString()).replace("\n", "");
    return shortDecimals(opNames(fieldNames(nnftNames(unmangle(s)))));
  }

  /** Symja's nnop(K,phi) as nnft's op(K, phi). */
  static String opNames(String s) {
    int i = s.indexOf("nnop(");
    if (i < 0) return s.replace("nnop", "op");
    StringBuilder b = new StringBuilder();
    int from = 0;
    while (i >= 0) {
      b.append(s, from, i).append("op(");
      int depth = 0, j = i + 5;
      for (; j < s.length(); j++) {
        char c = s.charAt(j);
        if (c == '(' || c == '[' || c == '{') depth++;
        else if (c == ')' || c == ']' || c == '}') {
          if (depth == 0) break;
          depth--;
        } else if (c == ',' && depth == 0) {
          b.append(", ");
          continue;
        }
        b.append(c);
      }
      from = j;
      i = s.indexOf("nnop(", j);
    }
    return b.append(s.substring(from)).toString().replace("nnop", "op");
  }

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("Cos", "cos"), Map.entry("Sin", "sin"), Map.entry("Tan", "tan"), Map.entry("Exp", "exp"),
      Map.entry("Log", "log"), Map.entry("Sqrt", "sqrt"), Map.entry("Tanh", "tanh"), Map.entry("Erf", "erf"),
      Map.entry("Abs", "abs"), Map.entry("Sinh", "sinh"), Map.entry("Cosh", "cosh"), Map.entry("ArcCos", "acos"),
      Map.entry("ArcSin", "asin"), Map.entry("ArcTan", "atan"), Map.entry("Sign", "sign"), Map.entry("Floor", "floor"),
      Map.entry("Ceiling", "ceil"), Map.entry("Round", "round"), Map.entry("Sech", "sech"), Map.entry("Csch", "csch"),
      Map.entry("Sec", "sec"), Map.entry("Csc", "csc"), Map.entry("Cot", "cot"), Map.entry("Coth", "coth"),
      Map.entry("Erfc", "erfc"), Map.entry("UnitStep", "step"), Map.entry("Pi", "pi"), Map.entry("E", "e"),
      Map.entry("True", "true"), Map.entry("False", "false"), Map.entry("Infinity", "inf"));
  private static final Pattern WORD = Pattern.compile("\\b[A-Z][A-Za-z]*\\b");

  /**
   * The expression in LaTeX (Symja's TeX form) with the user's names, a field phi(x) as \phi and
   * its derivatives as \partial_{x}\phi; null when Symja has no TeX form for it.
   */
  public String tex(Object e) {
    String t = run(() -> {
      java.io.StringWriter w = new java.io.StringWriter();
      return new org.matheclipse.core.eval.TeXUtilities(EvalEngine.get(), true).toTeX((IExpr) e, w) ? w.toString() : null;
    });
    if (t == null) return null;
    Map<String, String> users, fs;
    synchronized (toInternal) { users = new LinkedHashMap<>(toUser); }
    synchronized (fields) { fs = new LinkedHashMap<>(fields); }
    return Tex.tidy(t, users, fs);
  }

  /** Symja's capitalised names as nnft spells them (cos, exp, pi, true, inf). */
  static String nnftNames(String s) {
    Matcher m = WORD.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String r = NAMES.get(m.group());
      m.appendReplacement(b, Matcher.quoteReplacement(r == null ? m.group() : r));
    }
    m.appendTail(b);
    return b.toString();
  }

  public String unmangle(String s) {
    Matcher m = INTERNAL.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String u = toUser.get(m.group());
      m.appendReplacement(b, Matcher.quoteReplacement(u == null ? m.group() : u));
    }
    m.appendTail(b);
    return b.toString();
  }

  private final Map<String, String> fields = new LinkedHashMap<>();

  /** Declares a field: its name and the variable it depends on (user names). */
  public void registerField(String field, String var) {
    synchronized (fields) { fields.put(field, var); }
    internal(field);
    internal(var);
  }

  public java.util.Set<String> fields() { synchronized (fields) { return new java.util.LinkedHashSet<>(fields.keySet()); } }
  public String fieldVar(String field) { synchronized (fields) { return fields.get(field); } }

  /** The user names of the functions applied in an expression (fields). */
  public java.util.List<String> freeFunctions(Object e) {
    String s = run(() -> e.toString());
    java.util.List<String> out = new java.util.ArrayList<>();
    Matcher m = Pattern.compile("(nnv[a-z0-9]+)(?:'*\\(|\\]\\[)").matcher(s);
    while (m.find()) {
      String u = toUser.get(m.group(1));
      if (u != null && !out.contains(u)) out.add(u);
    }
    return out;
  }

  private static final Pattern LONG_DECIMAL = Pattern.compile("(?<![\\w.])\\d+\\.\\d{7,}");

  /** Machine numbers inside formulas to 6 significant digits, as numbers print elsewhere. */
  static String shortDecimals(String s) {
    Matcher m = LONG_DECIMAL.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(org.nnft.report.Format.num(Double.parseDouble(m.group()))));
    m.appendTail(b);
    return b.toString();
  }

  /** phi(x) as phi, phi'(x) as D(phi, x), phi''(x) as D(phi, x, 2). */
  private String fieldNames(String s) {
    java.util.Map<String, String> fs;
    synchronized (fields) { fs = new LinkedHashMap<>(fields); }
    for (var f : fs.entrySet()) {
      if (f.getValue().contains(",")) {
        s = severalNames(s, f.getKey(), f.getValue().split(","));
        continue;
      }
      String name = Pattern.quote(f.getKey()), var = Pattern.quote(f.getValue());
      Matcher m = Pattern.compile("\\b" + name + "('*)\\(" + var + "\\)").matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        int k = m.group(1).length();
        String r = k == 0 ? f.getKey() : k == 1 ? "D(" + f.getKey() + ", " + f.getValue() + ")" : "D(" + f.getKey() + ", " + f.getValue() + ", " + k + ")";
        m.appendReplacement(b, Matcher.quoteReplacement(r));
      }
      m.appendTail(b);
      s = b.toString();
      // Symja's Derivative(k)[phi][x] form
      Matcher d = Pattern.compile("Derivative\\((\\d+)\\)\\[" + name + "\\]\\[" + var + "\\]").matcher(s);
      b = new StringBuilder();
      while (d.find()) d.appendReplacement(b, Matcher.quoteReplacement("D(" + f.getKey() + ", " + f.getValue() + (d.group(1).equals("1") ? "" : ", " + d.group(1)) + ")"));
      d.appendTail(b);
      s = b.toString();
    }
    return s;
  }

  /** For a field of several coordinates: phi(t,x) as phi, Derivative(1,0)[phi][t,x] as D(phi, t), mixed ones nested. */
  private static String severalNames(String s, String field, String[] vars) {
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < vars.length; i++) at.append(i > 0 ? "\\s*,\\s*" : "").append(Pattern.quote(vars[i]));
    String name = Pattern.quote(field);
    Matcher d = Pattern.compile("Derivative\\(([\\d,\\s]+)\\)\\[" + name + "\\]\\[" + at + "\\]").matcher(s);
    StringBuilder b = new StringBuilder();
    while (d.find()) {
      String[] ks = d.group(1).split(",");
      String r = field;
      for (int k = 0; k < ks.length && k < vars.length; k++) {
        int o = Integer.parseInt(ks[k].trim());
        if (o == 1) r = "D(" + r + ", " + vars[k] + ")";
        else if (o > 1) r = "D(" + r + ", " + vars[k] + ", " + o + ")";
      }
      d.appendReplacement(b, Matcher.quoteReplacement(r));
    }
    d.appendTail(b);
    Matcher m = Pattern.compile("\\b" + name + "\\(" + at + "\\)").matcher(b.toString());
    return m.replaceAll(Matcher.quoteReplacement(field));
  }

  /**
   * An expression as a plain tree, for compiling it to numeric code outside Symja: a number, a
   * symbol (user names; Pi and E as numbers), or a call with a head name (Symja's: Plus, Times,
   * Power, Sin, ...; a field's derivative phi'(x), Derivative(k)[phi][x], is the call
   * {@code Derivative(k, phi, x)}).
   */
  public record Tree(Kind kind, String name, double value, java.util.List<Tree> args) {
    public enum Kind { NUMBER, SYMBOL, CALL }
  }

  /** The tree of an expression (evaluated numerically where it is a number). */
  public Tree tree(Object e) {
    return run(() -> tree((IExpr) e));
  }

  private Tree tree(IExpr x) {
    if (x.isNumber() || x.isNumericFunction(true) && !x.isSymbol()) {
      IExpr n = held(ev.eval(F.N(x)));
      if (n.isReal()) return new Tree(Tree.Kind.NUMBER, null, n.evalDouble(), java.util.List.of());
    }
    if (x.isSymbol()) {
      String n = x.toString();
      if (n.equals("Pi")) return new Tree(Tree.Kind.NUMBER, null, Math.PI, java.util.List.of());
      if (n.equals("E")) return new Tree(Tree.Kind.NUMBER, null, Math.E, java.util.List.of());
      return new Tree(Tree.Kind.SYMBOL, unmangle(n), Double.NaN, java.util.List.of());
    }
    if (x.isAST()) {
      org.matheclipse.core.interfaces.IAST a = (org.matheclipse.core.interfaces.IAST) x;
      java.util.List<Tree> args = new java.util.ArrayList<>();
      IExpr head = a.head();
      String name;
      if (head.isAST() && ((org.matheclipse.core.interfaces.IAST) head).head().isAST()
          && ((org.matheclipse.core.interfaces.IAST) ((org.matheclipse.core.interfaces.IAST) head).head()).head().toString().equals("Derivative")) {
        // Derivative(k)[phi][x]
        org.matheclipse.core.interfaces.IAST inner = (org.matheclipse.core.interfaces.IAST) head;
        org.matheclipse.core.interfaces.IAST der = (org.matheclipse.core.interfaces.IAST) inner.head();
        name = "Derivative";
        for (int i = 1; i < der.size(); i++) args.add(tree(der.get(i)));
        for (int i = 1; i < inner.size(); i++) args.add(tree(inner.get(i)));
      } else {
        name = unmangle(head.toString());
      }
      for (int i = 1; i < a.size(); i++) args.add(tree(a.get(i)));
      return new Tree(Tree.Kind.CALL, name, Double.NaN, args);
    }
    return new Tree(Tree.Kind.SYMBOL, unmangle(x.toString()), Double.NaN, java.util.List.of());
  }

  /** The user names of the free symbols in an expression. */
  public java.util.List<String> freeSymbols(Object e) {
    String s = run(() -> e.toString());
    java.util.List<String> out = new java.util.ArrayList<>();
    Matcher m = INTERNAL.matcher(s);
    while (m.find()) {
      String u = toUser.get(m.group());
      if (u != null && !out.contains(u)) out.add(u);
    }
    return out;
  }
}
