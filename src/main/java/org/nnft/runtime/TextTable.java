package org.nnft.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.check.ArgType;
import org.nnft.report.Format;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * table(rows, header = [...]): rows of cells printed as aligned plain-text columns, numbers as
 * everywhere else (6 significant digits), vectors and lists inline, strings as they are. Numbers
 * are right-aligned, everything else left-aligned. Exports to CSV (one line per row, vectors as
 * their text) and to JSON (one object per row, keyed by the header).
 */
public final class TextTable implements Members, JsonValue {
  private final List<String> header;
  private final List<List<Value>> rows;
  private final List<List<String>> cells;
  private final boolean[] numeric;

  private TextTable(List<String> header, List<List<Value>> rows) {
    this.header = header;
    this.rows = rows;
    int nc = rows.get(0).size();
    cells = new ArrayList<>();
    numeric = new boolean[nc];
    java.util.Arrays.fill(numeric, true);
    for (List<Value> r : rows) {
      List<String> line = new ArrayList<>();
      for (int c = 0; c < nc; c++) {
        Value v = r.get(c);
        line.add(cell(v));
        if (!(v instanceof Tensor t && t.isScalar())) numeric[c] = false;
      }
      cells.add(line);
    }
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("table", "table(rows, header = [\"N\", \"f-vector\", \"species\"])").arg("rows", ArgType.ANY)
        .named("header", ArgType.ANY, "none: no header line")
        .returns(ArgType.RECORD)
        .does("rows of cells (a matrix, or a list of rows such as [[n, P.f_vector, P.species] for ...]) printed as aligned columns under the header; parts header, rows, count; exports to CSV and JSON")
        .impl(TextTable::make));
  }

  static Value make(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Span at = s.arg(0);
    List<List<Value>> rows = new ArrayList<>();
    Value src = a.get(0);
    if (src instanceof Tensor t && t.rank() == 2) {
      int r = t.shape[0], c = t.shape[1];
      for (int i = 0; i < r; i++) {
        List<Value> row = new ArrayList<>();
        for (int j = 0; j < c; j++) row.add(entry(t, i * c + j));
        rows.add(row);
      }
    } else if (src instanceof Values.ListV l) {
      for (int i = 0; i < l.items().size(); i++) rows.add(row(l.items().get(i), i, at));
    } else if (src instanceof Tensor t && t.rank() == 1 && t.size() == 0) {
      // an empty list: reported below
    } else {
      throw new NnftException(at, "table takes its rows as a matrix or a list of rows, such as [[n, P.f_vector, P.species] for n in widths], not " + src.kind() + ".");
    }
    if (rows.isEmpty()) throw new NnftException(at, "table needs at least one row; this list is empty.");
    int nc = rows.get(0).size();
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i).size() != nc) {
        throw new NnftException(at, "the rows of a table must all have the same number of cells: row " + i + " has " + rows.get(i).size() + ", row 0 has " + nc + ".");
      }
    }
    List<String> header = null;
    Value h = n.get("header");
    if (h != null) {
      Span hs = s.named("header");
      header = new ArrayList<>();
      if (h instanceof Values.ListV l) {
        for (Value v : l.items()) {
          if (!(v instanceof Values.Str str)) throw new NnftException(hs, "the header of a table is a list of strings, such as [\"N\", \"species\"]; this one holds " + v.kind() + ".");
          header.add(str.value());
        }
      } else if (h instanceof Values.Str str) {
        header.add(str.value());
      } else {
        throw new NnftException(hs, "the header of a table is a list of strings, such as [\"N\", \"species\"], not " + h.kind() + ".");
      }
      if (header.size() != nc) {
        throw new NnftException(hs, "the header names " + header.size() + (header.size() == 1 ? " column" : " columns") + " but the rows have " + nc + (nc == 1 ? " cell" : " cells") + ": give one name per column.");
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < nc; j++) {
        Value v = rows.get(i).get(j);
        String why = null;
        if (v instanceof Tensor t && t.rank() > 2) why = "a tensor of rank " + t.rank();
        else if (!(v instanceof Tensor || v instanceof Values.Str || v instanceof Values.Bool || v instanceof Values.ListV)) why = v.kind();
        else if (cell(v).contains("\n")) why = v.kind() + " that prints on several lines";
        if (why != null) {
          throw new NnftException(at, "a cell of a table is a number, a vector, a string or a boolean; row " + i + ", column " + (header == null ? Integer.toString(j) : "\"" + header.get(j) + "\"") + " holds " + why + " (give a number or a part of it instead, such as P.species of a polytope).");
        }
      }
    }
    return new TextTable(header, rows);
  }

  /** One row: a vector's entries, or a list's items. */
  private static List<Value> row(Value v, int i, Span at) {
    List<Value> out = new ArrayList<>();
    if (v instanceof Values.ListV l) out.addAll(l.items());
    else if (v instanceof Tensor t && t.rank() == 1) for (int k = 0; k < t.size(); k++) out.add(entry(t, k));
    else throw new NnftException(at, "row " + i + " of the table is " + v.kind() + ", not a row of cells: write each row as a list, such as [n, P.f_vector, P.species].");
    return out;
  }

  private static Tensor entry(Tensor t, int k) {
    return t.err == null || t.err[k] == 0 ? Tensor.scalar(t.data[k]) : new Tensor(new double[] {t.data[k]}, new double[] {t.err[k]}, new int[0], null);
  }

  /** The text of a cell: a matrix is written inline, row by row. */
  private static String cell(Value v) {
    if (v instanceof Tensor t && t.rank() == 2) {
      List<String> rs = new ArrayList<>();
      int c = t.shape[1];
      for (int i = 0; i < t.shape[0]; i++) {
        List<String> e = new ArrayList<>();
        for (int j = 0; j < c; j++) e.add(t.err == null ? Format.num(t.data[i * c + j]) : Format.measured(t.data[i * c + j], t.err[i * c + j]));
        rs.add("[" + String.join(", ", e) + "]");
      }
      return "[" + String.join(", ", rs) + "]";
    }
    return Printer.text(v);
  }

  @Override public String kind() { return "a table"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(ArgType.RECORD); }

  @Override public Value member(String name, Span span) {
    return switch (name) {
      case "header" -> {
        if (header == null) throw new NnftException(span, "this table has no header: give one with table(rows, header = [...]).");
        List<Value> h = new ArrayList<>();
        for (String x : header) h.add(new Values.Str(x));
        yield new Values.ListV(h);
      }
      case "rows" -> {
        List<Value> r = new ArrayList<>();
        for (List<Value> row : rows) r.add(new Values.ListV(List.copyOf(row)));
        yield new Values.ListV(r);
      }
      case "count" -> Tensor.scalar(rows.size());
      default -> throw new NnftException(span, "a table has header, rows and count, not '" + name + "'.");
    };
  }

  @Override public String toString() {
    int nc = numeric.length;
    int[] w = new int[nc];
    for (int c = 0; c < nc; c++) {
      if (header != null) w[c] = header.get(c).length();
      for (List<String> line : cells) w[c] = Math.max(w[c], line.get(c).length());
    }
    StringBuilder b = new StringBuilder();
    if (header != null) {
      line(b, header, w);
      List<String> rule = new ArrayList<>();
      for (int c = 0; c < nc; c++) rule.add("-".repeat(w[c]));
      b.append('\n');
      line(b, rule, w);
    }
    for (List<String> row : cells) {
      if (b.length() > 0) b.append('\n');
      line(b, row, w);
    }
    return b.toString();
  }

  private void line(StringBuilder b, List<String> row, int[] w) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < w.length; c++) {
      if (c > 0) l.append("  ");
      String x = row.get(c);
      String pad = " ".repeat(w[c] - x.length());
      l.append(numeric[c] ? pad + x : x + pad);
    }
    // no trailing blanks
    int end = l.length();
    while (end > 0 && l.charAt(end - 1) == ' ') end--;
    b.append(l, 0, end);
  }

  /** CSV: the header line (when there is one), then one line per row; numbers round-trip. */
  public String csv() {
    StringBuilder b = new StringBuilder();
    if (header != null) {
      List<String> h = new ArrayList<>();
      for (String x : header) h.add(quote(x));
      b.append(String.join(",", h)).append('\n');
    }
    for (List<Value> row : rows) {
      List<String> out = new ArrayList<>();
      for (Value v : row) {
        if (v instanceof Tensor t && t.isScalar() && t.err == null) {
          double x = t.value();
          out.add(x == Math.rint(x) && Math.abs(x) < 9.007199254740992E15 ? Long.toString((long) x) : org.nnft.report.Csv.number(x));
        } else out.add(quote(cell(v)));
      }
      b.append(String.join(",", out)).append('\n');
    }
    return b.toString();
  }

  private static String quote(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) return cell;
    return '"' + cell.replace("\"", "\"\"") + '"';
  }

  @Override public Object json() {
    List<Object> out = new ArrayList<>();
    for (List<Value> row : rows) {
      if (header == null) {
        List<Object> r = new ArrayList<>();
        for (Value v : row) r.add(Printer.json(v));
        out.add(r);
      } else {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < row.size(); c++) m.put(header.get(c), Printer.json(row.get(c)));
        out.add(m);
      }
    }
    return out;
  }
}
