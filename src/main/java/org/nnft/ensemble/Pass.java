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

  /** Chunk k's job. */
  public ChunkJob job(long k) {
    if (k < 0 || k >= chunks()) throw new IndexOutOfBoundsException("chunk " + k + " of " + chunks());
    return new ChunkJob(net, densities, points, statistic, seed, k, (int) Math.min(chunkSize, count - k * chunkSize));
  }
}
