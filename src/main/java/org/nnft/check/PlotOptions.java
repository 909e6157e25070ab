package org.nnft.check;

import java.util.List;

/**
 * The options of {@code plot ... to "f.png" with name = value, ...}: their names, what each takes,
 * and the sentences for a wrong one, shared by the checker (which refuses what it can see before the
 * run: a literal of the wrong kind, an unknown name) and the run (which refuses the rest), so that a
 * mistake reads the same either way. Sentences end without a full stop, as in {@link Errors}.
 */
public final class PlotOptions {
  private PlotOptions() {}

  /** Every option, in the order the docs list them. */
  public static final List<String> NAMES = List.of("title", "xlabel", "ylabel", "labels", "log", "size", "dpi", "errors");

  /** The options a value that draws itself (a polytope, a level set) takes. */
  public static final List<String> FOR_DRAWINGS = List.of("title", "size", "dpi");

  /** The values of log. */
  public static final List<String> LOG = List.of("x", "y", "xy");

  /** The values of errors. */
  public static final List<String> ERRORS = List.of("band", "bars");

  /** The smallest and largest side of a figure, in inches. */
  public static final double MIN_INCHES = 1, MAX_INCHES = 20;

  /** The smallest and largest resolution of a PNG, in pixels per inch. */
  public static final int MIN_DPI = 50, MAX_DPI = 1200;

  /** Whether the option takes a string (title, xlabel, ylabel, log, errors). */
  public static boolean takesString(String option) {
    return switch (option) {
      case "title", "xlabel", "ylabel", "log", "errors" -> true;
      default -> false;
    };
  }

  /** What an option takes, for a sentence. */
  public static String wants(String option) {
    return switch (option) {
      case "title" -> "a string such as \"Two-point function\"";
      case "xlabel" -> "a string such as \"t\"";
      case "ylabel" -> "a string such as \"G(t)\"";
      case "labels" -> "a list of strings, one for each series, such as [\"N = 10\", \"N = 100\"]";
      case "log" -> "\"x\", \"y\" or \"xy\"";
      case "size" -> "[width, height] in inches, such as [3.4, 2.6]";
      case "dpi" -> "a whole number of pixels per inch, such as 300";
      case "errors" -> "\"band\" or \"bars\"";
      default -> "nothing";
    };
  }

  /** An option plot does not have, with the nearest one when it is close. */
  public static String unknown(String name) {
    String near = null;
    int best = Integer.MAX_VALUE;
    for (String k : NAMES) {
      int d = Errors.distance(k, name.toLowerCase(java.util.Locale.ROOT));
      if (d < best) { best = d; near = k; }
    }
    if (best <= 2) return "'" + name + "' is not an option of plot; did you mean '" + near + "'?";
    return "'" + name + "' is not an option of plot; plot takes " + String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " and " + NAMES.get(NAMES.size() - 1) + ".";
  }

  /** An option given twice. */
  public static String twice(String name) { return "the option " + name + " is given twice"; }

  /** An option's value of the wrong kind. */
  public static String wrongKind(String option, String found) { return option + " takes " + wants(option) + ", not " + found; }

  /** A value of log or errors that is not one of its words; null when it is one. */
  public static String badWord(String option, String value) {
    List<String> ok = option.equals("log") ? LOG : ERRORS;
    return ok.contains(value) ? null : wrongKind(option, "\"" + value + "\"");
  }

  /** A size out of range; null when it is fine. */
  public static String badSize(double w, double h) {
    for (double v : new double[] {w, h}) {
      if (!(v >= MIN_INCHES && v <= MAX_INCHES)) {
        return "size is [width, height] in inches, each from " + fmt(MIN_INCHES) + " to " + fmt(MAX_INCHES) + ", such as [3.4, 2.6]; "
            + fmt(v) + " is " + (v < MIN_INCHES ? "too small" : Double.isNaN(v) ? "not a number" : "too large");
      }
    }
    return null;
  }

  /** A resolution out of range or not whole; null when it is fine. */
  public static String badDpi(double d) {
    if (d != Math.rint(d) || d < MIN_DPI || d > MAX_DPI) {
      return "dpi takes a whole number of pixels per inch from " + MIN_DPI + " to " + MAX_DPI + ", such as 300, not " + fmt(d);
    }
    return null;
  }

  /** The most pixels a PNG may have: 40 million, 160 MB of image while it is drawn. */
  public static final double MAX_PIXELS = 40e6;

  /** A PNG too large to draw; null when it is fine. */
  public static String tooManyPixels(double w, double h, int dpi) {
    double px = Math.round(w * dpi) * (double) Math.round(h * dpi);
    if (px <= MAX_PIXELS) return null;
    return "a PNG of " + Math.round(w * dpi) + " x " + Math.round(h * dpi) + " pixels is more than the " + (long) (MAX_PIXELS / 1e6)
        + " million pixels plot draws; ask for a smaller size or dpi, or write .svg or .pdf";
  }

  /** labels of the wrong length. */
  public static String labelCount(int given, int series) {
    return "labels has " + given + (given == 1 ? " name" : " names") + " but the plot has " + series + " series" + (series == 1 ? "" : " (one for each row)");
  }

  /** An option that does not apply to a value that draws itself. */
  public static String notForDrawing(String option, String kind) {
    return option + " does not apply to " + kind + ", which draws itself; it takes " + String.join(", ", FOR_DRAWINGS.subList(0, FOR_DRAWINGS.size() - 1)) + " and " + FOR_DRAWINGS.get(FOR_DRAWINGS.size() - 1);
  }

  /** Options written before the file name, where they cannot be told from the values. */
  public static String optionsLast() {
    return "plot's options come last, after the file name, as in plot Y over X to \"f.png\" with title = \"...\"";
  }

  private static String fmt(double v) { return org.nnft.report.Format.num(v); }
}
