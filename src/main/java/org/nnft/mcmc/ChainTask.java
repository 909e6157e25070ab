package org.nnft.mcmc;

import java.io.Serializable;
import org.nnft.ensemble.Engine;
import org.nnft.numeric.Rng;

/**
 * One Markov chain as a unit of work that can run on another machine: the target (the lowered
 * net and its action), the sampler's settings, and chain c's random stream (seed, c). The chain's
 * draws and statistics come back; they are the same bits wherever it ran.
 */
record ChainTask(Target.Spec spec, Chain.Settings set, long seed, int chain, int warmup, int count, double[][] freeInverse)
    implements Engine.Task<ChainTask.Out> {
  private static final long serialVersionUID = 1L;

  /** What a chain returns. */
  record Out(double[] draws, Chain.Stats stats, double stepSize, int warmupDivergences, long gradients, String failure) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override public Out run() {
    Target t = spec.create();
    Chain c = new Chain(t, set, Rng.forStream(seed, chain), freeInverse);
    c.run(warmup, count, () -> Thread.currentThread().isInterrupted(), () -> { });
    if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException();
    return new Out(c.draws, c.stats, c.stepSize(), c.divergencesInWarmup, t.evaluations, c.failure);
  }
}
