package org.nnft.symbolic;

/**
 * A symbolic expression compiled once to Java bytecode (see {@link ClosureCompiler}). Evaluating it
 * never touches Symja, allocates nothing, and is safe from any number of threads at once.
 */
public interface Compiled {

  /**
   * The value at a point: {@code args[i]} is the value of {@code variables()[i]}. Extra trailing
   * entries are ignored; a shorter array throws {@link ArrayIndexOutOfBoundsException}.
   */
  double eval(double[] args);

  /** The user names of the arguments, in the order the caller gave them (a copy). */
  String[] variables();

  /** The generated Java source (also the cache key). */
  String source();
}
