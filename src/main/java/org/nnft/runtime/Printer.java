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

  public static String text(Value v) {
    if (v instanceof Tensor t) return tensor(t);
    if (v instanceof Str s) return s.value();
    if (v instanceof Bool b) return Boolean.toString(b.value());
    if (v instanceof ListV l) {
      List<String> parts = new ArrayList<>();
      for (Value x : l.items()) parts.add(text(x));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Values.Record r) {
      StringBuilder b = new StringBuilder(r.type()).append(" {");
      boolean first = true;
      for (var e : r.fields().entrySet()) {
        b.append(first ? " " : ", ").append(e.getKey()).append(": ").append(text(e.getValue()));
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

  public static String tensor(Tensor t) {
    String body;
    if (t.isScalar()) body = entry(t, 0);
    else if (t.rank() == 1) {
      List<String> p = new ArrayList<>();
      for (int i = 0; i < t.size(); i++) p.add(entry(t, i));
      body = "[" + String.join(", ", p) + "]";
    } else if (t.rank() == 2) {
      int r = t.shape[0], c = t.shape[1];
      String[][] cells = new String[r][c];
      int w = 0;
      for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) { cells[i][j] = entry(t, i * c + j); w = Math.max(w, cells[i][j].length()); }
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < r; i++) {
        if (i > 0) b.append(",\n ");
        b.append('[');
        for (int j = 0; j < c; j++) {
          if (j > 0) b.append(", ");
          b.append(" ".repeat(w - cells[i][j].length())).append(cells[i][j]);
        }
        b.append(']');
      }
      body = b.append(']').toString();
    } else {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (double x : t.data) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      body = "tensor of shape " + java.util.Arrays.toString(t.shape) + ", entries from " + Format.num(lo) + " to " + Format.num(hi) + " (index it with one number per dimension)";
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
