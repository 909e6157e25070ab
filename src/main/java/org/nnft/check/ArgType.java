package org.nnft.check;

/**
 * What an argument of a built-in takes. The checker compares what it can infer of an argument
 * before anything runs (a number, a vector of known length, a net with its input dimension, an
 * ensemble, ...) with this, and the language reference and the REPL's :help print it.
 */
public enum ArgType {
  ANY("a value"),
  NUMBER("a number"),
  INTEGER("a whole number"),
  /** A number, a vector or a matrix. */
  NUMBERS("numbers"),
  VECTOR("a vector"),
  MATRIX("a matrix"),
  /** A point of a net's input space: a number for R^1, a vector for R^d, or a batch of them. */
  POINT("a point"),
  NET("a net"),
  /** A net with a body and parameter densities: declared with net NAME(x: R^d) { ... }, or mlp(...). */
  DECLARED_NET("a net declared with net NAME(x: R^d) { ... } or mlp(...)"),
  ENSEMBLE("an ensemble"),
  DENSITY("a density"),
  /** A number or a symbolic expression. */
  EXPR("a number or a symbolic expression"),
  SYMBOL("a symbol"),
  FUNCTION("a function"),
  STRING("a string"),
  ACTION("an action"),
  FLOW("a neural ODE"),
  FITTED("a fitted net"),
  RANDOM("a function of the network"),
  GAUGE("a gauge"),
  RECORD("a result with named parts");

  public final String text;

  ArgType(String text) { this.text = text; }
}
