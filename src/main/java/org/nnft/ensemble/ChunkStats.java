package org.nnft.ensemble;

import java.io.Serializable;

/**
 * The statistics of one chunk (or of consecutive chunks merged): serializable, so that a chunk
 * may be computed on another machine, and mergeable. Merging is associative up to rounding;
 * engines deliver chunks in chunk order and callers merge in that order, so results are the same
 * bits however many threads or machines computed them.
 */
public interface ChunkStats extends Serializable {
  /** The format version of this kind of statistics (checked when merging). */
  int version();

  /** The first chunk covered. */
  long firstChunk();

  /** The last chunk covered. */
  long lastChunk();

  /** The number of networks behind these statistics. */
  long networks();

  /** These statistics followed by {@code later} (the chunks after them, in chunk order), as new statistics. */
  ChunkStats merge(ChunkStats later);
}
