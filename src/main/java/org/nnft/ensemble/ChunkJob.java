package org.nnft.ensemble;

import java.io.Serializable;
import java.util.List;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;

/**
 * One chunk of an ensemble as a unit of work: the lowered net, the density of each of its
 * parameters (by parameter number), the points (point after point), the statistic to compute, the
 * seed, the chunk's index and its number of networks. Serializable and self-contained (no parser,
 * Symja or runtime types), so that it can run on any machine: chunk k draws from the random
 * stream (seed, k), so {@link #run} gives the same bits wherever and whenever it runs.
 */
public record ChunkJob(Tape net, List<Density> densities, double[] points, Statistic statistic, long seed, long chunk, int size)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ChunkJob {
    if (densities.size() != net.parameters()) {
      throw new IllegalArgumentException(net.parameters() + " parameters but " + densities.size() + " densities");
    }
    int d = net.inputSize();
    if (d == 0 ? points.length == 0 : points.length % d != 0) throw new IllegalArgumentException("points do not match the input size " + d);
  }

  /** The number of points. */
  public int pointCount() {
    int d = net.inputSize();
    return d == 0 ? 1 : points.length / d;
  }

  /** Draws the chunk's networks in turn and returns the statistics of their outputs. */
  public ChunkStats run() {
    int np = pointCount();
    Forward f = new Forward(net, np);
    CompiledNet.Drawer drawer = new CompiledNet.Drawer(densities, f);
    Statistic.Accumulator acc = statistic.accumulator(np, f.outputSize(), chunk);
    double[] out = new double[np * f.outputSize()];
    Rng rng = Rng.forStream(seed, chunk);
    for (int i = 0; i < size; i++) {
      // the engine interrupts its workers when the run is cancelled
      if ((i & 15) == 0 && Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException();
      drawer.draw(rng);
      f.eval(points, out);
      acc.add(out, f);
    }
    return acc.finish(chunk, size);
  }
}
