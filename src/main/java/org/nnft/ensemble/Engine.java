package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs chunk jobs and hands their statistics back in job order, whatever order or place it
 * computes them in: {@link LocalEngine} runs them on threads here; a cluster engine would ship
 * the (serializable) jobs and collect the (serializable) statistics.
 */
public interface Engine {

  /** Runs the jobs; {@code sink} receives their statistics in the order of the list. */
  void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink);

  /** Runs every chunk of a pass, in windows of {@link #window()} jobs; {@code sink} receives chunk 0, 1, ... in order. */
  default void run(Pass pass, Consumer<ChunkStats> sink) {
    long chunks = pass.chunks();
    for (long start = 0; start < chunks; start += window()) {
      long end = Math.min(chunks, start + window());
      List<ChunkJob> jobs = new ArrayList<>();
      for (long k = start; k < end; k++) jobs.add(pass.job(k));
      run(jobs, sink);
    }
  }

  /** How many jobs to hand over at once when running a pass (memory grows with it). */
  default int window() { return 64; }

  /** The statistics of all the jobs merged in job order. */
  default ChunkStats merged(List<ChunkJob> jobs) {
    ChunkStats[] acc = {null};
    run(jobs, s -> acc[0] = acc[0] == null ? s : acc[0].merge(s));
    return acc[0];
  }
}
