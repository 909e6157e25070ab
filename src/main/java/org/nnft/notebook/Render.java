package org.nnft.notebook;

import java.util.Base64;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.nnft.report.Format;
import org.nnft.runtime.Latex;
import org.nnft.runtime.Printer;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;

/**
 * Values as Jupyter MIME bundles: text/plain always (the text nnft prints everywhere, estimates as
 * value ± error), text/latex for values with a LaTeX form (symbolic expressions, closed-form
 * kernels, actions), text/html for small matrices, image/png or image/svg+xml for plots. Run as the value's session
 * (Latex needs Symja's names).
 */
final class Render {
  private Render() {}

  /** Matrices up to this many entries get an HTML table besides their text. */
  static final int HTML_ENTRIES = 400;

  /** The bundle of a value; with a label (the source text of a show), "label = value". */
  static DisplayData value(String label, Value v) {
    DisplayData d = new DisplayData();
    String text = text(v);
    d.putText(label == null ? text : text.contains("\n") ? label + " =\n" + text : label + " = " + text);
    if (v instanceof Latex l) {
      String tex = null;
      try {
        tex = l.latex();
      } catch (RuntimeException e) {
        // no TeX form: the text stands alone
      }
      if (tex != null && !tex.isBlank()) d.putLatex("$\\displaystyle " + (label == null ? "" : code(label) + " = ") + tex + "$");
    }
    if (v instanceof Tensor t && t.rank() == 2 && t.size() > 0 && t.size() <= HTML_ENTRIES) d.putHTML(table(label, t));
    return d;
  }

  /** A PNG file's bundle. */
  static DisplayData png(byte[] bytes, String name) {
    DisplayData d = new DisplayData();
    d.putData("image/png", Base64.getEncoder().encodeToString(bytes));
    d.putText("<plot " + name + ">");
    return d;
  }

  static DisplayData svg(String xml, String name) {
    DisplayData d = new DisplayData();
    d.putData("image/svg+xml", xml);
    d.putText("<plot " + name + ">");
    return d;
  }

  static String text(Value v) {
    try {
      return Printer.text(v);
    } catch (RuntimeException e) {
      return v.kind();
    }
  }

  /** Source text set in typewriter type inside LaTeX math. */
  static String code(String s) {
    StringBuilder b = new StringBuilder("\\texttt{");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\backslash{}");
        case '{', '}', '_', '#', '%', '&', '$' -> b.append('\\').append(c);
        case '^' -> b.append("\\hat{}");
        case '~' -> b.append("\\sim{}");
        default -> b.append(c);
      }
    }
    return b.append('}').toString();
  }

  /** A matrix as an HTML table: entries as value ± error, the estimator's note below. */
  static String table(String label, Tensor t) {
    StringBuilder b = new StringBuilder("<table>");
    if (label != null) b.append("<caption style=\"text-align:left\"><code>").append(escape(label)).append("</code></caption>");
    int r = t.shape[0], c = t.shape[1];
    for (int i = 0; i < r; i++) {
      b.append("<tr>");
      for (int j = 0; j < c; j++) {
        int k = i * c + j;
        b.append("<td style=\"text-align:right\">").append(escape(t.err == null ? Format.num(t.data[k]) : Format.measured(t.data[k], t.err[k]))).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</table>");
    if (t.note != null) b.append("<div><small>[").append(escape(t.note)).append("]</small></div>");
    return b.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
