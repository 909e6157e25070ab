package org.nnft.model;

import java.io.Serializable;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Samplers;
import org.nnft.report.Format;

/**
 * The density of a parameter's i.i.d. entries: one record per family of the language
 * ({@code normal(mean, sd)}, {@code uniform(lo, hi)}, ...). Each draws entries ({@link #fill}, the
 * random numbers of the samplers in {@link Samplers}, in a fixed order), gives the log-density of
 * entries and its gradient (for MCMC and reweighting), its support (for unconstraining transforms)
 * and its moments where they are known. Pure values: serializable, no reference to the language's
 * runtime ({@link DensityV} is the language value that carries one).
 *
 * <p>Entries are independent except for {@code uniform_ball(r)}, whose unit is a row of the last
 * dimension ({@code lastDim} entries). {@code fixed(v)}, {@code normal(m, 0)} and
 * {@code rademacher()} have no density: their "log-density" is the log of the probability mass
 * (0 on the support, -∞ elsewhere) and its gradient 0. {@code flat()} is improper: log-density 0
 * everywhere, no normalisation, nothing to draw ({@link #fill} throws {@link Improper}).
 */
public sealed interface Density extends Serializable
    permits Density.Normal, Density.Uniform, Density.Cauchy, Density.Laplace, Density.Exponential,
        Density.Rademacher, Density.Fixed, Density.UniformBall, Density.Flat {

  /** The family's name in the language (normal, uniform, ...). */
  String family();

  /** The first argument as written in the language ({@code normal(a, b)}); 0 when there is none. */
  double a();

  /** The second argument as written in the language; 0 when there is none. */
  double b();

  /** Whether it is a probability density (false for {@code flat()}). */
  default boolean proper() { return true; }

  /**
   * Fills {@code n} entries of {@code dst} from {@code off} with independent draws ({@code n / lastDim}
   * rows of {@code lastDim} entries for {@code uniform_ball}).
   */
  void fill(Rng r, double[] dst, int off, int n, int lastDim);

  /** The log-density of one entry. */
  double logDensity(double x);

  /** d/dx of {@link #logDensity(double)} (0 where it is flat; the one-sided slope at a kink). */
  double gradLogDensity(double x);

  /** The log-density of {@code n} entries from {@code off}: the sum over entries (over rows for uniform_ball). */
  default double logDensity(double[] x, int off, int n, int lastDim) {
    double s = 0;
    for (int i = off; i < off + n; i++) s += logDensity(x[i]);
    return s;
  }

  /** Adds the gradient of {@link #logDensity(double[], int, int, int)} to {@code grad[goff ..]}. */
  default void addGradLogDensity(double[] x, int off, int n, int lastDim, double[] grad, int goff) {
    for (int i = 0; i < n; i++) grad[goff + i] += gradLogDensity(x[off + i]);
  }

  /** Where the entries live. */
  Support support();

  /** E[X^k] for one entry, NaN when it does not exist or is not known (a moment of uniform_ball needs the dimension). */
  double rawMoment(int k);

  /** E[X] (NaN when it does not exist). */
  default double mean() { return rawMoment(1); }

  /** Var X (NaN when it does not exist). */
  default double variance() {
    double m = rawMoment(1);
    return rawMoment(2) - m * m;
  }

  /** A centred normal (mean 0): an output weight the i.i.d.-neuron estimator integrates out exactly. */
  default boolean isCenteredNormal() { return false; }

  /** Thrown when an improper density ({@code flat()}) is asked for a draw. */
  final class Improper extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public Improper(String message) { super(message); }
  }

  /**
   * The support of one entry (one row for BALL): the real line, an interval (either end may be
   * infinite; CLOSED when the ends belong to it), a ball of radius {@code hi} around 0, or finitely many POINTS.
   */
  record Support(Kind kind, double lo, double hi, double[] points) implements Serializable {
    public enum Kind { REAL, INTERVAL, BALL, POINTS }

    public static Support real() { return new Support(Kind.REAL, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null); }

    public static Support interval(double lo, double hi) { return new Support(Kind.INTERVAL, lo, hi, null); }

    public static Support ball(double radius) { return new Support(Kind.BALL, 0, radius, null); }

    public static Support points(double... p) { return new Support(Kind.POINTS, Double.NaN, Double.NaN, p.clone()); }

    /** Whether a single entry {@code x} lies in it (for BALL: |x| &lt;= radius). */
    public boolean contains(double x) {
      return switch (kind) {
        case REAL -> !Double.isNaN(x);
        case INTERVAL -> x >= lo && x <= hi;
        case BALL -> Math.abs(x) <= hi;
        case POINTS -> {
          for (double p : points) if (p == x) yield true;
          yield false;
        }
      };
    }
  }

  private static String args(String family, double... v) {
    StringBuilder s = new StringBuilder(family).append('(');
    for (int i = 0; i < v.length; i++) s.append(i > 0 ? ", " : "").append(Format.num(v[i]));
    return s.append(')').toString();
  }

  private static double pointMass(double x, double at) { return x == at ? 0 : Double.NEGATIVE_INFINITY; }

  /** ∏ of the odd numbers below k (k even): E[Z^k] of a standard normal. */
  private static double doubleFactorial(int k) {
    double m = 1;
    for (int j = k - 1; j > 0; j -= 2) m *= j;
    return m;
  }

  private static double binomial(int n, int k) {
    double c = 1;
    for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
    return c;
  }

  /** normal(mean, sd): sd &gt;= 0 (sd = 0 is a point mass at the mean). */
  record Normal(double mean, double sd) implements Density {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    @Override public String family() { return "normal"; }
    @Override public double a() { return mean; }
    @Override public double b() { return sd; }
    @Override public boolean isCenteredNormal() { return mean == 0; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.normal(r, mean, sd, dst, off, n); }

    @Override public double logDensity(double x) {
      if (sd == 0) return pointMass(x, mean);
      double z = (x - mean) / sd;
      return -0.5 * z * z - Math.log(sd) - HALF_LOG_2PI;
    }

    @Override public double gradLogDensity(double x) { return sd == 0 ? 0 : -(x - mean) / (sd * sd); }

    @Override public Support support() { return sd == 0 ? Support.points(mean) : Support.real(); }

    /** E[X^k]; for mean 0 exactly (k-1)!! sd^k, the form the i.i.d.-neuron estimator multiplies by. */
    @Override public double rawMoment(int k) {
      if (mean == 0) return k % 2 == 1 ? 0 : doubleFactorial(k) * Math.pow(sd, k);
      double s = 0;
      for (int j = 0; j <= k; j += 2) s += binomial(k, j) * Math.pow(mean, k - j) * doubleFactorial(j) * Math.pow(sd, j);
      return s;
    }

    @Override public String toString() { return args("normal", mean, sd); }
  }

  /** uniform(lo, hi), lo &lt; hi: draws on [lo, hi). */
  record Uniform(double lo, double hi) implements Density {
    @Override public String family() { return "uniform"; }
    @Override public double a() { return lo; }
    @Override public double b() { return hi; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.uniform(r, lo, hi, dst, off, n); }

    @Override public double logDensity(double x) { return x >= lo && x <= hi ? -Math.log(hi - lo) : Double.NEGATIVE_INFINITY; }

    @Override public double gradLogDensity(double x) { return 0; }

    @Override public Support support() { return Support.interval(lo, hi); }

    @Override public double rawMoment(int k) {
      if (k == 0) return 1;
      return (Math.pow(hi, k + 1) - Math.pow(lo, k + 1)) / ((k + 1) * (hi - lo));
    }

    @Override public String toString() { return args("uniform", lo, hi); }
  }

  /** cauchy(loc, scale), scale &gt; 0: no mean, no variance. */
  record Cauchy(double loc, double scale) implements Density {
    @Override public String family() { return "cauchy"; }
    @Override public double a() { return loc; }
    @Override public double b() { return scale; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.cauchy(r, loc, scale, dst, off, n); }

    @Override public double logDensity(double x) {
      double z = (x - loc) / scale;
      return -Math.log(Math.PI * scale) - Math.log1p(z * z);
    }

    @Override public double gradLogDensity(double x) {
      double z = (x - loc) / scale;
      return -2 * z / (scale * (1 + z * z));
    }

    @Override public Support support() { return Support.real(); }

    @Override public double rawMoment(int k) { return k == 0 ? 1 : Double.NaN; }

    @Override public String toString() { return args("cauchy", loc, scale); }
  }

  /** laplace(loc, scale), scale &gt; 0: density exp(-|x - loc| / scale) / (2 scale). */
  record Laplace(double loc, double scale) implements Density {
    @Override public String family() { return "laplace"; }
    @Override public double a() { return loc; }
    @Override public double b() { return scale; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.laplace(r, loc, scale, dst, off, n); }

    @Override public double logDensity(double x) { return -Math.abs(x - loc) / scale - Math.log(2 * scale); }

    /** -sign(x - loc) / scale, taking the slope of the side x &gt; loc at the kink's right and x &le; loc at it. */
    @Override public double gradLogDensity(double x) { return x > loc ? -1 / scale : 1 / scale; }

    @Override public Support support() { return Support.real(); }

    /** E[X^k] from the central moments E[(X - loc)^j] = j! scale^j (j even). */
    @Override public double rawMoment(int k) {
      double s = 0;
      for (int j = 0; j <= k; j += 2) {
        double f = 1;
        for (int i = 2; i <= j; i++) f *= i;
        s += binomial(k, j) * Math.pow(loc, k - j) * f * Math.pow(scale, j);
      }
      return s;
    }

    @Override public String toString() { return args("laplace", loc, scale); }
  }

  /** exponential(rate), rate &gt; 0: mean 1/rate, on [0, ∞). */
  record Exponential(double rate) implements Density {
    @Override public String family() { return "exponential"; }
    @Override public double a() { return rate; }
    @Override public double b() { return 0; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.exponential(r, rate, dst, off, n); }

    @Override public double logDensity(double x) { return x >= 0 ? Math.log(rate) - rate * x : Double.NEGATIVE_INFINITY; }

    @Override public double gradLogDensity(double x) { return -rate; }

    @Override public Support support() { return Support.interval(0, Double.POSITIVE_INFINITY); }

    @Override public double rawMoment(int k) {
      double m = 1;
      for (int i = 1; i <= k; i++) m *= i / rate;
      return m;
    }

    @Override public String toString() { return args("exponential", rate); }
  }

  /** rademacher(): ±1 with probability 1/2 each. */
  record Rademacher() implements Density {
    private static final double LOG_HALF = Math.log(0.5);

    @Override public String family() { return "rademacher"; }
    @Override public double a() { return 0; }
    @Override public double b() { return 0; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.rademacher(r, dst, off, n); }

    @Override public double logDensity(double x) { return x == 1 || x == -1 ? LOG_HALF : Double.NEGATIVE_INFINITY; }

    @Override public double gradLogDensity(double x) { return 0; }

    @Override public Support support() { return Support.points(-1, 1); }

    @Override public double rawMoment(int k) { return k % 2 == 0 ? 1 : 0; }

    @Override public String toString() { return "rademacher()"; }
  }

  /** fixed(value): the point mass at value. */
  record Fixed(double value) implements Density {
    @Override public String family() { return "fixed"; }
    @Override public double a() { return value; }
    @Override public double b() { return 0; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.fixed(value, dst, off, n); }

    @Override public double logDensity(double x) { return pointMass(x, value); }

    @Override public double gradLogDensity(double x) { return 0; }

    @Override public Support support() { return Support.points(value); }

    @Override public double rawMoment(int k) { return Math.pow(value, k); }

    @Override public String toString() { return args("fixed", value); }
  }

  /** uniform_ball(radius): each row of an [N, d] parameter uniform in the d-ball of that radius. */
  record UniformBall(double radius) implements Density {
    @Override public String family() { return "uniform_ball"; }
    @Override public double a() { return radius; }
    @Override public double b() { return 0; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) { Samplers.uniformBall(r, radius, lastDim, dst, off, n / lastDim); }

    /** One entry alone has no density of its own (its marginal depends on d); use the row form. */
    @Override public double logDensity(double x) {
      throw new UnsupportedOperationException("uniform_ball has a density per row: use logDensity(x, off, n, lastDim)");
    }

    @Override public double gradLogDensity(double x) { return 0; }

    /** Per row of {@code lastDim} entries: -log of the volume of the ball, -∞ outside. */
    @Override public double logDensity(double[] x, int off, int n, int lastDim) {
      int d = lastDim;
      // log vol = (d/2) log π + d log r - log Γ(d/2 + 1)
      double logVol = 0.5 * d * Math.log(Math.PI) + d * Math.log(radius) - logGammaHalf(d + 2);
      double s = 0;
      for (int row = off; row < off + n; row += d) {
        double ss = 0;
        for (int j = row; j < row + d; j++) ss += x[j] * x[j];
        s += ss <= radius * radius ? -logVol : Double.NEGATIVE_INFINITY;
      }
      return s;
    }

    @Override public void addGradLogDensity(double[] x, int off, int n, int lastDim, double[] grad, int goff) { }

    @Override public Support support() { return Support.ball(radius); }

    /** Odd moments vanish by symmetry; even ones depend on the dimension (NaN). */
    @Override public double rawMoment(int k) { return k == 0 ? 1 : k % 2 == 1 ? 0 : Double.NaN; }

    /** log Γ(m / 2) for a whole m &gt;= 1. */
    private static double logGammaHalf(int m) {
      double s = m % 2 == 0 ? 0 : 0.5 * Math.log(Math.PI); // Γ(1) = 1, Γ(1/2) = √π
      for (double t = m % 2 == 0 ? 1 : 0.5; t < m / 2.0 - 1e-9; t += 1) s += Math.log(t);
      return s;
    }

    @Override public String toString() { return args("uniform_ball", radius); }
  }

  /**
   * flat(): the improper uniform density on the real line, for parameters weighed only by an
   * action (in mcmc). It cannot be sampled: {@link #fill} throws {@link Improper}.
   */
  record Flat() implements Density {
    @Override public String family() { return "flat"; }
    @Override public double a() { return 0; }
    @Override public double b() { return 0; }
    @Override public boolean proper() { return false; }

    @Override public void fill(Rng r, double[] dst, int off, int n, int lastDim) {
      throw new Improper("flat() is an improper density: it has no normalisation and nothing to draw from");
    }

    @Override public double logDensity(double x) { return 0; }

    @Override public double gradLogDensity(double x) { return 0; }

    @Override public Support support() { return Support.real(); }

    @Override public double rawMoment(int k) { return k == 0 ? 1 : Double.NaN; }

    @Override public String toString() { return "flat()"; }
  }
}
