package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplersTest {

  private static final int N = 1_000_000;
  private static final int OFF = 3;

  private static void within4Sigma(String what, double observed, double expected, double se) {
    assertTrue(Math.abs(observed - expected) <= 4 * se,
        what + ": observed " + observed + ", expected " + expected + " +- 4*" + se);
  }

  /** Buffer with NaN guards around [OFF, OFF + n). */
  private static double[] buffer(int n) {
    double[] a = new double[n + OFF + 5];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static void guardsIntact(double[] a, int n) {
    for (int i = 0; i < OFF; i++) {
      assertTrue(Double.isNaN(a[i]), "wrote before the range");
    }
    for (int i = OFF + n; i < a.length; i++) {
      assertTrue(Double.isNaN(a[i]), "wrote after the range");
    }
  }

  /** Sample mean and (population) variance of a[OFF .. OFF+n). */
  private static double[] meanVar(double[] a, int n) {
    double s = 0;
    for (int i = OFF; i < OFF + n; i++) {
      s += a[i];
    }
    double m = s / n;
    double v = 0;
    for (int i = OFF; i < OFF + n; i++) {
      double d = a[i] - m;
      v += d * d;
    }
    return new double[] {m, v / n};
  }

  /** Checks mean and variance against exact values given the 4th central moment mu4. */
  private static void checkMoments(String name, double[] a, int n, double mean, double var, double mu4) {
    double[] mv = meanVar(a, n);
    within4Sigma(name + " mean", mv[0], mean, Math.sqrt(var / n));
    within4Sigma(name + " variance", mv[1], var, Math.sqrt((mu4 - var * var) / n));
  }

  @Test
  void normal() {
    double[] a = buffer(N);
    Samplers.normal(Rng.forStream(1, 1), 2.0, 3.0, a, OFF, N);
    guardsIntact(a, N);
    double var = 9.0;
    checkMoments("normal", a, N, 2.0, var, 3 * var * var);
  }

  @Test
  void uniform() {
    double[] a = buffer(N);
    Samplers.uniform(Rng.forStream(1, 2), -1.0, 3.0, a, OFF, N);
    guardsIntact(a, N);
    for (int i = OFF; i < OFF + N; i++) {
      assertTrue(a[i] >= -1.0 && a[i] < 3.0);
    }
    double w = 4.0;
    checkMoments("uniform", a, N, 1.0, w * w / 12, Math.pow(w, 4) / 80);
  }

  @Test
  void cauchy() {
    double loc = 1.0, scale = 2.0;
    double[] a = buffer(N);
    Samplers.cauchy(Rng.forStream(1, 3), loc, scale, a, OFF, N);
    guardsIntact(a, N);
    double[] sorted = Arrays.copyOfRange(a, OFF, OFF + N);
    Arrays.sort(sorted);
    double median = 0.5 * (sorted[N / 2 - 1] + sorted[N / 2]);
    // se of the sample median = 1 / (2 f(loc) sqrt n), f(loc) = 1 / (pi scale)
    within4Sigma("cauchy median", median, loc, Math.PI * scale / (2 * Math.sqrt(N)));
    int inside = 0;
    for (int i = OFF; i < OFF + N; i++) {
      if (Math.abs(a[i] - loc) <= scale) {
        inside++;
      }
    }
    within4Sigma("cauchy P(|x-loc|<=scale)", (double) inside / N, 0.5, 0.5 / Math.sqrt(N));
    // quartiles at loc -+ scale
    within4Sigma("cauchy lower quartile", sorted[N / 4], loc - scale, Math.PI * scale / Math.sqrt(N) * 2);
    within4Sigma("cauchy upper quartile", sorted[3 * N / 4], loc + scale, Math.PI * scale / Math.sqrt(N) * 2);
  }

  @Test
  void laplace() {
    double loc = -1.0, b = 0.5;
    double[] a = buffer(N);
    Samplers.laplace(Rng.forStream(1, 4), loc, b, a, OFF, N);
    guardsIntact(a, N);
    double var = 2 * b * b;
    checkMoments("laplace", a, N, loc, var, 24 * Math.pow(b, 4));
    // symmetric: fraction above loc = 1/2
    int above = 0;
    for (int i = OFF; i < OFF + N; i++) {
      if (a[i] > loc) {
        above++;
      }
    }
    within4Sigma("laplace P(x>loc)", (double) above / N, 0.5, 0.5 / Math.sqrt(N));
  }

  @Test
  void exponential() {
    double rate = 2.0;
    double[] a = buffer(N);
    Samplers.exponential(Rng.forStream(1, 5), rate, a, OFF, N);
    guardsIntact(a, N);
    for (int i = OFF; i < OFF + N; i++) {
      assertTrue(a[i] > 0 && Double.isFinite(a[i]));
    }
    double var = 1 / (rate * rate);
    checkMoments("exponential", a, N, 1 / rate, var, 9 / Math.pow(rate, 4));
  }

  @Test
  void rademacher() {
    int n = N + 37; // not a multiple of 64
    double[] a = buffer(n);
    Samplers.rademacher(Rng.forStream(1, 6), a, OFF, n);
    guardsIntact(a, n);
    double s = 0, lag1 = 0;
    for (int i = OFF; i < OFF + n; i++) {
      assertTrue(a[i] == 1.0 || a[i] == -1.0);
      s += a[i];
      if (i > OFF) {
        lag1 += a[i] * a[i - 1];
      }
    }
    within4Sigma("rademacher mean", s / n, 0, 1 / Math.sqrt(n));
    within4Sigma("rademacher lag-1 correlation", lag1 / (n - 1), 0, 1 / Math.sqrt(n - 1));
    // lag 64 (same bit of consecutive words)
    double lag64 = 0;
    for (int i = OFF + 64; i < OFF + n; i++) {
      lag64 += a[i] * a[i - 64];
    }
    within4Sigma("rademacher lag-64 correlation", lag64 / (n - 64), 0, 1 / Math.sqrt(n - 64));
  }

  @Test
  void fixed() {
    double[] a = buffer(100);
    Samplers.fixed(0.25, a, OFF, 100);
    guardsIntact(a, 100);
    for (int i = OFF; i < OFF + 100; i++) {
      assertEquals(0.25, a[i]);
    }
  }

  @Test
  void uniformBall() {
    double radius = 2.0;
    for (int d = 1; d <= 3; d++) {
      int rows = N / d;
      int n = rows * d;
      double[] a = buffer(n);
      Samplers.uniformBall(Rng.forStream(1, 10 + d), radius, d, a, OFF, rows);
      guardsIntact(a, n);
      double s = 0, s2 = 0;
      double[] coordSum = new double[d];
      for (int row = 0; row < rows; row++) {
        double r2 = 0;
        for (int j = 0; j < d; j++) {
          double x = a[OFF + row * d + j];
          r2 += x * x;
          coordSum[j] += x;
        }
        assertTrue(r2 <= radius * radius * (1 + 1e-12), "outside the ball");
        s += r2;
        s2 += r2 * r2;
      }
      double r4 = Math.pow(radius, 4);
      double er2 = (double) d / (d + 2) * radius * radius; // E r^2
      double er4 = (double) d / (d + 4) * r4; // E r^4
      within4Sigma("ball d=" + d + " E r^2", s / rows, er2, Math.sqrt((er4 - er2 * er2) / rows));
      for (int j = 0; j < d; j++) {
        // each coordinate has mean 0 and variance E r^2 / d
        within4Sigma("ball d=" + d + " coordinate mean", coordSum[j] / rows, 0, Math.sqrt(er2 / d / rows));
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> Samplers.uniformBall(Rng.forStream(0, 0), 1.0, 0, new double[4], 0, 1));
  }

  @Test
  void deterministicGivenState() {
    double[] a = new double[1000];
    double[] b = new double[1000];
    Samplers.normal(Rng.forStream(8, 8), 0, 1, a, 0, 500);
    Samplers.cauchy(Rng.forStream(8, 9), 0, 1, a, 500, 500);
    Samplers.normal(Rng.forStream(8, 8), 0, 1, b, 0, 500);
    Samplers.cauchy(Rng.forStream(8, 9), 0, 1, b, 500, 500);
    assertArrayEquals(a, b);
  }

  @Test
  void rangeChecks() {
    Rng r = Rng.forStream(0, 0);
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> Samplers.normal(r, 0, 1, new double[4], 2, 3));
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> Samplers.uniform(r, 0, 1, new double[4], -1, 1));
    Samplers.normal(r, 0, 1, new double[4], 4, 0); // empty at the end is fine
  }
}
