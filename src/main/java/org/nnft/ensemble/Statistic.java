package org.nnft.ensemble;

import java.io.Serializable;
import org.nnft.numeric.Forward;

/**
 * What a pass computes from every network it draws: pluggable. A statistic is a serializable
 * description (it travels with the {@link ChunkJob}s); on whatever machine runs a chunk it makes a
 * fresh {@link Accumulator}, which sees each network's outputs at the pass's points and ends as the
 * chunk's {@link ChunkStats}. {@link MonomialSums} (sums of products of the field at points, and
 * the largest summands for the tail) is the first; weighted sums and per-network functionals
 * (reweighting, actions evaluated on each network) are meant to be further ones.
 */
public interface Statistic extends Serializable {

  /** A fresh accumulator for one chunk, for outputs at {@code points} points of {@code outputSize} entries each. */
  Accumulator accumulator(int points, int outputSize);

  /** As {@link #accumulator(int, int)}, for chunk {@code chunk} (statistics that treat some chunks apart). */
  default Accumulator accumulator(int points, int outputSize, long chunk) { return accumulator(points, outputSize); }

  /**
   * An empty reduction for a pass of {@code chunks} chunks (see {@link Reduction} for the order of
   * its additions); by default the chunks' statistics merged in order.
   */
  default Reduction reduction(long chunks) { return new Reduction.Merged(); }

  /** One chunk's running state. Allocates nothing per network. */
  interface Accumulator {
    /**
     * One network: its outputs {@code out[p * outputSize + k]} at every point; {@code network}
     * holds its parameters (for statistics that need them), valid during the call.
     */
    void add(double[] out, Forward network);

    /** The chunk's statistics, after {@code networks} calls of {@link #add}. */
    ChunkStats finish(long chunk, int networks);
  }
}
