package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Rng;

/**
 * One pass over an ensemble for a set of requests. The ensemble is cut into fixed chunks (their
 * size depends only on the count); chunk k draws from the random stream (seed, k). Each chunk
 * produces sums of the needed monomials (products of the field at points), merged into batches in
 * chunk order, so results are bit-identical at any thread count and memory does not grow with the
 * count. Estimates are functions of monomial means; their errors come from the jackknife over
 * batches (for moments, the same as batch means).
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

  /** What one chunk adds: monomial sums (last entry: the count) and its largest |summands|. */
  private record Part(double[] sums, double[] top, int[] topN) {}

  /** Runs the pass and returns one estimate per request. */
  public List<Estimate> run() {
    long t0 = System.nanoTime();
    int cs = chunkSize(count);
    long chunks = (count + cs - 1) / cs;
    int nb = (int) Math.min(MAX_BATCHES, chunks);
    int nm = monos.size();
    int kp = topSize();
    double[][] batchSum = new double[nb][nm];
    long[] batchCount = new long[nb];
    double[] top = new double[nm * kp];
    int[] topN = new int[nm];
    CompiledNet kernelNet = mode == Mode.NEURONS ? net.neuron : net;
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "nnft-sampler");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      int wave = 8 * threads;
      for (long start = 0; start < chunks; start += wave) {
        if (cancelled.getAsBoolean()) throw new CancellationException();
        long end = Math.min(chunks, start + wave);
        Part[] results = new Part[(int) (end - start)];
        if (pool == null) {
          for (long k = start; k < end; k++) results[(int) (k - start)] = chunk(kernelNet, k, cs, kp);
        } else {
          List<Future<Part>> fs = new ArrayList<>();
          for (long k = start; k < end; k++) {
            final long kk = k;
            fs.add(pool.submit(() -> chunk(kernelNet, kk, cs, kp)));
          }
          for (int i = 0; i < fs.size(); i++) {
            try {
              results[i] = fs.get(i).get();
            } catch (ExecutionException e) {
              if (e.getCause() instanceof RuntimeException re) throw re;
              throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new CancellationException();
            }
          }
        }
        for (long k = start; k < end; k++) {
          // chunk k (random stream (seed, k)) goes to batch k mod 64 in every ensemble of this
          // seed, so estimates of two ensembles drawn with the same seed pair up batch by batch
          int b = (int) (k % nb);
          Part r = results[(int) (k - start)];
          double[] s = batchSum[b];
          for (int m = 0; m < nm; m++) s[m] += r.sums[m];
          batchCount[b] += r.sums[nm] > 0 ? (long) r.sums[nm] : 0;
          for (int m = 0; m < nm; m++) for (int i = 0; i < r.topN[m]; i++) offer(top, topN, m, kp, r.top[m * kp + i]);
        }
        progress.accept(Math.min(count, end * cs));
      }
    } finally {
      if (pool != null) pool.shutdownNow();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    return estimates(batchSum, batchCount, tails(top, topN, kp), secs);
  }

  /** Keeps the kp largest values offered to monomial m in a min-heap. */
  private static void offer(double[] heap, int[] size, int m, int kp, double v) {
    int base = m * kp, n = size[m];
    if (n < kp) {
      int i = n;
      while (i > 0) {
        int parent = (i - 1) / 2;
        if (heap[base + parent] <= v) break;
        heap[base + i] = heap[base + parent];
        i = parent;
      }
      heap[base + i] = v;
      size[m] = n + 1;
      return;
    }
    if (!(v > heap[base])) return;
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= kp) break;
      int c = l + 1 < kp && heap[base + l + 1] < heap[base + l] ? l + 1 : l;
      if (heap[base + c] >= v) break;
      heap[base + i] = heap[base + c];
      i = c;
    }
    heap[base + i] = v;
  }

  /**
   * Each monomial's tail shape: the smaller of the Hill estimates from its 64 and its 256 largest
   * |summands| (NaN when there are too few samples or nonzero values to tell). A power law keeps
   * its shape at both depths; a light tail raised to a power (x^4 of a Laplace variable at 2e4
   * samples) looks heavier near the bulk and lighter deeper in, so requiring both keeps such
   * estimates, whose errors are fine, from being flagged.
   */
  private double[] tails(double[] top, int[] topN, int kp) {
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

  /** Monomial sums of one chunk (the last entry is the number of samples) and its largest |summands|. */
  private Part chunk(CompiledNet cn, long k, int cs, int kp) {
    long first = k * cs;
    int n = (int) Math.min(cs, count - first);
    Rng rng = Rng.forStream(seed, k);
    Forward ker = new Forward(cn.tape, points.size());
    int np = points.size(), d = cn.inDim, nm = monos.size();
    double[] xs = new double[np * d];
    for (int p = 0; p < np; p++) {
      double[] pt = points.get(p);
      System.arraycopy(pt, 0, xs, p * d, d);
    }
    double[] phi = new double[np];
    double[] mv = new double[nm];
    double[] sums = new double[nm + 1];
    double[] top = new double[nm * kp];
    int[] topN = new int[nm];
    double[] floor = new double[nm];
    Arrays.fill(floor, -1);
    int outSize = ker.outputSize();
    double[] out = outSize == 1 ? phi : new double[outSize * np];
    CompiledNet.Drawer drawer = cn.drawer(ker);
    for (int i = 0; i < n; i++) {
      drawer.draw(rng);
      ker.eval(xs, out);
      if (outSize != 1) throw new IllegalStateException("correlators of vector outputs");
      for (int m : order) {
        double v = phi[last[m]];
        double x = parent[m] < 0 ? v : mv[parent[m]] * v;
        mv[m] = x;
        sums[m] += x;
        double a = Math.abs(x);
        if (a > floor[m]) {
          offer(top, topN, m, kp, a);
          if (topN[m] == kp) floor[m] = top[m * kp];
        }
      }
    }
    sums[nm] = n;
    return new Part(sums, top, topN);
  }

  private List<Estimate> estimates(double[][] batchSum, long[] batchCount, double[] tail, double secs) {
    int nb = batchSum.length, nm = monos.size();
    double[] total = new double[nm];
    long n = 0;
    for (int b = 0; b < nb; b++) {
      for (int m = 0; m < nm; m++) total[m] += batchSum[b][m];
      n += batchCount[b];
    }
    double[] mean = new double[nm];
    for (int m = 0; m < nm; m++) mean[m] = total[m] / n;
    double[][] loo = new double[nb][nm];
    for (int b = 0; b < nb; b++) {
      long nn = n - batchCount[b];
      for (int m = 0; m < nm; m++) loo[b][m] = (total[m] - batchSum[b][m]) / nn;
    }
    String note = note(n, secs);
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
