package org.nnft.runtime;

import org.nnft.check.SType;

/** A runtime value of the language. */
public interface Value {
  /** A word for the kind of value, for error messages: "a number", "a net", ... */
  String kind();

  /** What the checker knows of this value when a later input of a session uses it. */
  default SType staticType() { return SType.UNKNOWN; }
}
