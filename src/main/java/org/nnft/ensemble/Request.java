package org.nnft.ensemble;

import java.util.Arrays;

/** One estimate asked of an ensemble: the full moment or the cumulant at some points. */
public record Request(boolean connected, double[][] points) {
  public String key() {
    StringBuilder b = new StringBuilder(connected ? "c" : "m");
    for (double[] p : points) b.append(Arrays.toString(p));
    return b.toString();
  }
}
