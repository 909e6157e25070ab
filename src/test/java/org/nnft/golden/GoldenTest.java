package org.nnft.golden;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nnft.cli.Main;
import org.opentest4j.AssertionFailedError;

/**
 * Golden tests in the style of Truffle's SimpleLanguage and Crafting Interpreters: every
 * {@code src/test/resources/golden/<feature>/<name>.nnft} (and every bad input, beside its
 * feature in {@code <feature>/errors/<name>.nnft}) is run in-process with
 * {@code nnft run} and its standard output, then its standard error, then a line
 * {@code exit: N} are compared with the sibling {@code <name>.out}.
 *
 * <p>Scripts are run with the path relative to the project folder (Maven's working directory), and
 * that path's {@code src/test/resources/golden/} prefix is cut from the output, so messages name the
 * script as {@code <category>/<name>.nnft:line:col} whatever the platform.
 *
 * <p>To regenerate the expected files after an intended change in output, run
 * {@code mvn -o test -Dtest=GoldenTest -Dgolden.update=true} and review the diff with git. To run a
 * subset, give {@code -Dgolden.only=nets/errors/} (a substring of {@code feature/errors/name.nnft}).
 */
class GoldenTest {
  /** The golden folder, relative to the project folder. */
  static final Path ROOT = Paths.get("src", "test", "resources", "golden");
  static final String PREFIX = "src/test/resources/golden/";

  @TestFactory
  Stream<DynamicNode> golden() throws IOException {
    if (!Files.isDirectory(ROOT)) throw new IllegalStateException("no golden folder at " + ROOT.toAbsolutePath());
    boolean update = Boolean.getBoolean("golden.update");
    String only = System.getProperty("golden.only", "");
    List<DynamicNode> categories = new ArrayList<>();
    for (Path dir : list(ROOT)) {
      if (Files.isDirectory(dir)) categories.addAll(category(dir, dir.getFileName().toString(), only, update));
    }
    if (categories.isEmpty() && only.isEmpty()) throw new IllegalStateException("no golden scripts under " + ROOT);
    return categories.stream();
  }

  /**
   * One feature's scripts, and its {@code errors/} (the bad inputs, beside the feature) as a
   * category of its own; {@code name} is the folder relative to the golden root.
   */
  private static List<DynamicNode> category(Path dir, String name, String only, boolean update) throws IOException {
    List<DynamicNode> out = new ArrayList<>();
    List<DynamicNode> tests = new ArrayList<>();
    for (Path script : list(dir)) {
      String file = script.getFileName().toString();
      if (Files.isDirectory(script)) {
        out.addAll(category(script, name + "/" + file, only, update));
        continue;
      }
      if (!file.endsWith(".nnft")) continue;
      String rel = name + "/" + file;
      if (!rel.contains(only)) continue;
      tests.add(DynamicTest.dynamicTest(file, script.toUri(), () -> check(script, rel, update)));
    }
    if (!tests.isEmpty()) out.add(0, DynamicContainer.dynamicContainer(name, dir.toUri(), tests.stream()));
    return out;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  /** Runs one script in-process; returns stdout + stderr + "exit: N\n", normalized. */
  static String run(Path script) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    String path = script.toString().replace('\\', '/');
    int code;
    try (PrintStream po = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream pe = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(new String[] {"run", path}, po, pe);
    }
    String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8) + "exit: " + code + "\n";
    return normalize(text);
  }

  static String normalize(String text) {
    String t = text.replace("\r\n", "\n").replace('\r', '\n');
    // the script's own path, whichever separator the platform printed it with
    t = t.replace(PREFIX.replace('/', '\\'), PREFIX).replace(PREFIX, "");
    return t;
  }

  private static void check(Path script, String rel, boolean update) throws IOException {
    Path expectedFile = script.resolveSibling(script.getFileName().toString().replaceAll("\\.nnft$", ".out"));
    String actual = run(script);
    if (update) {
      if (!Files.exists(expectedFile) || !Files.readString(expectedFile, StandardCharsets.UTF_8).equals(actual)) {
        Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        System.out.println("golden: wrote " + expectedFile);
      }
      return;
    }
    if (!Files.exists(expectedFile)) {
      throw new AssertionFailedError(rel + ": no expected output " + expectedFile.getFileName()
          + "; run with -Dgolden.update=true to create it. The script printed:\n" + actual);
    }
    String expected = normalize(Files.readString(expectedFile, StandardCharsets.UTF_8));
    if (!expected.equals(actual)) {
      throw new AssertionFailedError(rel + " differs from " + expectedFile.getFileName()
          + " (- expected, + actual; regenerate with -Dgolden.update=true if the change is intended):\n"
          + diff(expected, actual), expected, actual);
    }
  }

  /** A line diff (longest common subsequence) with two lines of context around each change. */
  static String diff(String expected, String actual) {
    String[] a = expected.split("\n", -1), b = actual.split("\n", -1);
    int n = a.length, m = b.length;
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> lines = new ArrayList<>();
    List<Boolean> changed = new ArrayList<>();
    int i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i].equals(b[j])) {
        lines.add("  " + a[i]); changed.add(false); i++; j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        lines.add("+ " + b[j]); changed.add(true); j++;
      } else {
        lines.add("- " + a[i]); changed.add(true); i++;
      }
    }
    StringBuilder sb = new StringBuilder();
    int context = 2;
    boolean skipped = false;
    for (int k = 0; k < lines.size(); k++) {
      boolean near = false;
      for (int q = Math.max(0, k - context); q <= Math.min(lines.size() - 1, k + context); q++) near |= changed.get(q);
      if (near) {
        if (skipped) sb.append("  ...\n");
        sb.append(lines.get(k)).append('\n');
        skipped = false;
      } else {
        skipped = true;
      }
    }
    if (skipped) sb.append("  ...\n");
    return sb.toString();
  }
}
