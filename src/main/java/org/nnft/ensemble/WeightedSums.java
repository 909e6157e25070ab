package org.nnft.ensemble;

import java.util.Arrays;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Reverse;
import org.nnft.numeric.Tape;

/**
 * The statistic behind reweighted correlators: each network gets the weight w = e^{l} of a
 * log-weight functional l of the net ({@link Functional}), and per monomial (as in
 * {@link MonomialSums}) the chunk keeps Σ w x, with Σ w, Σ w², the largest |w x| per monomial and
 * the largest weights (for the Pareto k of the weights). Weights are kept relative to a reference
 * log-weight {@code ref} (the largest seen), so that nothing overflows: merging rescales.
 *
 * <p>Every {@code checkStride}-th network of each chunk (none when 0) also gets its log-weight with
 * every integral's points doubled, and the chunk keeps those networks' weighted sums under both, so
 * the change of the result with the quadrature is estimated from paired networks, with a jackknife
 * error over the batches.
 *
 * <p>The net's values come at the pass's points: the first {@code observed} are the observables'
 * points, the rest the log-weight's ({@link Functional.Layout}).
 */
public record WeightedSums(MonomialSums monomials, int observed, Functional.Layout weight, Functional.Layout doubled,
    int checkStride, int topWeights) implements Statistic {
  private static final long serialVersionUID = 1L;
  public static final int VERSION = 1;

  @Override public Accumulator accumulator(int points, int outputSize) {
    if (outputSize != 1) throw new IllegalStateException("correlators of vector outputs");
    return new Acc();
  }

  /** Weighted sums relative to e^{ref}; c1, c2: the check chunks' Σ w x with the rule and with doubled points, cw1, cw2 their Σ w. */
  public record Stats(int version, long firstChunk, long lastChunk, long networks, double ref, double[] sums, double wsum, double w2sum,
      int top, double[] tops, int[] topN, int topW, double[] wtop, int wtopN, double[] c1, double[] c2, double cw1, double cw2,
      double maxDl, long checked) implements ChunkStats {
    private static final long serialVersionUID = 1L;

    /** These statistics with weights relative to e^{r} (r ≥ ref). */
    Stats at(double r) {
      if (r == ref) return this;
      double f = Math.exp(ref - r);
      double[] s = sums.clone(), t = tops.clone(), wt = wtop.clone(), a = c1.clone(), b = c2.clone();
      for (int i = 0; i < s.length; i++) s[i] *= f;
      for (int i = 0; i < t.length; i++) t[i] *= f;
      for (int i = 0; i < wt.length; i++) wt[i] *= f;
      for (int i = 0; i < a.length; i++) { a[i] *= f; b[i] *= f; }
      return new Stats(version, firstChunk, lastChunk, networks, r, s, wsum * f, w2sum * f * f, top, t, topN, topW, wt, wtopN, a, b,
          cw1 * f, cw2 * f, maxDl, checked);
    }

    @Override public ChunkStats merge(ChunkStats later) {
      if (!(later instanceof Stats o0) || o0.version != version || o0.sums.length != sums.length) {
        throw new IllegalArgumentException("cannot merge " + later + " into weighted sums");
      }
      double r = Math.max(ref, o0.ref);
      if (r == Double.NEGATIVE_INFINITY) r = 0;
      Stats a = at(r), o = o0.at(r);
      double[] s = a.sums.clone(), x1 = a.c1.clone(), x2 = a.c2.clone();
      for (int m = 0; m < s.length; m++) { s[m] += o.sums[m]; x1[m] += o.c1[m]; x2[m] += o.c2[m]; }
      double[] t = a.tops.clone();
      int[] n = a.topN.clone();
      for (int m = 0; m < s.length; m++) for (int i = 0; i < o.topN[m]; i++) MonomialSums.offer(t, n, m, top, o.tops[m * top + i]);
      double[] wt = a.wtop.clone();
      int[] wn = {a.wtopN};
      for (int i = 0; i < o.wtopN; i++) MonomialSums.offer(wt, wn, 0, topW, o.wtop[i]);
      return new Stats(version, firstChunk, o.lastChunk, networks + o.networks, r, s, a.wsum + o.wsum, a.w2sum + o.w2sum, top, t, n,
          topW, wt, wn[0], x1, x2, a.cw1 + o.cw1, a.cw2 + o.cw2, Math.max(maxDl, o.maxDl), checked + o.checked);
    }

    @Override public String toString() {
      return "weighted sums of chunks " + firstChunk + ".." + lastChunk + " (" + networks + " networks, " + sums.length + " monomials)";
    }
  }

  private final class Acc implements Accumulator {
    private final int[] order = monomials.order(), parent = monomials.parent(), last = monomials.last();
    private final int nm = last.length, top = monomials.top();
    private final double[] mv = new double[nm], sums = new double[nm], tops = new double[nm * top], c1 = new double[nm], c2 = new double[nm];
    private final int[] topN = new int[nm];
    private final double[] wtop = new double[topWeights];
    private final int[] wtopN = {0};
    private double ref = Double.NEGATIVE_INFINITY, wsum, w2sum, cw1, cw2, maxDl;
    private long checked;
    private long index;
    private final Functional.Scratch scratch = new Functional.Scratch();
    private Reverse rev, rev2;
    private Forward f2;
    private double[] theta, values, slopes, laidOut, values2, slopes2, xs, xs2, dirs, dirs2;
    /** Whether the log-weight (and its doubled form) reads φ': then slopes come from a tangent sweep. */
    private final boolean derivative = weight.functional.derivative(), derivative2 = doubled.functional.derivative();

    Acc() { }

    private void rescale(double r) {
      double f = Math.exp(ref - r);
      for (int m = 0; m < nm; m++) { sums[m] *= f; c1[m] *= f; c2[m] *= f; }
      for (int i = 0; i < tops.length; i++) tops[i] *= f;
      for (int i = 0; i < wtopN[0]; i++) wtop[i] *= f;
      wsum *= f;
      w2sum *= f * f;
      cw1 *= f;
      cw2 *= f;
      ref = r;
    }

    @Override public void add(double[] phi, Forward network) {
      double l;
      if (derivative) {
        if (rev == null) {
          rev = new Reverse(network.tape(), weight.pointCount());
          theta = new double[network.parameterCount()];
          values = new double[weight.pointCount()];
          slopes = new double[weight.pointCount()];
          laidOut = new double[observed + weight.pointCount()];
          xs = weight.points();
          dirs = weight.directions();
        }
        network.getParameters(theta, 0);
        rev.setParameters(theta);
        rev.tangent(xs, dirs, values, slopes);
        // values from the sampler's evaluator, slopes from the tangent sweep, laid out like the values
        System.arraycopy(slopes, 0, laidOut, observed, slopes.length);
        l = weight.value(phi, laidOut, observed, scratch);
      } else {
        l = weight.value(phi, null, observed, scratch);
      }
      if (Double.isNaN(l) || l == Double.POSITIVE_INFINITY) {
        throw new ArithmeticException(Double.isNaN(l) ? "the log-weight of a network is NaN (a negative weight, or NaN in the weight)" : "the log-weight of a network is +infinity");
      }
      if (l == Double.NEGATIVE_INFINITY) return;
      if (l > ref) rescale(l);
      double w = Math.exp(l - ref);
      wsum += w;
      w2sum += w * w;
      MonomialSums.offer(wtop, wtopN, 0, topWeights, w);
      for (int m : order) {
        double v = phi[last[m]];
        double x = parent[m] < 0 ? v : mv[parent[m]] * v;
        mv[m] = x;
        sums[m] += w * x;
        MonomialSums.offer(tops, topN, m, top, Math.abs(w * x));
      }
      if (checkStride > 0 && index++ % checkStride == 0) {
        double l2 = doubledLogWeight(network);
        if (Double.isFinite(l2)) {
          double w2 = Math.exp(l2 - ref);
          maxDl = Math.max(maxDl, Math.abs(l2 - l));
          cw1 += w;
          cw2 += w2;
          for (int m = 0; m < nm; m++) { c1[m] += w * mv[m]; c2[m] += w2 * mv[m]; }
          checked++;
        }
      }
    }

    private double doubledLogWeight(Forward network) {
      int n = doubled.pointCount();
      if (theta == null) theta = new double[network.parameterCount()];
      network.getParameters(theta, 0);
      if (derivative2) {
        if (rev2 == null) {
          rev2 = new Reverse(network.tape(), n);
          values2 = new double[n];
          slopes2 = new double[n];
          xs2 = doubled.points();
          dirs2 = doubled.directions();
        }
        rev2.setParameters(theta);
        rev2.tangent(xs2, dirs2, values2, slopes2);
        return doubled.value(values2, slopes2, 0, scratch);
      }
      if (f2 == null) {
        f2 = new Forward(network.tape(), n);
        values2 = new double[n];
        xs2 = doubled.points();
      }
      f2.setParameters(theta, 0);
      f2.eval(xs2, values2);
      return doubled.value(values2, null, 0, scratch);
    }

    @Override public ChunkStats finish(long chunk, int networks) {
      double r = ref == Double.NEGATIVE_INFINITY ? 0 : ref;
      return new Stats(VERSION, chunk, chunk, networks, r, sums, wsum, w2sum, top, tops, topN, topWeights, wtop, wtopN[0], c1, c2, cw1, cw2,
          maxDl, checked);
    }
  }

  @Override public Reduction reduction(long chunks) {
    return new Batches((int) Math.min(Runner.MAX_BATCHES, chunks), monomials.monomials());
  }

  /** Chunk k's statistics go to batch k mod {@code batches}, all relative to one reference log-weight. */
  public static final class Batches implements Reduction {
    private static final long serialVersionUID = 1L;
    public final double[][] sums;
    public final double[] wsums;
    public final long[] counts;
    /** Per batch, the checked networks' sums with the rule and with doubled points, and their weights. */
    public final double[][] c1, c2;
    public final double[] cw1, cw2;
    public Stats all;
    public double ref = Double.NEGATIVE_INFINITY;

    public Batches(int batches, int monomials) {
      sums = new double[batches][monomials];
      wsums = new double[batches];
      counts = new long[batches];
      c1 = new double[batches][monomials];
      c2 = new double[batches][monomials];
      cw1 = new double[batches];
      cw2 = new double[batches];
    }

    /** Rescales everything to the reference log-weight r (above the present one). */
    private void rescale(double r) {
      double f = ref == Double.NEGATIVE_INFINITY ? 0 : Math.exp(ref - r);
      for (double[][] a : new double[][][] {sums, c1, c2}) for (double[] b : a) for (int m = 0; m < b.length; m++) b[m] *= f;
      for (int b = 0; b < wsums.length; b++) { wsums[b] *= f; cw1[b] *= f; cw2[b] *= f; }
      ref = r;
    }

    @Override public long networks() {
      long n = 0;
      for (long c : counts) n += c;
      return n;
    }

    /**
     * Adds a later group's batches, brought to the common reference log-weight with the same
     * operations as {@link #add} (so a group of one chunk adds exactly as its chunk would).
     */
    @Override public void merge(Reduction later) {
      Batches o = (Batches) later;
      if (o.sums.length != sums.length || (sums.length > 0 && o.sums[0].length != sums[0].length)) {
        throw new IllegalArgumentException("cannot merge batches of another pass");
      }
      boolean weighed = o.ref > Double.NEGATIVE_INFINITY;
      if (weighed && o.ref > ref) rescale(o.ref);
      double f = weighed && o.ref != ref ? Math.exp(o.ref - ref) : 1;
      for (int b = 0; b < sums.length; b++) {
        if (o.counts[b] == 0) continue;
        // (x * 1 is x exactly: a group on the same reference adds unscaled, as add does)
        for (int m = 0; m < sums[b].length; m++) {
          sums[b][m] += o.sums[b][m] * f;
          c1[b][m] += o.c1[b][m] * f;
          c2[b][m] += o.c2[b][m] * f;
        }
        wsums[b] += o.wsums[b] * f;
        cw1[b] += o.cw1[b] * f;
        cw2[b] += o.cw2[b] * f;
        counts[b] += o.counts[b];
      }
      if (o.all != null) all = all == null ? o.all : (Stats) all.merge(o.all);
    }

    @Override public void add(ChunkStats cs) {
      Stats s = (Stats) cs;
      if (s.firstChunk() != s.lastChunk()) throw new IllegalArgumentException("batches take single chunks");
      if (s.wsum() > 0 && s.ref() > ref) rescale(s.ref());
      Stats t = s.wsum() > 0 ? s.at(ref) : s;
      int b = (int) (s.firstChunk() % sums.length);
      for (int m = 0; m < t.sums().length; m++) {
        sums[b][m] += t.sums()[m];
        c1[b][m] += t.c1()[m];
        c2[b][m] += t.c2()[m];
      }
      wsums[b] += t.wsum();
      cw1[b] += t.cw1();
      cw2[b] += t.cw2();
      counts[b] += s.networks();
      all = all == null ? s : (Stats) all.merge(s);
    }
  }
}
