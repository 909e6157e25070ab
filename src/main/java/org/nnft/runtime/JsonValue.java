package org.nnft.runtime;

/** A value with its own JSON form (maps, lists, numbers, strings, booleans). */
public interface JsonValue extends Value {
  Object json();
}
