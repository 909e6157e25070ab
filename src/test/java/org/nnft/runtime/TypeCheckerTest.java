package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;

/** Type and shape errors are found before any work: nothing is sampled, nothing is printed. */
class TypeCheckerTest {
  static final String NET = "let N = 10\nnet c(x: R^2) { W0[N, 2] ~ normal(0, 1); b0[N] ~ uniform(-pi, pi); W1[N] ~ normal(0, 1 / sqrt(N))\n"
      + " return dot(W1, cos(W0 @ x + b0)) }\n";

  @Test void aLateErrorStopsTheScriptBeforeAnySampling() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Session.Options o = new Session.Options();
    o.out = new java.io.PrintStream(out);
    Session s = new Session(o);
    String script = NET + "let E = sample(c, 1e12)\nshow correlator(E, [0, 0], [1, 1])\nshow correlator(E, [0, 0], 1)\n";
    NnftException e = assertThrows(NnftException.class, () -> s.run(Source.of("t.nnft", script)));
    assertEquals(6, e.line());
    assertTrue(e.getMessage().contains("takes points in R^2"), e.getMessage());
    assertEquals(0, s.passes());
    assertEquals("", out.toString());
  }

  @Test void checkAloneFindsTheSameErrors() {
    Session s = new Session();
    assertThrows(NnftException.class, () -> s.check(Source.of("t.nnft", NET + "show correlator(sample(c, 0), [0, 0])\n")));
    assertThrows(NnftException.class, () -> s.check(Source.of("t.nnft", "let d = normal(0, -2)\n")));
    s.check(Source.of("t.nnft", NET + "show correlator(sample(c, 10), [0, 0])\n"));
  }

  @Test void earlierInputsOfASessionAreKnown() {
    Session s = new Session();
    s.run(Source.of("a.nnft", NET + "let E = sample(c, 100, seed = 1)\nlet k = 3\n"));
    NnftException e = assertThrows(NnftException.class, () -> s.check(Source.of("b.nnft", "show correlator(k, 0)\n")));
    assertTrue(e.getMessage().contains("not the number 3"), e.getMessage());
  }
}
