package org.nnft.check;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nnft.syntax.Span;

/**
 * A call as the checker sees it before anything runs: the static types of its arguments, where
 * they stand, and the net's input dimension as it would be sampled here. A built-in's
 * {@link Signature.Typer}, declared next to its code, reads it to give the result's type and to
 * refuse what it can know is wrong.
 */
public record StaticCall(Span span, List<SType> positional, List<Span> positionalSpans, Map<String, SType> named,
    Map<String, Span> namedSpans, Function<SType.NetT, Integer> inputDimension) {

  /** Positional argument i, or null when the call has fewer. */
  public SType arg(int i) { return i < positional.size() ? positional.get(i) : null; }

  public Span argSpan(int i) { return positionalSpans.get(i); }

  /** Positional argument i as a constant whole number from 1 to 1e8, else null. */
  public Integer whole(int i) { return whole(arg(i)); }

  /** The constant value of argument i, or null when it is not a constant number. */
  public Double constant(int i) { return arg(i) instanceof SType.Num n ? n.value() : null; }

  /** The constant value of named argument n, or null. */
  public Double constant(String n) { return named.get(n) instanceof SType.Num x ? x.value() : null; }

  /** A constant whole number from 1 to 1e8, else null. */
  public static Integer whole(SType t) {
    if (t instanceof SType.Num n && n.value() != null && n.value() == Math.rint(n.value()) && n.value() >= 1 && n.value() < 1e8) return n.value().intValue();
    return null;
  }

  /** A vector of n entries (n null: unknown length). */
  public static SType vector(Integer n) { return new SType.Arr(new int[] {n == null ? -1 : n}); }

  /** A matrix of r x c entries (null: unknown). */
  public static SType matrix(Integer r, Integer c) { return new SType.Arr(new int[] {r == null ? -1 : r, c == null ? -1 : c}); }
}
