package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;

/**
 * One pass over an ensemble for a set of requests. The ensemble is cut into fixed chunks (their
 * size depends only on the count); chunk k draws from the random stream (seed, k). Each chunk
 * produces sums of the needed monomials (products of the field at points), merged into batches in
 * chunk order, so results are bit-identical at any thread count and memory does not grow with the
 * count. Estimates are functions of monomial means; their errors come from the jackknife over
 * batches (for moments, the same as batch means).
 *
 * <p>The chunks are {@link ChunkJob}s of a {@link Pass} computing {@link MonomialSums}, run by an
 * {@link Engine} ({@link LocalEngine} unless another is set) and reduced by
 * {@link MonomialSums.Batches}; this class builds the monomials and turns their sums into estimates.
 */
public final class Runner {
  public static final int MAX_BATCHES = 64;

  public enum Mode { NETWORKS, NEURONS }

  private final CompiledNet net;
  private final Mode mode;
  private final long count;
  private final long seed;
  private final int threads;
  private final List<Request> requests;

  // union of points and monomials
  private final List<double[]> points = new ArrayList<>();
  private final Map<String, Integer> pointIndex = new HashMap<>();
  private final Map<String, Integer> monoIndex = new LinkedHashMap<>();
  private final List<int[]> monos = new ArrayList<>(); // sorted point indices
  private final int[][] requestMonos; // per request: the monomial of each subset (mask) of its positions
  // monomials are built by extending a smaller one by one point, smaller ones first
  private final int[] parent, last, order;

  public LongConsumer progress = x -> { };
  public BooleanSupplier cancelled = () -> false;
  /** A few words from the engine on where the work is ("spark: 3 of 8 tasks done"). */
  public java.util.function.Consumer<String> note = x -> { };

  public Runner(CompiledNet net, Mode mode, long count, long seed, int threads, List<Request> requests) {
    this.net = net;
    this.mode = mode;
    this.count = count;
    this.seed = seed;
    this.threads = Math.max(1, threads);
    this.requests = requests;
    requestMonos = new int[requests.size()][];
    for (int r = 0; r < requests.size(); r++) {
      double[][] ps = requests.get(r).points();
      int[] idx = new int[ps.length];
      for (int j = 0; j < ps.length; j++) {
        String k = Arrays.toString(ps[j]);
        Integer i = pointIndex.get(k);
        if (i == null) {
          i = points.size();
          points.add(ps[j]);
          pointIndex.put(k, i);
        }
        idx[j] = i;
      }
      int n = idx.length;
      int[] byMask = new int[1 << n];
      for (int mask = 1; mask < (1 << n); mask++) byMask[mask] = mono(idx, mask);
      requestMonos[r] = byMask;
    }
    int nm = monos.size();
    parent = new int[nm];
    last = new int[nm];
    for (int m = 0; m < nm; m++) {
      int[] mono = monos.get(m);
      last[m] = mono[mono.length - 1];
      // the prefix of a sorted sub-multiset is itself a sub-multiset of the same request
      parent[m] = mono.length == 1 ? -1 : monoIndex.get(Arrays.toString(Arrays.copyOf(mono, mono.length - 1)));
    }
    Integer[] o = new Integer[nm];
    for (int i = 0; i < nm; i++) o[i] = i;
    Arrays.sort(o, (a, b) -> Integer.compare(monos.get(a).length, monos.get(b).length));
    order = new int[nm];
    for (int i = 0; i < nm; i++) order[i] = o[i];
  }

  private int mono(int[] idx, int mask) {
    int[] m = new int[Integer.bitCount(mask)];
    int k = 0;
    for (int j = 0; j < idx.length; j++) if ((mask & (1 << j)) != 0) m[k++] = idx[j];
    Arrays.sort(m);
    String key = Arrays.toString(m);
    Integer id = monoIndex.get(key);
    if (id == null) {
      id = monos.size();
      monos.add(m);
      monoIndex.put(key, id);
    }
    return id;
  }

  public static int chunkSize(long count) {
    long c = (count + MAX_BATCHES - 1) / MAX_BATCHES;
    return (int) Math.max(1, Math.min(4096, c));
  }

  /**
   * Largest |summand| values kept per monomial (per chunk, then merged): the tail of the summands,
   * for a Hill estimate of its shape k (1/k is the tail index; k above 1/2 means an infinite
   * variance, and above {@value #TAIL_LIMIT} the batch errors are too small on many seeds).
   */
  static final int TOP = 256;
  /** Above this tail shape an estimate's error bar cannot be trusted. */
  public static final double TAIL_LIMIT = 0.7;

  private int topSize() {
    return (int) Math.max(17, Math.min(TOP + 1, (1 << 20) / Math.max(1, monos.size())));
  }

  /**
   * The engine that runs the chunk jobs; null: a {@link LocalEngine} with this runner's threads,
   * progress and cancellation.
   */
  public Engine engine;

  /**
   * The log-weight of each network (null: an unweighted ensemble): estimates become self-normalised,
   * Σ w x / Σ w, with jackknife errors of the ratio.
   */
  public Functional logWeight;

  /** After a weighted run: the weights' diagnostics. */
  public Weights weights;

  /**
   * The weights of a weighted run: Kish's effective sample size (Σw)²/Σw², the Pareto k̂ of the
   * largest weights, and the quadrature check: on {@code checked} networks the log-weight was also
   * computed with every integral's points doubled; {@code maxLogWeightChange} is the largest change
   * and {@code quadratureShift[r]} the change of request r's estimate on those networks.
   */
  public record Weights(long networks, double ess, double khat, long checked, double maxLogWeightChange, double[] quadratureShift,
      double[] quadratureError) {}

  /** Every this many networks the quadrature is checked by doubling its points. */
  static final int CHECK_STRIDE = 32;

  /** The pass over the ensemble this runner makes: one chunk job per chunk, computing {@link MonomialSums} (or {@link WeightedSums}). */
  public Pass pass() {
    CompiledNet kernelNet = mode == Mode.NEURONS ? net.neuron : net;
    int np = points.size(), d = kernelNet.inDim;
    MonomialSums mono = new MonomialSums(order, parent, last, topSize());
    List<Density> dens = new ArrayList<>();
    for (CompiledNet.Param p : kernelNet.params) dens.add(p.density());
    if (logWeight != null) {
      if (mode != Mode.NETWORKS) throw new IllegalStateException("a weighted ensemble is estimated network by network");
      Functional.Layout lw = logWeight.layout(d);
      Functional.Layout dbl = !logWeight.integrates() ? lw : logWeight.doubled().layout(d);
      double[] wx = lw.points();
      double[] xs = new double[np * d + wx.length];
      for (int p = 0; p < np; p++) System.arraycopy(points.get(p), 0, xs, p * d, d);
      System.arraycopy(wx, 0, xs, np * d, wx.length);
      int check = !logWeight.integrates() ? 0 : CHECK_STRIDE;
      int topW = Math.min(1 << 15, Psis.tail(count) + 1);
      return new Pass(kernelNet.tape, dens, xs, new WeightedSums(mono, np, lw, dbl, check, topW), seed, count, chunkSize(count));
    }
    double[] xs = new double[np * d];
    for (int p = 0; p < np; p++) System.arraycopy(points.get(p), 0, xs, p * d, d);
    return new Pass(kernelNet.tape, dens, xs, mono, seed, count, chunkSize(count));
  }

  /** Runs the pass and returns one estimate per request. */
  public List<Estimate> run() {
    long t0 = System.nanoTime();
    Pass pass = pass();
    int cs = pass.chunkSize();
    int nb = (int) Math.min(MAX_BATCHES, pass.chunks());
    int kp = topSize();
    Engine e = engine;
    if (e == null) {
      e = new LocalEngine(threads);
    }
    // chunk k (random stream (seed, k)) goes to batch k mod 64 in every ensemble of this seed, so
    // estimates of two ensembles drawn with the same seed pair up batch by batch
    Reduction reduced = e.reduce(pass, new Engine.Watch(cancelled, done -> progress.accept(Math.min(count, done * cs)), note));
    if (reduced.networks() != count) throw new IllegalStateException("the engine reduced " + reduced.networks() + " of " + count + " networks");
    if (logWeight != null) {
      WeightedSums.Batches wb = (WeightedSums.Batches) reduced;
      double secs = (System.nanoTime() - t0) / 1e9;
      WeightedSums.Stats all = wb.all;
      double khat = Psis.khat(all.wtop(), all.wtopN(), count);
      double ess = all.wsum() * all.wsum() / all.w2sum();
      double[] tail = tails(all.tops(), all.topN(), all.top());
      // an estimate's tail is the heavier of its summands' and its weights'
      for (int m = 0; m < tail.length; m++) if (khat > tail[m] || Double.isNaN(tail[m])) tail[m] = khat;
      List<Estimate> out = estimates(wb.sums, wb.wsums, tail, secs, "weighted networks (self-normalised), " + count + " samples, ESS = " + org.nnft.report.Format.num(ess, 4));
      double[] shift = new double[requests.size()], shiftErr = new double[requests.size()];
      if (all.checked() > 0) {
        for (int r = 0; r < shift.length; r++) {
          double[] d = new double[nb + 1];
          for (int leave = -1; leave < nb; leave++) d[leave + 1] = shift(wb, leave, r);
          shift[r] = d[0];
          double avg = 0, ss = 0;
          for (int b = 1; b <= nb; b++) avg += d[b] / nb;
          for (int b = 1; b <= nb; b++) ss += (d[b] - avg) * (d[b] - avg);
          shiftErr[r] = nb > 1 ? Math.sqrt((nb - 1.0) / nb * ss) : Double.NaN;
        }
      }
      weights = new Weights(all.networks(), ess, khat, all.checked(), all.maxDl(), shift, shiftErr);
      return out;
    }
    MonomialSums.Batches batches = (MonomialSums.Batches) reduced;
    double secs = (System.nanoTime() - t0) / 1e9;
    double[] counts = new double[nb];
    long n = 0;
    for (int b = 0; b < nb; b++) { counts[b] = batches.counts[b]; n += batches.counts[b]; }
    double[][] sums = new double[nb][];
    for (int b = 0; b < nb; b++) sums[b] = batches.sums(b);
    return estimates(sums, counts, tails(batches.tops, batches.topN, kp), secs, note(n, secs));
  }

  /**
   * Each monomial's tail shape: the smaller of the Hill estimates from its 64 and its 256 largest
   * |summands| (NaN when there are too few samples or nonzero values to tell). A power law keeps
   * its shape at both depths; a light tail raised to a power (x^4 of a Laplace variable at 2e4
   * samples) looks heavier near the bulk and lighter deeper in, so requiring both keeps such
   * estimates, whose errors are fine, from being flagged.
   */
  private double[] tails(double[] top, int[] topN, int kp) {
    if (top.length != topN.length * kp) throw new IllegalArgumentException("tops of " + kp + " per monomial");
    int nm = topN.length;
    double[] out = new double[nm];
    for (int m = 0; m < nm; m++) {
      int k = Math.min(topN[m], (int) Math.min(kp, count / 20 + 1)) - 1;
      if (k < 16) { out[m] = Double.NaN; continue; }
      double[] t = Arrays.copyOfRange(top, m * kp, m * kp + topN[m]);
      Arrays.sort(t);
      out[m] = Math.min(hill(t, k), hill(t, Math.min(k, 64)));
    }
    return out;
  }

  /** The Hill estimate from the k largest of sorted values t (NaN when the threshold is 0). */
  private static double hill(double[] t, int k) {
    double u = t[t.length - 1 - k];
    if (!(u > 0)) return Double.NaN;
    double h = 0;
    for (int i = t.length - k; i < t.length; i++) h += Math.log(t[i] / u);
    return h / k;
  }

  /** Estimates from per-batch sums and per-batch weights (counts, for an unweighted ensemble): ratios with jackknife errors. */
  private List<Estimate> estimates(double[][] batchSum, double[] batchCount, double[] tail, double secs, String note) {
    int nb = batchSum.length, nm = monos.size();
    double[] total = new double[nm];
    double n = 0;
    for (int b = 0; b < nb; b++) {
      for (int m = 0; m < nm; m++) total[m] += batchSum[b][m];
      n += batchCount[b];
    }
    double[] mean = new double[nm];
    for (int m = 0; m < nm; m++) mean[m] = total[m] / n;
    double[][] loo = new double[nb][nm];
    for (int b = 0; b < nb; b++) {
      double nn = n - batchCount[b];
      for (int m = 0; m < nm; m++) loo[b][m] = (total[m] - batchSum[b][m]) / nn;
    }
    List<Estimate> out = new ArrayList<>();
    for (int r = 0; r < requests.size(); r++) {
      int[] idx = requestMonos[r];
      boolean conn = requests.get(r).connected();
      double f = estimate(idx, conn, mean);
      double err = 0;
      double[] fb = null;
      if (nb > 1) {
        fb = new double[nb];
        double avg = 0;
        for (int b = 0; b < nb; b++) { fb[b] = estimate(idx, conn, loo[b]); avg += fb[b]; }
        avg /= nb;
        double ss = 0;
        for (int b = 0; b < nb; b++) ss += (fb[b] - avg) * (fb[b] - avg);
        err = Math.sqrt((nb - 1.0) / nb * ss);
      } else {
        err = Double.NaN;
      }
      double k = Double.NaN;
      for (int mask = 1; mask < idx.length; mask++) {
        double t = tail[idx[mask]];
        if (!Double.isNaN(t) && !(t <= k)) k = t;
      }
      out.add(new Estimate(f, err, note, fb, k));
    }
    return out;
  }

  /** The change of request r's estimate on the checked networks when the quadrature's points double, leaving out batch {@code leave} (-1: none). */
  private double shift(WeightedSums.Batches wb, int leave, int r) {
    int nm = monos.size();
    double[] m1 = new double[nm], m2 = new double[nm];
    double w1 = 0, w2 = 0;
    for (int b = 0; b < wb.cw1.length; b++) {
      if (b == leave) continue;
      w1 += wb.cw1[b];
      w2 += wb.cw2[b];
      for (int m = 0; m < nm; m++) { m1[m] += wb.c1[b][m]; m2[m] += wb.c2[b][m]; }
    }
    if (!(w1 > 0 && w2 > 0)) return 0;
    for (int m = 0; m < nm; m++) { m1[m] /= w1; m2[m] /= w2; }
    return estimate(requestMonos[r], requests.get(r).connected(), m2) - estimate(requestMonos[r], requests.get(r).connected(), m1);
  }

  private String note(long n, double secs) {
    if (mode == Mode.NETWORKS) return "networks, " + n + " samples";
    return "iid neurons, N = " + net.width + ", " + n + " neuron samples"
        + (net.integratedWeight != null ? ", Gaussian output weight integrated exactly" : "");
  }

  /** The mean of the monomial over the chosen positions (byMask: the request's monomials), in the units of the sampled term. */
  private double mu(int[] byMask, int mask, double[] mean) {
    double v = mean[byMask[mask]];
    if (mode == Mode.NEURONS && net.integratedWeight != null) {
      Density a = net.integratedWeight;
      v *= a.rawMoment(Integer.bitCount(mask));
    }
    return v;
  }

  /** Joint cumulant of the sampled quantity over the positions in mask. */
  private double kappa(int[] idx, int mask, double[] mean, Map<Integer, Double> memo) {
    Double c = memo.get(mask);
    if (c != null) return c;
    double s = 0;
    for (int[] part : Partitions.of(mask)) {
      double prod = Partitions.cumulantWeight(part.length);
      for (int block : part) prod *= mu(idx, block, mean);
      s += prod;
    }
    memo.put(mask, s);
    return s;
  }

  private double estimate(int[] idx, boolean connected, double[] mean) {
    int full = idx.length - 1; // idx has one entry per mask: 2^n
    Map<Integer, Double> memo = new HashMap<>();
    if (mode == Mode.NETWORKS) {
      return connected ? kappa(idx, full, mean, memo) : mu(idx, full, mean);
    }
    // phi = sum of N i.i.d. terms: its cumulants are N times the term's
    double nw = net.width;
    if (connected) return nw * kappa(idx, full, mean, memo);
    double s = 0;
    for (int[] part : Partitions.of(full)) {
      double prod = 1;
      for (int block : part) prod *= nw * kappa(idx, block, mean, memo);
      s += prod;
    }
    return s;
  }
}
