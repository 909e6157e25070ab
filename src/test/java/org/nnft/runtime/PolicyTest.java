package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.api.Nnft;
import org.nnft.cli.Main;
import org.nnft.syntax.NnftException;

/**
 * The host's policy: where scripts may write (and that writes are whole or absent), whether and how
 * long Symja may work, and that Symja's own file, network and Java functions stay out of reach.
 */
class PolicyTest {

  static NnftException fails(Nnft s, String code) {
    return assertThrows(NnftException.class, () -> s.eval(code));
  }

  @Test void embeddedSessionsWriteNothingUntilTheHostGrantsAFolder(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("v.csv");
    Nnft s = Nnft.session();
    NnftException e = fails(s, "export [1, 2, 3] to \"" + slash(target) + "\"");
    assertTrue(e.getMessage().contains("policy lets scripts write no files"), e.getMessage());
    assertEquals(1, e.line());
    assertFalse(Files.exists(target));
    s.allowWrite(dir);
    s.eval("export [1, 2, 3] to \"v.csv\"");
    assertEquals(List.of("value", "1.0", "2.0", "3.0"), Files.readAllLines(target));
  }

  @Test void neitherDotDotNorAbsolutePathsNorLinksLeadOut(@TempDir Path root) throws Exception {
    Path inside = Files.createDirectory(root.resolve("inside"));
    Path outside = Files.createDirectory(root.resolve("outside"));
    Nnft s = Nnft.session().allowWrite(inside);
    for (String name : new String[] {"../outside/a.csv", slash(outside.resolve("b.csv")), "sub/../../outside/c.csv"}) {
      NnftException e = fails(s, "export [1] to \"" + name + "\"");
      assertTrue(e.getMessage().startsWith("cannot write " + name) || e.getMessage().contains("does not exist"), e.getMessage());
    }
    // a link inside the granted folder that points out of it
    Path link = inside.resolve("link");
    try {
      Files.createSymbolicLink(link, outside);
    } catch (UnsupportedOperationException | java.io.IOException noLinks) {
      link = null;
    }
    if (link != null) {
      NnftException e = fails(s, "export [1] to \"link/d.csv\"");
      assertTrue(e.getMessage().contains("policy lets scripts write only under"), e.getMessage());
      // a link as the file itself
      Path fileLink = inside.resolve("e.csv");
      Files.createSymbolicLink(fileLink, outside.resolve("e.csv"));
      e = fails(s, "export [1] to \"e.csv\"");
      assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    }
    try (Stream<Path> all = Files.list(outside)) {
      assertEquals(0, all.count(), "nothing was written outside");
    }
  }

  @Test void exportsAreWholeOrAbsentAndLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
    Nnft s = Nnft.session().allowWrite(dir);
    s.eval("export [1, 2] to \"v.csv\"");
    s.eval("export [[1, 2], [3, 4]] to \"v.csv\"\nexport [5] to \"w.json\"\nplot [1, 3, 2] to \"p.png\"");
    assertEquals(List.of("1.0,2.0", "3.0,4.0"), Files.readAllLines(dir.resolve("v.csv")));
    // a failing export leaves the earlier file as it was
    fails(s, "export zeros(0, 3) to \"v.csv\"");
    assertEquals(List.of("1.0,2.0", "3.0,4.0"), Files.readAllLines(dir.resolve("v.csv")));
    try (Stream<Path> all = Files.list(dir)) {
      List<String> names = new ArrayList<>();
      all.forEach(p -> names.add(p.getFileName().toString()));
      names.sort(null);
      assertEquals(List.of("p.png", "v.csv", "w.json"), names, "no .part files left");
    }
  }

  @Test void symbolicWorkStopsAtTheLimitAndTheSessionGoesOn() {
    Nnft s = Nnft.session().setPolicy(Policy.embedded().withSymbolicSeconds(1));
    NnftException e = fails(s, "symbol x, y, z\nlet e = expand((x + y + z + 1)^80)");
    assertTrue(e.getMessage().contains("took longer than its limit of 1 s"), e.getMessage());
    assertEquals(2, e.line());
    // the same session still does symbolic work, correctly
    s.eval("symbol a\nlet d = D(a^3, a)\nexpect d == 3 * a^2");
    assertEquals(12.0, s.eval("subs(d, a = 2)"));
  }

  @Test void theMemoryBudgetIsCheckedBeforeAllocating() {
    Nnft s = Nnft.session().setPolicy(Policy.embedded().withMemoryBytes(1 << 20));
    assertEquals(0.0, s.eval("sum(zeros(100, 100))"));
    NnftException e = fails(s, "let b = zeros(1000, 1000)");
    assertTrue(e.getMessage().contains("1000000 entries") && e.getMessage().contains("memory budget of 1.0 MB"), e.getMessage());
    e = fails(s, "let r = linspace(0, 1, 200000)");
    assertTrue(e.getMessage().contains("memory budget"), e.getMessage());
    // the session goes on, within its budget
    assertEquals(5050.0, s.eval("sum(range(1, 100))"));
  }

  @Test void aSessionWithoutSymjaSaysSoWhereItIsNeeded() {
    Nnft s = Nnft.session().setPolicy(Policy.embedded().withSymbolic(false));
    assertEquals(3.0, s.eval("1 + 2"));
    NnftException e = fails(s, "let k = 1\nsymbol m\nshow simplify(m^2 + 2 * m + 1)");
    assertTrue(e.getMessage().contains("policy does not load"), e.getMessage());
    assertTrue(e.line() >= 2, "placed on the statement: line " + e.line());
  }

  /**
   * Symja's functions that reach files, the network, processes or Java, by every way a name gets
   * into the symbolic engine: called as nnft functions, as members, declared as symbols and
   * applied, inside simplify/integrate/series/subs/compile, and as strings. Each is a user error,
   * and nothing is read or written.
   */
  @Test void symjasFileNetworkAndJavaFunctionsAreUnreachable(@TempDir Path dir) throws Exception {
    Path probe = dir.resolve("probe.txt");
    Files.writeString(probe, "secret");
    String p = slash(probe), out = slash(dir.resolve("written.txt"));
    String[] names = {"Import", "Export", "Get", "Put", "ReadString", "ReadList", "OpenRead", "OpenWrite", "WriteString",
        "URLFetch", "URLRead", "Run", "RunProcess", "JavaNew", "JavaObject", "LoadJavaClass", "InstallJava", "SetDirectory",
        "FileNames", "DeleteFile", "CreateFile", "ToExpression", "Compile", "Java", "ExternalEvaluate", "SystemDialogInput"};
    for (String f : names) {
      String[] scripts = {
          "show " + f + "(\"" + p + "\")",
          "symbol " + f + "\nshow " + f + "(\"" + p + "\")",
          "symbol x\nshow simplify(" + f + "(\"" + p + "\") + x)",
          "symbol x\nshow integrate(" + f + "(x), x)",
          "symbol x\nshow subs(x, x = " + f + "(\"" + out + "\", 1))",
          "show simplify(\"" + f + "[\\\"" + p + "\\\"]\")",
          "symbol x\nshow series(" + f + "(x), x, 0, 2)",
      };
      for (String script : scripts) {
        Nnft s = Nnft.session();
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        s.setOut(new PrintStream(shown, true, StandardCharsets.UTF_8));
        NnftException e = assertThrows(NnftException.class, () -> s.eval(script), script);
        assertEquals("error", e.kind(), script + ": " + e.getMessage());
        assertFalse(shown.toString(StandardCharsets.UTF_8).contains("secret"), script);
        assertFalse(e.getMessage().contains("secret"), script);
      }
    }
    assertFalse(Files.exists(dir.resolve("written.txt")));
  }

  @Test void theCommandLineWritesBesideTheScriptAndElsewhereOnlyWhenAllowed(@TempDir Path root) throws Exception {
    Path proj = Files.createDirectory(root.resolve("proj"));
    Path other = Files.createDirectory(root.resolve("other"));
    Path script = proj.resolve("w.nnft");
    Files.writeString(script, "export [1, 2] to \"" + slash(other.resolve("x.csv")) + "\"\n");
    String[] r = run("run", script.toString());
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("cannot write " + slash(other.resolve("x.csv"))) && r[2].contains("--allow-write DIR"), r[2]);
    assertFalse(Files.exists(other.resolve("x.csv")));
    r = run("run", script.toString(), "--allow-write", other.toString());
    assertEquals("0", r[0], r[2]);
    assertTrue(Files.exists(other.resolve("x.csv")));
    // --json: the failure is a record with its kind and place
    Files.writeString(script, "let a = 1\nexport [1, 2] to \"" + slash(other.resolve("y.csv")) + "\"\n");
    r = run("run", script.toString(), "--json");
    assertEquals("1", r[0]);
    assertTrue(r[1].contains("\"kind\": \"error\"") && r[1].contains("\"line\": 2"), r[1]);
    r = run("run", script.toString(), "--memory", "lots");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--memory takes a size"), r[2]);
  }

  /**
   * Running out of heap (a budget set above the heap on purpose) is reported on the statement, with
   * its own exit code and no Java trace; in --json as a record.
   */
  @Test void outOfMemoryIsPlacedOnTheStatementWithItsOwnExitCode(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("big.nnft");
    Files.writeString(script, "let a = 1\nlet b = zeros(6000, 6000) + 1\nshow sum(b)\n");
    for (boolean json : new boolean[] {false, true}) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
          "-cp", System.getProperty("java.class.path"), "org.nnft.cli.Main", "run", script.toString(), "--memory", "4g"));
      if (json) cmd.add("--json");
      Process p = new ProcessBuilder(cmd).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(4, p.waitFor(), out + err);
      assertTrue(err.contains("big.nnft:2:") && err.contains("out of memory: this statement needed more memory than the JVM has"), err);
      assertFalse(err.contains("\tat "), "no Java trace: " + err);
      if (json) assertTrue(out.contains("\"kind\": \"out of memory\"") && out.contains("\"line\": 2"), out);
    }
  }

  /** {exit code, stdout, stderr} of the command line. */
  static String[] run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
  }

  static String slash(Path p) { return p.toAbsolutePath().toString().replace("\\", "/"); }
}
