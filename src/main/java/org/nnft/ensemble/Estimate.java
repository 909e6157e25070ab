package org.nnft.ensemble;

/**
 * A number with its standard error and a note on how it was estimated; jack holds its
 * leave-one-batch-out values (null when there is a single batch), so that functions of several
 * estimates from the same ensemble get their errors with the correlations included; tail is the
 * largest Hill estimate of the tail shape k of the summands behind it (NaN when not measured):
 * above {@link Runner#TAIL_LIMIT} the error cannot be trusted.
 */
public record Estimate(double value, double error, String note, double[] jack, double tail) {
  public Estimate(double value, double error, String note) { this(value, error, note, null, Double.NaN); }

  /** Whether the summands' tail is too heavy for the error bar to mean anything. */
  public boolean heavyTailed() { return tail > Runner.TAIL_LIMIT; }

  @Override public boolean equals(Object o) {
    return o instanceof Estimate e && Double.compare(value, e.value) == 0 && Double.compare(error, e.error) == 0
        && java.util.Objects.equals(note, e.note) && java.util.Arrays.equals(jack, e.jack) && Double.compare(tail, e.tail) == 0;
  }

  @Override public int hashCode() { return java.util.Objects.hash(value, error, note, java.util.Arrays.hashCode(jack), tail); }

  @Override public String toString() { return "Estimate[value=" + value + ", error=" + error + ", note=" + note + (Double.isNaN(tail) ? "" : ", tail=" + tail) + "]"; }
}
