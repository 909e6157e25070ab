package org.nnft.ensemble;

import java.io.Serializable;
import java.util.List;
import org.nnft.model.Density;
import org.nnft.numeric.Tape;

/**
 * One pass over an ensemble of {@code count} networks as its chunk jobs: chunk k has
 * {@code chunkSize} networks (the last one the rest) and draws from the stream (seed, k).
 */
public record Pass(Tape net, List<Density> densities, double[] points, Statistic statistic, long seed, long count, int chunkSize)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public Pass {
    densities = List.copyOf(densities);
    if (count < 1 || chunkSize < 1) throw new IllegalArgumentException("a pass needs networks");
  }

  /** The number of chunks. */
  public long chunks() { return (count + chunkSize - 1) / chunkSize; }

  /** At most this many groups: the units of merging (and of a cluster's results). */
  public static final int MAX_GROUPS = 1024;

  /**
   * The number of consecutive chunks in a group (the last group may have fewer): a function of
   * the number of chunks only, one chunk per group up to {@value #MAX_GROUPS} chunks.
   */
  public long groupSize() {
    long c = chunks();
    return Math.max(1, (c + MAX_GROUPS - 1) / MAX_GROUPS);
  }

  /** The number of groups. */
  public long groups() {
    long g = groupSize();
    return (chunks() + g - 1) / g;
  }

  /** An empty reduction of this pass. */
  public Reduction emptyReduction() { return statistic.reduction(chunks()); }

  /** Group g's reduction: its chunks run here, in order, and added in chunk order. */
  public Reduction reduceGroup(long g) {
    if (g < 0 || g >= groups()) throw new IndexOutOfBoundsException("group " + g + " of " + groups());
    Reduction r = emptyReduction();
    long from = g * groupSize(), to = Math.min(chunks(), from + groupSize());
    for (long k = from; k < to; k++) r.add(job(k).run());
    return r;
  }

  /** Chunk k's job. */
  public ChunkJob job(long k) {
    if (k < 0 || k >= chunks()) throw new IndexOutOfBoundsException("chunk " + k + " of " + chunks());
    return new ChunkJob(net, densities, points, statistic, seed, k, (int) Math.min(chunkSize, count - k * chunkSize));
  }
}
