package org.nnft.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nnft.report.Csv;
import org.nnft.report.Json;
import org.nnft.report.Plots;
import org.nnft.syntax.Ast.Export;
import org.nnft.syntax.Ast.Plot;
import org.nnft.syntax.NnftException;

/** plot ... to "file.png" and export ... to "file.csv" / "file.json". */
public final class Outputs {
  private Outputs() {}

  private static Path target(Interpreter in, Value to, org.nnft.syntax.Span s, String... exts) {
    if (!(to instanceof Values.Str str)) throw new NnftException(s, "the file name must be a string such as \"out" + exts[0] + "\".");
    String name = str.value();
    boolean okExt = false;
    for (String e : exts) okExt |= name.toLowerCase().endsWith(e);
    if (!okExt) throw new NnftException(s, "the file name must end in " + String.join(" or ", exts) + ".");
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
      try {
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Session.wroteFile(out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void plot(Interpreter in, Plot p, Value v, Value over, Value to) {
    Path out = target(in, to, p.target().span(), ".png");
    if (v instanceof Drawable d) {
      if (over != null) throw new NnftException(p.over().span(), "plot ... over takes values along an axis; " + v.kind() + " draws itself without one.");
      try {
        atomically(out, d::plot);
      } catch (IOException | RuntimeException e) {
        throw new NnftException(p.span(), "could not write the plot: " + e.getMessage());
      }
      in.session().wrote(out);
      return;
    }
    Tensor y = in.tensorArg(v, p.value().span(), "plot");
    if (y.isScalar()) throw new NnftException(p.value().span(), "plot needs a vector or a matrix of values, not a single number.");
    if (y.size() == 0) throw new NnftException(p.value().span(), "plot has nothing to draw: " + Arith.empty(y) + ".");
    int n = y.rank() == 1 ? y.size() : y.shape[1];
    double[] x;
    String xLabel = p.over() == null ? "index" : in.sourceText(p.over().span());
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
    List<Plots.Series> series = new ArrayList<>();
    String label = in.sourceText(p.value().span());
    if (y.rank() == 1) {
      series.add(new Plots.Series(label, x, y.data, y.err));
    } else {
      for (int r = 0; r < y.shape[0]; r++) {
        double[] row = java.util.Arrays.copyOfRange(y.data, r * n, (r + 1) * n);
        double[] err = y.err == null ? null : java.util.Arrays.copyOfRange(y.err, r * n, (r + 1) * n);
        series.add(new Plots.Series(label + "[" + r + "]", x, row, err));
      }
    }
    try {
      atomically(out, tmp -> Plots.line(tmp, label, xLabel, label, series));
    } catch (IOException | RuntimeException e) {
      throw new NnftException(p.span(), "could not write the plot: " + e.getMessage());
    }
    in.session().wrote(out);
  }

  static void export(Interpreter in, Export x, Value v, Value to) {
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
