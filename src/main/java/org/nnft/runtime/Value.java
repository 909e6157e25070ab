package org.nnft.runtime;

/** A runtime value of the language. */
public interface Value {
  /** A word for the kind of value, for error messages: "a number", "a net", ... */
  String kind();
}
