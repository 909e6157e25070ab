package org.nnft.numeric;

/**
 * xoshiro256++ pseudo-random generator (Blackman &amp; Vigna) with a 256-layer ziggurat for standard
 * normals.
 *
 * <p>Not thread-safe: give every thread (or every independent task) its own stream via
 * {@link #forStream(long, long)}. All methods are allocation-free.
 *
 * <p><b>Stream derivation.</b> {@code forStream(seed, stream)} hashes both inputs with the SplitMix64
 * finaliser, combines them with two Feistel rounds (an invertible map, so distinct {@code (seed,
 * stream)} pairs always give distinct starting states and each state word depends on both inputs)
 * and fills the remaining two state words from a SplitMix64 sequence seeded by the result. The
 * all-zero state (the one fixed point of xoshiro) is excluded explicitly.
 *
 * <p><b>Normals.</b> {@link #normal()} is the Marsaglia–Tsang ziggurat in its exact double-precision
 * form with 256 layers: one 64-bit draw supplies the layer (low 8 bits) and a symmetric 53-bit
 * uniform (high 53 bits, centred so that the distribution is exactly symmetric); 98.5% of draws
 * are accepted by one comparison. Wedges are resolved by an exact rejection test against
 * {@code exp(-x^2/2)} and the base layer's tail by Marsaglia's exponential-rejection method, so the
 * output is an exact N(0,1) sample up to double rounding. The tables are computed at class
 * initialisation (the layer boundary R is solved so that all 256 layers have equal area V).
 */
public final class Rng {

  private long s0, s1, s2, s3;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Rng(long s0, long s1, long s2, long s3) {
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** SplitMix64 output function (Stafford's Mix13). A bijection of 64-bit words. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A second, different 64-bit bijection (MurmurHash3 fmix64). */
  private static long mix64b(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  /**
   * A generator for stream {@code stream} of master seed {@code seed}. Deterministic: the same pair
   * always gives the same sequence; distinct pairs give distinct (and, for all practical purposes,
   * independent) sequences.
   */
  public static Rng forStream(long seed, long stream) {
    long a = mix64(seed + GOLDEN);
    long b = mix64b(stream ^ 0x6A09E667F3BCC909L);
    // two Feistel rounds: (a, b) -> (x, y) is invertible
    long x = a ^ mix64(b + 0x3C6EF372FE94F82BL);
    long y = b ^ mix64b(x);
    long sm = x ^ Long.rotateLeft(y, 29);
    sm += GOLDEN;
    long z0 = mix64(sm);
    sm += GOLDEN;
    long z1 = mix64(sm);
    if ((x | y | z0 | z1) == 0L) {
      x = GOLDEN; // never all-zero
    }
    return new Rng(x, y, z0, z1);
  }

  /** An independent copy of this generator in its current state. */
  public Rng copy() {
    return new Rng(s0, s1, s2, s3);
  }

  /** Next 64 uniformly random bits (xoshiro256++). */
  public long nextLong() {
    final long a = s0, b = s1, c = s2, d = s3;
    final long result = Long.rotateLeft(a + d, 23) + a;
    final long t = b << 17;
    final long c2 = c ^ a;
    final long d2 = d ^ b;
    s1 = b ^ c2;
    s0 = a ^ d2;
    s2 = c2 ^ t;
    s3 = Long.rotateLeft(d2, 45);
    return result;
  }

  /** Uniform double in [0, 1): a multiple of 2^-53. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform double in the open interval (0, 1): (k + 1/2) 2^-52 with k uniform in [0, 2^52). */
  public double nextDoubleOpen() {
    return ((nextLong() >>> 12) + 0.5) * 0x1.0p-52;
  }

  /** Uniform int in [0, bound), exactly unbiased (Lemire's multiply-and-reject). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long t = (0x100000000L - bound) % bound;
      while (low < t) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  // ------------------------------------------------------------------------------------------
  // Ziggurat tables. Layer i (0..255) is the rectangle [0, X[i]] x [F[i], F[i+1]] (i >= 1), with
  // X[1] = R > X[2] > ... > X[255] > X[256] = 0 and F[i] = exp(-X[i]^2/2), F[256] = 1. Layer 0 is
  // the base strip [0, R] x [0, F[1]] plus the tail x > R; X[0] = V / F[1] is its virtual width.
  // Every layer has area V. W[i] = X[i] * 2^-52 scales a signed 53-bit integer to [-X[i], X[i]].

  private static final int ZN = 256;
  private static final double[] ZX = new double[ZN + 1];
  private static final double[] ZF = new double[ZN + 1];
  private static final double[] ZW = new double[ZN];
  private static final double ZR;

  static {
    // Solve for R such that the recursion closes with the top layer having area exactly V.
    double lo = 3.0, hi = 4.5;
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) {
        break;
      }
      if (topResidual(mid, null, null) > 0) {
        hi = mid; // top layer too large: r too large
      } else {
        lo = mid;
      }
    }
    double r = 0.5 * (lo + hi);
    topResidual(r, ZX, ZF);
    ZR = r;
    for (int i = 0; i < ZN; i++) {
      ZW[i] = ZX[i] * 0x1.0p-52;
    }
  }

  /**
   * Builds the tables for boundary {@code r} (into x/f when non-null) and returns a residual whose
   * sign says whether r is too large (&gt; 0) or too small (&lt;= 0).
   */
  private static double topResidual(double r, double[] x, double[] f) {
    double fr = Math.exp(-0.5 * r * r);
    double v = r * fr + Math.sqrt(Math.PI / 2) * VecMath.erfc(r / Math.sqrt(2));
    if (x != null) {
      x[0] = v / fr;
      x[1] = r;
      f[0] = 0; // unused
      f[1] = fr;
    }
    double xi = r, fi = fr;
    for (int i = 1; i < ZN - 1; i++) {
      double fn = fi + v / xi;
      if (fn >= 1.0) {
        // ran out of room before the top: layers too fat, i.e. V too large, i.e. r too small
        return -1.0;
      }
      xi = Math.sqrt(-2.0 * Math.log(fn));
      fi = fn;
      if (x != null) {
        x[i + 1] = xi;
        f[i + 1] = fi;
      }
    }
    if (x != null) {
      x[ZN] = 0.0;
      f[ZN] = 1.0;
    }
    // top layer [0, x_255] x [f_255, 1] must have area v; larger area means r too large
    return xi * (1.0 - fi) - v;
  }

  /** The ziggurat's base-layer boundary R (about 3.6541528853610088). For tests. */
  static double zigguratR() {
    return ZR;
  }

  /**
   * dst[off + i] = mean + sd * normal() for i &lt; n: the same numbers as n calls of
   * {@link #normal()}, with the generator state kept in registers on the fast path.
   */
  public void fillNormal(double mean, double sd, double[] dst, int off, int n) {
    long a = s0, b = s1, c = s2, d = s3;
    for (int k = off, end = off + n; k < end; k++) {
      final long bits = Long.rotateLeft(a + d, 23) + a;
      final long t = b << 17;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = Long.rotateLeft(d, 45);
      int i = (int) bits & 0xFF;
      double x = ((bits >> 11) + 0.5) * ZW[i];
      if (!(Math.abs(x) < ZX[i + 1])) {
        s0 = a; s1 = b; s2 = c; s3 = d;
        x = normalSlow(i, x);
        a = s0; b = s1; c = s2; d = s3;
      }
      dst[k] = mean + sd * x;
    }
    s0 = a; s1 = b; s2 = c; s3 = d;
  }

  /** dst[off + i] = lo + (hi - lo) * nextDouble() for i &lt; n, as n calls would give. */
  public void fillUniform(double lo, double hi, double[] dst, int off, int n) {
    long a = s0, b = s1, c = s2, d = s3;
    double w = hi - lo;
    for (int k = off, end = off + n; k < end; k++) {
      final long bits = Long.rotateLeft(a + d, 23) + a;
      final long t = b << 17;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = Long.rotateLeft(d, 45);
      dst[k] = lo + w * ((bits >>> 11) * 0x1.0p-53);
    }
    s0 = a; s1 = b; s2 = c; s3 = d;
  }

  /** Standard normal N(0, 1) sample (exact ziggurat). */
  public double normal() {
    long b = nextLong();
    int i = (int) b & 0xFF;
    double x = ((b >> 11) + 0.5) * ZW[i];
    if (Math.abs(x) < ZX[i + 1]) {
      return x;
    }
    return normalSlow(i, x);
  }

  private double normalSlow(int i, double x) {
    for (;;) {
      if (i == 0) {
        // tail beyond R (Marsaglia 1964)
        double a, e;
        do {
          a = -Math.log(nextDoubleOpen()) / ZR;
          e = -Math.log(nextDoubleOpen());
        } while (e + e < a * a);
        return x > 0 ? ZR + a : -(ZR + a);
      }
      // wedge: uniform height in [F[i], F[i+1]] against the density
      double y = ZF[i] + (ZF[i + 1] - ZF[i]) * nextDouble();
      if (y < Math.exp(-0.5 * x * x)) {
        return x;
      }
      long b = nextLong();
      i = (int) b & 0xFF;
      x = ((b >> 11) + 0.5) * ZW[i];
      if (Math.abs(x) < ZX[i + 1]) {
        return x;
      }
    }
  }
}
