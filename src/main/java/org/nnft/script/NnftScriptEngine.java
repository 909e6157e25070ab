package org.nnft.script;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import org.nnft.api.Nnft;
import org.nnft.runtime.Policy;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;
import org.nnft.syntax.Span;

/**
 * The nnft JSR-223 engine. One engine holds one session: bindings made by a script stay for the
 * next {@code eval}.
 *
 * <ul>
 *   <li>{@code eval} returns the value of the last statement: number → Double, estimate →
 *       {@link org.nnft.ensemble.Estimate}, vector → double[], matrix → double[][], string → String,
 *       boolean → Boolean, anything else → the engine's {@link Value}.
 *   <li>Before a run, ENGINE_SCOPE (and GLOBAL_SCOPE) bindings whose names are nnft identifiers and
 *       whose values are numbers, double[], double[][], strings, booleans, estimates or values
 *       become {@code let} bindings of the script. After a run, every script variable is put into
 *       ENGINE_SCOPE, converted as above, so {@code engine.get(name)} reads it.
 *   <li>{@code show} prints to the context's writer.
 *   <li>Errors are {@link ScriptException}s with the plain sentence, the file name (the
 *       {@link ScriptEngine#FILENAME} attribute, or "&lt;script&gt;"), line and column. A failed
 *       {@code expect} raises a ScriptException after the script has run.
 *   <li>The context attributes {@code nnft.seed} and {@code nnft.threads} (numbers) set the default
 *       seed of {@code sample()} and the number of sampling threads.
 *   <li>What scripts may do is the host's {@link Policy} ({@link #setPolicy}; by default scripts
 *       write no files), adjusted per context by the attributes {@code nnft.allowWrite} (a folder,
 *       as a String or Path, or a collection of them: scripts may write there and below),
 *       {@code nnft.symbolic} (Boolean: whether Symja may load), {@code nnft.symbolicTimeLimit}
 *       (seconds), {@code nnft.memory} (bytes for one tensor or ensemble) and
 *       {@code nnft.maxThreads}. Scripts cannot change any of them.
 * </ul>
 *
 * Thread-safe: evaluations on one engine are serialised (one runs at a time, in the order they
 * acquire the engine), and the engine's bindings may be read and written from any thread while a
 * script runs. Separate engines run concurrently and share no state.
 */
public final class NnftScriptEngine extends AbstractScriptEngine implements Compilable {
  /** Context attribute: the default seed of sample() (a Number). */
  public static final String SEED = "nnft.seed";
  /** Context attribute: the number of sampling threads (a Number). */
  public static final String THREADS = "nnft.threads";
  /** Context attribute: a folder (String or Path) or a collection of folders scripts may write under. */
  public static final String ALLOW_WRITE = "nnft.allowWrite";
  /** Context attribute: whether the symbolic engine may load (a Boolean). */
  public static final String SYMBOLIC = "nnft.symbolic";
  /** Context attribute: the longest symbolic work of one statement, in seconds (a Number). */
  public static final String SYMBOLIC_TIME_LIMIT = "nnft.symbolicTimeLimit";
  /** Context attribute: the memory budget of one tensor or ensemble, in bytes (a Number). */
  public static final String MEMORY = "nnft.memory";
  /** Context attribute: the most sampling threads a script may use (a Number). */
  public static final String MAX_THREADS = "nnft.maxThreads";

  private final NnftScriptEngineFactory factory;
  private final Session.Options options = new Session.Options();
  private final Session session;
  private final WriterStream writerStream = new WriterStream();
  /** What was last put into the engine bindings per name, and the value it came from. */
  private final Map<String, Object> exported = new HashMap<>();
  private final Map<String, Value> exportedFrom = new HashMap<>();

  NnftScriptEngine(NnftScriptEngineFactory factory) {
    this.factory = factory;
    options.echoExpect = false;
    options.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    options.out = new PrintStream(writerStream, true, StandardCharsets.UTF_8);
    options.policy = policy;
    session = new Session(options);
    context.setBindings(createBindings(), ScriptContext.ENGINE_SCOPE);
  }

  public NnftScriptEngine() { this(new NnftScriptEngineFactory()); }

  private volatile Policy policy = Policy.embedded();

  /** The session behind this engine. */
  public Session session() { return session; }

  /** The host's rules for scripts run by this engine (context attributes can add to them per run). */
  public void setPolicy(Policy p) { policy = java.util.Objects.requireNonNull(p); }

  public Policy policy() { return policy; }

  @Override public ScriptEngineFactory getFactory() { return factory; }

  @Override public Bindings createBindings() { return new SyncBindings(); }

  /** Bindings that other threads may change while a script runs: every access holds the map's lock. */
  static final class SyncBindings extends SimpleBindings {
    private final Map<String, Object> map;

    SyncBindings() { this(java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>())); }

    private SyncBindings(Map<String, Object> m) {
      super(m);
      map = m;
    }

    Map<String, Object> snapshot() {
      synchronized (map) {
        return new java.util.LinkedHashMap<>(map);
      }
    }
  }

  /** A copy of bindings the host may be changing on another thread. */
  private static Map<String, Object> snapshot(Bindings b) {
    if (b instanceof SyncBindings sb) return sb.snapshot();
    for (int attempt = 0; ; attempt++) {
      try {
        return new java.util.LinkedHashMap<>(b);
      } catch (java.util.ConcurrentModificationException e) {
        if (attempt >= 1000) throw e;
      }
    }
  }

  @Override public Object eval(String script, ScriptContext ctx) throws ScriptException {
    return execute(Source.of(fileName(ctx), script), ctx);
  }

  @Override public Object eval(Reader reader, ScriptContext ctx) throws ScriptException {
    return eval(read(reader), ctx);
  }

  @Override public CompiledScript compile(String script) throws ScriptException {
    ScriptContext ctx = getContext();
    Source src = Source.of(fileName(ctx), script);
    synchronized (this) {
      importBindings(ctx);
      refuseUsed(src);
      try {
        session.check(src);
      } catch (NnftException e) {
        throw toScriptException(e, src.name());
      } catch (RuntimeException | StackOverflowError e) {
        throw internal(e);
      }
    }
    return new CompiledScript() {
      @Override public Object eval(ScriptContext context) throws ScriptException {
        return execute(src, context);
      }

      @Override public ScriptEngine getEngine() { return NnftScriptEngine.this; }
    };
  }

  @Override public CompiledScript compile(Reader script) throws ScriptException {
    return compile(read(script));
  }

  private synchronized Object execute(Source src, ScriptContext ctx) throws ScriptException {
    importBindings(ctx);
    refuseUsed(src);
    configure(ctx);
    int before = session.failures().size();
    try {
      Value v = session.run(src);
      List<String> failures = session.failures();
      if (failures.size() > before) throw toScriptException(Nnft.expectFailure(src, failures.get(before)), src.name());
      return Nnft.toJava(v);
    } catch (NnftException e) {
      throw toScriptException(e, src.name());
    } catch (Session.Cancelled e) {
      throw new ScriptException("cancelled", src.name(), -1);
    } catch (RuntimeException | StackOverflowError e) {
      throw internal(e);
    } finally {
      options.out.flush();
      writerStream.release();
      exportBindings(ctx);
    }
  }

  private void configure(ScriptContext ctx) throws ScriptException {
    if (ctx.getAttribute(SEED) instanceof Number n) options.seed = n.longValue();
    if (ctx.getAttribute(THREADS) instanceof Number n) options.threads = Math.max(1, n.intValue());
    Policy p = policy;
    try {
      Object w = ctx.getAttribute(ALLOW_WRITE);
      if (w instanceof java.util.Collection<?> c) {
        for (Object o : c) p = p.withWritable(folder(o));
      } else if (w != null) p = p.withWritable(folder(w));
      if (ctx.getAttribute(SYMBOLIC) instanceof Boolean b) p = p.withSymbolic(b);
      if (ctx.getAttribute(SYMBOLIC_TIME_LIMIT) instanceof Number n) p = p.withSymbolicSeconds(n.doubleValue());
      if (ctx.getAttribute(MEMORY) instanceof Number n) p = p.withMemoryBytes(n.longValue());
      if (ctx.getAttribute(MAX_THREADS) instanceof Number n) p = p.withMaxThreads(n.intValue());
    } catch (IllegalArgumentException e) {
      throw new ScriptException("bad nnft context attribute: " + e.getMessage());
    }
    options.policy = p;
    writerStream.target = ctx.getWriter();
  }

  /** Bindings that could not become values, with why: reported when a script uses their names. */
  private final Map<String, String> refused = new java.util.HashMap<>();

  /** Refuses a script that uses a binding nnft could not take, naming it and saying why. */
  private void refuseUsed(Source src) throws ScriptException {
    for (Map.Entry<String, String> r : refused.entrySet()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(r.getKey()) + "\\b").matcher(src.text());
      if (m.find()) {
        int line = 1;
        for (int i = 0; i < m.start(); i++) if (src.text().charAt(i) == '\n') line++;
        throw new ScriptException("the binding '" + r.getKey() + "' cannot be used: " + r.getValue(), src.name(), line);
      }
    }
  }

  private void importBindings(ScriptContext ctx) {
    for (int scope : new int[] {ScriptContext.GLOBAL_SCOPE, ScriptContext.ENGINE_SCOPE}) {
      Bindings b = ctx.getBindings(scope);
      if (b == null) continue;
      for (Map.Entry<String, Object> e : snapshot(b).entrySet()) {
        String name = e.getKey();
        Object o = e.getValue();
        if (!Nnft.isIdentifier(name)) continue;
        // our own export, untouched: the session has the original (an estimate keeps its errors)
        if (o != null && exported.get(name) == o && unchanged(o, session.get(name))) continue;
        Value v;
        try {
          v = Nnft.fromJava(o);
          refused.remove(name);
        } catch (IllegalArgumentException bad) {
          // a host object nnft cannot hold: an error if the script uses the name, else left alone
          refused.put(name, bad.getMessage());
          v = null;
        }
        if (v != null) session.put(name, v);
      }
    }
  }

  /** False when Java changed an exported array in place. */
  private static boolean unchanged(Object exportedObject, Value current) {
    if (exportedObject instanceof double[] || exportedObject instanceof double[][]) {
      return current != null && Arrays.deepEquals(new Object[] {exportedObject}, new Object[] {Nnft.toJava(current)});
    }
    return true;
  }

  private void exportBindings(ScriptContext ctx) {
    Bindings b = ctx.getBindings(ScriptContext.ENGINE_SCOPE);
    if (b == null) return;
    for (String name : session.names()) {
      Value v = session.get(name);
      if (v == null) continue;
      Object had = exported.get(name);
      if (exportedFrom.get(name) == v && had != null && b.get(name) == had) continue;
      Object o = Nnft.toJava(v);
      b.put(name, o);
      exported.put(name, o);
      exportedFrom.put(name, v);
    }
  }

  private static java.nio.file.Path folder(Object o) {
    if (o instanceof java.nio.file.Path q) return q;
    if (o instanceof java.io.File f) return f.toPath();
    if (o instanceof String str) return java.nio.file.Path.of(str);
    throw new IllegalArgumentException(ALLOW_WRITE + " takes folders as String, Path or File, not " + o.getClass().getSimpleName());
  }

  private static String fileName(ScriptContext ctx) {
    Object f = ctx == null ? null : ctx.getAttribute(ScriptEngine.FILENAME);
    return f instanceof String s && !s.isEmpty() ? s : "<script>";
  }

  private static ScriptException toScriptException(NnftException e, String file) {
    String message = "error".equals(e.kind()) ? e.getMessage() : e.kind() + ": " + e.getMessage();
    ScriptException se = e.span() == Span.NONE
        ? new ScriptException(message, file, -1, -1)
        : new ScriptException(message, e.span().file(), e.line(), e.column());
    se.initCause(e);
    return se;
  }

  private static ScriptException internal(Throwable e) {
    ScriptException se = new ScriptException("internal error: " + e
        + " (this is a bug in nnft; please report it with the script that caused it)");
    se.initCause(e);
    return se;
  }

  private static String read(Reader r) throws ScriptException {
    StringBuilder b = new StringBuilder();
    char[] buf = new char[8192];
    try {
      for (int n; (n = r.read(buf)) >= 0; ) b.append(buf, 0, n);
    } catch (IOException e) {
      ScriptException se = new ScriptException("cannot read the script: " + e.getMessage());
      se.initCause(e);
      throw se;
    }
    return b.toString();
  }

  /** UTF-8 bytes from the session's PrintStream to the current context's Writer. */
  private static final class WriterStream extends OutputStream {
    Writer target;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer in = ByteBuffer.allocate(1024);
    private final CharBuffer chars = CharBuffer.allocate(1024);

    @Override public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
      if (in.remaining() < len) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(in.capacity() * 2, in.position() + len));
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      in.put(b, off, len);
      in.flip();
      while (true) {
        CoderResult r = decoder.decode(in, chars, false);
        chars.flip();
        if (target != null && chars.hasRemaining()) target.write(chars.array(), chars.position(), chars.remaining());
        chars.clear();
        if (!r.isOverflow()) break;
      }
      in.compact();
    }

    @Override public void flush() throws IOException {
      if (target != null) target.flush();
    }

    /** Flushes the writer and forgets it until the next run. */
    void release() {
      try {
        flush();
      } catch (IOException ignored) {
        // the writer's problem
      }
      target = null;
    }
  }
}
