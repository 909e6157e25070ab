package org.nnft.runtime;

/**
 * A value with a LaTeX form besides its text: symbolic expressions, closed-form kernels, actions.
 * Front ends that render mathematics (a Jupyter notebook's text/latex) ask for it; the text stays
 * the value's plain form.
 */
public interface Latex extends Value {
  /**
   * The value in LaTeX math mode (without $ delimiters), or null when it has none. Call it as the
   * value's session (inside {@link Session#inScope} or a statement), where Symja knows its names.
   */
  String latex();
}
