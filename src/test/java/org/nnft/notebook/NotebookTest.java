package org.nnft.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.cli.Main;
import org.nnft.report.Json;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;
import org.nnft.syntax.Source;

/**
 * The Jupyter kernel end to end with Debian's Jupyter: the kernelspec installed in a temporary
 * prefix, a notebook of checks and samples/tour.ipynb executed by jupyter nbconvert, and a
 * jupyter_client script for what a notebook file cannot say (interrupt, completion, inspection,
 * is_complete, shutdown). Skipped, with the reason, where Jupyter is not installed (.ci/run
 * installs it). The LaTeX and kernelspec parts run everywhere.
 */
class NotebookTest {
  /** A limit for one Jupyter run (they take seconds): a hung kernel fails the test instead of CI. */
  static final long LIMIT_SECONDS = 240;

  static String python;

  @BeforeAll
  static void findJupyter() {
    python = null;
    if (!runs("jupyter-nbconvert", "--version")) return;
    for (String p : List.of("/usr/bin/python3", "python3")) {
      if (runs(p, "-c", "import jupyter_client, nbformat")) {
        python = p;
        return;
      }
    }
  }

  static boolean runs(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void needJupyter() {
    // CI (.ci/run sets NNFT_REQUIRE_JUPYTER) installs Jupyter: there a missing Jupyter fails the
    // test instead of skipping it, so a green run cannot hide a failed install
    if (System.getenv("NNFT_REQUIRE_JUPYTER") != null && python == null) {
      throw new AssertionError("NNFT_REQUIRE_JUPYTER is set but Jupyter is not installed (jupyter-nbconvert, python3 with jupyter_client and nbclient)");
    }
    Assumptions.assumeTrue(python != null,
        "Jupyter is not installed (jupyter-nbconvert and python3 with jupyter_client): apt-get install jupyter-nbconvert python3-jupyter-client python3-nbclient, as .ci/run does");
  }

  /** A process's exit code and output. */
  record Ran(int code, String out) {}

  /** Runs a command in dir with Jupyter's folders in tmp and the nnft kernelspec of prefix. */
  static Ran jupyter(Path dir, Path tmp, List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("JUPYTER_PATH", KernelSpec.prefixDataDir(tmp.resolve("prefix")).toString());
    env.put("JUPYTER_DATA_DIR", tmp.resolve("data").toString());
    env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
    env.put("JUPYTER_CONFIG_DIR", tmp.resolve("config").toString());
    env.put("JUPYTER_PLATFORM_DIRS", "1");
    Path log = Files.createTempFile(tmp, "run", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within " + LIMIT_SECONDS + " s:\n" + Files.readString(log));
    }
    return new Ran(p.exitValue(), Files.readString(log));
  }

  /** Installs the kernelspec for this JVM's test class path under tmp/prefix. */
  static void install(Path tmp) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    KernelSpec.install(KernelSpec.prefixDataDir(tmp.resolve("prefix")), "nnft", KernelSpec.argv(cp));
  }

  /** Executes a notebook with jupyter nbconvert; returns the executed notebook's cells. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> execute(Path tmp, Path notebook, boolean allowErrors) throws Exception {
    Path dir = notebook.getParent();
    List<String> cmd = new ArrayList<>(List.of("jupyter-nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=" + LIMIT_SECONDS, "--ExecutePreprocessor.kernel_name=nnft", "--output", "executed.ipynb"));
    if (allowErrors) cmd.add("--allow-errors");
    cmd.add(notebook.getFileName().toString());
    Ran r = jupyter(dir, tmp, cmd);
    assertEquals(0, r.code(), "nbconvert failed:\n" + r.out());
    Map<String, Object> nb = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("executed.ipynb")));
    List<Map<String, Object>> code = new ArrayList<>();
    for (Object c : (List<Object>) nb.get("cells")) {
      Map<String, Object> cell = (Map<String, Object>) c;
      if ("code".equals(cell.get("cell_type"))) code.add(cell);
    }
    return code;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> outputs(Map<String, Object> cell) { return (List<Map<String, Object>>) cell.get("outputs"); }

  /** A field of an output's data (text joined when stored as lines). */
  @SuppressWarnings("unchecked")
  static String data(Map<String, Object> output, String mime) {
    Object d = output.get("data");
    if (!(d instanceof Map)) return null;
    return joined(((Map<String, Object>) d).get(mime));
  }

  @SuppressWarnings("unchecked")
  static String joined(Object o) {
    if (o == null) return null;
    if (o instanceof List<?> l) return String.join("", (List<String>) l);
    return o.toString();
  }

  static Map<String, Object> first(Map<String, Object> cell, String type) {
    for (Map<String, Object> o : outputs(cell)) if (type.equals(o.get("output_type"))) return o;
    throw new AssertionError("no " + type + " output in " + outputs(cell));
  }

  static String plain(String s) { return s.replaceAll("\u001b\\[[0-9;]*m", ""); }

  @Test void aNotebookRunsEndToEnd(@TempDir Path tmp) throws Exception {
    needJupyter();
    install(tmp);
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path nb = work.resolve("checks.ipynb");
    Files.copy(Path.of("src/test/resources/notebook/checks.ipynb"), nb);
    List<Map<String, Object>> cells = execute(tmp, nb, true);
    assertEquals(8, cells.size());

    // a correlator as value ± error
    String shown = data(first(cells.get(0), "display_data"), "text/plain");
    assertTrue(shown.matches("(?s)correlator\\(E, 0, 1\\) = \\d\\.\\d+ ± \\d\\.\\d+  \\[iid neurons.*"), shown);

    // E from the first cell in the second; the bare last expression is the cell's result
    Map<String, Object> result = first(cells.get(1), "execute_result");
    assertTrue(data(result, "text/plain").matches("(?s)0\\.\\d+ ± 0\\.\\d+ .*"), result.toString());

    // an error on the cell's line 3 with a caret under the offending name, no Java stack
    Map<String, Object> error = first(cells.get(2), "error");
    assertEquals("error", error.get("ename"));
    List<String> tb = new ArrayList<>();
    for (Object line : (List<?>) error.get("traceback")) tb.addAll(List.of(plain(line.toString()).split("\n")));
    assertTrue(tb.get(0).startsWith("In[3]:3:13: error: index 41 is out of range"), tb.toString());
    int src = -1;
    for (int i = 0; i < tb.size(); i++) if (tb.get(i).endsWith("| let bad = v[kept]")) src = i;
    assertTrue(src >= 0 && src + 1 < tb.size(), tb.toString());
    assertTrue(tb.get(src).trim().startsWith("3 |"), tb.toString());
    assertEquals(tb.get(src).indexOf("kept"), tb.get(src + 1).indexOf("^~~~"), "the caret is under 'kept':\n" + String.join("\n", tb));
    assertTrue(tb.stream().noneMatch(l -> l.contains("at org.") || l.contains("Exception")), tb.toString());

    // the statements before the error stay defined
    assertEquals("42", data(first(cells.get(3), "execute_result"), "text/plain"));

    // a closed-form kernel as LaTeX, with its text beside it
    Map<String, Object> kernel = first(cells.get(4), "display_data");
    String latex = data(kernel, "text/latex");
    assertNotNull(latex, kernel.toString());
    assertTrue(latex.startsWith("$") && latex.contains("\\frac") && latex.contains("x_{1}") && latex.contains("x_{2}"), latex);
    assertTrue(data(kernel, "text/plain").startsWith("kernel(cosnet) = "), kernel.toString());

    // a plot inline as PNG, and written to the notebook's folder
    String png = data(first(cells.get(5), "display_data"), "image/png");
    assertNotNull(png);
    byte[] bytes = Base64.getMimeDecoder().decode(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
    assertTrue(Files.size(work.resolve("g2.png")) > 1000);

    // :help NAME
    String help = joined(first(cells.get(6), "stream").get("text"));
    assertTrue(help.startsWith("correlator(") && help.contains("ensemble"), help);

    // a failed expect fails the cell, with its place
    Map<String, Object> failed = first(cells.get(7), "error");
    assertEquals("expect failed", failed.get("ename"));
    assertTrue(joined(first(cells.get(7), "stream").get("text")).contains("In[8]:1:1: expect failed"), cells.get(7).toString());
  }

  @Test void interruptCompletionAndShutdownOverTheProtocol(@TempDir Path tmp) throws Exception {
    needJupyter();
    install(tmp);
    Ran r = jupyter(tmp, tmp, List.of(python, Path.of("src/test/resources/notebook/client.py").toAbsolutePath().toString()));
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("all checks passed") && r.out().contains("ok: an interrupt ends a sampling cell"), r.out());
  }

  @Test void theTourRuns(@TempDir Path tmp) throws Exception {
    needJupyter();
    install(tmp);
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path nb = work.resolve("tour.ipynb");
    Files.copy(Path.of("samples/tour.ipynb"), nb);
    List<Map<String, Object>> cells = execute(tmp, nb, false);
    int pictures = 0, latex = 0, oks = 0;
    for (Map<String, Object> c : cells) {
      for (Map<String, Object> o : outputs(c)) {
        assertTrue(!"error".equals(o.get("output_type")), o.toString());
        if (data(o, "image/png") != null) pictures++;
        if (data(o, "text/latex") != null) latex++;
        if ("stream".equals(o.get("output_type"))) {
          String t = joined(o.get("text"));
          assertTrue(!t.contains("warning") && !t.contains("expect failed"), t);
          oks += t.split("(?m)^ok: ", -1).length - 1;
        }
      }
    }
    assertTrue(pictures >= 2 && latex >= 4 && oks >= 8, "pictures " + pictures + ", LaTeX outputs " + latex + ", ok lines " + oks);
  }

  // ---------------------------------------------------------------- without Jupyter

  @Test void kernelInstallWritesTheKernelspec(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"kernel", "install", "--prefix", tmp.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    Path spec = tmp.resolve("share/jupyter/kernels/nnft/kernel.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(spec));
    assertEquals("nnft", json.get("display_name"));
    assertEquals("nnft", json.get("language"));
    assertEquals("message", json.get("interrupt_mode"));
    List<?> argv = (List<?>) json.get("argv");
    assertTrue(argv.get(0).toString().endsWith("java"), argv.toString());
    assertEquals(List.of("kernel", "--connection-file", "{connection_file}"), argv.subList(argv.size() - 3, argv.size()));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(spec.getParent().toString()));

    // no connection file: a usage error that says how to register the kernel
    err.reset();
    assertEquals(Main.USAGE, Main.run(new String[] {"kernel"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("nnft kernel install"));
  }

  @Test void theJupyterDataFolderFollowsJupyter() {
    assertEquals(Path.of("/x/data"), KernelSpec.userDataDir(Map.of("JUPYTER_DATA_DIR", "/x/data")));
    if (!System.getProperty("os.name").toLowerCase().contains("linux")) return;
    assertEquals(Path.of("/x/share/jupyter"), KernelSpec.userDataDir(Map.of("XDG_DATA_HOME", "/x/share")));
    assertEquals(Path.of(System.getProperty("user.home"), ".local/share/jupyter"), KernelSpec.userDataDir(Map.of()));
  }

  /** Symbolic values in LaTeX with the user's names, as a notebook shows them. */
  @Test void symbolicValuesShowAsLatex() {
    List<String> latex = new ArrayList<>();
    Session.Options o = new Session.Options();
    o.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    o.display = new Session.Display() {
      @Override public boolean show(String label, Value v) {
        latex.add(Render.value(label, v).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_LATEX) + "");
        return true;
      }
    };
    Session s = new Session(o);
    s.run(Source.of("t.nnft", """
        symbol m, lambda, x1
        field phi(x: R^1)
        action S = integral(x, 1/2 * D(phi, x)^2 + m^2/2 * phi^2 + lambda/24 * phi^4)
        show S
        show eom(S)
        show x1^2
        """));
    assertEquals(3, latex.size(), latex.toString());
    assertTrue(latex.get(0).startsWith("$\\displaystyle \\texttt{S} = \\int dx\\,"), latex.get(0));
    assertTrue(latex.get(0).contains("\\lambda") && latex.get(0).contains("\\partial_{x}\\phi") && latex.get(0).contains("{m}^{2}"), latex.get(0));
    assertTrue(!latex.get(0).contains("nnv"), latex.get(0));
    assertTrue(latex.get(1).contains("\\partial_{x}^{2}\\phi") && latex.get(1).endsWith("= 0$"), latex.get(1));
    assertTrue(latex.get(2).contains("{x_{1}}^{2}"), latex.get(2));
  }
}
