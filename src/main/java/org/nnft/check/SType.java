package org.nnft.check;

import java.util.Arrays;
import org.nnft.syntax.Ast;

/**
 * What the checker knows of a value before anything runs: a number (and its value when it is a
 * constant), numbers of a known shape, a net with its input dimension, an ensemble of a net, one of
 * the other kinds of value, or nothing.
 */
public sealed interface SType {
  /** A number; value is null unless it is a constant the checker could fold. */
  record Num(Double value) implements SType {}
  /** Numbers of a shape (a dimension -1 when unknown), or of unknown shape when shape is null. */
  record Arr(int[] shape) implements SType {
    public boolean known() {
      if (shape == null) return false;
      for (int d : shape) if (d < 0) return false;
      return true;
    }
  }
  /**
   * A net: its name, its declaration with the values `with` gives it (decl null for built-in
   * architectures, whose input dimension inDim is then known or null).
   */
  record NetT(String name, Ast.NetDecl decl, java.util.Map<String, SType> overrides, Integer inDim, boolean matrixInput) implements SType {
    /** A net with a body and densities (declared or mlp), not a built-in layer such as attention. */
    public boolean declared() { return decl != null || !matrixInput; }
  }
  /** An ensemble of a net (null when the net is not known). */
  record EnsT(NetT net) implements SType {}
  /** Another kind of value: a density, a string, a function, a symbolic expression, ... */
  record Other(ArgType kind) implements SType {}
  /** Nothing known. */
  record Unknown() implements SType {}

  SType UNKNOWN = new Unknown();
  SType NUMBERS = new Arr(null);

  static SType of(ArgType t) {
    return switch (t) {
      case NUMBER, INTEGER -> new Num(null);
      case NUMBERS, VECTOR, MATRIX, POINT -> NUMBERS;
      case ANY, NET, DECLARED_NET, ENSEMBLE -> UNKNOWN;
      default -> new Other(t);
    };
  }

  /** For a sentence: "a number", "a 10x3 matrix", "net cosnet", "an ensemble", ... */
  static String describe(SType t) {
    if (t instanceof Num n) return n.value() == null ? "a number" : "the number " + org.nnft.report.Format.num(n.value());
    if (t instanceof Arr a) return a.known() ? Shapes.text(a.shape()) : "numbers";
    if (t instanceof NetT n) return n.declared() ? (n.name() == null ? "a net" : "net " + n.name()) : "an attention layer";
    if (t instanceof EnsT) return "an ensemble";
    if (t instanceof Other o) return o.kind() == ArgType.SYMBOL ? "a symbolic expression" : o.kind().text;
    return "a value";
  }

  static String shape(int[] s) { return Arrays.toString(s); }
}
