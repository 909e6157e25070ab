package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session-level behaviour: one pass per ensemble, lazy Symja. */
class SessionTest {
  static final String NET = """
      let N = 10
      net cosnet(x: R^1) {
        W0[N, 1] ~ normal(0, 1)
        b0[N]    ~ uniform(-pi, pi)
        W1[N]    ~ normal(0, 1 / sqrt(N))
        return dot(W1, cos(W0 @ x + b0))
      }
      """;

  static Session session() {
    Session.Options o = new Session.Options();
    o.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new Session(o);
  }

  @Test
  void observablesOfOneEnsembleShareOnePass() {
    Session s = session();
    s.run(NET + """
        let E = sample(cosnet, 5000, seed = 1, estimator = "networks")
        show correlator(E, 0, 1)
        let g = linspace(-1, 1, 5)
        show correlator(E, g, g)
        show [connected(E, x, x, 0, 0) for x in g]
        show N * connected(E, 0, 0, 0, 0, 0, 0)
        let F = sample(cosnet with N = 20, 5000, seed = 1)
        show correlator(F, 0, 0)
        show correlator(F, 0, 0.5)
        """, "t.nnft");
    assertEquals(2, s.passes(), "one pass per ensemble");
    assertEquals(6, s.shown().size());
  }

  @Test
  void symbolicStatementsPlotsAndComprehensionsBetweenObservablesKeepOnePass(@TempDir Path dir) {
    Session s = session();
    s.options().baseDir = dir;
    s.options().policy = s.options().policy.withWritable(dir);
    s.run(NET + """
        let E = sample(cosnet, 4000, seed = 2)
        show correlator(E, 0, 1)
        symbol m
        show simplify(m^2 + 2 * m + 1)
        let k = kernel(cosnet)
        show k(0, 1)
        let g = linspace(-1, 1, 3)
        plot correlator(E, g, 0) over g to "g.png"
        show [connected(E, x, x, 0, 0) for x in g if x > -1]
        let h = [2 * x for x in g]
        show correlator(E, h, h)
        expect correlator(E, 0, 1) ~= k(0, 1) within 5 sigma
        let A = reconstruct(E, points = [0, 1])
        show A.ginv
        """, "t.nnft");
    assertEquals(1, s.passes(), "one pass for every observable of E");
  }

  @Test
  void aNumericScriptNeverStartsSymja(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("numeric.nnft");
    Files.writeString(script, NET + "let E = sample(cosnet, 1000, seed = 1)\nshow correlator(E, 0, 1)\nshow sqrt(2) * [1, 2]\n");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-verbose:class", "-cp", System.getProperty("java.class.path"), "org.nnft.cli.Main", "run", script.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out.length() > 2000 ? out.substring(out.length() - 2000) : out);
    assertTrue(out.contains("correlator(E, 0, 1) ="), "the script ran");
    assertFalse(out.contains("org.matheclipse"), "Symja classes were loaded by a numeric script");

    Files.writeString(script, "symbol x\nshow D(x^3, x)\n");
    Process q = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out2 = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, q.waitFor());
    assertTrue(out2.contains("org.matheclipse"), "a symbolic script loads Symja");
    assertTrue(out2.contains("D(x^3, x) = 3*x^2"), out2.length() > 500 ? out2.substring(out2.length() - 500) : out2);
  }
}
