package org.nnft.api;

/**
 * A Monte Carlo estimate as seen from Java: its value, its standard error (0 for an exact number)
 * and a note saying which estimator produced it (may be null).
 */
public record Estimate(double value, double error, String note) {
  @Override public String toString() {
    String s = org.nnft.report.Format.measured(value, error);
    return note == null ? s : s + "  [" + note + "]";
  }
}
