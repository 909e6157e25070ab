package org.nnft.gauge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The dimension of the generic gauge orbit of an architecture: the number of parameters {@code P}
 * minus the functional dimension, where the functional dimension is the rank of the Jacobian
 * {@code ∂f(X)/∂θ} of all outputs over an input batch {@code X} with respect to all parameters, at a
 * generic (random, non-degenerate) parameter point. Only the architecture of the given net is used,
 * not its parameter values.
 *
 * <h2>Rank and tolerance</h2>
 * The rank is the number of singular values above
 * <pre>  tol = max(rows, cols) · ε · σ_max · 10³,   ε = 2⁻⁵² ≈ 2.2e-16,</pre>
 * where {@code rows} = batch size × outputs and {@code cols} = {@code P}. The Jacobian is analytic
 * (rounding of a few ulps per entry), so the zero singular values come out at 1e-17 to 1e-14
 * {@code σ_max}, far below {@code tol}; {@link Result#gap()} {@code = σ_r / σ_{r+1}} (infinite at
 * full rank) is typically 1e11 to 1e14 for the small nets, about 1e8 to 1e10 for a 2,000-parameter
 * ReLU net, whose smallest genuine singular value sits only about 10²–10³ above {@code tol}: the
 * factor 10³ is on the generous side there (see the note of each result). Up to 500 parameters all
 * singular values of the Jacobian are computed (Householder QR, then the SVD of {@code R}); above,
 * the rows are streamed into a sparse random sketch with {@code P + 64} rows (the same rank with
 * probability one) and the rank is certified by a rank-revealing QR, falling back to the SVD if the
 * certificate fails (see {@code GaugeRank}), so that a net of about 2,000 parameters takes seconds.
 *
 * <h2>Batches (feed-forward)</h2>
 * {@code max(64, ⌈4P/outputs⌉)} Gaussian inputs {@code x = s g}, {@code g ~ N(0, I)}, with {@code s}
 * cycling through 1/4, 1/2, 1, 2, 4, 8, and, for the piecewise-linear activations (ReLU, leaky ReLU,
 * abs), {@code 2P} more rows from the midpoints of all linear pieces of random lines (walked
 * exactly, kink to kink: deep narrow nets have small regions that Gaussian inputs miss). Nets with at
 * most 150 or more than 500 parameters get 3 times that (above 500 the rows only feed the sketch).
 * Up to 500 parameters the batch is doubled until the rank stops growing.
 *
 * <h2>Parameter points</h2>
 * Weights {@code N(0, 1/fan_in)}, biases {@code N(0, 0.3²)} (for attention {@code N(0, 1/fan_in)}).
 * A draw is rejected as degenerate if (piecewise-linear activations) a hidden unit is on for fewer than
 * {@code 4 (fan_in + 1)} inputs or off for fewer (the batch is first extended by Gaussian inputs at
 * scales 1/20 to 50 that switch the deficient units) — a dead or always-on unit, or one that never
 * switches on the batch and so is linear there and fakes extra symmetries — or if some parameter
 * has a zero Jacobian column on the whole batch (it does not affect the function, e.g. the weight from
 * a unit that is off wherever the receiving unit is on). Such points have positive probability in deep
 * narrow ReLU nets. Even among accepted draws the functional dimension of ReLU nets is not constant
 * (lower on sets of positive measure), so for piecewise-linear activations several accepted draws
 * are made (24 up to 150 parameters, 8 up to 500, 2 above) and the largest rank is reported (for
 * analytic activations the rank is the same at almost every point, and one draw is made), stopping
 * early when the rank reaches {@code P − Σ hidden widths}, the most it can be for a positively
 * homogeneous activation (the rescaling directions always lie in the kernel). The ranks of all
 * draws are listed in the note.
 *
 * <h2>Batches (attention)</h2>
 * Sequences of lengths 2 to 6 with token entries {@code N(0, s²)}, {@code s ∈ {1/2, 1, 2}}, at least
 * {@code max(4P, 64)} rows; one draw per point.
 *
 * <h2>Other declared nets</h2>
 * A net that is neither feed-forward nor {@code attention(...)} is handled by
 * {@link TapeOrbit#orbitDim}: exact reverse-mode Jacobians of its lowered tape, parameters drawn
 * from its own densities, Gaussian inputs; same rank, tolerance, gap and {@link Result}.
 *
 * <p>Everything is done twice, at two independent points (and batches) from {@code seed}; both ranks
 * are reported, with a warning in the note if they differ.
 *
 * <h2>What "generic" means</h2>
 * The count is the orbit at a generic point: one where every hidden unit switches somewhere on the
 * input space and no parameter is inert. For analytic activations that is almost every point. For
 * piecewise-linear ones it is the smallest orbit (the largest functional dimension), attained on an
 * open set, but draws from a net's own density land on degenerate points with positive probability
 * (dead or always-on units in deeper layers; 40% of the draws of a 2 → 3 → 3 → 1 relu mlp):
 * {@link #draws} gives the orbit of each draw, without rejecting any.
 */
public final class OrbitDim {
  private OrbitDim() {}

  /**
   * @param parameters number of parameters {@code P}
   * @param rank rank of the Jacobian at the first point (the functional dimension)
   * @param orbitDim {@code P − rank}
   * @param rankAtSecondPoint rank at an independent second parameter point (should equal {@code rank})
   * @param gap {@code σ_r / σ_{r+1}} at the first point (infinite at full column rank; above 500
   *     parameters the singular values are those of the sketch, {@code σ_r} by inverse iteration and
   *     {@code σ_{r+1}} replaced by its upper bound {@code ‖R22‖})
   * @param tolerance the singular-value threshold at the first point
   * @param note batch sizes, method, singular values, redraws, timing, disagreements
   */
  public record Result(int parameters, int rank, int orbitDim, int rankAtSecondPoint, double gap,
      double tolerance, String note) {}

  private static final double[] SCALES = {0.25, 0.5, 1, 2, 4, 8};
  private static final double[] WIDE_SCALES = {0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 50};
  private static final int SWITCH_FACTOR = 4;
  /**
   * Standard deviation of the random biases. With N(0, 1) biases deep narrow ReLU nets land more often
   * on degenerate points (measured before the dead-parameter screen: for 4→8→8→8→2, 1 of 12 draws at
   * the generic rank with N(0, 1) biases against 12 of 24 with 0.3; for 2→3→3→3→1, 33% against 41%).
   */
  private static final double BIAS_SCALE = 0.3;
  /** Batch multiplier up to {@link #SMALL} and above {@code GaugeRank.DIRECT_COLS} parameters (2 between). */
  private static final int LARGE_BATCH_FACTOR = 3;
  private static final double[] LINE_SCALES = {0.25, 1, 4};
  private static final double LINE_HALF_LENGTH = 20;
  /** Up to this many parameters, 24 parameter draws are tried (8 up to 500, 2 above). */
  private static final int SMALL = 150;

  /** Nets with more parameters are refused (the rank-revealing QR is cubic: about 30 s at 4,000). */
  public static final int MAX_PARAMETERS = 4000;

  /** The generic orbit dimension of the architecture of {@code net}. */
  public static Result of(FeedForward net, long seed) {
    checkSize(net.parameterCount());
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom ra = root.split(), rb = root.split();
    // the two points are independent: the second runs on another core, with its own stream
    java.util.concurrent.CompletableFuture<Point> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> feedForwardPoint(net, rb));
    Point a = feedForwardPoint(net, ra);
    Point b = second.join();
    return result(net.parameterCount(), a, b, t0);
  }

  /** The generic orbit dimension of the architecture of {@code net}. */
  public static Result of(Attention net, long seed) {
    checkSize(net.parameterCount());
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(seed);
    Point a = attentionPoint(net, root.split());
    Point b = attentionPoint(net, root.split());
    return result(net.parameterCount(), a, b, t0);
  }

  /** A net beyond what the rank computation handles: a statement about the input, reported as such. */
  static final class TooLarge extends IllegalArgumentException {
    TooLarge(String m) { super(m); }
  }

  static void checkSize(int p) {
    if (p > MAX_PARAMETERS) {
      throw new TooLarge("orbit_dim handles at most " + MAX_PARAMETERS + " parameters, this net has " + p);
    }
  }

  record Point(GaugeRank.Info info, int batch, String unit, String remark) {}

  static Result result(int p, Point a, Point b, long t0) {
    double secs = (System.nanoTime() - t0) / 1e9;
    StringBuilder note = new StringBuilder();
    note.append(describe("point 1", a)).append("; ").append(describe("point 2", b));
    if (a.info.rank() != b.info.rank()) {
      note.append("; WARNING: the ranks at the two points differ (").append(a.info.rank()).append(" vs ")
          .append(b.info.rank()).append(") — the parameter point or batch may be degenerate");
    }
    note.append(String.format(Locale.ROOT, "; %.2f s", secs));
    return new Result(p, a.info.rank(), p - a.info.rank(), b.info.rank(), a.info.gap(), a.info.tolerance(),
        note.toString());
  }

  private static String describe(String name, Point pt) {
    GaugeRank.Info i = pt.info;
    StringBuilder s = new StringBuilder(name).append(": rank ").append(i.rank()).append(" of ").append(i.cols())
        .append(" (").append(pt.batch).append(" ").append(pt.unit).append(", ").append(i.rows()).append(" rows; ").append(i.method())
        .append("; σ_max = ").append(GaugeRank.fmt(i.sigmaMax())).append(", σ_r = ").append(GaugeRank.fmt(i.sigmaR()))
        .append(", σ_{r+1} = ").append(GaugeRank.fmt(i.sigmaR1())).append(", gap = ").append(GaugeRank.fmt(i.gap()))
        .append(", tol = ").append(GaugeRank.fmt(i.tolerance())).append(")");
    if (!pt.remark.isEmpty()) s.append("; ").append(pt.remark);
    return s.toString();
  }

  // ---------------------------------------------------------------- feed-forward

  private static FeedForward randomLike(FeedForward net, SplittableRandom rng) {
    int L = net.layers();
    int[] w = net.widths();
    double[][] W = new double[L][];
    double[][] b = net.b() == null ? null : new double[L][];
    for (int l = 0; l < L; l++) {
      double s = 1 / Math.sqrt(w[l]);
      W[l] = new double[w[l + 1] * w[l]];
      for (int k = 0; k < W[l].length; k++) W[l][k] = s * rng.nextGaussian();
      if (net.hasBias(l)) {
        b[l] = new double[w[l + 1]];
        for (int k = 0; k < b[l].length; k++) b[l][k] = BIAS_SCALE * rng.nextGaussian();
      }
    }
    return new FeedForward(w.clone(), net.act(), W, b, net.acts());
  }

  private static double[] gaussianInput(SplittableRandom rng, int dim, double scale) {
    double[] x = new double[dim];
    for (int i = 0; i < dim; i++) x[i] = scale * rng.nextGaussian();
    return x;
  }

  private static Point feedForwardPoint(FeedForward arch, SplittableRandom rng) {
    int P = arch.parameterCount();
    boolean pl = arch.anyPiecewiseLinear();
    // for analytic activations the rank is the same at almost every point: one draw
    int draws = !pl ? 1 : P <= SMALL ? 24 : (P <= GaugeRank.DIRECT_COLS ? 8 : 2);
    int maxAttempts = P <= SMALL ? 1000 : (P <= GaugeRank.DIRECT_COLS ? 200 : 20);
    boolean saturate = P <= GaugeRank.DIRECT_COLS;
    int homogeneous = 0;
    for (int l = 1; l < arch.widths().length - 1; l++) if (GaugeActivation.positivelyHomogeneous(arch.act(l - 1))) homogeneous += arch.widths()[l];
    // the rescaling directions of positively homogeneous units always lie in the kernel: no draw can do better
    int ceiling = P - homogeneous;
    GaugeRank.Info best = null;
    int bestBatch = 0, rejected = 0;
    String firstProblem = null;
    FeedForward lastNet = null;
    List<double[]> lastXs = null;
    List<Integer> ranks = new ArrayList<>();
    for (int attempt = 0; ranks.size() < draws && attempt < maxAttempts; attempt++) {
      org.nnft.runtime.Session.checkCurrent();
      FeedForward net = randomLike(arch, rng);
      List<double[]> xs = new ArrayList<>();
      addBatch(net, xs, rng, pl);
      String problem = pl ? extendForSwitching(net, xs, rng, 1).problem() : null;
      if (problem == null) problem = deadParameter(net, xs);
      if (problem != null) {
        rejected++;
        if (firstProblem == null) firstProblem = problem;
        lastNet = net;
        lastXs = xs;
        continue;
      }
      GaugeRank.Info info = rankOn(net, xs, rng);
      for (int round = 0; saturate && round < 4; round++) {
        addBatch(net, xs, rng, pl);
        GaugeRank.Info more = rankOn(net, xs, rng);
        boolean grew = more.rank() > info.rank();
        info = more;
        if (!grew) break;
      }
      ranks.add(info.rank());
      if (best == null || info.rank() > best.rank()) {
        best = info;
        bestBatch = xs.size();
      }
      if (best.rank() >= ceiling) break;
    }
    List<String> remarks = new ArrayList<>();
    if (best == null) {
      best = rankOn(lastNet, lastXs, rng);
      bestBatch = lastXs.size();
      remarks.add("WARNING: no non-degenerate parameter point in " + maxAttempts + " draws; the rank is at a degenerate one");
    }
    if (ranks.size() > 1) {
      remarks.add("ranks at " + ranks.size() + " accepted parameter draws " + ranks + " (the largest is reported: ReLU-type"
          + " nets have degenerate points of lower functional dimension on sets of positive measure)");
    }
    if (rejected > 0) remarks.add(rejected + " draw(s) rejected as degenerate, e.g. " + firstProblem);
    return new Point(best, bestBatch, "inputs", String.join("; ", remarks));
  }

  /**
   * A parameter whose Jacobian column vanishes on the whole batch (it does not affect the function
   * there — e.g. the weight from a unit that is off wherever the receiving unit is on), or null.
   */
  private static String deadParameter(FeedForward net, List<double[]> xs) {
    int P = net.parameterCount(), out = net.outputDim();
    boolean[] alive = new boolean[P];
    double[][] rows = new double[out][P];
    FeedForward.Lowered ev = net.lower();
    for (double[] x : xs) {
      ev.jacobianRows(x, rows);
      for (double[] r : rows) for (int k = 0; k < P; k++) if (r[k] != 0) alive[k] = true;
    }
    for (int k = 0; k < P; k++) if (!alive[k]) return "parameter " + parameterName(net, k) + " has no effect on the batch";
    return null;
  }

  /** {@code W2[i,j]} or {@code b1[i]} (1-based layers, 0-based indices) for parameter index {@code k}. */
  static String parameterName(FeedForward net, int k) {
    int[] w = net.widths();
    for (int l = 0; l < net.layers(); l++) {
      if (k < net.W()[l].length) return "W" + (l + 1) + "[" + k / w[l] + "," + k % w[l] + "]";
      k -= net.W()[l].length;
      if (net.hasBias(l)) {
        if (k < w[l + 1]) return "b" + (l + 1) + "[" + k + "]";
        k -= w[l + 1];
      }
    }
    return "#" + k;
  }

  private static GaugeRank.Info rankOn(FeedForward net, List<double[]> xs, SplittableRandom rng) {
    int P = net.parameterCount(), out = net.outputDim();
    return GaugeRank.rank(xs.size() * out, P, sink -> {
      double[][] rows = new double[out][P];
      FeedForward.Lowered ev = net.lower();
      for (double[] x : xs) {
        ev.jacobianRows(x, rows);
        for (double[] r : rows) sink.accept(r);
      }
    }, rng.nextLong());
  }

  /**
   * Adds {@code mult} times at least {@code 4 P} rows of Gaussian inputs at the scales {@link #SCALES}
   * and, for piecewise-linear activations, {@code mult} times {@code 2 P} more rows from inputs in every
   * linear region crossed by random lines (Gaussian inputs miss the small regions of deep narrow nets;
   * the lines find them).
   */
  private static void addBatch(FeedForward net, List<double[]> xs, SplittableRandom rng, boolean pl) {
    int P = net.parameterCount(), out = net.outputDim(), in = net.inputDim();
    // past GaugeRank.DIRECT_COLS rows only feed the sketch (cheap), and there is no saturation loop;
    // below, small nets get larger batches too (deep narrow nets have small linear regions)
    int mult = P > GaugeRank.DIRECT_COLS || P <= SMALL ? LARGE_BATCH_FACTOR : 2;
    int gauss = mult * Math.max(64, (4 * P + out - 1) / out);
    for (int n = 0; n < gauss; n++) xs.add(gaussianInput(rng, in, SCALES[n % SCALES.length]));
    if (pl) {
      int half = mult * Math.max(32, (2 * P + out - 1) / out);
      int added = 0;
      for (int k = 0; added < half; k++) added += walkLine(net, xs, rng, LINE_SCALES[k % LINE_SCALES.length]);
    }
  }

  /**
   * Walks the line {@code p + t u}, {@code |t| ≤ LINE_HALF_LENGTH}, through the linear regions of a
   * piecewise-linear net (exactly: on each piece the pre-activations are affine in {@code t}, so the
   * next kink is where the first of them changes sign) and adds the midpoint of every piece.
   */
  private static int walkLine(FeedForward net, List<double[]> xs, SplittableRandom rng, double scale) {
    int d = net.inputDim();
    double[] p = gaussianInput(rng, d, scale);
    double[] u = gaussianInput(rng, d, 1);
    double nu = 0;
    for (double v : u) nu += v * v;
    nu = Math.sqrt(nu);
    for (int i = 0; i < d; i++) u[i] /= nu;
    int added = 0;
    double t = -LINE_HALF_LENGTH;
    for (int pieces = 0; t < LINE_HALF_LENGTH && pieces < 100_000; pieces++) {
      double next = nextKink(net, p, u, t, LINE_HALF_LENGTH);
      double mid = 0.5 * (t + next);
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = p[i] + mid * u[i];
      xs.add(x);
      added++;
      t = next + 1e-9 * Math.max(1, Math.abs(next));
    }
    return added;
  }

  /**
   * The first kink of a piecewise-linear net along {@code p + s u} after {@code s = t}, or
   * {@code limit}: on the piece containing t every pre-activation is affine in s, and the next kink
   * is where the first of them changes sign.
   */
  private static double nextKink(FeedForward net, double[] p, double[] u, double t, double limit) {
    int d = net.inputDim(), L = net.layers();
    int[] w = net.widths();
    double[] h = new double[d], dh = u.clone();
    for (int i = 0; i < d; i++) h[i] = p[i] + t * u[i];
    double next = limit;
    for (int l = 0; l < L - 1; l++) {
      int n = w[l + 1], m = w[l];
      double[] W = net.W()[l];
      double[] nh = new double[n], ndh = new double[n];
      for (int i = 0; i < n; i++) {
        double z = net.hasBias(l) ? net.b()[l][i] : 0, dz = 0;
        for (int j = 0; j < m; j++) {
          z += W[i * m + j] * h[j];
          dz += W[i * m + j] * dh[j];
        }
        if (z * dz < 0 && GaugeActivation.piecewiseLinear(net.act(l))) next = Math.min(next, t - z / dz);
        nh[i] = GaugeActivation.apply(net.act(l), z);
        ndh[i] = GaugeActivation.derivative(net.act(l), z) * dz;
      }
      h = nh;
      dh = ndh;
    }
    return next;
  }

  /** Inputs on which a hidden unit of a layer with {@code fan_in} inputs must be on, and off. */
  static int switchesNeeded(int fanIn) {
    return SWITCH_FACTOR * (fanIn + 1);
  }

  /**
   * Adds inputs until every hidden unit is on for at least {@link #switchesNeeded} inputs and off
   * for as many: Gaussian inputs at scales 1/20 to 50, kept when they help a deficient unit (only
   * spread-out inputs: a unit that is on only in a tiny region is not sampled densely there, since
   * clustered inputs would meet the count without resolving the unit's parameters). Returns null on
   * success, or a description of a unit that could not be switched often enough.
   */
  /** How often each hidden unit is on and off on a batch; {@code problem} names a deficient unit, or is null. */
  record Switching(int[][] on, int[][] off, String problem) {}

  private static Switching extendForSwitching(FeedForward net, List<double[]> xs, SplittableRandom rng, double scale) {
    int L = net.layers();
    int[] w = net.widths();
    FeedForward.Lowered ev = net.lower();
    int[][] on = new int[L - 1][], off = new int[L - 1][];
    for (int l = 0; l < L - 1; l++) {
      on[l] = new int[w[l + 1]];
      off[l] = new int[w[l + 1]];
    }
    // only units with a kink switch; a linear (or smooth) layer has nothing to switch
    for (int l = 0; l < L - 1; l++) {
      if (!GaugeActivation.piecewiseLinear(net.act(l))) {
        java.util.Arrays.fill(on[l], Integer.MAX_VALUE / 2);
        java.util.Arrays.fill(off[l], Integer.MAX_VALUE / 2);
      }
    }
    for (double[] x : xs) count(ev, x, on, off);
    int patience = 2000 + 2 * xs.size(), budget = 5 * patience;
    int idle = 0;
    for (int tries = 0; idle < patience && tries < budget; tries++, idle++) {
      if (firstDeficient(w, on, off) == null) return new Switching(on, off, null);
      double[] x = gaussianInput(rng, w[0], scale * WIDE_SCALES[tries % WIDE_SCALES.length]);
      double[][] z = ev.preActivations(x);
      boolean helps = false;
      for (int l = 0; l < L - 1 && !helps; l++) {
        int need = switchesNeeded(w[l]);
        for (int i = 0; i < w[l + 1]; i++) {
          if ((z[l][i] > 0 && on[l][i] < need) || (!(z[l][i] > 0) && off[l][i] < need)) {
            helps = true;
            break;
          }
        }
      }
      if (helps) {
        xs.add(x);
        count(ev, x, on, off);
        idle = 0;
      }
    }
    int[] def = firstDeficient(w, on, off);
    if (def == null) return new Switching(on, off, null);
    int l = def[0], i = def[1];
    return new Switching(on, off, "hidden unit " + i + " of layer " + (l + 1) + " is on for " + on[l][i] + " and off for " + off[l][i]
        + " inputs (need " + switchesNeeded(w[l]) + " each)");
  }

  private static void count(FeedForward.Lowered ev, double[] x, int[][] on, int[][] off) {
    double[][] z = ev.preActivations(x);
    for (int l = 0; l < on.length; l++) {
      for (int i = 0; i < on[l].length; i++) {
        if (z[l][i] > 0) on[l][i]++;
        else off[l][i]++;
      }
    }
  }

  private static int[] firstDeficient(int[] w, int[][] on, int[][] off) {
    for (int l = 0; l < on.length; l++) {
      int need = switchesNeeded(w[l]);
      for (int i = 0; i < on[l].length; i++) {
        if (on[l][i] < need || off[l][i] < need) return new int[] {l, i};
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- draws from a density

  /** Fills the weights {@code W[l]} (row-major) and biases {@code b[l]} (where present) of one draw. */
  @FunctionalInterface
  public interface LayerDraw {
    void draw(org.nnft.numeric.Rng rng, double[][] W, double[][] b);
  }

  /**
   * The orbit dimension at one parameter draw, and its hidden units that never switch on the input
   * space: {@code dead} (never on: a relu unit that is 0, a leaky relu unit with slope 0.01
   * everywhere) and {@code alwaysOn} (never off).
   */
  public record Draw(int orbitDim, int rank, int dead, int alwaysOn, int inputs) {
    public boolean degenerate() { return dead + alwaysOn > 0; }
  }

  /**
   * The orbit dimensions of {@code draws} parameter points drawn by {@code density}, draw {@code d}
   * from {@code Rng.forStream(seed, d)} (its inputs from another stream of the same seed), so the
   * result does not depend on {@code threads}, the number of draws analysed at once.
   *
   * <p>Inputs of a draw. The generic count above draws its own points with kinks near the origin;
   * a draw from a net's density can put them anywhere, so the inputs are scaled to the draw:
   * {@code R = max(1, max_i |b_i| / |w_i|)} over the first layer's units (the distance of the
   * farthest first-layer kink from the origin). Gaussian inputs at scales {@code R/4 … 8R} as in
   * the generic count, and, for piecewise-linear activations, the midpoint of every linear piece of
   * random whole lines (walked from a point at scale {@code R/4, R, 4R} to infinity both ways, so
   * that the unbounded end pieces are included: a unit that switches anywhere on such a line is
   * seen switching); then Gaussian inputs at scales {@code R/20 … 50R} that switch units seen too
   * rarely. A unit never on (never off) on all of these is counted dead (always on); the orbit is
   * {@code P −} the rank of the Jacobian over all inputs, grown as in the generic count while the
   * rank grows. Nothing is rejected: degenerate draws are what this reports.
   */
  public static List<Draw> draws(FeedForward arch, LayerDraw density, int draws, long seed, int threads) {
    checkSize(arch.parameterCount());
    Draw[] out = new Draw[draws];
    java.util.function.IntConsumer one = d -> {
      int L = arch.layers();
      int[] w = arch.widths();
      double[][] W = new double[L][], b = arch.b() == null ? null : new double[L][];
      for (int l = 0; l < L; l++) {
        W[l] = new double[w[l + 1] * w[l]];
        if (arch.hasBias(l)) b[l] = new double[w[l + 1]];
      }
      density.draw(org.nnft.numeric.Rng.forStream(seed, d), W, b);
      FeedForward net = new FeedForward(w.clone(), arch.act(), W, b, arch.acts());
      out[d] = analyseDraw(net, new SplittableRandom(org.nnft.numeric.Rng.forStream(seed ^ 0x0D1A7E5L, d).nextLong()));
    };
    if (threads <= 1 || draws < 2) {
      for (int d = 0; d < draws; d++) one.accept(d);
    } else {
      java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
      try {
        pool.submit(() -> java.util.stream.IntStream.range(0, draws).parallel().forEach(one)).join();
      } finally {
        pool.shutdown();
      }
    }
    return List.of(out);
  }

  /** The distance of the farthest first-layer kink from the origin, at least 1. */
  static double kinkScale(FeedForward net) {
    double r = 1;
    if (!net.hasBias(0)) return r;
    int m = net.widths()[0];
    for (int i = 0; i < net.widths()[1]; i++) {
      double n2 = 0;
      for (int j = 0; j < m; j++) n2 += net.W()[0][i * m + j] * net.W()[0][i * m + j];
      if (n2 > 0) r = Math.max(r, Math.abs(net.b()[0][i]) / Math.sqrt(n2));
    }
    return r;
  }

  static Draw analyseDraw(FeedForward net, SplittableRandom rng) {
    int P = net.parameterCount();
    boolean pl = net.anyPiecewiseLinear();
    double scale = kinkScale(net);
    List<double[]> xs = new ArrayList<>();
    addDrawBatch(net, xs, rng, pl, scale);
    int dead = 0, alwaysOn = 0;
    if (pl) {
      Switching sw = extendForSwitching(net, xs, rng, scale);
      for (int l = 0; l < sw.on().length; l++) {
        if (!GaugeActivation.piecewiseLinear(net.act(l))) continue;
        for (int i = 0; i < sw.on()[l].length; i++) {
          if (sw.on()[l][i] == 0) dead++;
          else if (sw.off()[l][i] == 0) alwaysOn++;
        }
      }
    }
    GaugeRank.Info info = rankOn(net, xs, rng);
    for (int round = 0; P <= GaugeRank.DIRECT_COLS && round < 4; round++) {
      addDrawBatch(net, xs, rng, pl, scale);
      GaugeRank.Info more = rankOn(net, xs, rng);
      boolean grew = more.rank() > info.rank();
      info = more;
      if (!grew) break;
    }
    return new Draw(P - info.rank(), info.rank(), dead, alwaysOn, xs.size());
  }

  /** As {@link #addBatch}, at the draw's scale, with whole lines instead of segments. */
  private static void addDrawBatch(FeedForward net, List<double[]> xs, SplittableRandom rng, boolean pl, double scale) {
    int P = net.parameterCount(), out = net.outputDim(), in = net.inputDim();
    int mult = P > GaugeRank.DIRECT_COLS || P <= SMALL ? LARGE_BATCH_FACTOR : 2;
    int gauss = mult * Math.max(64, (4 * P + out - 1) / out);
    for (int n = 0; n < gauss; n++) xs.add(gaussianInput(rng, in, scale * SCALES[n % SCALES.length]));
    if (pl) {
      int half = mult * Math.max(32, (2 * P + out - 1) / out);
      int added = 0;
      for (int k = 0; added < half; k++) {
        double[] p = gaussianInput(rng, in, scale * LINE_SCALES[k % LINE_SCALES.length]);
        double[] u = gaussianInput(rng, in, 1);
        added += walkRay(net, xs, p, u) + walkRay(net, xs, p, negate(u));
      }
    }
  }

  private static double[] negate(double[] u) {
    double[] v = new double[u.length];
    for (int i = 0; i < u.length; i++) v[i] = -u[i];
    return v;
  }

  /**
   * Walks the ray {@code p + t u}, {@code t ≥ 0}, through the linear pieces of a piecewise-linear net to
   * infinity (on each piece the pre-activations are affine in {@code t}; the next kink is where the first
   * of them changes sign, none in the last piece) and adds a point inside every piece.
   */
  private static int walkRay(FeedForward net, List<double[]> xs, double[] p, double[] u) {
    int d = net.inputDim();
    int added = 0;
    double t = 0;
    for (int pieces = 0; pieces < 100_000; pieces++) {
      double next = nextKink(net, p, u, t, Double.POSITIVE_INFINITY);
      double at = Double.isInfinite(next) ? t + Math.max(1, Math.abs(t)) : 0.5 * (t + next);
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = p[i] + at * u[i];
      xs.add(x);
      added++;
      if (Double.isInfinite(next)) break;
      t = next + 1e-9 * Math.max(1, Math.abs(next));
    }
    return added;
  }

  // ---------------------------------------------------------------- attention

  private static Point attentionPoint(Attention arch, SplittableRandom rng) {
    int P = arch.parameterCount(), d = arch.dModel();
    Attention net = Attention.random(d, arch.dK(), arch.dV(), arch.heads(), rng);
    double[] scales = {0.5, 1, 2};
    List<double[][]> seqs = new ArrayList<>();
    int rows = 0;
    for (int s = 0; rows < Math.max(4 * P, 64); s++) {
      int len = 2 + s % 5;
      double scale = scales[(s / 5) % scales.length];
      double[][] X = new double[len][];
      for (int i = 0; i < len; i++) X[i] = gaussianInput(rng, d, scale);
      seqs.add(X);
      rows += len * d;
    }
    final int total = rows;
    GaugeRank.Info info = GaugeRank.rank(total, P, sink -> {
      for (double[][] X : seqs) {
        double[][] block = new double[X.length * d][P];
        net.jacobianRows(X, block);
        for (double[] r : block) sink.accept(r);
      }
    }, rng.nextLong());
    return new Point(info, seqs.size(), "sequences", "");
  }
}
