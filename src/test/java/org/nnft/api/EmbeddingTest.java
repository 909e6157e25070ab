package org.nnft.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.script.NnftScriptEngineFactory;

/** Issue 15, point 5: estimates of any shape reach Java with their errors, every Java value converts or is refused clearly, and the README's example compiles and runs. */
class EmbeddingTest {

  @Test
  void aMatrixOfEstimatesKeepsItsErrors() {
    Nnft nn = Nnft.session();
    nn.eval("net f(x: R^1) {\n  a ~ normal(0, 1)\n  b ~ normal(0.5, 1)\n  return a * x + b\n}\nlet G = correlator(sample(f, 4e4, seed = 3), [0, 1], [0, 1])");
    Estimates g = assertInstanceOf(Estimates.class, nn.get("G"));
    assertArrayEquals(new int[] {2, 2}, g.shape());
    assertTrue(g.hasErrors());
    // <(a x + b)(a y + b)> = x y + 1 + 1/4 for a ~ N(0, 1), b ~ N(1/2, 1)
    double[][] exact = {{1.25, 1.25}, {1.25, 2.25}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertTrue(g.error(i, j) > 0, "an error at " + i + ", " + j);
        assertTrue(Math.abs(g.value(i, j) - exact[i][j]) < 4 * g.error(i, j), g.toString());
      }
    }
    assertEquals(g.value(1, 0), g.valueMatrix()[1][0]);
    // an exact matrix stays a double[][]
    assertInstanceOf(double[][].class, nn.eval("[[1, 2], [3, 4]]"));
    // and back: an Estimates binding is the same tensor with its errors
    nn.raw().put("H", Nnft.fromJava(g));
    assertEquals(g.error(1, 1), ((Estimates) nn.get("H")).error(1, 1));
  }

  @Test
  void javaValuesConvertOrAreRefusedClearly() throws Exception {
    ScriptEngine e = new NnftScriptEngineFactory().getScriptEngine();
    e.put("xs", List.of(1, 2, 3.5));
    e.put("M", List.of(List.of(1, 2), List.of(3, 4)));
    e.put("p", Map.of("mass", 1.5, "name", "oscillator"));
    e.put("words", List.of("a", "b"));
    e.put("ints", new int[][] {{1, 2}, {3, 4}});
    assertEquals(6.5, e.eval("sum(xs)"));
    assertEquals(-2.0, e.eval("det(M)"));
    assertEquals(1.5, e.eval("p.mass"));
    assertEquals(List.of("a", "b"), e.eval("words"));
    assertEquals(10.0, e.eval("sum(sum(ints))"));
    // a host object nnft cannot hold: harmless until a script uses it, then a clear refusal
    e.put("host", new Object());
    e.put("mixed", List.of(1, new Object()));
    assertEquals(3.0, e.eval("1 + 2"));
    ScriptException x = assertThrows(ScriptException.class, () -> e.eval("let a = 1\nshow host"));
    assertTrue(x.getMessage().contains("'host'") && x.getMessage().contains("java.lang.Object")
        && x.getMessage().contains("lists") && x.getLineNumber() == 2, x.getMessage());
    x = assertThrows(ScriptException.class, () -> e.eval("show mixed"));
    assertTrue(x.getMessage().contains("'mixed'"), x.getMessage());
    // what nnft hands back converts the other way: a list of strings, a record as a map
    assertEquals(Map.of("mass", 1.5, "name", "oscillator"), e.eval("p"));
  }

  /** The README's example, compiled against this build and run: it prints G(0, 1) = value ± error. */
  @Test
  void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("<!-- embed-example[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "the README has the embedding example");
    String code = m.group(1);
    assertTrue(code.lines().count() <= 16, "a short example: " + code.lines().count() + " lines");
    Path src = dir.resolve("Embed.java");
    Files.writeString(src, code);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diag = new ByteArrayOutputStream();
    int rc = javac.run(null, diag, diag, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), src.toString());
    assertEquals(0, rc, diag.toString(StandardCharsets.UTF_8));
    PrintStream before = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      cl.loadClass("Embed").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(before);
    }
    String printed = out.toString(StandardCharsets.UTF_8).trim();
    Matcher g = Pattern.compile("G\\(0, 1\\) = ([0-9.]+) ± ([0-9.]+)").matcher(printed);
    assertTrue(g.matches(), printed);
    // the Cos-net kernel: G(0, 1) = exp(-1/2) / 2 = 0.3033
    double v = Double.parseDouble(g.group(1)), err = Double.parseDouble(g.group(2));
    assertTrue(err > 0 && Math.abs(v - 0.5 * Math.exp(-0.5)) < 4 * err, printed);
  }
}
