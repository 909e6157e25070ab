package org.nnft.numeric;

import java.util.Arrays;

/**
 * Bulk samplers: each fills {@code n} entries of {@code dst} starting at {@code off} with independent
 * draws from {@code r}. Allocation-free. The number of generator draws consumed per entry is fixed
 * for every sampler except {@code normal} (ziggurat rejections) and {@code uniformBall}, so results
 * depend only on the generator state and the call sequence.
 */
public final class Samplers {

  private Samplers() {}

  /** N(mean, sd^2). */
  public static void normal(Rng r, double mean, double sd, double[] dst, int off, int n) {
    check(dst, off, n);
    r.fillNormal(mean, sd, dst, off, n);
  }

  /** Uniform on [lo, hi). */
  public static void uniform(Rng r, double lo, double hi, double[] dst, int off, int n) {
    check(dst, off, n);
    r.fillUniform(lo, hi, dst, off, n);
  }

  /** Cauchy(loc, scale): loc + scale * tan(pi (u - 1/2)), u uniform on (0, 1). */
  public static void cauchy(Rng r, double loc, double scale, double[] dst, int off, int n) {
    check(dst, off, n);
    for (int i = off, end = off + n; i < end; i++) {
      dst[i] = loc + scale * Math.tan(Math.PI * (r.nextDoubleOpen() - 0.5));
    }
  }

  /** Laplace(loc, scale): density exp(-|x - loc| / scale) / (2 scale). One 64-bit draw each. */
  public static void laplace(Rng r, double loc, double scale, double[] dst, int off, int n) {
    check(dst, off, n);
    for (int i = off, end = off + n; i < end; i++) {
      long b = r.nextLong();
      double u = ((b >>> 11) + 0.5) * 0x1.0p-53; // (0, 1), from the high 53 bits
      double e = -Math.log(u) * scale;
      // sign from the lowest bit (independent of the high bits)
      dst[i] = loc + Double.longBitsToDouble(Double.doubleToRawLongBits(e) ^ (b << 63));
    }
  }

  /** Exponential with the given rate (mean 1/rate). */
  public static void exponential(Rng r, double rate, double[] dst, int off, int n) {
    check(dst, off, n);
    double inv = 1.0 / rate;
    for (int i = off, end = off + n; i < end; i++) {
      dst[i] = -Math.log(r.nextDoubleOpen()) * inv;
    }
  }

  private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

  /** Rademacher: +1 or -1 with probability 1/2 each; 64 signs per 64-bit draw. */
  public static void rademacher(Rng r, double[] dst, int off, int n) {
    check(dst, off, n);
    int i = off, end = off + n;
    while (i < end) {
      long b = r.nextLong();
      int m = Math.min(64, end - i);
      for (int j = 0; j < m; j++) {
        dst[i + j] = Double.longBitsToDouble(ONE_BITS | ((b >>> j) << 63));
      }
      i += m;
    }
  }

  /** The constant {@code value} (a point mass). */
  public static void fixed(double value, double[] dst, int off, int n) {
    check(dst, off, n);
    Arrays.fill(dst, off, off + n, value);
  }

  /**
   * {@code rows} independent points uniform in the {@code d}-dimensional ball of the given radius,
   * written row-major ({@code rows * d} entries from {@code off}). d = 1: uniform on [-radius,
   * radius); d &gt;= 2: a Gaussian direction times radius * U^(1/d).
   */
  public static void uniformBall(Rng r, double radius, int d, double[] dst, int off, int rows) {
    if (d < 1) {
      throw new IllegalArgumentException("dimension must be >= 1: " + d);
    }
    if (rows < 0 || (long) rows * d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad row count: " + rows);
    }
    int n = rows * d;
    check(dst, off, n);
    if (d == 1) {
      uniform(r, -radius, radius, dst, off, n);
      return;
    }
    double invD = 1.0 / d;
    for (int row = 0; row < rows; row++) {
      int base = off + row * d;
      double ss;
      do {
        ss = 0.0;
        for (int j = 0; j < d; j++) {
          double g = r.normal();
          dst[base + j] = g;
          ss += g * g;
        }
      } while (ss == 0.0);
      double u = r.nextDoubleOpen();
      double rad = d == 2 ? Math.sqrt(u) : d == 3 ? Math.cbrt(u) : Math.pow(u, invD);
      double scale = radius * rad / Math.sqrt(ss);
      for (int j = 0; j < d; j++) {
        dst[base + j] *= scale;
      }
    }
  }

  private static void check(double[] dst, int off, int n) {
    if (n < 0 || off < 0 || off > dst.length - n) {
      throw new ArrayIndexOutOfBoundsException(
          "range: off=" + off + " n=" + n + " length=" + dst.length);
    }
  }
}
