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
      double mean = 0;
      for (long seed = 1; seed <= 20; seed++) mean += Psis.khat(pareto(k, 40_000, seed), 40_000, 40_000) / 20;
      // the fit uses 600 tail draws: its error is about k / sqrt(600) per run, /sqrt(20) for the mean
      assertEquals(k, mean, 0.05 + 0.1 * k, "k = " + k);
    }
  }

  @Test void boundedWeightsHaveANegativeShape() {
    SplittableRandom r = new SplittableRandom(3);
    double[] w = new double[20_000];
    for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
    assertTrue(Psis.khat(w, w.length, w.length) < 0);
  }
}
