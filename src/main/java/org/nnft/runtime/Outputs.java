package org.nnft.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.check.PlotOptions;
import org.nnft.report.Csv;
import org.nnft.report.Format;
import org.nnft.report.Json;
import org.nnft.report.Plots;
import org.nnft.syntax.Ast.Binding;
import org.nnft.syntax.Ast.Comprehension;
import org.nnft.syntax.Ast.Export;
import org.nnft.syntax.Ast.Expr;
import org.nnft.syntax.Ast.ListLit;
import org.nnft.syntax.Ast.Name;
import org.nnft.syntax.Ast.Plot;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** plot ... to "file.png" / ".svg" / ".pdf" and export ... to "file.csv" / "file.json". */
public final class Outputs {
  private Outputs() {}

  private static Path target(Interpreter in, Value to, org.nnft.syntax.Span s, String... exts) {
    if (!(to instanceof Values.Str str)) throw new NnftException(s, "the file name must be a string such as \"out" + exts[0] + "\".");
    String name = str.value();
    boolean okExt = false;
    for (String e : exts) okExt |= name.toLowerCase().endsWith(e);
    if (!okExt) {
      String list = exts.length == 1 ? exts[0] : String.join(", ", java.util.Arrays.asList(exts).subList(0, exts.length - 1)) + " or " + exts[exts.length - 1];
      throw new NnftException(s, "the file name must end in " + list + ".");
    }
    Path p;
    try {
      p = in.session().options().baseDir.resolve(name);
    } catch (java.nio.file.InvalidPathException e) {
      throw new NnftException(s, "\"" + name + "\" is not a file name this system accepts: " + e.getReason() + ".");
    }
    Path dir = p.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Path written = Path.of(name).getParent();
      throw new NnftException(s, "the folder " + (written == null ? dir : written) + " does not exist.");
    }
    Policy policy = in.session().policy();
    if (!policy.mayWrite(p)) {
      String why = Files.isDirectory(p) ? p + " is a folder" : Files.isSymbolicLink(p) ? p + " is a symbolic link" : policy.whereWritable();
      throw new NnftException(s, "cannot write " + name + ": " + why + "; " + policy.howToGrant() + ".");
    }
    return p;
  }

  interface Writer {
    void write(Path to) throws IOException;
  }

  /**
   * Writes through a temporary file in the same folder, renamed over the target only when it is
   * complete: an interrupted or failed run never leaves a truncated file, and an earlier output of
   * the same name stays as it was until the new one is whole.
   */
  static void atomically(Path out, Writer w) throws IOException {
    Path abs = out.toAbsolutePath();
    String name = abs.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot);
    Path tmp = Files.createTempFile(abs.getParent(), "." + name + ".", ".part" + ext);
    try {
      w.write(tmp);
      readable(tmp, abs);
      try {
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The extensions plot writes, in the order messages name them. */
  static final String[] PLOT_FORMATS = {".png", ".svg", ".pdf"};

  /**
   * A temporary file is created readable by its owner only; the file it becomes keeps the
   * permissions of the file it replaces, or gets rw-r--r-- as a new file would under the usual umask.
   */
  private static void readable(Path tmp, Path target) {
    try {
      if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) return;
      var perms = Files.exists(target) ? Files.getPosixFilePermissions(target) : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
      Files.setPosixFilePermissions(tmp, perms);
    } catch (IOException | UnsupportedOperationException e) {
      // the owner can read it: good enough
    }
  }

  /**
   * plot V (over X)? to "f.png" | "f.svg" | "f.pdf" (with options)?: draws a vector (one series) or a
   * matrix (a series per row), estimates with their errors, or a value that draws itself, and prints
   * the file it wrote.
   */
  static void plot(Interpreter in, Plot p, Value v, Value over, Value to, List<Value> optionValues) {
    Path out = target(in, to, p.target().span(), PLOT_FORMATS);
    Plots.FileFormat format = Plots.FileFormat.of(out.getFileName().toString());
    Map<String, Value> opts = new LinkedHashMap<>();
    Map<String, Span> at = new LinkedHashMap<>();
    for (int i = 0; i < p.options().size(); i++) {
      Binding b = p.options().get(i);
      if (!PlotOptions.NAMES.contains(b.name())) throw new NnftException(b.span(), PlotOptions.unknown(b.name()));
      if (opts.put(b.name(), optionValues.get(i)) != null) throw new NnftException(b.span(), PlotOptions.twice(b.name()) + ".");
      at.put(b.name(), b.value().span());
    }
    String title = string(opts, at, "title");
    double[] size = size(opts, at);
    int dpi = dpi(opts, at);
    if (format == Plots.FileFormat.PNG) {
      double[] wh = size != null ? size : v instanceof Drawable d ? d.size() : new double[] {Plots.Figure.DEFAULT.width(), Plots.Figure.DEFAULT.height()};
      String big = PlotOptions.tooManyPixels(wh[0], wh[1], dpi);
      if (big != null) throw new NnftException(at.containsKey("dpi") ? at.get("dpi") : at.get("size"), big + ".");
    }
    if (v instanceof Drawable d) {
      if (over != null) throw new NnftException(p.over().span(), "plot ... over takes values along an axis; " + v.kind() + " draws itself without one.");
      for (String name : opts.keySet()) {
        if (!PlotOptions.FOR_DRAWINGS.contains(name)) throw new NnftException(at.get(name), PlotOptions.notForDrawing(name, v.kind()) + ".");
      }
      double[] wh = size != null ? size : d.size();
      try {
        atomically(out, tmp -> Plots.write(tmp, format, wh[0], wh[1], dpi, title, null, (g, w, h) -> d.draw(g, w, h, title)));
      } catch (IOException | RuntimeException e) {
        throw new NnftException(p.span(), "could not write the plot: " + e.getMessage());
      }
      in.session().wrote("plot", out, shown(in, to), v.kind(), p.span());
      return;
    }
    Tensor y = in.tensorArg(v, p.value().span(), "plot");
    if (y.isScalar()) throw new NnftException(p.value().span(), "plot needs a vector or a matrix of values, not a single number.");
    if (y.size() == 0) throw new NnftException(p.value().span(), "plot has nothing to draw: " + Arith.empty(y) + ".");
    if (y.rank() > 2) throw new NnftException(p.value().span(), "plot draws a vector, or a matrix with a series in each row, not " + y.kind() + ".");
    int rows = y.rank() == 1 ? 1 : y.shape[0];
    int n = y.rank() == 1 ? y.size() : y.shape[1];
    double[] x;
    if (over == null) {
      x = new double[n];
      for (int i = 0; i < n; i++) x[i] = i;
    } else {
      Tensor xt = in.tensorArg(over, p.over().span(), "plot ... over");
      if (xt.rank() != 1 || xt.size() != n) {
        throw new NnftException(p.over().span(), "plot over needs a vector of " + n + " numbers to match the values, not " + xt.kind() + ".");
      }
      x = xt.data;
    }
    List<String> labels = labels(opts, at, rows);
    String log = word(opts, at, "log");
    String errors = word(opts, at, "errors");
    boolean logX = log != null && log.contains("x"), logY = log != null && log.contains("y");
    if (logX) {
      for (int i = 0; i < n; i++) {
        if (x[i] <= 0) {
          if (over == null) throw new NnftException(at.get("log"), "log = \"" + log + "\" needs positive x values, but without over they are the indices 0, 1, 2, ...; give them with plot ... over.");
          throw new NnftException(p.over().span(), "log = \"" + log + "\" needs positive x values, but entry " + i + " of " + in.sourceText(p.over().span()) + " is " + Format.num(x[i]) + ".");
        }
      }
    }
    if (logY) {
      for (int i = 0; i < y.data.length; i++) {
        if (y.data[i] <= 0) {
          String entry = y.rank() == 1 ? String.valueOf(i) : "[" + (i / n) + ", " + (i % n) + "]";
          throw new NnftException(p.value().span(), "log = \"" + log + "\" needs positive values, but entry " + entry + " of " + in.sourceText(p.value().span())
              + " is " + Format.num(y.data[i]) + "; plot abs(...) or leave out log.");
        }
      }
    }
    List<String> names = labels != null ? labels : defaultLabels(in, p, rows);
    List<Plots.Series> series = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      double[] row = java.util.Arrays.copyOfRange(y.data, r * n, (r + 1) * n);
      double[] err = y.err == null ? null : java.util.Arrays.copyOfRange(y.err, r * n, (r + 1) * n);
      series.add(new Plots.Series(names.get(r), x, row, err));
    }
    String xLabel = opts.containsKey("xlabel") ? string(opts, at, "xlabel") : p.over() == null ? "index" : shorten(in.sourceText(p.over().span()));
    String yLabel = opts.containsKey("ylabel") ? string(opts, at, "ylabel") : defaultYLabel(in, p);
    Plots.Errors how = errors == null ? Plots.Errors.AUTO : errors.equals("band") ? Plots.Errors.BAND : Plots.Errors.BARS;
    double[] wh = size != null ? size : new double[] {Plots.Figure.DEFAULT.width(), Plots.Figure.DEFAULT.height()};
    Plots.Figure fig = new Plots.Figure(title, xLabel, yLabel, logX, logY, wh[0], wh[1], dpi, how, labels != null);
    try {
      atomically(out, tmp -> Plots.line(tmp, format, fig, series));
    } catch (IOException | RuntimeException e) {
      throw new NnftException(p.span(), "could not write the plot: " + e.getMessage());
    }
    in.session().wrote("plot", out, shown(in, to), rows == 1 ? Arith.count(n, "point") : rows + " series of " + Arith.count(n, "point"), p.span());
  }

  /** The file as the run prints it: relative to the working folder as the script wrote it, or absolute. */
  static String shown(Interpreter in, Value to) {
    String name = ((Values.Str) to).value();
    Path p = in.session().options().baseDir.resolve(name).normalize();
    return p.toString().isEmpty() ? name : p.toString();
  }

  private static String string(Map<String, Value> opts, Map<String, Span> at, String name) {
    Value v = opts.get(name);
    if (v == null) return null;
    if (!(v instanceof Values.Str s)) throw new NnftException(at.get(name), PlotOptions.wrongKind(name, v.kind()) + ".");
    return s.value();
  }

  private static String word(Map<String, Value> opts, Map<String, Span> at, String name) {
    String w = string(opts, at, name);
    if (w == null) return null;
    String bad = PlotOptions.badWord(name, w);
    if (bad != null) throw new NnftException(at.get(name), bad + ".");
    return w;
  }

  private static double[] size(Map<String, Value> opts, Map<String, Span> at) {
    Value v = opts.get("size");
    if (v == null) return null;
    if (!(v instanceof Tensor t) || t.rank() != 1 || t.size() != 2) throw new NnftException(at.get("size"), PlotOptions.wrongKind("size", v.kind()) + ".");
    String bad = PlotOptions.badSize(t.data[0], t.data[1]);
    if (bad != null) throw new NnftException(at.get("size"), bad + ".");
    return new double[] {t.data[0], t.data[1]};
  }

  private static int dpi(Map<String, Value> opts, Map<String, Span> at) {
    Value v = opts.get("dpi");
    if (v == null) return Plots.Figure.DEFAULT.dpi();
    if (!(v instanceof Tensor t) || !t.isScalar()) throw new NnftException(at.get("dpi"), PlotOptions.wrongKind("dpi", v.kind()) + ".");
    String bad = PlotOptions.badDpi(t.value());
    if (bad != null) throw new NnftException(at.get("dpi"), bad + ".");
    return (int) t.value();
  }

  private static List<String> labels(Map<String, Value> opts, Map<String, Span> at, int rows) {
    Value v = opts.get("labels");
    if (v == null) return null;
    List<String> out = new ArrayList<>();
    if (v instanceof Values.ListV l) {
      for (Value item : l.items()) {
        if (!(item instanceof Values.Str s)) throw new NnftException(at.get("labels"), PlotOptions.wrongKind("labels", "a list with " + item.kind() + " in it") + ".");
        out.add(s.value());
      }
    } else {
      throw new NnftException(at.get("labels"), PlotOptions.wrongKind("labels", v.kind()) + ".");
    }
    if (out.size() != rows) throw new NnftException(at.get("labels"), PlotOptions.labelCount(out.size(), rows) + ".");
    return out;
  }

  /**
   * Series names when the script gives none: the items of a list [A, B] as written, "n = 10" for
   * the rows of [... for n in Ns] (over a list or a name), else Y[0], Y[1], ...
   */
  private static List<String> defaultLabels(Interpreter in, Plot p, int rows) {
    List<String> out = new ArrayList<>();
    String text = in.sourceText(p.value().span());
    if (rows == 1) return List.of(shorten(text));
    if (p.value() instanceof ListLit l && l.items().size() == rows) {
      for (Expr item : l.items()) out.add(shorten(in.sourceText(item.span())));
      return out;
    }
    if (p.value() instanceof Comprehension c && c.filter() == null && (c.source() instanceof Name || c.source() instanceof ListLit)) {
      try {
        Value src = in.eval(c.source(), in.globals());
        if (src instanceof Tensor t && t.rank() == 1 && t.size() == rows) {
          for (double d : t.data) out.add(c.var() + " = " + Format.num(d));
          return out;
        }
      } catch (NnftException e) {
        // the names below
      }
    }
    String base = text.matches("[\\p{L}_][\\p{L}\\p{N}_.]*") ? text : "row ";
    for (int r = 0; r < rows; r++) out.add(base.equals("row ") ? "row " + r : base + "[" + r + "]");
    return out;
  }

  /** The y label when the script gives none: the plotted expression, or the body of a comprehension; none for a list. */
  private static String defaultYLabel(Interpreter in, Plot p) {
    if (p.value() instanceof ListLit) return null;
    if (p.value() instanceof Comprehension c) return shorten(in.sourceText(c.body().span()));
    return shorten(in.sourceText(p.value().span()));
  }

  /** Source text short enough for an axis or a legend. */
  private static String shorten(String s) {
    String t = s.replaceAll("\\s+", " ").trim();
    return t.length() <= 28 ? t : t.substring(0, 27) + "\u2026";
  }

  static void export(Interpreter in, Export x, Value v, Value to) {
    write(in, x, v, to);
    in.session().wrote("export", null, shown(in, to), null, x.span());
  }

  private static void write(Interpreter in, Export x, Value v, Value to) {
    if (v instanceof Drawable d) {
      List<String> exts = new ArrayList<>(d.exportFormats());
      exts.add(".json");
      Path out = target(in, to, x.target().span(), exts.toArray(new String[0]));
      String name = out.getFileName().toString().toLowerCase();
      try {
        if (name.endsWith(".json")) atomically(out, tmp -> Files.writeString(tmp, Json.pretty(Printer.json(v)) + "\n"));
        else atomically(out, tmp -> d.export(tmp, name.substring(name.lastIndexOf('.'))));
      } catch (IOException e) {
        throw new NnftException(x.span(), "could not write " + out + ": " + e.getMessage());
      }
      return;
    }
    Path out = target(in, to, x.target().span(), ".csv", ".json");
    try {
      if (out.toString().toLowerCase().endsWith(".json")) {
        atomically(out, tmp -> Files.writeString(tmp, Json.pretty(Printer.json(v)) + "\n"));
        return;
      }
      if (v instanceof TextTable tt) {
        atomically(out, tmp -> Files.writeString(tmp, tt.csv()));
        return;
      }
      if (v instanceof Table tb) {
        atomically(out, tmp -> Csv.write(tmp, tb.header(), tb.columns(), tb.wholeColumns()));
        return;
      }
      Tensor t = in.tensorArg(v, x.value().span(), "export to CSV");
      if (t.size() == 0) throw new NnftException(x.value().span(), "there is nothing to write to CSV: " + Arith.empty(t) + " (JSON keeps the shape of an empty value).");
      if (t.rank() <= 1) {
        List<String> header = new ArrayList<>(List.of("value"));
        List<double[]> cols = new ArrayList<>();
        cols.add(t.data);
        if (t.err != null) { header.add("error"); cols.add(t.err); }
        atomically(out, tmp -> Csv.write(tmp, header, cols));
      } else if (t.rank() == 2) {
        int r = t.shape[0], c = t.shape[1];
        double[][] vals = new double[r][c];
        double[][] errs = t.err == null ? null : new double[r][c];
        for (int i = 0; i < r; i++) {
          System.arraycopy(t.data, i * c, vals[i], 0, c);
          if (errs != null) System.arraycopy(t.err, i * c, errs[i], 0, c);
        }
        atomically(out, tmp -> Csv.writeMatrix(tmp, vals, errs));
      } else {
        throw new NnftException(x.value().span(), "CSV export takes a number, a vector or a matrix.");
      }
    } catch (IOException e) {
      throw new NnftException(x.span(), "could not write " + out + ": " + e.getMessage());
    }
  }
}
