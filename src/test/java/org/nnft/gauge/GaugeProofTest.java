package org.nnft.gauge;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The string-level steps of the node-by-node gauge proofs must never call unequal things equal. */
class GaugeProofTest {
  @Test
  void sumsAgreeTermByTermOnlyWhenTheirTermsAreTheSame() {
    assertTrue(Gauges.sameTerms("(a)*(b)+(c)*(d)", "(c)*(d)+(a)*(b)"));
    assertFalse(Gauges.sameTerms("(a)*(b)+(c)*(d)", "(a)*(d)+(c)*(b)"));
    assertFalse(Gauges.sameTerms("(a)*(b)+(c)*(d)", "(a)*(b)+(c)*(d)+(e)"));
    // a top-level minus is not split, so reordering across it is never claimed
    assertFalse(Gauges.sameTerms("(a)-(b)+(c)", "(c)+(a)-(b)"));
    // a + inside parentheses belongs to its term
    assertFalse(Gauges.sameTerms("(a+b)*(c)", "(a)+(b)*(c)"));
  }

  @Test
  void permutationsAreFoundWithRepeatedEntries() {
    assertArrayEquals(new int[] {2, 0, 1}, Gauges.permutationOf(new String[] {"z", "x", "y"}, new String[] {"x", "y", "z"}));
    int[] p = Gauges.permutationOf(new String[] {"x", "x", "y"}, new String[] {"y", "x", "x"});
    assertEquals(3, p.length);
    assertTrue(p[0] != p[1] && p[2] == 0);
    assertNull(Gauges.permutationOf(new String[] {"x", "x"}, new String[] {"x", "y"}));
  }

  @Test
  void literalZerosAndOnesFoldAway() {
    assertEquals("w", Gauges.times("1", "w"));
    assertEquals("0", Gauges.times("w", "0"));
    assertEquals("(a)*(b)", Gauges.times("a", "b"));
    assertEquals("w", Gauges.plus(List.of("0", "w", "0")));
    assertEquals("0", Gauges.plus(List.of("0")));
    assertEquals("(a+b)", Gauges.plus(List.of("a", "0", "b")));
  }

  @Test
  void adjugateInverseOfATwoByTwo() {
    String[] inv = Gauges.inverse(new String[] {"a", "b", "c", "d"}, 2);
    assertEquals(4, inv.length);
    assertTrue(inv[0].contains("d") && inv[0].contains("nndetinv"), inv[0]);
    assertTrue(inv[1].startsWith("-") && inv[1].contains("b"), inv[1]);
  }
}
