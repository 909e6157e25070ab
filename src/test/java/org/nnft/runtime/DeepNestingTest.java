package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.script.Compilable;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.api.Nnft;
import org.nnft.cli.Main;
import org.nnft.repl.Repl;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Parser;

/**
 * Deep nesting of every kind is a positioned error and long flat chains are correct results, in
 * every front end, on a thread with a default-sized (1 MB) stack as embedders use: the engine
 * must not depend on the launcher's -Xss.
 */
class DeepNestingTest {
  static final int N = 20_000;
  static final String LET = "let v = ";

  /** Inputs nested N deep, each as the right-hand side of a let. */
  static Map<String, String> deep() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("parentheses", "(".repeat(N) + "1" + ")".repeat(N));
    m.put("brackets", "[".repeat(N) + "1" + "]".repeat(N));
    m.put("unary minus", "-".repeat(N) + "1");
    m.put("not", "not ".repeat(N) + "true");
    m.put("chained ^", String.join("^", java.util.Collections.nCopies(N, "1")));
    m.put("nested calls", "abs(".repeat(N) + "1" + ")".repeat(N));
    m.put("nested comprehensions", "[".repeat(N) + "x" + " for x in [1]]".repeat(N));
    m.put("nested index", "[".repeat(N) + "0" + "][0]".repeat(N));
    return m;
  }

  /** Runs on a new thread with a 1 MB stack; its exception or error is rethrown here. */
  static <T> T onSmallStack(Callable<T> work) throws Exception {
    Object[] out = new Object[1];
    Throwable[] thrown = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        out[0] = work.call();
      } catch (Throwable e) {
        thrown[0] = e;
      }
    }, "small-stack", 1 << 20);
    t.start();
    t.join();
    if (thrown[0] instanceof Exception e) throw e;
    if (thrown[0] instanceof Error e) throw e;
    @SuppressWarnings("unchecked") T v = (T) out[0];
    return v;
  }

  static void isDepthError(NnftException e) {
    assertTrue(e.getMessage().contains("nests deeper than " + Parser.MAX_DEPTH + " levels"), e.getMessage());
    assertEquals("error", e.kind());
    assertEquals(1, e.line());
    assertTrue(e.column() > Parser.MAX_DEPTH, "the place where it gets too deep, not " + e.column());
  }

  @Test void theApiReportsDeepNestingWithItsPlace() throws Exception {
    for (Map.Entry<String, String> c : deep().entrySet()) {
      NnftException e = onSmallStack(() -> assertThrows(NnftException.class,
          () -> quiet().eval(LET + c.getValue()), c.getKey()));
      isDepthError(e);
    }
  }

  @Test void theErrorPointsAtTheFirstParenthesisTooMany() throws Exception {
    NnftException e = onSmallStack(() -> assertThrows(NnftException.class,
        () -> quiet().eval(LET + deep().get("parentheses"))));
    assertEquals(LET.length() + Parser.MAX_DEPTH + 1, e.column());
    assertTrue(e.render().lines().allMatch(l -> l.length() < 300), "a long line is shown around the caret:\n" + e.render());
  }

  @Test void theEngineRaisesScriptExceptionsWithLineAndColumn() throws Exception {
    ScriptEngine engine = new ScriptEngineManager().getEngineByName("nnft");
    for (Map.Entry<String, String> c : deep().entrySet()) {
      ScriptException e = onSmallStack(() -> assertThrows(ScriptException.class, () -> engine.eval(LET + c.getValue()), c.getKey()));
      assertTrue(e.getMessage().contains("nests deeper than"), e.getMessage());
      assertEquals(1, e.getLineNumber());
      assertTrue(e.getColumnNumber() > Parser.MAX_DEPTH, c.getKey() + ": " + e.getColumnNumber());
      ScriptException ce = onSmallStack(() -> assertThrows(ScriptException.class, () -> ((Compilable) engine).compile(LET + c.getValue())));
      assertEquals(1, ce.getLineNumber());
    }
    assertEquals(2.0, onSmallStack(() -> engine.eval("1 + 1")), "the engine still works after the errors");
  }

  @Test void nestingUpToTheLimitEvaluates() throws Exception {
    int d = Parser.MAX_DEPTH - 1; // the let's own expression is one level
    Nnft nn = quiet();
    assertEquals(1.0, onSmallStack(() -> nn.eval(LET + "(".repeat(d) + "1" + ")".repeat(d))));
    assertEquals(d % 2 == 0 ? 1.0 : -1.0, onSmallStack(() -> nn.eval(LET + "-".repeat(d) + "1")));
    assertEquals(1.0, onSmallStack(() -> nn.eval(LET + "abs(".repeat(d - 1) + "-1" + ")".repeat(d - 1))));
    assertEquals(2.0, onSmallStack(() -> nn.eval(LET + String.join("^", java.util.Collections.nCopies(d - 1, "1")) + "^2 * 2")));
    assertEquals(1.0, onSmallStack(() -> nn.eval(LET + "[".repeat(d) + "1" + "]".repeat(d) + "[0]".repeat(d))));
    int h = d / 3; // Horner's rule nests three levels per degree: +, * and ( )
    double x = 0.5, want = 1;
    for (int i = 0; i < h; i++) want = 1 + x * want;
    assertEquals(want, (Double) onSmallStack(() -> nn.eval("let x = 0.5\n" + LET + "1 + x * (".repeat(h) + "1" + ")".repeat(h))), 1e-12);
  }

  @Test void symbolicNestingBeyondSymjasDefaultRecursionLimitEvaluates() throws Exception {
    int d = 600; // Symja's default recursion limit is 512: it used to give up and hand back Hold(...)
    assertEquals(0.0, onSmallStack(() -> quiet().eval("symbol x\nsubs(" + "sin(".repeat(d) + "x" + ")".repeat(d) + ", x = 0)")));
  }

  @Test void longFlatChainsAreResultsNotErrors() throws Exception {
    int n = 100_000;
    Nnft nn = quiet();
    assertEquals((double) n, onSmallStack(() -> nn.eval(LET + String.join(" + ", java.util.Collections.nCopies(n, "1")))));
    int m = 10_000; // long enough to overflow a 1 MB stack if anything recursed once per term
    assertEquals(2.0 - m, onSmallStack(() -> nn.eval(LET + String.join(" - ", java.util.Collections.nCopies(m, "1")))));
    assertEquals(Math.pow(1.0001, 2000), (Double) onSmallStack(() -> nn.eval(LET + String.join(" * ", java.util.Collections.nCopies(2000, "1.0001")))), 1e-9);
    assertEquals(Boolean.TRUE, onSmallStack(() -> nn.eval(LET + String.join(" and ", java.util.Collections.nCopies(m, "true")))));
    assertEquals(Boolean.FALSE, onSmallStack(() -> nn.eval(LET + String.join(" and ", java.util.Collections.nCopies(m, "true")) + " and false")));
    double[] v = (double[]) onSmallStack(() -> nn.eval("[" + String.join(", ", java.util.Collections.nCopies(m, "2")) + "]"));
    assertEquals(m, v.length);
    // a chain fails where it fails: the error is placed on the sub-chain up to the bad term
    NnftException e = onSmallStack(() -> assertThrows(NnftException.class,
        () -> nn.eval(LET + String.join(" + ", java.util.Collections.nCopies(m, "1")) + " + [1, 2] + [1, 2, 3]")));
    assertEquals(1, e.line());
    assertEquals(LET.length() + 1, e.column());
    assertTrue(e.getMessage().contains("cannot combine"), e.getMessage());
  }

  @Test void aSumInsideANetIsLoweredAndSampled() throws Exception {
    String body = String.join(" + ", java.util.Collections.nCopies(5_000, "w * x"));
    Nnft nn = quiet();
    Object g = onSmallStack(() -> nn.eval("net f(x: R) {\n  w ~ normal(0, 1)\n  return " + body + "\n}\n"
        + "value(correlator(sample(f, 1000, seed = 3), 1, 1))"));
    assertInstanceOf(Double.class, g);
    assertTrue((Double) g > 0);
  }

  @Test void checkAndTheCliAndTheReplReportItToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deep.nnft");
    Files.writeString(file, "let a = 1\nshow " + deep().get("parentheses") + "\n");
    NnftException e = onSmallStack(() -> assertThrows(NnftException.class,
        () -> new Session().check(org.nnft.syntax.Source.of("deep.nnft", Files.readString(file)))));
    assertEquals(2, e.line());
    for (String cmd : new String[] {"run", "check"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
      int code = onSmallStack(() -> Main.run(new String[] {cmd, file.toString()},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
      String text = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, code, cmd + ": " + text);
      assertTrue(text.startsWith(file + ":2:" + (5 + Parser.MAX_DEPTH + 1) + ": error: this expression nests deeper than"), cmd + ": " + text);
      assertFalse(text.contains("Exception") || text.contains("Error:") || text.contains("\tat "), text);
    }
    String input = "let a = 2\nshow " + deep().get("brackets") + "\nshow " + deep().get("unary minus") + "\na + 1\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code = onSmallStack(() -> Repl.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), new Session.Options()));
    String errs = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, code);
    assertEquals(2, errs.split("nests deeper than", -1).length - 1, errs);
    assertTrue(errs.contains("<repl>:1:"), errs);
    assertFalse(errs.contains("\tat "), errs);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("3"), "the session goes on after the errors");
  }

  static Nnft quiet() {
    return Nnft.session().setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
