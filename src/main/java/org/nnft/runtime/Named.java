package org.nnft.runtime;

/** A value that `net NAME = ...` can name: a built-in architecture (attention, a neural ODE). */
public interface Named extends Value {
  Value named(String name);
}
