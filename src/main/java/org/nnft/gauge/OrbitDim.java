package org.nnft.gauge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The dimension of the generic gauge orbit of an architecture: the number of parameters minus the
 * functional dimension, where the functional dimension is the rank of the Jacobian {@code ∂f(X)/∂θ}
 * of all outputs over an input batch {@code X} with respect to all parameters, at a generic
 * (random) parameter point.
 *
 * <h2>Rank and tolerance</h2>
 * The rank is the number of singular values of the Jacobian above
 * <pre>  tol = max(rows, cols) · ε · σ_max · 10³,   ε = 2⁻⁵² ≈ 2.2e-16,</pre>
 * where {@code rows} = batch size × outputs and {@code cols} = parameters; the factor 10³ over the
 * usual {@code max(rows, cols) ε σ_max} leaves room for the rounding of the Jacobian itself (it is
 * computed analytically, so its error is a few ulps of each product). {@link Result#gap()} is
 * {@code σ_r / σ_{r+1}} (infinite when {@code r = cols}); with the spreads of inputs used here the
 * observed gaps are many orders of magnitude (see the tests), so the rank does not depend on the
 * factor 10³. Up to 500 parameters all singular values are computed (QR, then SVD of {@code R});
 * above, rows are streamed into a sparse random sketch and the rank is certified by a rank-revealing
 * QR (see {@code GaugeRank}), so that a net of about 2,000 parameters takes seconds.
 *
 * <h2>Batches</h2>
 * Feed-forward: {@code max(64, ⌈4 P / outputs⌉)} inputs {@code x = s g}, {@code g ~ N(0, I)}, with the
 * scale {@code s} cycling through 1/4, 1/2, 1, 2, 4, 8 (at least 4 P rows). For piecewise-linear
 * activations (ReLU, leaky ReLU, abs) every hidden unit must be active on at least {@code fan_in + 1}
 * inputs and inactive on as many — a unit that never switches on the batch is linear there and fakes
 * extra symmetries (a batch that is too narrow undercounts the rank); the batch is then extended by
 * inputs drawn at scales from 1/20 to 50 that switch the deficient units. A unit that switches on
 * none of those is (almost surely) constant on the whole input space — a dead or always-active unit,
 * which happens with positive probability in deep narrow nets and is not generic in the sense of the
 * orbit formula — and the parameter point is redrawn (said in the note).
 * Attention: sequences of lengths 2..6 with token entries {@code N(0, s²)}, {@code s ∈ {1/2, 1, 2}},
 * at least 4 P rows.
 *
 * <h2>Parameter points</h2>
 * Weights {@code N(0, 1/fan_in)}, biases {@code N(0, 1)} (for attention {@code N(0, 1/fan_in)} for
 * every matrix); the net's own parameter values are not used, only its architecture. The rank is
 * computed at two independent points (and batches) from {@code seed}; both are reported.
 */
public final class OrbitDim {
  private OrbitDim() {}

  /**
   * @param parameters number of parameters {@code P}
   * @param rank rank of the Jacobian at the first point (the functional dimension)
   * @param orbitDim {@code P − rank}
   * @param rankAtSecondPoint rank at an independent second parameter point (should equal {@code rank})
   * @param gap {@code σ_r / σ_{r+1}} at the first point (a lower bound when the rank was certified by
   *     rank-revealing QR; infinite at full column rank)
   * @param tolerance the singular-value threshold at the first point
   * @param note batch sizes, method, singular values, redraws, timing, disagreements
   */
  public record Result(int parameters, int rank, int orbitDim, int rankAtSecondPoint, double gap,
      double tolerance, String note) {}

  private static final double[] SCALES = {0.25, 0.5, 1, 2, 4, 8};
  private static final double[] WIDE_SCALES = {0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 50};
  private static final int MAX_REDRAWS = 20;
  private static final int SWITCH_FACTOR = 4;
  /**
   * Standard deviation of the random biases. With N(0, 1) biases deep narrow ReLU nets often land on
   * degenerate points (measured for 4→8→8→8→2: about 1 draw in 10 reaches the generic rank, against
   * 1 in 2 with 0.3).
   */
  private static final double BIAS_SCALE = 0.3;
  /** Batch multiplier above {@code GaugeRank.DIRECT_COLS} parameters (rows only feed the sketch there). */
  private static final int LARGE_BATCH_FACTOR = 3;
  private static final double[] LINE_SCALES = {0.25, 1, 4};
  private static final double LINE_HALF_LENGTH = 20;
  /** Up to this many parameters, 24 parameter draws are tried (8 up to 500, 2 above). */
  private static final int SMALL = 150;

  /** The generic orbit dimension of the architecture of {@code net}. */
  public static Result of(FeedForward net, long seed) {
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(seed);
    Point a = feedForwardPoint(net, root.split());
    Point b = feedForwardPoint(net, root.split());
    return result(net.parameterCount(), a, b, t0);
  }

  /** The generic orbit dimension of the architecture of {@code net}. */
  public static Result of(Attention net, long seed) {
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(seed);
    Point a = attentionPoint(net, root.split());
    Point b = attentionPoint(net, root.split());
    return result(net.parameterCount(), a, b, t0);
  }

  private record Point(GaugeRank.Info info, int batch, String unit, String remark) {}

  private static Result result(int p, Point a, Point b, long t0) {
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
    return new FeedForward(w.clone(), net.act(), W, b);
  }

  private static double[] gaussianInput(SplittableRandom rng, int dim, double scale) {
    double[] x = new double[dim];
    for (int i = 0; i < dim; i++) x[i] = scale * rng.nextGaussian();
    return x;
  }

  private static Point feedForwardPoint(FeedForward arch, SplittableRandom rng) {
    int P = arch.parameterCount(), out = arch.outputDim();
    boolean pl = GaugeActivation.piecewiseLinear(arch.act());
    int draws = P <= SMALL ? 24 : (P <= GaugeRank.DIRECT_COLS ? 8 : 2);
    boolean saturate = P <= GaugeRank.DIRECT_COLS;
    int hidden = 0;
    for (int l = 1; l < arch.widths().length - 1; l++) hidden += arch.widths()[l];
    // the rescaling directions of the hidden units always lie in the kernel: no draw can do better
    int ceiling = GaugeActivation.positivelyHomogeneous(arch.act()) ? P - hidden : P;
    GaugeRank.Info best = null;
    int bestBatch = 0, redraws = 0;
    StringBuilder remarks = new StringBuilder();
    List<Integer> ranks = new ArrayList<>();
    for (int d = 0; d < draws; d++) {
      FeedForward net = null;
      List<double[]> xs = null;
      String problem = null;
      for (int attempt = 0; attempt <= MAX_REDRAWS; attempt++) {
        net = randomLike(arch, rng);
        xs = new ArrayList<>();
        addBatch(net, xs, rng, pl);
        problem = pl ? extendForSwitching(net, xs, rng) : null;
        if (problem == null) break;
        redraws++;
        if (remarks.length() < 400) remarks.append(remarks.length() == 0 ? "" : "; ").append(problem);
      }
      if (problem != null) remarks.append(" (gave up redrawing)");
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
    String remark = "";
    if (ranks.size() > 1) {
      remark = "ranks over " + ranks.size() + " parameter draws " + ranks + " (the largest is reported; ReLU-type nets have"
          + " degenerate points of lower functional dimension on sets of positive measure)";
    }
    if (redraws > 0) {
      remark += (remark.isEmpty() ? "" : "; ") + redraws + " draw(s) rejected because a hidden unit did not switch: " + remarks;
    }
    return new Point(best, bestBatch, "inputs", remark);
  }

  private static GaugeRank.Info rankOn(FeedForward net, List<double[]> xs, SplittableRandom rng) {
    int P = net.parameterCount(), out = net.outputDim();
    return GaugeRank.rank(xs.size() * out, P, sink -> {
      double[][] rows = new double[out][P];
      for (double[] x : xs) {
        for (double[] r : rows) java.util.Arrays.fill(r, 0);
        net.jacobianRows(x, rows);
        for (double[] r : rows) sink.accept(r);
      }
    }, rng.nextLong());
  }

  /**
   * Adds at least {@code 4 P} rows of Gaussian inputs at the scales {@link #SCALES} and, for
   * piecewise-linear activations, {@code 2 P} more rows from inputs in every linear region crossed by
   * random lines (the Gaussian inputs miss small regions of deep narrow nets; the lines find them).
   */
  private static void addBatch(FeedForward net, List<double[]> xs, SplittableRandom rng, boolean pl) {
    int P = net.parameterCount(), out = net.outputDim(), in = net.inputDim();
    // past GaugeRank.DIRECT_COLS rows only feed the sketch (cheap), and there is no saturation loop
    int mult = P > GaugeRank.DIRECT_COLS ? LARGE_BATCH_FACTOR : 1;
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
    int d = net.inputDim(), L = net.layers();
    int[] w = net.widths();
    double[] p = gaussianInput(rng, d, scale);
    double[] u = gaussianInput(rng, d, 1);
    double nu = 0;
    for (double v : u) nu += v * v;
    nu = Math.sqrt(nu);
    for (int i = 0; i < d; i++) u[i] /= nu;
    String act = net.act();
    int added = 0;
    double t = -LINE_HALF_LENGTH;
    for (int pieces = 0; t < LINE_HALF_LENGTH && pieces < 100_000; pieces++) {
      double[] h = new double[d], dh = u.clone();
      for (int i = 0; i < d; i++) h[i] = p[i] + t * u[i];
      double next = LINE_HALF_LENGTH;
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
          if (z * dz < 0) next = Math.min(next, t - z / dz);
          double slope = GaugeActivation.derivative(act, z);
          nh[i] = GaugeActivation.apply(act, z);
          ndh[i] = slope * dz;
        }
        h = nh;
        dh = ndh;
      }
      double mid = 0.5 * (t + next);
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = p[i] + mid * u[i];
      xs.add(x);
      added++;
      t = next + 1e-9 * Math.max(1, Math.abs(next));
    }
    return added;
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
  private static String extendForSwitching(FeedForward net, List<double[]> xs, SplittableRandom rng) {
    int L = net.layers();
    int[] w = net.widths();
    int[][] on = new int[L - 1][], off = new int[L - 1][];
    for (int l = 0; l < L - 1; l++) {
      on[l] = new int[w[l + 1]];
      off[l] = new int[w[l + 1]];
    }
    for (double[] x : xs) count(net, x, on, off);
    int patience = 2000 + 2 * xs.size(), budget = 5 * patience;
    int idle = 0;
    for (int tries = 0; idle < patience && tries < budget; tries++, idle++) {
      if (firstDeficient(w, on, off) == null) return null;
      double[] x = gaussianInput(rng, w[0], WIDE_SCALES[tries % WIDE_SCALES.length]);
      double[][] z = net.preActivations(x);
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
        count(net, x, on, off);
        idle = 0;
      }
    }
    int[] def = firstDeficient(w, on, off);
    if (def == null) return null;
    int l = def[0], i = def[1];
    return "hidden unit " + i + " of layer " + (l + 1) + " is on for " + on[l][i] + " and off for " + off[l][i]
        + " inputs (need " + switchesNeeded(w[l]) + " each)";
  }

  private static void count(FeedForward net, double[] x, int[][] on, int[][] off) {
    double[][] z = net.preActivations(x);
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
