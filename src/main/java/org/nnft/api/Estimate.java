package org.nnft.api;

/**
 * A Monte Carlo estimate as seen from Java: its value, its standard error (0 for an exact number),
 * a note saying which estimator produced it (may be null), and the tail shape k of the summands
 * behind it (NaN when not measured; above 0.7 the error cannot be trusted, see {@link #reliable}).
 */
public record Estimate(double value, double error, String note, double tailK) {
  public Estimate(double value, double error, String note) { this(value, error, note, Double.NaN); }

  /** False when the summands' tail is too heavy for the error bar to mean anything. */
  public boolean reliable() { return !(tailK > org.nnft.ensemble.Runner.TAIL_LIMIT); }

  @Override public String toString() {
    String s = org.nnft.report.Format.measured(value, error);
    String n = note;
    if (!reliable()) n = (n == null ? "" : n + "; ") + "heavy tails, k = " + org.nnft.report.Format.num(tailK, 3) + ": the error bar cannot be trusted";
    return n == null ? s : s + "  [" + n + "]";
  }
}
