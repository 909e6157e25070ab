package org.nnft.check;

import org.nnft.report.Format;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Rules that both the checker (on constants, before anything runs) and the run (on values) apply,
 * with one sentence each, so the same mistake reads the same whenever it is found.
 */
public final class Rules {
  private Rules() {}

  /** A sample count is a whole number from 2 (an error needs two batches) to 1e13. */
  public static void sampleCount(double c, Span at) {
    if (c > 1e13) throw new NnftException(at, "at most 1e13 samples can be drawn, not " + Format.num(c) + ".");
    if (!(c >= 2) || c != Math.rint(c)) throw new NnftException(at, "the number of samples must be a whole number of at least 2 (to estimate an error), not " + Format.num(c) + ".");
  }

  /** A point (or a batch of points) of a net over R^d: its shape as the checker knows it. */
  public static void point(String net, int d, SType t, Span at) {
    if (t instanceof SType.Num && d > 1) throw new NnftException(at, pointsInRd(net, d, "a number"));
    if (!(t instanceof SType.Arr a) || !a.known()) return;
    int[] sh = a.shape();
    if (d == 1) {
      if (sh.length > 1) throw new NnftException(at, pointsInR1(net, Shapes.text(sh)));
    } else if (!(sh.length == 1 && sh[0] == d || sh.length == 2 && sh[1] == d)) {
      throw new NnftException(at, pointsInRd(net, d, Shapes.text(sh)));
    }
  }

  public static String pointsInR1(String net, String kind) {
    return "net " + net + " takes points in R^1: give a number or a vector of numbers, not " + kind + ".";
  }

  public static String pointsInRd(String net, int d, String kind) {
    return "net " + net + " takes points in R^" + d + ": give a vector of " + d + " numbers or a matrix with " + d + " columns, not " + kind + ".";
  }
}
