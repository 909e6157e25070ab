package org.nnft.check;

import java.util.Set;

/** What the checker needs to know of the built-ins a session has: their signatures and constants. */
public interface Signatures {
  /** The signature of a built-in function, or null. */
  Signature signature(String name);

  /** The value of a built-in constant, or null. */
  Double constant(String name);

  /** Every built-in name, sorted. */
  Set<String> names();

  default boolean isConstant(String name) { return constant(name) != null; }

  default boolean isBuiltin(String name) { return signature(name) != null || constant(name) != null; }
}
