package org.nnft.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a script may do, owned by whoever runs it (the host application, or the person at the
 * command line), never by the script: where {@code export} and {@code plot} may write, whether the
 * symbolic engine (Symja) may load, how long one statement's symbolic work may take, how much
 * memory one tensor or ensemble may take, and how many sampling threads a session may use.
 * Immutable; the {@code with...} methods return changed copies.
 *
 * <p>Defaults: {@link #embedded()} (the Java API and the JSR-223 engine) writes nowhere until the
 * host grants a folder; {@link #commandLine(Path, Path)} writes under the script's folder and the
 * working directory, elsewhere only with {@code --allow-write DIR}.
 */
public final class Policy {
  /** Folders (absolute, normalised) under which outputs may be written; empty: none. */
  private final List<Path> writable;
  private final boolean symbolic;
  private final double symbolicSeconds;
  private final long memoryBytes;
  private final int maxThreads;
  /** How the person who runs nnft grants more (a CLI flag, a context attribute), for messages. */
  private final String howToGrant;
  /** Whether a person at the command line set this policy (messages then name flags, not Java calls). */
  private final boolean commandLine;

  private Policy(List<Path> writable, boolean symbolic, double symbolicSeconds, long memoryBytes, int maxThreads, String howToGrant,
      boolean commandLine) {
    this.commandLine = commandLine;
    this.writable = List.copyOf(writable);
    this.symbolic = symbolic;
    this.symbolicSeconds = symbolicSeconds;
    this.memoryBytes = memoryBytes;
    this.maxThreads = maxThreads;
    this.howToGrant = howToGrant;
  }

  /** The default symbolic time limit per statement, in seconds. */
  public static final double DEFAULT_SYMBOLIC_SECONDS = 120;

  /** The default memory budget: half of the JVM's maximum heap. */
  public static long defaultMemory() { return Runtime.getRuntime().maxMemory() / 2; }

  /** For a host application: no writing until it grants a folder. */
  public static Policy embedded() {
    return new Policy(List.of(), true, DEFAULT_SYMBOLIC_SECONDS, defaultMemory(), Runtime.getRuntime().availableProcessors(),
        "the application running the script grants folders (Policy.withWritable, or the JSR-223 context attribute nnft.allowWrite)", false);
  }

  /** For {@code nnft run} and the REPL: the script's folder (if any) and the working directory. */
  public static Policy commandLine(Path scriptFolder, Path workingDir) {
    List<Path> w = new ArrayList<>();
    w.add(canonical(workingDir));
    if (scriptFolder != null && !w.contains(canonical(scriptFolder))) w.add(canonical(scriptFolder));
    return new Policy(w, true, DEFAULT_SYMBOLIC_SECONDS, defaultMemory(), Runtime.getRuntime().availableProcessors(),
        "run nnft with --allow-write DIR to allow another folder", true);
  }

  public List<Path> writable() { return writable; }
  public boolean symbolic() { return symbolic; }
  public double symbolicSeconds() { return symbolicSeconds; }
  public long memoryBytes() { return memoryBytes; }
  public int maxThreads() { return maxThreads; }
  public String howToGrant() { return howToGrant; }
  public boolean commandLine() { return commandLine; }

  /** The same, with another folder (and everything below it) writable. */
  public Policy withWritable(Path dir) {
    List<Path> w = new ArrayList<>(writable);
    if (!w.contains(canonical(dir))) w.add(canonical(dir));
    return new Policy(w, symbolic, symbolicSeconds, memoryBytes, maxThreads, howToGrant, commandLine);
  }

  /** The same, with no folder writable. */
  public Policy withoutWriting() { return new Policy(List.of(), symbolic, symbolicSeconds, memoryBytes, maxThreads, howToGrant, commandLine); }

  public Policy withSymbolic(boolean allowed) { return new Policy(writable, allowed, symbolicSeconds, memoryBytes, maxThreads, howToGrant, commandLine); }

  /** The longest one statement's symbolic work may run; positive and finite. */
  public Policy withSymbolicSeconds(double seconds) {
    if (!(seconds > 0) || !Double.isFinite(seconds)) throw new IllegalArgumentException("the symbolic time limit must be a positive number of seconds, not " + seconds);
    return new Policy(writable, symbolic, seconds, memoryBytes, maxThreads, howToGrant, commandLine);
  }

  /** The most memory one tensor, list or ensemble may take, in bytes. */
  public Policy withMemoryBytes(long bytes) {
    if (bytes <= 0) throw new IllegalArgumentException("the memory budget must be positive, not " + bytes);
    return new Policy(writable, symbolic, symbolicSeconds, bytes, maxThreads, howToGrant, commandLine);
  }

  public Policy withMaxThreads(int n) {
    if (n < 1) throw new IllegalArgumentException("the thread limit must be at least 1, not " + n);
    return new Policy(writable, symbolic, symbolicSeconds, memoryBytes, n, howToGrant, commandLine);
  }

  /** The same rules, with another sentence on how to grant more. */
  public Policy withHowToGrant(String how) { return new Policy(writable, symbolic, symbolicSeconds, memoryBytes, maxThreads, how, commandLine); }

  /**
   * Whether a file may be written at this path: its folder, with every symbolic link resolved,
   * must lie in a writable folder (so neither {@code ../} nor a link leads out), and the file
   * itself, if it exists, must not be a link or a folder.
   */
  public boolean mayWrite(Path file) {
    if (writable.isEmpty()) return false;
    Path abs = file.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null) return false;
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      return false;
    }
    if (Files.isSymbolicLink(abs) || Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) return false;
    for (Path w : writable) if (real.startsWith(w)) return true;
    return false;
  }

  /** A sentence on where this policy lets scripts write. */
  public String whereWritable() {
    if (writable.isEmpty()) return "this session's policy lets scripts write no files";
    List<String> ds = new ArrayList<>();
    for (Path w : writable) ds.add(w.toString());
    return "this session's policy lets scripts write only under " + String.join(" and ", ds);
  }

  static String human(long bytes) {
    if (bytes == Long.MAX_VALUE) return "more than 8 EB";
    double b = bytes;
    String[] u = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
    int i = 0;
    while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
    return i == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", b, u[i]);
  }

  private static Path canonical(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      return abs.toRealPath();
    } catch (IOException e) {
      return abs;
    }
  }
}
