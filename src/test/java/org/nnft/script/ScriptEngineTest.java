package org.nnft.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.nnft.ensemble.Estimate;
import org.nnft.runtime.Value;

class ScriptEngineTest {
  static final String COSNET = String.join("\n",
      "let d = 1",
      "let N = 100",
      "net cosnet(x: R^d) {",
      "  W0[N, d] ~ normal(0, 1 / sqrt(d))",
      "  b0[N]    ~ uniform(-pi, pi)",
      "  W1[N]    ~ normal(0, 1 / sqrt(N))",
      "  return dot(W1, cos(W0 @ x + b0))",
      "}",
      "");

  static ScriptEngine engine() {
    ScriptEngine e = new ScriptEngineManager().getEngineByName("nnft");
    assertNotNull(e, "no engine named nnft");
    return e;
  }

  @Test void foundByNameExtensionAndMimeType() {
    ScriptEngineManager m = new ScriptEngineManager();
    assertInstanceOf(NnftScriptEngine.class, m.getEngineByName("nnft"));
    assertInstanceOf(NnftScriptEngine.class, m.getEngineByExtension("nnft"));
    assertInstanceOf(NnftScriptEngine.class, m.getEngineByMimeType("text/x-nnft"));
    ScriptEngine e = m.getEngineByName("nnft");
    assertEquals("nnft", e.getFactory().getLanguageName());
    assertEquals("nnft", e.getFactory().getParameter(ScriptEngine.NAME));
    assertEquals("show \"a \\\"b\\\"\"", e.getFactory().getOutputStatement("a \"b\""));
  }

  @Test void evalReturnsTheLastValueConvertedToJava() throws ScriptException {
    ScriptEngine e = engine();
    Object v = e.eval("0.5 * exp(-1/2)");
    assertInstanceOf(Double.class, v);
    assertEquals(0.5 * Math.exp(-0.5), (Double) v, 1e-15);
    assertArrayEquals(new double[] {1, 2, 3}, (double[]) e.eval("[1, 2, 3]"));
    double[][] m = (double[][]) e.eval("[[1, 2], [3, 4]]");
    assertArrayEquals(new double[] {3, 4}, m[1]);
    assertEquals("hi", e.eval("\"hi\""));
    assertEquals(Boolean.TRUE, e.eval("1 < 2"));
    assertEquals(2.0, e.eval("let a = 1\na + 1"));
    assertNull(e.eval("expect 1 < 2"));
    assertNull(e.eval("# nothing"));
  }

  @Test void estimatesAndNetsComeBackAsEstimateAndValue() throws ScriptException {
    ScriptEngine e = engine();
    Object net = e.eval(COSNET + "cosnet");
    assertInstanceOf(Value.class, net);
    Object g = e.eval("correlator(sample(cosnet, 2e4, seed = 42), 0, 1)");
    Estimate est = assertInstanceOf(Estimate.class, g);
    assertTrue(est.error() > 0 && est.error() < 0.05, est.toString());
    assertEquals(0.5 * Math.exp(-0.5), est.value(), 5 * est.error());
    assertNotNull(est.note());
  }

  @Test void compiledScriptsAreReusable() throws ScriptException {
    ScriptEngine e = engine();
    e.put("n", 0);
    CompiledScript c = ((Compilable) e).compile("let n = n + 1\nn * 10");
    assertSame(e, c.getEngine());
    assertEquals(10.0, c.eval());
    assertEquals(20.0, c.eval());
    assertEquals(30.0, c.eval());
    assertEquals(3.0, e.get("n"));
    // compile checks names and syntax without running
    ScriptException bad = assertThrows(ScriptException.class, () -> ((Compilable) e).compile("let z = 1 +"));
    assertEquals(1, bad.getLineNumber());
    ScriptException undeclared = assertThrows(ScriptException.class, () -> ((Compilable) e).compile("show nope"));
    assertTrue(undeclared.getMessage().contains("nope"), undeclared.getMessage());
    // compile from a reader
    assertEquals(4.0, ((Compilable) e).compile(new StringReader("2 * 2")).eval());
  }

  @Test void bindingsGoInAndComeOut() throws ScriptException {
    ScriptEngine e = engine();
    e.put("s", 2);
    e.put("xs", new double[] {1, 2, 3});
    e.put("not.a.name", 5); // ignored: not an identifier
    assertEquals(12.0, e.eval("s * sum(xs)"));
    e.eval("let t = s ^ 2\nlet v = xs * s\nlet M = [[1, 0], [0, 1]]\nlet word = \"ok\"");
    assertEquals(4.0, e.get("t"));
    assertArrayEquals(new double[] {2, 4, 6}, (double[]) e.get("v"));
    assertArrayEquals(new double[] {0, 1}, ((double[][]) e.get("M"))[1]);
    assertEquals("ok", e.get("word"));
    // changing a binding from Java is seen by the next script
    e.put("s", 10.0);
    assertEquals(60.0, e.eval("s * sum(xs)"));
    // explicit bindings for one eval
    Bindings b = e.createBindings();
    b.put("k", 7);
    assertEquals(14.0, e.eval("k * 2", b));
    assertEquals(7.0, b.get("k"));
    // an estimate from Java keeps its error
    e.eval(COSNET + "let E = sample(cosnet, 2e4, seed = 7)\nlet G = correlator(E, 0, 1)");
    Estimate g = (Estimate) e.get("G");
    assertEquals(g.error(), (Double) e.eval("error(G)"), 0);
    assertInstanceOf(Value.class, e.get("E"));
    // a vector of estimates comes out with its errors, and keeps them inside the session
    e.eval("let C = correlator(E, [0, 1], 0)");
    org.nnft.api.Estimates c = (org.nnft.api.Estimates) e.get("C");
    assertEquals(2, c.size());
    assertTrue(c.error(1) > 0);
    assertTrue((Double) e.eval("sum(error(C))") > 0);
    // an exported array changed in place by Java is read again
    double[] v = (double[]) e.get("v");
    v[0] = 100;
    assertEquals(110.0, e.eval("sum(v)"));
  }

  @Test void errorsCarryFileLineAndColumn() {
    ScriptEngine e = engine();
    e.getContext().setAttribute(ScriptEngine.FILENAME, "model.nnft", ScriptContext.ENGINE_SCOPE);
    ScriptException x = assertThrows(ScriptException.class, () -> e.eval("let a = 1\nlet b = a + undefinedThing"));
    assertEquals("model.nnft", x.getFileName());
    assertEquals(2, x.getLineNumber());
    assertEquals(13, x.getColumnNumber());
    assertTrue(x.getMessage().startsWith("'undefinedThing' is not declared"), x.getMessage());
    ScriptException syntax = assertThrows(ScriptException.class, () -> e.eval("let q = (1 + 2"));
    assertEquals(1, syntax.getLineNumber());
    ScriptException runtime = assertThrows(ScriptException.class, () -> e.eval("\n\nlet r = normal(0, -1)"));
    assertEquals(3, runtime.getLineNumber());
  }

  @Test void failedExpectationsRaise() throws ScriptException {
    ScriptEngine e = engine();
    StringWriter w = new StringWriter();
    e.getContext().setWriter(w);
    ScriptException x = assertThrows(ScriptException.class,
        () -> e.eval("let a = 2\nexpect a ~= 3 within 1e-6\nlet after = 1"));
    assertEquals(2, x.getLineNumber());
    assertTrue(x.getMessage().startsWith("expect failed: "), x.getMessage());
    assertEquals(1.0, e.get("after")); // the script ran to the end
    assertNull(e.eval("expect a ~= 2 within 1e-6")); // passing ones are quiet
  }

  @Test void showGoesToTheContextWriter() throws ScriptException {
    ScriptEngine e = engine();
    StringWriter w = new StringWriter();
    e.getContext().setWriter(w);
    e.eval("let x = 3\nshow x * 2\nshow \"σ ≈ 1\"");
    assertEquals("x * 2 = 6\n\"σ ≈ 1\" = σ ≈ 1\n", w.toString().replace("\r\n", "\n"));
    StringWriter w2 = new StringWriter();
    e.getContext().setWriter(w2);
    e.eval("show x");
    assertEquals("x = 3\n", w2.toString().replace("\r\n", "\n"));
    assertEquals("x * 2 = 6\n\"σ ≈ 1\" = σ ≈ 1\n", w.toString().replace("\r\n", "\n"));
  }
}
