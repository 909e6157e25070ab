package org.nnft.runtime;

import java.util.Map;
import org.nnft.report.Format;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * The one size check for everything nnft allocates from numbers in a script: tensors and their
 * shapes, lists and comprehensions, linspace and range counts, net parameters and inputs. A request
 * is checked before anything is allocated, as a long with overflow caught, against {@link #limit()}
 * entries (8 bytes each), and refused with a sentence that gives the size and the limit.
 *
 * <p>The limit is 10^8 entries (800 MB of doubles) unless the system property
 * {@code nnft.maxEntries} gives another.
 */
public final class Sizes {
  private Sizes() {}

  /** The default limit: 10^8 entries, 800 MB of doubles. */
  public static final long DEFAULT_LIMIT = 100_000_000L;

  private static final long LIMIT = Math.max(1, Long.getLong("nnft.maxEntries", DEFAULT_LIMIT));

  /** The most entries one value (or one request) may have. */
  public static long limit() {
    Policy p = Session.currentPolicy();
    return p == null ? LIMIT : Math.max(1, Math.min(LIMIT, p.memoryBytes() / 8));
  }

  /** "the limit of L" or, when the session's memory budget is the tighter, what it is and who sets it. */
  public static String limitText() {
    long l = limit();
    if (l == LIMIT) return "the limit of " + LIMIT;
    Policy p = Session.currentPolicy();
    return l + " numbers, this session's memory budget of " + Policy.human(p.memoryBytes())
        + (p.commandLine() ? " (raise it with --memory)" : " (the application sets it: Policy.withMemoryBytes, or the context attribute nnft.memory)");
  }

  /**
   * A count of things (entries, points, rows) from a script's number: a whole number from 0 to the
   * limit. {@code what} names it for the message ("the number of points").
   */
  public static int count(double x, Span at, String what) {
    if (Double.isNaN(x)) throw fail(at, what + " must be a whole number, not nan.");
    if (x != Math.rint(x) || Double.isInfinite(x)) throw fail(at, what + " must be a whole number, not " + whole(x) + ".");
    if (x < 0) throw fail(at, what + " must be 0 or more, not " + whole(x) + ".");
    if (x > limit()) throw fail(at, what + " is " + whole(x) + ", more than " + limitText() + ".");
    return (int) x;
  }

  /**
   * The number of entries of a shape (dimensions of 0 or more), refused when it is over the limit:
   * "{@code what} would have N entries, more than the limit of L."
   */
  public static int entries(Span at, String what, long... dims) {
    long total = 1;
    boolean over = false;
    for (long d : dims) {
      if (d < 0) throw fail(at, what + " would have a dimension of " + d + "; sizes must be 0 or more.");
      if (d == 0) return 0;
    }
    for (long d : dims) {
      if (over || total > Long.MAX_VALUE / d) { over = true; continue; }
      total *= d;
    }
    if (over || total > limit()) {
      throw fail(at, what + " would have " + (over ? "more than " + Long.MAX_VALUE : String.valueOf(total))
          + " entries (" + shape(dims) + "), more than " + limitText() + ".");
    }
    return (int) total;
  }

  /** As {@link #entries(Span, String, long...)} for an int shape. */
  public static int entries(Span at, String what, int[] shape) {
    long[] d = new long[shape.length];
    for (int i = 0; i < d.length; i++) d[i] = shape[i];
    return entries(at, what, d);
  }

  /** Whether a + b entries are still within the limit (for values that grow, such as lists). */
  public static void total(Span at, String what, long n) {
    if (n > limit()) throw fail(at, what + " would have " + n + " entries, more than " + limitText() + ".");
  }

  /** A number as a script would write it: whole numbers below 10^15 in full, others as Format does. */
  public static String whole(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.valueOf((long) x);
    return Format.num(x);
  }

  /** The most entries of a symbolic vector or matrix: each is an expression of its own. */
  public static final long SYMBOLIC_LIMIT = 10_000;

  /** A symbolic vector or matrix (numbers and symbols mixed) of n entries, refused over SYMBOLIC_LIMIT. */
  public static void symbolic(Span at, long n) {
    if (n > SYMBOLIC_LIMIT) {
      throw fail(at, "a vector or matrix with symbols would have " + n + " entries, each an expression of its own; the limit is " + SYMBOLIC_LIMIT + ".");
    }
  }

  /** The most numbers a comprehension makes: they are computed one at a time, item by item. */
  public static long oneAtATime() { return Math.max(1, limit() / 10); }

  /**
   * A loop's or list's number of items, each a value of its own (about 100 bytes even for a number):
   * at most a tenth of the limit.
   */
  public static void items(Span at, String what, long n) {
    long most = oneAtATime();
    if (n > most) throw fail(at, what + " over " + n + " items would make more than the limit of " + most + " values one at a time; build it with range, linspace, zeros or arithmetic on whole vectors instead.");
  }

  /** The numbers a comprehension has made so far (or will make), refused over {@link #oneAtATime()}. */
  public static void comprehension(Span at, long n) {
    long most = oneAtATime();
    if (n > most) throw fail(at, "this comprehension would make " + n + " numbers, more than the limit of " + most + " for values built one item at a time; build large values with range, linspace, zeros or arithmetic on whole vectors instead.");
  }

  /**
   * The error for a request over the limit: placed at {@code at}, or, without a place (deep in
   * tensor arithmetic), a {@link TensorOps.ShapeError} that the interpreter places on the expression.
   */
  static RuntimeException fail(Span at, String sentence) {
    if (at == null || at == Span.NONE) return new TensorOps.ShapeError(sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence);
    return new NnftException(at, sentence);
  }

  /**
   * The numbers an estimate of n entries holds: its values, errors and independent parts, and per
   * random source one replica per batch for each entry. Refused over the limit.
   */
  static void estimate(long n, Tensor... parts) {
    long per = 3;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Tensor t : parts) {
      for (Map.Entry<String, double[][]> r : t.reps.entrySet()) {
        if (!seen.add(r.getKey())) continue;
        int nb = 0;
        for (double[] row : r.getValue()) if (row != null) { nb = row.length; break; }
        per += nb + 2;
      }
    }
    if (n > 0 && per > limit() / n) {
      throw fail(null, "this estimate would hold " + n + " entries with " + (per - 3) + " replicas or so each, more than " + limitText() + ".");
    }
  }

  private static String shape(long[] dims) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < dims.length; i++) b.append(i > 0 ? " x " : "").append(dims[i]);
    return b.toString();
  }
}
