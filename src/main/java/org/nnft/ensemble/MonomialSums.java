package org.nnft.ensemble;

import java.util.Arrays;
import org.nnft.numeric.Forward;

/**
 * The statistic behind correlators: for each monomial (a product of the field at some of the
 * points), the sum over the chunk's networks, and its largest |summands| (for a Hill estimate of
 * the tail). Monomials are built by extending a smaller one by one point, smaller ones first
 * ({@code order}; monomial m is its {@code parent[m]} (-1: none) times the field at point {@code last[m]}).
 */
public record MonomialSums(int[] order, int[] parent, int[] last, int top) implements Statistic {
  private static final long serialVersionUID = 1L;
  /** The format of {@link Stats}. */
  public static final int VERSION = 1;

  public MonomialSums {
    if (parent.length != last.length || order.length != last.length) throw new IllegalArgumentException("one parent and one point per monomial");
    if (top < 1) throw new IllegalArgumentException("keep at least one summand");
  }

  /** The number of monomials. */
  public int monomials() { return last.length; }

  @Override public Accumulator accumulator(int points, int outputSize) {
    if (outputSize != 1) throw new IllegalStateException("correlators of vector outputs");
    return new Acc(points);
  }

  /**
   * Sums of one chunk or of consecutive chunks: {@code sums[m]} per monomial, the number of networks,
   * and per monomial up to {@code top} largest |summands| as a min-heap in {@code tops[m * top ..]}
   * ({@code topN[m]} of them).
   */
  public record Stats(int version, long firstChunk, long lastChunk, long networks, double[] sums, int top, double[] tops, int[] topN)
      implements ChunkStats {
    private static final long serialVersionUID = 1L;

    @Override public ChunkStats merge(ChunkStats later) {
      if (!(later instanceof Stats o) || o.version != version || o.sums.length != sums.length || o.top != top) {
        throw new IllegalArgumentException("cannot merge " + later + " into monomial sums");
      }
      double[] s = sums.clone();
      for (int m = 0; m < s.length; m++) s[m] += o.sums[m];
      double[] t = tops.clone();
      int[] n = topN.clone();
      for (int m = 0; m < s.length; m++) for (int i = 0; i < o.topN[m]; i++) offer(t, n, m, top, o.tops[m * top + i]);
      return new Stats(version, firstChunk, o.lastChunk, networks + o.networks, s, top, t, n);
    }

    @Override public boolean equals(Object x) {
      return x instanceof Stats o && version == o.version && firstChunk == o.firstChunk && lastChunk == o.lastChunk && networks == o.networks
          && top == o.top && Arrays.equals(sums, o.sums) && Arrays.equals(tops, o.tops) && Arrays.equals(topN, o.topN);
    }

    @Override public int hashCode() { return Arrays.hashCode(sums) * 31 + Long.hashCode(firstChunk); }

    @Override public String toString() {
      return "monomial sums of chunks " + firstChunk + ".." + lastChunk + " (" + networks + " networks, " + sums.length + " monomials)";
    }
  }

  /** One chunk's running sums. */
  private final class Acc implements Accumulator {
    private final int nm = last.length;
    private final double[] mv = new double[nm], sums = new double[nm], tops = new double[nm * top], floor = new double[nm];
    private final int[] topN = new int[nm];

    Acc(int points) {
      for (int l : last) if (l >= points) throw new IllegalArgumentException("a monomial reads point " + l + " of " + points);
      Arrays.fill(floor, -1);
    }

    @Override public void add(double[] phi, Forward network) {
      for (int m : order) {
        double v = phi[last[m]];
        double x = parent[m] < 0 ? v : mv[parent[m]] * v;
        mv[m] = x;
        sums[m] += x;
        double a = Math.abs(x);
        if (a > floor[m]) {
          offer(tops, topN, m, top, a);
          if (topN[m] == top) floor[m] = tops[m * top];
        }
      }
    }

    @Override public ChunkStats finish(long chunk, int networks) {
      return new Stats(VERSION, chunk, chunk, networks, sums, top, tops, topN);
    }
  }

  @Override public Reduction reduction(long chunks) {
    return new Batches((int) Math.min(Runner.MAX_BATCHES, chunks), last.length, top);
  }

  /**
   * The reduction the estimators use: chunk k's sums go to batch k mod {@code batches} (every
   * ensemble of one seed pairs up batch by batch), the largest summands into one set for all.
   * A batch's row of sums is made when a chunk first reaches it (a group of one chunk carries
   * one row); {@link #sums(int)} reads it.
   */
  public static final class Batches implements Reduction {
    private static final long serialVersionUID = 1L;
    private final double[][] sums;
    public final long[] counts;
    public final double[] tops;
    public final int[] topN;
    public final int top;
    private final int monomials;

    public Batches(int batches, int monomials, int top) {
      sums = new double[batches][];
      counts = new long[batches];
      tops = new double[monomials * top];
      topN = new int[monomials];
      this.top = top;
      this.monomials = monomials;
    }

    /** Batch b's sums per monomial. */
    public double[] sums(int b) { return sums[b] == null ? new double[monomials] : sums[b]; }

    /** The number of batches. */
    public int batches() { return sums.length; }

    private double[] row(int b) {
      if (sums[b] == null) sums[b] = new double[monomials];
      return sums[b];
    }

    /** Adds one chunk's statistics (call in chunk order). */
    @Override public void add(ChunkStats cs) {
      Stats s = (Stats) cs;
      if (s.firstChunk != s.lastChunk) throw new IllegalArgumentException("batches take single chunks");
      if (s.sums.length != monomials || s.top != top) throw new IllegalArgumentException("cannot add " + cs + " to these batches");
      int b = (int) (s.firstChunk % sums.length);
      double[] t = row(b);
      int nm = t.length;
      for (int m = 0; m < nm; m++) t[m] += s.sums[m];
      counts[b] += s.networks;
      for (int m = 0; m < nm; m++) for (int i = 0; i < s.topN[m]; i++) offer(tops, topN, m, top, s.tops[m * top + i]);
    }

    /** Adds a later group's batches: row by row, and its largest summands (a set: the order they come in does not matter). */
    @Override public void merge(Reduction later) {
      Batches o = (Batches) later;
      if (o.sums.length != sums.length || o.monomials != monomials || o.top != top) throw new IllegalArgumentException("cannot merge batches of another pass");
      for (int b = 0; b < sums.length; b++) {
        if (o.sums[b] == null) continue;
        double[] t = row(b), x = o.sums[b];
        for (int m = 0; m < monomials; m++) t[m] += x[m];
        counts[b] += o.counts[b];
      }
      for (int m = 0; m < monomials; m++) for (int i = 0; i < o.topN[m]; i++) offer(tops, topN, m, top, o.tops[m * top + i]);
    }

    @Override public long networks() {
      long n = 0;
      for (long c : counts) n += c;
      return n;
    }
  }

  /** Keeps the kp largest values offered to monomial m in a min-heap. */
  static void offer(double[] heap, int[] size, int m, int kp, double v) {
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
}
