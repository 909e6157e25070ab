package org.nnft.ensemble;

import java.io.Serializable;

/**
 * What the estimators read off a pass: the statistics of its chunks, reduced (for correlators,
 * sums per jackknife batch). Serializable and mergeable, so that a group of chunks can be reduced
 * on another machine.
 *
 * <p>The order of floating-point additions decides the last bits, so every engine reduces a pass
 * the same way: the pass is cut into groups of consecutive chunks by a map that depends only on
 * the number of chunks ({@link Pass#groups()}); each group starts from an empty reduction
 * ({@link Statistic#reduction(long)}) and adds its chunks in chunk order; the groups' reductions
 * are merged into an empty one in group order. Where and on how many threads, tasks or machines
 * the groups ran does not enter.
 */
public interface Reduction extends Serializable {

  /** Adds the statistics of the next chunk (chunks come in chunk order). */
  void add(ChunkStats chunk);

  /** Adds the reduction of the chunks that follow these (a later group, in group order). */
  void merge(Reduction later);

  /** The number of networks reduced. */
  long networks();

  /**
   * The reduction of any statistic: its chunks' statistics merged in order
   * ({@link ChunkStats#merge}); for statistics that need nothing else.
   */
  final class Merged implements Reduction {
    private static final long serialVersionUID = 1L;
    private ChunkStats all;

    @Override public void add(ChunkStats chunk) { all = all == null ? chunk : all.merge(chunk); }

    @Override public void merge(Reduction later) {
      ChunkStats o = ((Merged) later).all;
      if (o != null) add(o);
    }

    @Override public long networks() { return all == null ? 0 : all.networks(); }

    /** The merged statistics (null before any chunk). */
    public ChunkStats stats() { return all; }
  }
}
