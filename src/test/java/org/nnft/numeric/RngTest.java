package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

  private static final int N = 1_000_000;

  private static long[] longs(Rng r, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextLong();
    }
    return a;
  }

  private static void within4Sigma(String what, double observed, double expected, double se) {
    assertTrue(Math.abs(observed - expected) <= 4 * se,
        what + ": observed " + observed + ", expected " + expected + " +- 4*" + se);
  }

  @Test
  void sameSeedAndStreamGiveSameSequence() {
    assertArrayEquals(longs(Rng.forStream(42, 7), 1000), longs(Rng.forStream(42, 7), 1000));
    Rng a = Rng.forStream(-3, Long.MIN_VALUE);
    Rng b = Rng.forStream(-3, Long.MIN_VALUE);
    for (int i = 0; i < 1000; i++) {
      assertEquals(Double.doubleToRawLongBits(a.normal()), Double.doubleToRawLongBits(b.normal()));
      assertEquals(a.nextDouble(), b.nextDouble());
      assertEquals(a.nextInt(17), b.nextInt(17));
    }
  }

  @Test
  void differentStreamsAndSeedsDiffer() {
    long[] base = longs(Rng.forStream(42, 7), 100);
    assertFalse(Arrays.equals(base, longs(Rng.forStream(42, 8), 100)));
    assertFalse(Arrays.equals(base, longs(Rng.forStream(43, 7), 100)));
    assertFalse(Arrays.equals(base, longs(Rng.forStream(7, 42), 100)));
    // first outputs of many streams (and seeds) are pairwise distinct, including seed/stream 0
    Set<Long> seen = new HashSet<>();
    for (int s = 0; s < 100; s++) {
      for (int t = 0; t < 100; t++) {
        assertTrue(seen.add(Rng.forStream(s, t).nextLong()), "collision at " + s + "," + t);
      }
    }
    // neighbouring streams are uncorrelated: fraction of equal bits ~ 1/2
    Rng x = Rng.forStream(1, 0);
    Rng y = Rng.forStream(1, 1);
    long same = 0;
    int m = 100_000;
    for (int i = 0; i < m; i++) {
      same += 64 - Long.bitCount(x.nextLong() ^ y.nextLong());
    }
    within4Sigma("equal-bit fraction", same / (64.0 * m), 0.5, 0.5 / Math.sqrt(64.0 * m));
  }

  @Test
  void copyContinuesIdentically() {
    Rng a = Rng.forStream(5, 5);
    a.nextLong();
    Rng b = a.copy();
    assertArrayEquals(longs(a, 100), longs(b, 100));
  }

  @Test
  void zeroSeedIsFine() {
    Rng r = Rng.forStream(0, 0);
    long or = 0;
    for (int i = 0; i < 10; i++) {
      or |= r.nextLong();
    }
    assertTrue(or != 0);
  }

  @Test
  void uniformDoubles() {
    Rng r = Rng.forStream(11, 0);
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
      double u = r.nextDouble();
      assertTrue(u >= 0 && u < 1);
      s += u;
      s2 += u * u;
    }
    double mean = s / N;
    double var = s2 / N - mean * mean;
    within4Sigma("mean U", mean, 0.5, Math.sqrt(1.0 / 12 / N));
    within4Sigma("var U", var, 1.0 / 12, Math.sqrt((1.0 / 80 - 1.0 / 144) / N));
    for (int i = 0; i < N; i++) {
      double u = r.nextDoubleOpen();
      assertTrue(u > 0 && u < 1);
    }
  }

  @Test
  void nextIntIsUniformAndInRange() {
    Rng r = Rng.forStream(12, 0);
    int bound = 7;
    int[] counts = new int[bound];
    for (int i = 0; i < N; i++) {
      counts[r.nextInt(bound)]++;
    }
    double p = 1.0 / bound;
    for (int c : counts) {
      within4Sigma("nextInt bucket", (double) c / N, p, Math.sqrt(p * (1 - p) / N));
    }
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, r.nextInt(1));
      int v = r.nextInt(Integer.MAX_VALUE);
      assertTrue(v >= 0);
      int w = r.nextInt((1 << 30) + 1);
      assertTrue(w >= 0 && w <= (1 << 30));
    }
    // a bound just above 2^31/2 exercises the rejection branch heavily; mean check
    int big = (1 << 30) + (1 << 29);
    double s = 0;
    int m = 200_000;
    for (int i = 0; i < m; i++) {
      s += r.nextInt(big);
    }
    within4Sigma("nextInt(big) mean", s / m, (big - 1) / 2.0, big / Math.sqrt(12.0 * m));
    assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    assertThrows(IllegalArgumentException.class, () -> r.nextInt(-5));
  }

  @Test
  void zigguratBoundary() {
    assertEquals(3.6541528853610088, Rng.zigguratR(), 1e-13);
  }

  @Test
  void normalMoments() {
    Rng r = Rng.forStream(2024, 3);
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    long tail3 = 0, tailR = 0;
    for (int i = 0; i < N; i++) {
      double z = r.normal();
      double z2 = z * z;
      s1 += z;
      s2 += z2;
      s3 += z2 * z;
      s4 += z2 * z2;
      if (Math.abs(z) > 3) {
        tail3++;
      }
      if (Math.abs(z) > 3.6541528853610088) {
        tailR++;
      }
    }
    within4Sigma("E z", s1 / N, 0, Math.sqrt(1.0 / N));
    within4Sigma("E z^2", s2 / N, 1, Math.sqrt(2.0 / N));
    within4Sigma("E z^3", s3 / N, 0, Math.sqrt(15.0 / N));
    within4Sigma("E z^4", s4 / N, 3, Math.sqrt(96.0 / N));
    double p3 = 0.0026997960632601866; // P(|z| > 3)
    within4Sigma("P(|z|>3)", (double) tail3 / N, p3, Math.sqrt(p3 * (1 - p3) / N));
    double pR = VecMath.erfc(3.6541528853610088 / Math.sqrt(2)); // the ziggurat's tail region
    within4Sigma("P(|z|>R)", (double) tailR / N, pR, Math.sqrt(pR * (1 - pR) / N));
  }

  @Test
  void normalKolmogorovSmirnov() {
    Rng r = Rng.forStream(99, 1);
    double[] z = new double[N];
    for (int i = 0; i < N; i++) {
      z[i] = r.normal();
    }
    Arrays.sort(z);
    double d = 0;
    for (int i = 0; i < N; i++) {
      double cdf = 0.5 * VecMath.erfc(-z[i] / Math.sqrt(2));
      d = Math.max(d, Math.max(Math.abs(cdf - (double) i / N), Math.abs((double) (i + 1) / N - cdf)));
    }
    // 99.9% critical value of the KS statistic is 1.95 / sqrt(n)
    assertTrue(d < 1.95 / Math.sqrt(N), "KS D = " + d);
  }
}
