package org.nnft.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.report.Format;
import org.nnft.runtime.Values.*;

/** Text and JSON-ready forms of values, for people and programs. */
public final class Printer {
  private Printer() {}

  /**
   * Tensors (and lists) with more than this many entries print summarised, as NumPy does: the
   * first and last {@link #EDGE} entries (rows, columns) around "...", and the shape.
   */
  public static final int THRESHOLD = 1000;
  public static final int EDGE = 3;

  /** The text of a value for people: large tensors and lists summarised. */
  public static String text(Value v) { return text(v, false); }

  /**
   * The text of a value with every entry, however large (for {@code show full(x)}, and wherever
   * the text identifies a value, such as cache keys).
   */
  public static String full(Value v) { return text(v, true); }

  /**
   * A text that tells values apart, for cache keys and comparisons: the full text of small
   * values; a large tensor's shape and a SHA-256 digest of its entries (and errors), which costs
   * a pass over the numbers instead of printing each, and stops when the statement is cancelled.
   */
  public static String key(Value v) {
    if (v instanceof Tensor t && t.size() > THRESHOLD) {
      try {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * 4096);
        for (double[] a : new double[][] {t.data, t.err}) {
          if (a == null) continue;
          for (int i = 0; i < a.length; i++) {
            if (!buf.hasRemaining()) {
              Session.checkCurrent();
              md.update(buf.array(), 0, buf.position());
              buf.clear();
            }
            buf.putLong(Double.doubleToRawLongBits(a[i]));
          }
          md.update(buf.array(), 0, buf.position());
          buf.clear();
          md.update((byte) 0);
        }
        return "tensor" + java.util.Arrays.toString(t.shape) + "#" + java.util.HexFormat.of().formatHex(md.digest());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    if (v instanceof Str s) return org.nnft.report.Json.quote(s.value()); // quoted: ["a, b"] is not ["a", "b"]
    if (v instanceof ListV l) {
      StringBuilder b = new StringBuilder("[");
      for (Value x : l.items()) {
        Session.checkCurrent();
        b.append(key(x)).append(", ");
      }
      return b.append(']').toString();
    }
    return full(v);
  }

  private static String text(Value v, boolean full) {
    if (v instanceof Tensor t) return tensor(t, full);
    if (v instanceof Str s) return s.value();
    if (v instanceof Bool b) return Boolean.toString(b.value());
    if (v instanceof ListV l) {
      List<String> parts = new ArrayList<>();
      int n = l.items().size();
      boolean cut = !full && n > THRESHOLD;
      for (int i = 0; i < n; i++) {
        if (cut && i == EDGE) {
          parts.add("...");
          i = n - EDGE - 1;
          continue;
        }
        parts.add(text(l.items().get(i), full));
      }
      String body = "[" + String.join(", ", parts) + "]";
      return cut ? body + "  (a list of " + n + " items; show full(...) prints them all)" : body;
    }
    if (v instanceof Values.Record r) {
      StringBuilder b = new StringBuilder(r.type()).append(" {");
      boolean first = true;
      for (var e : r.fields().entrySet()) {
        b.append(first ? " " : ", ").append(e.getKey()).append(": ").append(text(e.getValue(), full));
        first = false;
      }
      return b.append(" }").toString();
    }
    return v.toString();
  }

  private static String entry(Tensor t, int i) {
    if (t.err == null) return Format.num(t.data[i]);
    return Format.measured(t.data[i], t.err[i]);
  }

  /** The indices shown along an axis of n: all of them, or the first and last EDGE with -1 for "...". */
  private static int[] shownIndices(int n, boolean cut) {
    if (!cut || n <= 2 * EDGE) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    int[] out = new int[2 * EDGE + 1];
    for (int i = 0; i < EDGE; i++) { out[i] = i; out[EDGE + 1 + i] = n - EDGE + i; }
    out[EDGE] = -1;
    return out;
  }

  public static String tensor(Tensor t) { return tensor(t, false); }

  private static String tensor(Tensor t, boolean full) {
    String body;
    boolean cut = !full && t.size() > THRESHOLD;
    if (t.isScalar()) body = entry(t, 0);
    else if (t.rank() == 1) {
      List<String> p = new ArrayList<>();
      for (int i : shownIndices(t.size(), cut)) p.add(i < 0 ? "..." : entry(t, i));
      body = "[" + String.join(", ", p) + "]";
    } else if (t.rank() == 2) {
      int c = t.shape[1];
      int[] rows = shownIndices(t.shape[0], cut), cols = shownIndices(c, cut);
      String[][] cells = new String[rows.length][cols.length];
      int w = 0;
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < cols.length; j++) {
          cells[i][j] = rows[i] < 0 || cols[j] < 0 ? "..." : entry(t, rows[i] * c + cols[j]);
          if (!cells[i][j].equals("...")) w = Math.max(w, cells[i][j].length());
        }
      }
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < rows.length; i++) {
        if (i > 0) b.append(",\n ");
        if (rows[i] < 0) { b.append("..."); continue; }
        b.append('[');
        for (int j = 0; j < cols.length; j++) {
          if (j > 0) b.append(", ");
          b.append(" ".repeat(Math.max(0, w - cells[i][j].length()))).append(cells[i][j]);
        }
        b.append(']');
      }
      body = b.append(']').toString();
    } else {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (double x : t.data) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      body = "tensor of shape " + java.util.Arrays.toString(t.shape) + ", entries from " + Format.num(lo) + " to " + Format.num(hi) + " (index it with one number per dimension)";
    }
    if (cut && t.rank() <= 2) {
      body += "  (" + (t.rank() == 1 ? "a vector of " + t.size() + " entries" : "a " + t.shape[0] + "x" + t.shape[1] + " matrix")
          + "; show full(...) prints every entry)";
    }
    String note = t.note;
    if (t.heavyTailed()) note = (note == null ? "" : note + "; ") + "heavy tails, k = " + Format.num(t.tail, 3) + ": the error bar cannot be trusted";
    if (note != null) body += "  [" + note + "]";
    return body;
  }

  /** A JSON-ready object (Map, List, Double, String, Boolean) for a value. */
  public static Object json(Value v) {
    if (v instanceof Tensor t) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (t.isScalar()) {
        m.put("value", t.value());
        if (t.err != null) m.put("error", t.error());
      } else {
        m.put("shape", t.shape);
        m.put("value", nested(t.data, t.shape, 0, 0));
        if (t.err != null) m.put("error", nested(t.err, t.shape, 0, 0));
      }
      if (t.note != null) m.put("estimator", t.note);
      if (!Double.isNaN(t.tail)) {
        m.put("tail_k", t.tail);
        m.put("reliable", !t.heavyTailed());
      }
      return m.size() == 1 && t.isScalar() ? t.value() : m;
    }
    if (v instanceof Str s) return s.value();
    if (v instanceof Bool b) return b.value();
    if (v instanceof ListV l) {
      List<Object> out = new ArrayList<>();
      for (Value x : l.items()) out.add(json(x));
      return out;
    }
    if (v instanceof JsonValue jv) return jv.json();
    if (v instanceof Values.Record r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", r.type());
      for (var e : r.fields().entrySet()) m.put(e.getKey(), json(e.getValue()));
      return m;
    }
    return text(v);
  }

  /** Row-major data as nested lists, one level per dimension. */
  private static Object nested(double[] d, int[] shape, int dim, int off) {
    if (dim == shape.length - 1) return java.util.Arrays.copyOfRange(d, off, off + shape[dim]);
    int stride = 1;
    for (int k = dim + 1; k < shape.length; k++) stride *= shape[k];
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < shape[dim]; i++) out.add(nested(d, shape, dim + 1, off + i * stride));
    return out;
  }


}
