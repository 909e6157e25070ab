package org.nnft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --json document's schema (docs/json.md): every part present with the documented fields and
 * types. Shown values, failed expectations and warnings with file, line and column, the files
 * written, and the error that stopped the run.
 */
class JsonOutputTest {

  static final String SCRIPT = """
      net f(x: R^1) {
        a ~ normal(0, 1)
        return a * x
      }
      let E = sample(f, 2000, seed = 1)
      show correlator(E, 1, 1)
      expect correlator(E, 1, 1) ~= 1 within 4 sigma
      expect 1 + 1 == 3
      let two = extrapolate([0.45 ± 0.01, 0.43 ± 0.01], at = [0.1, 0.05])
      plot [1, 3, 2] to "p.png"
      export [1, 2] to "v.csv"
      show inverse([[1, 2], [2, 4]])
      """;

  static Set<String> fields(JsonNode n) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
    return out;
  }

  static void assertPlace(JsonNode n, String file, int line) {
    assertEquals(Set.of("file", "line", "column", "message"), fields(n), n.toString());
    assertTrue(n.get("file").asText().endsWith(file), n.toString());
    assertEquals(line, n.get("line").asInt(), n.toString());
    assertTrue(n.get("column").asInt() >= 1, n.toString());
    assertTrue(n.get("message").isTextual() && !n.get("message").asText().isEmpty(), n.toString());
  }

  @Test
  void theDocumentHasEveryPartWithItsPlace(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("s.nnft");
    Files.writeString(script, SCRIPT);
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    String cwd = System.getProperty("user.dir");
    int code;
    // outputs go to the working directory: run from the temporary folder's point of view
    code = Main.run(new String[] {"run", script.toString(), "--json", "--allow-write", dir.toString()},
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(1, code, e.toString(StandardCharsets.UTF_8));
    JsonNode doc = new ObjectMapper().readTree(o.toString(StandardCharsets.UTF_8));
    assertEquals(Set.of("shown", "expect", "warnings", "files", "error"), fields(doc), doc.toString());
    // shown: line, expression, value (an estimate with its error)
    JsonNode shown = doc.get("shown").get(0);
    assertEquals(Set.of("line", "expr", "value"), fields(shown));
    assertEquals(6, shown.get("line").asInt());
    assertTrue(shown.get("value").get("error").isNumber(), shown.toString());
    // expectations: one passed, the failed one with its place
    assertEquals(1, doc.get("expect").get("passed").asInt());
    assertEquals(1, doc.get("expect").get("failed").size());
    assertPlace(doc.get("expect").get("failed").get(0), "s.nnft", 8);
    // the warning of an extrapolation with no degree of freedom, with its place
    assertEquals(1, doc.get("warnings").size(), doc.toString());
    assertPlace(doc.get("warnings").get(0), "s.nnft", 9);
    // the files written, in order: the statement's line, plot or export, the path
    assertEquals(2, doc.get("files").size(), doc.toString());
    JsonNode plot = doc.get("files").get(0), csv = doc.get("files").get(1);
    assertEquals(Set.of("line", "kind", "path"), fields(plot));
    assertEquals("plot", plot.get("kind").asText());
    assertEquals(10, plot.get("line").asInt());
    assertEquals("export", csv.get("kind").asText());
    assertTrue(plot.get("path").asText().endsWith("p.png") && csv.get("path").asText().endsWith("v.csv"), doc.toString());
    for (JsonNode f : doc.get("files")) {
      Path p = Path.of(f.get("path").asText());
      assertTrue(Files.exists(p.isAbsolute() ? p : Path.of(cwd).resolve(p)), f.toString());
      Files.deleteIfExists(p.isAbsolute() ? p : Path.of(cwd).resolve(p));
    }
    // the error that stopped the run
    JsonNode err = doc.get("error");
    assertEquals(Set.of("kind", "file", "line", "column", "message"), fields(err));
    assertEquals("error", err.get("kind").asText());
    assertEquals(12, err.get("line").asInt());
  }

  @Test
  void aCleanRunHasEmptyListsNotMissingOnes(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("ok.nnft");
    Files.writeString(script, "let a = 2\nshow a + 1\nexpect a == 2\n");
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"run", script.toString(), "--json"}, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    JsonNode doc = new ObjectMapper().readTree(o.toString(StandardCharsets.UTF_8));
    assertEquals(Set.of("shown", "expect", "warnings", "files"), fields(doc));
    assertEquals(0, doc.get("warnings").size());
    assertEquals(0, doc.get("files").size());
    assertEquals(0, doc.get("expect").get("failed").size());
    assertEquals(3.0, doc.get("shown").get(0).get("value").asDouble());
  }
}
