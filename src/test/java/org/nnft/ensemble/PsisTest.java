package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Pareto k of importance weights on draws whose tail shape is known. */
class PsisTest {
  /** Pareto draws with tail shape k: x = u^(-k). */
  static double[] pareto(double k, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = Math.pow(1 - r.nextDouble(), -k);
    return x;
  }

  @Test void recoversTheTailShapeOfParetoWeights() {
    for (double k : new double[] {0.3, 0.6, 0.9, 1.5}) {
      int runs = 20;
      double s = 0, ss = 0;
      for (long seed = 1; seed <= runs; seed++) {
        double v = Psis.khat(pareto(k, 40_000, seed), 40_000, 40_000);
        s += v;
        ss += v * v;
      }
      // within 4 standard errors of the mean over the runs, measured from the runs themselves
      double mean = s / runs, sem = Math.sqrt((ss / runs - mean * mean) / (runs - 1));
      assertEquals(k, mean, 4 * sem, "k = " + k + ", standard error " + sem);
    }
  }

  @Test void boundedWeightsHaveANegativeShape() {
    SplittableRandom r = new SplittableRandom(3);
    double[] w = new double[20_000];
    for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
    assertTrue(Psis.khat(w, w.length, w.length) < 0);
  }
}
