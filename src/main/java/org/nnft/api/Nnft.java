package org.nnft.api;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.nnft.ensemble.Estimate;
import org.nnft.runtime.Session;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;
import org.nnft.syntax.Span;

/**
 * A small API for embedding nnft in Java programs.
 *
 * <pre>{@code
 * Nnft nn = Nnft.session().setSeed(42);
 * nn.set("N", 100);
 * nn.eval("net cosnet(x: R) { ... }\nlet G = correlator(sample(cosnet, 1e5), 0, 1)");
 * Estimate g = nn.estimate("G");
 * }</pre>
 *
 * <p>Values cross into Java as: number → {@link Double}, estimate → {@link Estimate}, vector →
 * {@code double[]}, matrix → {@code double[][]}, string → {@link String}, boolean → {@link Boolean};
 * anything else (nets, ensembles, symbolic expressions...) stays a {@link Value}. Errors in a script
 * are {@link NnftException}s ({@link NnftException#render()} shows the place); a failed
 * {@code expect} is an {@link NnftException} of kind "expect failed" once the script has run, and
 * a bug in nnft is one of kind "internal error", placed on the statement that ran into it (its
 * cause is the Java exception to report).
 * Not thread-safe: use one instance per thread.
 */
public final class Nnft {
  /** The keywords of the language: they cannot be variable names. */
  public static final List<String> KEYWORDS = List.of("let", "symbol", "net", "show", "expect", "plot",
      "export", "within", "with", "for", "in", "if", "return", "over", "to", "true", "false", "and",
      "or", "not", "field", "action", "gauge", "on");

  private static final Pattern IDENT = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");

  private final Session.Options options = new Session.Options();
  private final Session session;

  public Nnft() {
    options.echoExpect = false;
    session = new Session(options);
  }

  /** A fresh session with default settings (seed 1, one thread, output to System.out). */
  public static Nnft session() { return new Nnft(); }

  /** The default seed of {@code sample()} for later evaluations. */
  public Nnft setSeed(long seed) {
    options.seed = seed;
    return this;
  }

  /** Sampling threads for later evaluations (results do not depend on it). */
  public Nnft setThreads(int threads) {
    options.threads = Math.max(1, threads);
    return this;
  }

  /** Where {@code show} and failed expectations print (System.out by default). */
  public Nnft setOut(PrintStream out) {
    options.out = out;
    return this;
  }

  public long seed() { return options.seed; }
  public int threads() { return options.threads; }

  /**
   * What scripts run here may do (see {@link org.nnft.runtime.Policy}); by default they write no
   * files, may use Symja for at most two minutes of symbolic work per statement, and half the
   * JVM's heap for one tensor or ensemble.
   */
  public Nnft setPolicy(org.nnft.runtime.Policy policy) {
    options.policy = java.util.Objects.requireNonNull(policy);
    return this;
  }

  public org.nnft.runtime.Policy policy() { return options.policy; }

  /**
   * Lets scripts write files (export, plot) under this folder and below, and makes it the folder
   * relative file names start from.
   */
  public Nnft allowWrite(java.nio.file.Path dir) {
    options.policy = options.policy.withWritable(dir);
    options.baseDir = dir;
    return this;
  }

  /** The engine session behind this object. */
  public Session raw() { return session; }

  /**
   * Runs nnft code in this session and returns the value of its last statement converted to Java
   * (null when the last statement has no value, such as {@code expect}).
   *
   * @throws NnftException on an error in the code, or when an {@code expect} failed
   */
  public Object eval(String code) {
    Source src = Source.of("<eval>", code);
    int before = session.failures().size();
    Value v = session.run(src);
    List<String> failures = session.failures();
    if (failures.size() > before) throw expectFailure(src, failures.get(before));
    return toJava(v);
  }

  /** The number bound to {@code name} (the value of an estimate). */
  public double number(String name) {
    Value v = require(name);
    if (v instanceof Tensor t && t.isScalar()) return t.value();
    throw new IllegalArgumentException(name + " is " + v.kind() + ", not a number.");
  }

  /** The estimate bound to {@code name}; an exact number gives an error of 0. */
  public Estimate estimate(String name) {
    Value v = require(name);
    if (v instanceof Tensor t && t.isScalar()) return new Estimate(t.value(), t.error(), t.note, t.tail);
    throw new IllegalArgumentException(name + " is " + v.kind() + ", not an estimate.");
  }

  /** The value bound to {@code name} converted to Java, or null when the name is not bound. */
  public Object get(String name) {
    Value v = session.get(name);
    return v == null ? null : toJava(v);
  }

  /** The value bound to {@code name} as the engine holds it, or null. */
  public Value value(String name) { return session.get(name); }

  /** Binds {@code name} to a number, as {@code let name = value} would. */
  public Nnft set(String name, double value) { return bind(name, Tensor.scalar(value)); }

  /** Binds {@code name} to a vector. */
  public Nnft set(String name, double[] value) { return bind(name, Tensor.vector(value.clone())); }

  /** Binds {@code name} to a matrix (all rows of one length). */
  public Nnft set(String name, double[][] value) {
    Value v = fromJava(value);
    return bind(name, v);
  }

  /** The names bound in this session. */
  public Set<String> names() { return session.names(); }

  /** Forgets every binding. */
  public void reset() { session.reset(); }

  private Nnft bind(String name, Value v) {
    if (!isIdentifier(name)) throw new IllegalArgumentException("'" + name + "' is not a valid nnft name.");
    session.put(name, v);
    return this;
  }

  private Value require(String name) {
    Value v = session.get(name);
    if (v == null) throw new IllegalArgumentException("no variable named '" + name + "' in this session.");
    return v;
  }

  // ---------------------------------------------------------------- shared by the front ends

  /** True for a name a script can use as a variable: an identifier that is not a keyword. */
  public static boolean isIdentifier(String name) {
    return name != null && IDENT.matcher(name).matches() && !KEYWORDS.contains(name);
  }

  /**
   * A value converted to Java: number → Double; estimate → {@link Estimate}; exact vector →
   * double[], exact matrix → double[][]; a vector, matrix or tensor of estimates (or an exact
   * tensor of rank 3 and more) → {@link Estimates}, values with their errors; string → String;
   * boolean → Boolean; a list → java.util.List of converted items; a record → a Map of its fields;
   * anything else (nets, ensembles, symbolic values) → the value itself.
   */
  public static Object toJava(Value v) {
    if (v == null) return null;
    if (v instanceof Tensor t) {
      if (t.isScalar()) return t.hasError() ? new Estimate(t.value(), t.error(), t.note, t.tail) : (Object) t.value();
      if (t.hasError() || t.rank() > 2) return new Estimates(t.data, t.err, t.shape, t.note);
      if (t.rank() == 1) return t.data.clone();
      int r = t.shape[0], c = t.shape[1];
      double[][] m = new double[r][c];
      for (int i = 0; i < r; i++) System.arraycopy(t.data, i * c, m[i], 0, c);
      return m;
    }
    if (v instanceof Values.Str s) return s.value();
    if (v instanceof Values.Bool b) return b.value();
    if (v instanceof Values.ListV l) {
      List<Object> out = new java.util.ArrayList<>();
      for (Value x : l.items()) out.add(toJava(x));
      return out;
    }
    if (v instanceof Values.Record r) {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (var e : r.fields().entrySet()) out.put(e.getKey(), toJava(e.getValue()));
      return out;
    }
    return v;
  }

  /**
   * A Java object as a value: Number, double[] (or int[], long[], float[]), double[][] (or
   * int[][]), String, Boolean, {@link Estimate}, {@link Estimates}, a {@link Value}; a
   * java.util.List of numbers (a vector), of lists of numbers (a matrix) or of other convertible
   * items (a list); a java.util.Map with string keys (a record of its converted entries). Anything
   * else is refused with an {@link IllegalArgumentException} that says what the object is and what
   * a binding can hold; null gives null.
   */
  public static Value fromJava(Object o) {
    if (o == null) return null;
    if (o instanceof Value v) return v;
    if (o instanceof Number n) return Tensor.scalar(n.doubleValue());
    if (o instanceof double[] d) return Tensor.vector(d.clone());
    if (o instanceof int[] a) return Tensor.vector(java.util.Arrays.stream(a).asDoubleStream().toArray());
    if (o instanceof long[] a) return Tensor.vector(java.util.Arrays.stream(a).asDoubleStream().toArray());
    if (o instanceof float[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < a.length; i++) d[i] = a[i];
      return Tensor.vector(d);
    }
    if (o instanceof int[][] m) {
      double[][] d = new double[m.length][];
      for (int i = 0; i < m.length; i++) d[i] = m[i] == null ? null : java.util.Arrays.stream(m[i]).asDoubleStream().toArray();
      return fromJava(d);
    }
    if (o instanceof double[][] m) {
      if (m.length == 0) return Tensor.vector(new double[0]);
      for (double[] row : m) {
        if (row == null || row.length != m[0].length) throw new IllegalArgumentException("a matrix needs rows of one length.");
      }
      return Tensor.matrix(m);
    }
    if (o instanceof String s) return new Values.Str(s);
    if (o instanceof Boolean b) return new Values.Bool(b);
    if (o instanceof Estimate e) return Tensor.measured(e.value(), e.error(), e.note());
    if (o instanceof Estimates e) {
      return new Tensor(e.values(), e.hasErrors() ? e.errors() : null, e.shape(), e.estimator());
    }
    if (o instanceof java.util.List<?> list) return fromList(list);
    if (o instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Value> fields = new java.util.LinkedHashMap<>();
      for (var e : map.entrySet()) {
        if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("a map becomes a record only with string keys, not " + describe(e.getKey()) + ".");
        Value x = fromJava(e.getValue());
        if (x == null) throw new IllegalArgumentException("the entry '" + k + "' is null.");
        fields.put(k, x);
      }
      return new Values.Record("record", fields);
    }
    throw new IllegalArgumentException(describe(o) + " is not a value nnft can hold; a binding takes numbers, arrays of numbers, "
        + "lists (of numbers: a vector; of lists of numbers: a matrix), maps with string keys, strings and booleans.");
  }

  private static Value fromList(java.util.List<?> list) {
    if (!list.isEmpty() && list.stream().allMatch(x -> x instanceof Number)) {
      double[] d = new double[list.size()];
      for (int i = 0; i < d.length; i++) d[i] = ((Number) list.get(i)).doubleValue();
      return Tensor.vector(d);
    }
    if (!list.isEmpty() && list.stream().allMatch(x -> x instanceof java.util.List<?> row && !row.isEmpty() && row.stream().allMatch(y -> y instanceof Number))) {
      double[][] m = new double[list.size()][];
      for (int i = 0; i < m.length; i++) {
        java.util.List<?> row = (java.util.List<?>) list.get(i);
        m[i] = new double[row.size()];
        for (int j = 0; j < m[i].length; j++) m[i][j] = ((Number) row.get(j)).doubleValue();
      }
      return fromJava(m);
    }
    List<Value> items = new java.util.ArrayList<>();
    for (Object x : list) {
      Value v = fromJava(x);
      if (v == null) throw new IllegalArgumentException("a list item is null.");
      items.add(v);
    }
    return new Values.ListV(items);
  }

  private static String describe(Object o) {
    return o == null ? "null" : "a " + o.getClass().getName();
  }

  /**
   * The failure text recorded by the session ("file:line: expect failed: message") as an exception
   * placed on its line of {@code src}.
   */
  public static NnftException expectFailure(Source src, String failure) {
    String prefix = src.name() + ":";
    String message = failure;
    int line = 0;
    if (failure.startsWith(prefix)) {
      String rest = failure.substring(prefix.length());
      int colon = rest.indexOf(':');
      if (colon > 0) {
        try {
          line = Integer.parseInt(rest.substring(0, colon));
          message = rest.substring(colon + 1).strip();
        } catch (NumberFormatException ignored) {
          // keep the whole text
        }
      }
    }
    String tag = "expect failed:";
    if (message.startsWith(tag)) message = message.substring(tag.length()).strip();
    if (line < 1) return new NnftException("expect failed", Span.NONE, message);
    String text = src.line(line);
    int col = 1;
    while (col <= text.length() && Character.isWhitespace(text.charAt(col - 1))) col++;
    Span span = new Span(src, line, col, Math.max(1, text.strip().length()));
    return new NnftException("expect failed", span, message);
  }
}
