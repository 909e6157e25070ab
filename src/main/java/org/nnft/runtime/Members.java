package org.nnft.runtime;

import org.nnft.syntax.Span;

/** A value with named parts reachable as v.name. */
public interface Members extends Value {
  Value member(String name, Span span);
}
