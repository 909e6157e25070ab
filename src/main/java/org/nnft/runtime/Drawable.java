package org.nnft.runtime;

import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A value that draws itself (plot v to "x.png", ".svg" or ".pdf") or writes itself in formats of
 * its own (export v to "x.off"): geometric results such as polytopes and level sets.
 */
public interface Drawable extends Value {
  /**
   * Draws the value in a box of width x height points (1/72 inch), the same drawing for every
   * format; {@code title} replaces the value's own title when it is not null.
   */
  void draw(Graphics2D g, int width, int height, String title);

  /** The size of the picture in inches, {width, height}, when the script gives none. */
  default double[] size() { return new double[] {3.4, 3.4}; }

  /** The file extensions (with the dot, lower case) export accepts besides .json. */
  List<String> exportFormats();

  /** Writes the value in the format its extension names (one of {@link #exportFormats}). */
  void export(Path file, String extension) throws IOException;
}
