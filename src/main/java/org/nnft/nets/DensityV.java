package org.nnft.nets;

import org.nnft.model.Density;
import org.nnft.runtime.Value;
import org.nnft.syntax.Span;

/**
 * A density as a value of the language (what {@code normal(0, 1)} evaluates to), with the place
 * it was written; the {@link Density} itself is a pure value the numeric side keeps.
 */
public record DensityV(Density density, Span span) implements Value {
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.DENSITY); }

  @Override public String kind() { return "a density"; }

  @Override public String toString() { return density.toString(); }
}
