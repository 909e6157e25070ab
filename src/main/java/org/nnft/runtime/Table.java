package org.nnft.runtime;

import java.util.List;

/** A value that exports to CSV as named columns (Markov chains: one row per draw). */
public interface Table extends Value {
  /** The column names. */
  List<String> header();

  /** The columns, in header order, all of one length. */
  List<double[]> columns();

  /** Which columns hold whole numbers (written without a decimal point); null: none. */
  default boolean[] wholeColumns() { return null; }
}
