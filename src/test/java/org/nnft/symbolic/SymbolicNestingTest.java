package org.nnft.symbolic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Symja giving up on a too deep expression is an error, not a quietly unevaluated result. */
class SymbolicNestingTest {
  @Test void beyondTheRecursionLimitIsAnError() {
    int n = 4 * Symbolic.RECURSION_LIMIT / 3;
    Symbolic sy = Symbolic.get();
    Symbolic.SymbolicError e = assertThrows(Symbolic.SymbolicError.class,
        () -> sy.apply("Sin(".repeat(n) + "#1" + ")".repeat(n), sy.symbol("x")));
    assertTrue(e.getMessage().contains("nests too deeply"), e.getMessage());
    assertTrue(sy.isTrue(sy.apply("#1 == 2", 2.0)), "the engine still works");
  }
}
