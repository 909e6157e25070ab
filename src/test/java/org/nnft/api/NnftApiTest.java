package org.nnft.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.nnft.ensemble.Estimate;
import org.junit.jupiter.api.Test;
import org.nnft.syntax.NnftException;

class NnftApiTest {
  static final String COSNET = String.join("\n",
      "net cosnet(x: R) {",
      "  W0[N] ~ normal(0, 1)",
      "  b0[N] ~ uniform(-pi, pi)",
      "  W1[N] ~ normal(0, 1 / sqrt(N))",
      "  return dot(W1, cos(W0 * x + b0))",
      "}",
      "");

  @Test void evalAndNumbers() {
    Nnft nn = Nnft.session();
    assertEquals(0.5 * Math.exp(-0.5), (Double) nn.eval("0.5 * exp(-1/2)"), 1e-15);
    nn.eval("let a = 3\nlet b = a ^ 2");
    assertEquals(9.0, nn.number("b"));
    assertEquals(9.0, nn.get("b"));
    assertTrue(nn.names().contains("a"));
    assertNull(nn.get("nothing"));
    assertThrows(IllegalArgumentException.class, () -> nn.number("nothing"));
    nn.eval("let v = [1, 2]");
    assertThrows(IllegalArgumentException.class, () -> nn.number("v"));
    nn.reset();
    assertTrue(nn.names().isEmpty());
  }

  @Test void setNumbersAndVectors() {
    Nnft nn = new Nnft();
    nn.set("s", 2.5).set("xs", new double[] {1, 2, 3}).set("M", new double[][] {{1, 2}, {3, 4}});
    assertEquals(15.0, nn.eval("s * sum(xs)"));
    assertArrayEquals(new double[] {2, 4, 6}, (double[]) nn.eval("2 * xs"));
    assertEquals(4.0, nn.eval("M[1, 1]"));
    assertArrayEquals(new double[] {3, 7}, (double[]) nn.eval("M @ [1, 1]"));
    assertThrows(IllegalArgumentException.class, () -> nn.set("let", 1));
    assertThrows(IllegalArgumentException.class, () -> nn.set("a b", 1));
  }

  @Test void estimatesWithSeedsAndThreads() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Nnft nn = Nnft.session().setSeed(11).setThreads(2).setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
    nn.set("N", 100);
    nn.eval(COSNET + "let G = correlator(sample(cosnet, 2e4), 0, 1)\nshow G");
    Estimate g = nn.estimate("G");
    assertTrue(g.error() > 0, g.toString());
    assertEquals(0.5 * Math.exp(-0.5), g.value(), 5 * g.error());
    assertEquals(g.value(), nn.number("G"));
    assertTrue(sink.toString(StandardCharsets.UTF_8).startsWith("G = "), sink.toString(StandardCharsets.UTF_8));
    // same seed, one thread: the same numbers to the last bit
    Nnft again = Nnft.session().setSeed(11).setThreads(1).setOut(new PrintStream(new ByteArrayOutputStream()));
    again.set("N", 100);
    again.eval(COSNET + "let G = correlator(sample(cosnet, 2e4), 0, 1)");
    assertEquals(g, again.estimate("G"));
    // an exact number is an estimate with no error
    assertEquals(new Estimate(100, 0, null), nn.estimate("N"));
    assertInstanceOf(Estimate.class, nn.get("G"));
  }

  @Test void errorsAndFailedExpectations() {
    Nnft nn = Nnft.session().setOut(new PrintStream(new ByteArrayOutputStream()));
    NnftException e = assertThrows(NnftException.class, () -> nn.eval("let x = 1\nlet y = x + zz"));
    assertEquals(2, e.line());
    assertEquals(13, e.column());
    assertTrue(e.render().contains("^"), e.render());
    NnftException f = assertThrows(NnftException.class, () -> nn.eval("let q = 1\n\nexpect q ~= 2 within 1e-9"));
    assertEquals("expect failed", f.kind());
    assertEquals(3, f.line());
    assertTrue(f.render().contains("expect q ~= 2"), f.render());
    assertEquals(1.0, nn.number("q"));
  }
}
