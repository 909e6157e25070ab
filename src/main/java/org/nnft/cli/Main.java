package org.nnft.cli;

import org.nnft.repl.TerminalProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnft.runtime.Policy;
import org.nnft.runtime.Session;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The nnft command: run, check, repl. */
@Command(name = "nnft", mixinStandardHelpOptions = true, version = "nnft 0.1.0",
    description = "A language and engine for neural-network field theory.",
    subcommands = {Main.Run.class, Main.Check.class, Main.ReplCmd.class, KernelCmd.class})
public final class Main implements Callable<Integer> {
  /** Exit codes: 1 an error in the script or a failed expect, 2 a bad command line, 3 a bug in nnft, 4 out of memory. */
  public static final int OK = 0, FAILED = 1, USAGE = 2, INTERNAL = 3, RESOURCES = 4;

  @Override public Integer call() {
    CommandLine.usage(this, System.out);
    return USAGE;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      err.println("internal error: " + ex + "\nThis is a bug in nnft; please report it with the script that caused it.");
      return INTERNAL;
    });
    Streams.out = out;
    Streams.err = err;
    return cl.execute(args);
  }

  static final class Streams {
    static PrintStream out = System.out;
    static PrintStream err = System.err;
  }

  /** What the person at the command line lets scripts do: the flags shared by run and repl. */
  static final class PolicyFlags {
    @Option(names = "--allow-write", paramLabel = "DIR", description = "Let scripts write files under DIR too (besides the script's folder and the working directory). Repeatable.")
    List<Path> allowWrite = new ArrayList<>();
    @Option(names = "--no-write", description = "Let scripts write no files at all.") boolean noWrite;
    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget for one tensor or ensemble, e.g. 512m or 4g (default: half the JVM's heap).")
    String memory;
    @Option(names = "--symbolic-time-limit", paramLabel = "SECONDS", description = "Longest symbolic work of one statement (default ${DEFAULT-VALUE}).")
    double symbolicSeconds = Policy.DEFAULT_SYMBOLIC_SECONDS;
    @Option(names = "--no-symbolic", description = "Do not load the symbolic engine (Symja): statements that need it fail.") boolean noSymbolic;

    Policy policy(Path scriptFolder) {
      Policy p = Policy.commandLine(scriptFolder, Path.of("."));
      for (Path d : allowWrite) p = p.withWritable(d);
      if (noWrite) p = p.withoutWriting().withHowToGrant("run nnft without --no-write");
      if (memory != null) p = p.withMemoryBytes(size(memory));
      if (!(symbolicSeconds > 0) || !Double.isFinite(symbolicSeconds)) throw new IllegalArgumentException("--symbolic-time-limit takes a positive number of seconds, not " + symbolicSeconds);
      p = p.withSymbolicSeconds(symbolicSeconds);
      if (noSymbolic) p = p.withSymbolic(false);
      return p;
    }

    static long size(String s) {
      String t = s.trim().toLowerCase(java.util.Locale.ROOT);
      long mult = 1;
      if (t.endsWith("k")) mult = 1L << 10;
      else if (t.endsWith("m")) mult = 1L << 20;
      else if (t.endsWith("g")) mult = 1L << 30;
      else if (t.endsWith("t")) mult = 1L << 40;
      if (mult > 1) t = t.substring(0, t.length() - 1);
      try {
        double v = Double.parseDouble(t) * mult;
        if (v >= 1 && v < 9e18) return (long) v;
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("--memory takes a size such as 512m or 4g, not " + s);
    }
  }

  /** 1 for an error in the script, 3 for a bug in nnft (as for any other internal error). */
  static int exitCode(NnftException e) {
    return "internal error".equals(e.kind()) ? INTERNAL : "out of memory".equals(e.kind()) ? RESOURCES : FAILED;
  }

  static Source read(Path file) throws IOException {
    return Source.of(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  @Command(name = "run", description = "Run a script.", mixinStandardHelpOptions = true)
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--json", description = "Print every shown value as JSON.") boolean json;
    @Option(names = "--seed", description = "Default seed for sample() (default ${DEFAULT-VALUE}).") long seed = 1;
    @Option(names = "--threads", description = "Sampling threads (default: available cores).") int threads = Runtime.getRuntime().availableProcessors();
    @CommandLine.Mixin PolicyFlags flags = new PolicyFlags();
    @Option(names = "--engine", paramLabel = "NAME", description = "Where ensembles run: local (default) or spark (needs the nnft-spark module, see the README).") String engine = "local";
    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master, e.g. local[2], spark://host:7077, yarn (default: Spark's own setting, else local[*]).") String master;
    @Option(names = "--partitions", paramLabel = "N", description = "With --engine spark: Spark tasks per pass (default: the cluster's parallelism). The results do not depend on it.") Integer partitions;

    @Override public Integer call() {
      PrintStream out = Streams.out, err = Streams.err;
      org.nnft.ensemble.Engine eng = null;
      if (!engine.equals("local")) {
        org.nnft.ensemble.EngineProvider p = org.nnft.ensemble.EngineProvider.find(engine);
        if (p == null) {
          err.println("error: no engine named '" + engine + "' is on the class path" + (engine.equals("spark")
              ? "; run with spark/nnft-spark (see the README, \"Clusters\") or through spark-submit" : "; the engines here: local"));
          return USAGE;
        }
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        if (master != null) opts.put("master", master);
        if (partitions != null) opts.put("partitions", String.valueOf(partitions));
        try {
          eng = p.create(opts, Math.max(1, threads));
        } catch (RuntimeException bad) {
          err.println("error: cannot start the " + engine + " engine: " + bad.getMessage());
          return USAGE;
        }
      } else if (master != null || partitions != null) {
        err.println("error: --master and --partitions go with --engine spark");
        return USAGE;
      }
      try {
        return call(out, err, eng);
      } finally {
        if (eng != null) eng.close();
      }
    }

    private Integer call(PrintStream out, PrintStream err, org.nnft.ensemble.Engine eng) {
      Source src;
      try {
        src = read(file);
      } catch (NoSuchFileException e) {
        err.println("error: no such file: " + file);
        return USAGE;
      } catch (IOException e) {
        err.println("error: cannot read " + file + ": " + e.getMessage());
        return USAGE;
      }
      Session.Options o = new Session.Options();
      o.out = out;
      o.json = json;
      o.seed = seed;
      o.threads = Math.max(1, threads);
      o.engine = eng;
      Path parent = file.toAbsolutePath().getParent();
      o.baseDir = Path.of(".");
      try {
        o.policy = flags.policy(parent);
      } catch (IllegalArgumentException bad) {
        err.println("error: " + bad.getMessage());
        return USAGE;
      }
      // the progress line goes to stderr: on exactly when stderr is a terminal, never with --json
      if (!json && TerminalProgress.stderrIsTerminal()) o.progress = new TerminalProgress(err);
      Session s = new Session(o);
      try {
        s.run(src);
      } catch (NnftException e) {
        if (json) out.println(s.json(e));
        err.println(e.render());
        return exitCode(e);
      } catch (Session.Cancelled c) {
        if (json) out.println(s.json(new NnftException("cancelled", org.nnft.syntax.Span.NONE, "the run was cancelled", null)));
        err.println("cancelled");
        return FAILED;
      } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
        // outside any statement (the parser, the checker): still one record, never a Java trace
        NnftException ne = e instanceof OutOfMemoryError
            ? new NnftException("out of memory", org.nnft.syntax.Span.NONE, "nnft ran out of memory while reading " + file + "; give Java more with -Xmx", null)
            : e instanceof StackOverflowError
                ? new NnftException(org.nnft.syntax.Span.NONE, file + " nests too deeply to read; split its expressions into smaller ones with let.")
                : Session.internal(org.nnft.syntax.Span.NONE, e);
        if (json) out.println(s.json(ne));
        err.println(ne.render());
        return exitCode(ne);
      }
      if (json) out.println(s.json());
      if (!s.failures().isEmpty()) {
        err.println(s.failures().size() + " expectation" + (s.failures().size() == 1 ? "" : "s") + " failed, " + s.expectsPassed() + " passed.");
        return FAILED;
      }
      return OK;
    }
  }

  @Command(name = "check", description = "Parse and check a script without running it.", mixinStandardHelpOptions = true)
  static final class Check implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Override public Integer call() {
      try {
        Source src = read(file);
        new Session().check(src);
        Streams.out.println(file + ": ok");
        return OK;
      } catch (NoSuchFileException e) {
        Streams.err.println("error: no such file: " + file);
        return USAGE;
      } catch (IOException e) {
        Streams.err.println("error: cannot read " + file + ": " + e.getMessage());
        return USAGE;
      } catch (NnftException e) {
        Streams.err.println(e.render());
        return exitCode(e);
      }
    }
  }

  @Command(name = "repl", description = "Start an interactive session.", mixinStandardHelpOptions = true)
  static final class ReplCmd implements Callable<Integer> {
    @Option(names = "--seed") long seed = 1;
    @Option(names = "--threads") int threads = Runtime.getRuntime().availableProcessors();
    @CommandLine.Mixin PolicyFlags flags = new PolicyFlags();

    @Override public Integer call() throws Exception {
      org.nnft.runtime.Policy p;
      try {
        p = flags.policy(null);
      } catch (IllegalArgumentException bad) {
        Streams.err.println("error: " + bad.getMessage());
        return USAGE;
      }
      return org.nnft.repl.Repl.start(seed, threads, p);
    }
  }
}
