package org.nnft.mcmc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.nnft.numeric.Rng;

/**
 * Runs the chains of one mcmc call, in parallel on up to {@code threads} threads; chain c draws
 * from the random stream (seed, c), so the draws are the same bits at any thread count.
 */
final class Run {
  private Run() {}

  /** The chains' draws (θ, constrained) and statistics. */
  record Result(int chains, int count, int dim, double[][] draws, Chain.Stats[] stats, double[] stepSize, int[] warmupDivergences,
      long gradients, String metric) {}

  static Result run(Target.Spec spec, Chain.Settings set, int chains, int warmup, int count, long seed, int threads,
      java.util.function.BooleanSupplier cancelled, org.nnft.runtime.Session.Progress progress) throws Exception {
    return run(spec, set, chains, warmup, count, seed, threads, cancelled, progress, null);
  }

  /**
   * As above; with an engine (a cluster), each chain is a {@link ChainTask} run there, with the same
   * draws as here. Progress then counts chains done.
   */
  static Result run(Target.Spec spec, Chain.Settings set, int chains, int warmup, int count, long seed, int threads,
      java.util.function.BooleanSupplier cancelled, org.nnft.runtime.Session.Progress progress, org.nnft.ensemble.Engine engine) throws Exception {
    double[][] freeInverse = null;
    if (set.metric().equals("free")) {
      double[][] h = spec.create().freeHessian();
      if (h == null) throw new IllegalArgumentException("metric = \"free\" needs an action");
      freeInverse = inverse(h);
      if (freeInverse == null) throw new IllegalArgumentException("not positive definite");
    }
    double[][] fi = freeInverse;
    if (engine != null) {
      List<ChainTask> tasks = new ArrayList<>();
      for (int c = 0; c < chains; c++) tasks.add(new ChainTask(spec, set, seed, c, warmup, count, fi));
      List<ChainTask.Out> outs = engine.runAll(tasks, new org.nnft.ensemble.Engine.Watch(cancelled, x -> { }, text -> progress.update(0, text)));
      progress.update((long) chains * (warmup + count));
      return result(spec, set, count, outs);
    }
    Chain[] cs = new Chain[chains];
    Target[] ts = new Target[chains];
    AtomicLong done = new AtomicLong();
    java.util.concurrent.atomic.AtomicLongArray perChain = new java.util.concurrent.atomic.AtomicLongArray(chains);
    long each = warmup + count;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, chains)), r -> {
      Thread t = new Thread(r, "nnft-mcmc");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < chains; c++) {
        int ci = c;
        fs.add(pool.submit(() -> {
          ts[ci] = spec.create();
          cs[ci] = new Chain(ts[ci], set, Rng.forStream(seed, ci), fi);
          cs[ci].run(warmup, count, cancelled, () -> {
            perChain.incrementAndGet(ci);
            long d = done.incrementAndGet();
            if ((d & 63) == 0) {
              StringBuilder b = new StringBuilder("chains");
              for (int k = 0; k < chains && k < 8; k++) b.append(' ').append(100 * perChain.get(k) / each).append('%');
              if (chains > 8) b.append(" ...");
              progress.update(d, b.toString());
            }
          });
          return null;
        }));
      }
      for (Future<?> f : fs) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception ex) throw ex;
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<ChainTask.Out> outs = new ArrayList<>();
    for (int c = 0; c < chains; c++) {
      outs.add(new ChainTask.Out(cs[c].draws, cs[c].stats, cs[c].stepSize(), cs[c].divergencesInWarmup, ts[c].evaluations, cs[c].failure));
    }
    return result(spec, set, count, outs);
  }

  /** The result of the chains' outcomes, in chain order (wherever they ran). */
  private static Result result(Target.Spec spec, Chain.Settings set, int count, List<ChainTask.Out> outs) {
    int chains = outs.size();
    double[][] draws = new double[chains][];
    Chain.Stats[] st = new Chain.Stats[chains];
    double[] eps = new double[chains];
    int[] wd = new int[chains];
    long grads = 0;
    for (int c = 0; c < chains; c++) {
      ChainTask.Out o = outs.get(c);
      if (o.failure() != null) throw new IllegalStateException("chain " + (c + 1) + ": " + o.failure());
      draws[c] = o.draws();
      st[c] = o.stats();
      eps[c] = o.stepSize();
      wd[c] = o.warmupDivergences();
      grads += o.gradients();
    }
    return new Result(chains, count, spec.dimension(), draws, st, eps, wd, grads, set.metric());
  }

  /** The inverse of a symmetric positive-definite matrix by Cholesky, or null. */
  static double[][] inverse(double[][] a) {
    int n = a.length;
    double[][] l = Chain.cholesky(a);
    if (l == null) return null;
    double[][] inv = new double[n][n];
    double[] col = new double[n];
    for (int c = 0; c < n; c++) {
      java.util.Arrays.fill(col, 0);
      col[c] = 1;
      // L y = e_c
      for (int i = 0; i < n; i++) {
        double s = col[i];
        for (int k = 0; k < i; k++) s -= l[i][k] * col[k];
        col[i] = s / l[i][i];
      }
      // Lᵀ x = y
      for (int i = n - 1; i >= 0; i--) {
        double s = col[i];
        for (int k = i + 1; k < n; k++) s -= l[k][i] * col[k];
        col[i] = s / l[i][i];
      }
      for (int i = 0; i < n; i++) inv[i][c] = col[i];
    }
    // symmetric to the last bit
    for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) { double m = 0.5 * (inv[i][j] + inv[j][i]); inv[i][j] = m; inv[j][i] = m; }
    return inv;
  }
}
