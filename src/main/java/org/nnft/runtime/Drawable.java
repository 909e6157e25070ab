package org.nnft.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A value that draws itself (plot v to "x.png") or writes itself in formats of its own
 * (export v to "x.off"): geometric results such as polytopes and level sets.
 */
public interface Drawable extends Value {
  /** Writes a PNG picture of the value. */
  void plot(Path png) throws IOException;

  /** The file extensions (with the dot, lower case) export accepts besides .json. */
  List<String> exportFormats();

  /** Writes the value in the format its extension names (one of {@link #exportFormats}). */
  void export(Path file, String extension) throws IOException;
}
