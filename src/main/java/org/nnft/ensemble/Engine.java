package org.nnft.ensemble;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the groups of a pass and merges their reductions in group order
 * ({@link Reduction} says why in this order), whatever order or place it computes them in:
 * {@link LocalEngine} runs them on threads here; a cluster engine ships the (serializable) pass
 * and collects the (serializable) reductions. Engines other than the local one come from an
 * {@link EngineProvider} found by {@link java.util.ServiceLoader}.
 */
public interface Engine {

  /**
   * The pass's reduction: each group reduced (anywhere), merged into an empty reduction in group
   * order. Polls {@code watch.cancelled()} (true: ends with a
   * {@link java.util.concurrent.CancellationException}) and reports the chunks done.
   */
  Reduction reduce(Pass pass, Watch watch);

  /** As {@link #reduce(Pass, Watch)}, unwatched. */
  default Reduction reduce(Pass pass) { return reduce(pass, Watch.NONE); }

  /**
   * What a run reports to and asks of its caller: whether to stop, the chunks done, and a few words
   * on where the work is (a cluster's tasks done).
   */
  record Watch(java.util.function.BooleanSupplier cancelled, java.util.function.LongConsumer chunksDone,
      java.util.function.Consumer<String> note) {
    public static final Watch NONE = new Watch(() -> false, x -> { }, x -> { });
  }

  /** An independent unit of work with a serializable result (a Markov chain): the same bits wherever it runs. */
  interface Task<R extends java.io.Serializable> extends java.io.Serializable {
    R run();
  }

  /** Runs the tasks (anywhere, in any order) and returns their results in the order of the list. */
  <R extends java.io.Serializable> List<R> runAll(List<? extends Task<R>> tasks, Watch watch);

  /** Runs the jobs; {@code sink} receives their statistics in the order of the list. */
  void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink);

  /** The statistics of all the jobs merged in job order. */
  default ChunkStats merged(List<ChunkJob> jobs) {
    ChunkStats[] acc = {null};
    run(jobs, s -> acc[0] = acc[0] == null ? s : acc[0].merge(s));
    return acc[0];
  }

  /** The canonical reduction of a pass, computed here on this thread (what every engine must give, bit for bit). */
  static Reduction reduceHere(Pass pass) {
    Reduction all = pass.emptyReduction();
    for (long g = 0; g < pass.groups(); g++) all.merge(pass.reduceGroup(g));
    return all;
  }

  /** Frees what the engine holds (a cluster session); the engine is not used afterwards. */
  default void close() { }
}
