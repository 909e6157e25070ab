package org.nnft.gauge;

import java.util.Locale;

/**
 * Wall time of {@link OrbitDim#of} on a few ReLU nets, up to the 2,000-parameter one whose rank goes
 * through the sketch (the tests assert the counts only; timing lives here).
 *
 * <pre>
 * bash bench/orbit_dim.sh [rounds]
 * </pre>
 */
public final class OrbitDimBench {
  private OrbitDimBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[][] nets = {{3, 5, 2}, {4, 8, 8, 8, 2}, {10, 20, 20, 1}, {10, 40, 40, 1}};
    System.out.printf(Locale.ROOT, "%-18s %11s %6s %10s %10s%n", "relu net", "parameters", "orbit", "best s", "median s");
    for (int[] w : nets) {
      double[] secs = new double[rounds];
      OrbitDim.Result r = null;
      for (int k = 0; k < rounds; k++) {
        long t0 = System.nanoTime();
        r = OrbitDim.of(FeedForward.random(w, "relu", true, 1), 42);
        secs[k] = (System.nanoTime() - t0) / 1e9;
      }
      java.util.Arrays.sort(secs);
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < w.length; i++) name.append(i == 0 ? "" : "->").append(w[i]);
      System.out.printf(Locale.ROOT, "%-18s %11d %6d %10.2f %10.2f%n", name, r.parameters(), r.orbitDim(), secs[0], secs[rounds / 2]);
    }
  }
}
