package org.nnft.notebook;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.report.Json;

/**
 * The kernelspec Jupyter finds the kernel by: a folder kernels/nnft holding kernel.json, whose argv
 * starts this JVM's java on the class path nnft runs from now (target/nnft.jar for the launcher),
 * with {@code kernel --connection-file {connection_file}}, and asks for interrupts as messages.
 */
public final class KernelSpec {
  private KernelSpec() {}

  public static final String NAME = "nnft";

  /**
   * The user's Jupyter data folder, as jupyter_core finds it: $JUPYTER_DATA_DIR, else
   * ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows, $XDG_DATA_HOME/jupyter or
   * ~/.local/share/jupyter elsewhere.
   */
  public static Path userDataDir(Map<String, String> env) {
    String d = env.get("JUPYTER_DATA_DIR");
    if (d != null && !d.isBlank()) return Path.of(d);
    String home = System.getProperty("user.home");
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    if (os.contains("mac")) return Path.of(home, "Library", "Jupyter");
    if (os.contains("win")) {
      String app = env.get("APPDATA");
      return app != null ? Path.of(app, "jupyter") : Path.of(home, "AppData", "Roaming", "jupyter");
    }
    String xdg = env.get("XDG_DATA_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jupyter") : Path.of(home, ".local", "share", "jupyter");
  }

  /** Where {@code --prefix DIR} installs, as jupyter kernelspec install does: DIR/share/jupyter. */
  public static Path prefixDataDir(Path prefix) { return prefix.resolve("share").resolve("jupyter"); }

  /**
   * The kernel's command line: this JVM's java with nnft's options, the class path (a single jar
   * runs with -jar), the kernel subcommand and Jupyter's placeholder for the connection file.
   */
  public static List<String> argv(String classPath) {
    List<String> a = new ArrayList<>();
    a.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    a.add("-Djava.awt.headless=true");
    a.add("-Xss16m");
    List<String> abs = new ArrayList<>();
    for (String e : classPath.split(File.pathSeparator)) if (!e.isBlank()) abs.add(Path.of(e).toAbsolutePath().normalize().toString());
    if (abs.size() == 1 && abs.get(0).endsWith(".jar")) {
      a.add("-jar");
      a.add(abs.get(0));
    } else {
      a.add("-cp");
      a.add(String.join(File.pathSeparator, abs));
      a.add("org.nnft.cli.Main");
    }
    a.add("kernel");
    a.add("--connection-file");
    a.add("{connection_file}");
    return a;
  }

  /** The kernel.json document. */
  static Map<String, Object> json(List<String> argv, String displayName) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("argv", argv);
    m.put("display_name", displayName);
    m.put("language", "nnft");
    // interrupts come as messages on the control channel: the JVM keeps running, the session too
    m.put("interrupt_mode", "message");
    m.put("metadata", Map.of("debugger", false));
    return m;
  }

  /** Writes DATA/kernels/nnft/kernel.json (replacing an earlier one) and returns its folder. */
  public static Path install(Path dataDir, String displayName, List<String> argv) throws IOException {
    Path dir = dataDir.resolve("kernels").resolve(NAME);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kernel.json"), Json.pretty(json(argv, displayName)) + "\n", StandardCharsets.UTF_8);
    return dir;
  }
}
