package org.nnft.mcmc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Partitions;
import org.nnft.ensemble.Request;
import org.nnft.model.CompiledNet;
import org.nnft.numeric.Forward;
import org.nnft.runtime.Draws;
import org.nnft.runtime.Interpreter;
import org.nnft.runtime.Members;
import org.nnft.runtime.NetV;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * The result of mcmc: chains of networks whose parameters follow P(θ) e^{−S[φ_θ]}. Correlators
 * are averages over all kept draws; their errors come from a blocked jackknife (each chain cut
 * into {@link #BLOCKS} consecutive blocks, much longer than the autocorrelation time when the
 * effective sample size is healthy), whose replicas carry the correlations into arithmetic.
 */
public final class McmcV implements Draws, Members, org.nnft.runtime.Table {
  /** Jackknife blocks per chain. */
  static final int BLOCKS = 16;

  final NetV net;
  final Span span;
  final long seed;
  final int chains, count, warmup;
  final Chain.Settings settings;
  CompiledNet compiled;
  Run.Result result;
  Target.Spec spec;
  /** The diagnostics, computed once. */
  Summary summary;
  private final Set<String> warned = new HashSet<>();

  McmcV(NetV net, Span span, long seed, int chains, int count, int warmup, Chain.Settings settings) {
    this.net = net;
    this.span = span;
    this.seed = seed;
    this.chains = chains;
    this.count = count;
    this.warmup = warmup;
    this.settings = settings;
  }

  @Override public NetV net() { return net; }

  @Override public String key() { return "mcmc@" + span.file() + ":" + span.line() + ":" + span.column(); }

  @Override public int inputDim(Interpreter in) { return compiled.inDim; }

  @Override public String source() { return key() + "|" + seed; }

  @Override public Set<String> warned() { return warned; }

  @Override public String kind() { return "Markov chains"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.EnsT(null); }

  @Override public String toString() {
    return chains + " chains x " + count + " draws of " + net + " (" + settings.method() + ", " + warmup + " warm-up, seed " + seed + ")";
  }

  @Override public Value member(String name, Span s) {
    return switch (name) {
      case "chains" -> Tensor.scalar(chains);
      case "count" -> Tensor.scalar(count);
      case "warmup" -> Tensor.scalar(warmup);
      case "seed" -> Tensor.scalar(seed);
      default -> throw new NnftException(s, "Markov chains have no part '" + name + "'; they have chains, count, warmup and seed.");
    };
  }

  /**
   * The draws as the posterior package's draws_df and ArviZ read them: .chain, .iteration, .draw
   * (1-based), each parameter entry as name[i] (1-based, row-major), then Stan's sampler columns.
   */
  @Override public List<String> header() {
    List<String> h = new ArrayList<>(List.of(".chain", ".iteration", ".draw"));
    for (CompiledNet.Param p : compiled.params) {
      for (int i = 0; i < p.size(); i++) h.add(p.shape().length == 0 ? p.name() : p.name() + "[" + (i + 1) + "]");
    }
    h.addAll(List.of("accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"));
    return h;
  }

  @Override public boolean[] wholeColumns() {
    int n = header().size();
    boolean[] w = new boolean[n];
    w[0] = w[1] = w[2] = true;
    w[n - 4] = w[n - 3] = w[n - 2] = true; // treedepth__, n_leapfrog__, divergent__
    return w;
  }

  @Override public List<double[]> columns() {
    int n = chains * count, dim = result.dim();
    List<double[]> cols = new ArrayList<>();
    double[] ch = new double[n], it = new double[n], dr = new double[n];
    for (int c = 0; c < chains; c++) for (int i = 0; i < count; i++) { int r = c * count + i; ch[r] = c + 1; it[r] = i + 1; dr[r] = r + 1; }
    cols.add(ch);
    cols.add(it);
    cols.add(dr);
    for (int j = 0; j < dim; j++) {
      double[] col = new double[n];
      for (int c = 0; c < chains; c++) for (int i = 0; i < count; i++) col[c * count + i] = result.draws()[c][i * dim + j];
      cols.add(col);
    }
    double[][] st = new double[6][n];
    for (int c = 0; c < chains; c++) {
      Chain.Stats s = result.stats()[c];
      for (int i = 0; i < count; i++) {
        int r = c * count + i;
        st[0][r] = s.accept[i];
        st[1][r] = s.stepSize[i];
        st[2][r] = s.depth[i];
        st[3][r] = s.leapfrogs[i];
        st[4][r] = s.divergent[i] ? 1 : 0;
        st[5][r] = s.energy[i];
      }
    }
    for (double[] x : st) cols.add(x);
    return cols;
  }

  /** The net's values at the points (point after point) for every kept draw: [chain][draw * P + p]. */
  double[][] values(double[][] points) {
    int d = compiled.inDim, np = points.length;
    double[] xs = new double[np * d];
    for (int p = 0; p < np; p++) System.arraycopy(points[p], 0, xs, p * d, d);
    Forward f = new Forward(compiled.tape, np);
    double[][] out = new double[chains][count * np];
    int dim = result.dim();
    double[] o = new double[np * f.outputSize()];
    for (int c = 0; c < chains; c++) {
      for (int i = 0; i < count; i++) {
        f.setParameters(result.draws()[c], i * dim);
        f.eval(xs, o);
        System.arraycopy(o, 0, out[c], i * np, np);
      }
    }
    return out;
  }

  int blocks() { return count >= 2 * BLOCKS ? BLOCKS : Math.max(1, count / 2); }

  /** Per draw, the product of the values at the points in mask (bits over the request's points). */
  static double product(double[] vals, int base, int[] at, int mask) {
    double s = 1;
    for (int k = 0; k < at.length; k++) if ((mask >> k & 1) != 0) s *= vals[base + at[k]];
    return s;
  }

  @Override public List<Estimate> estimate(Interpreter in, List<Request> wanted) {
    // the union of the points
    List<double[]> pts = new ArrayList<>();
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    int[][] at = new int[wanted.size()][];
    for (int r = 0; r < wanted.size(); r++) {
      double[][] ps = wanted.get(r).points();
      at[r] = new int[ps.length];
      for (int k = 0; k < ps.length; k++) {
        if (ps[k].length != compiled.inDim) {
          throw new NnftException(null, "net " + net.name() + " takes points in R^" + compiled.inDim + ", but a point here has " + ps[k].length + " coordinates.");
        }
        String key = java.util.Arrays.toString(ps[k]);
        Integer i = index.get(key);
        if (i == null) { i = pts.size(); index.put(key, i); pts.add(ps[k]); }
        at[r][k] = i;
      }
    }
    if (compiled.outDim != 1) throw new NnftException(null, "correlators need a net with one output; " + net.name() + " has " + compiled.outDim + ".");
    double[][] vals = values(pts.toArray(new double[0][]));
    int np = pts.size(), nb = blocks(), len = count / nb;
    List<Estimate> out = new ArrayList<>();
    for (int r = 0; r < wanted.size(); r++) {
      int n = at[r].length, masks = 1 << n;
      // block sums of every monomial: [chain * nb + block][mask]
      double[][] sums = new double[chains * nb][masks];
      double[] cnt = new double[chains * nb];
      double[][] full = new double[chains][count];
      for (int c = 0; c < chains; c++) {
        for (int i = 0; i < count; i++) {
          int b = Math.min(i / Math.max(1, len), nb - 1), row = c * nb + b;
          cnt[row]++;
          for (int m = 1; m < masks; m++) sums[row][m] += product(vals[c], i * np, at[r], m);
          full[c][i] = product(vals[c], i * np, at[r], masks - 1);
        }
      }
      boolean conn = wanted.get(r).connected();
      double[] total = new double[masks];
      double tn = 0;
      for (int row = 0; row < sums.length; row++) { for (int m = 1; m < masks; m++) total[m] += sums[row][m]; tn += cnt[row]; }
      double[] mean = new double[masks];
      for (int m = 1; m < masks; m++) mean[m] = total[m] / tn;
      double value = combine(mean, masks - 1, conn);
      int rows = sums.length;
      double[] jack = new double[rows];
      double avg = 0;
      for (int row = 0; row < rows; row++) {
        double[] loo = new double[masks];
        for (int m = 1; m < masks; m++) loo[m] = (total[m] - sums[row][m]) / (tn - cnt[row]);
        jack[row] = combine(loo, masks - 1, conn);
        avg += jack[row] / rows;
      }
      double ss = 0;
      for (double j : jack) ss += (j - avg) * (j - avg);
      double err = rows > 1 ? Math.sqrt((rows - 1.0) / rows * ss) : Double.NaN;
      String note = "MCMC, " + chains + " chains x " + count + " draws, blocked jackknife";
      double rh = Diagnostics.rhat(full), eb = Diagnostics.essBulk(full);
      String what = (conn ? "connected" : "correlator") + java.util.Arrays.toString(wanted.get(r).points()[0]);
      if ((rh > RHAT_LIMIT || eb < ESS_LIMIT) && warned.add(what)) {
        in.session().warn("this estimate's chains have not mixed well enough to trust it: R-hat " + org.nnft.report.Format.num(rh, 4)
            + ", bulk ESS " + org.nnft.report.Format.num(eb, 3) + " (trust needs R-hat <= 1.01 and ESS >= 400); run longer chains, more warm-up, or another sampler or metric", span);
      }
      out.add(new Estimate(value, err, note, jack, Double.NaN));
    }
    return out;
  }

  static final double RHAT_LIMIT = 1.01, ESS_LIMIT = 400;

  /** The full moment of the mask, or its joint cumulant from the moments of its subsets. */
  static double combine(double[] mean, int mask, boolean connected) {
    if (!connected) return mean[mask];
    double s = 0;
    for (int[] part : Partitions.of(mask)) {
      double prod = Partitions.cumulantWeight(part.length);
      for (int b : part) prod *= mean[b];
      s += prod;
    }
    return s;
  }
}
