package org.nnft.ensemble;

import org.nnft.report.Format;

/**
 * A Monte Carlo estimate: its value, its standard error (0 for an exact number), a note saying
 * which estimator produced it (may be null), its leave-one-batch-out values {@code jack} (null when
 * there is a single batch or when it comes from outside the engine), so that functions of several
 * estimates of one ensemble get their errors with the correlations included, and the tail shape
 * {@code tailK} of the summands behind it (the larger Hill estimate; NaN when not measured): above
 * {@link Runner#TAIL_LIMIT} the error bar cannot be trusted, see {@link #reliable}.
 *
 * <p>The one estimate type: the engine produces it, and the Java API ({@code org.nnft.api.Nnft})
 * and the scripting engine hand it to embedders.
 */
public record Estimate(double value, double error, String note, double[] jack, double tailK) {
  public Estimate(double value, double error, String note) { this(value, error, note, null, Double.NaN); }

  public Estimate(double value, double error, String note, double tailK) { this(value, error, note, null, tailK); }

  /** False when the summands' tail is too heavy for the error bar to mean anything. */
  public boolean reliable() { return !(tailK > Runner.TAIL_LIMIT); }

  @Override public boolean equals(Object o) {
    return o instanceof Estimate e && Double.compare(value, e.value) == 0 && Double.compare(error, e.error) == 0
        && java.util.Objects.equals(note, e.note) && java.util.Arrays.equals(jack, e.jack) && Double.compare(tailK, e.tailK) == 0;
  }

  @Override public int hashCode() { return java.util.Objects.hash(value, error, note, java.util.Arrays.hashCode(jack), tailK); }

  /** As a script prints it: value ± error, then the note and, for heavy tails, the warning. */
  @Override public String toString() {
    String s = Format.measured(value, error);
    String n = note;
    if (!reliable()) n = (n == null ? "" : n + "; ") + "heavy tails, k = " + Format.num(tailK, 3) + ": the error bar cannot be trusted";
    return n == null ? s : s + "  [" + n + "]";
  }
}
