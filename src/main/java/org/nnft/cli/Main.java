package org.nnft.cli;

import org.nnft.repl.TerminalProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    subcommands = {Main.Run.class, Main.Check.class, Main.ReplCmd.class})
public final class Main implements Callable<Integer> {
  public static final int OK = 0, FAILED = 1, USAGE = 2, INTERNAL = 3;

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

  /** 1 for an error in the script, 3 for a bug in nnft (as for any other internal error). */
  static int exitCode(NnftException e) { return "internal error".equals(e.kind()) ? INTERNAL : FAILED; }

  static Source read(Path file) throws IOException {
    return Source.of(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  @Command(name = "run", description = "Run a script.")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--json", description = "Print every shown value as JSON.") boolean json;
    @Option(names = "--seed", description = "Default seed for sample() (default ${DEFAULT-VALUE}).") long seed = 1;
    @Option(names = "--threads", description = "Sampling threads (default: available cores).") int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() {
      PrintStream out = Streams.out, err = Streams.err;
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
      Path parent = file.toAbsolutePath().getParent();
      o.baseDir = Path.of(".");
      if (!json && System.console() != null) o.progress = new TerminalProgress(err);
      Session s = new Session(o);
      try {
        s.run(src);
      } catch (NnftException e) {
        if (json) out.println(s.json(e));
        err.println(e.render());
        return exitCode(e);
      } catch (Session.Cancelled c) {
        err.println("cancelled");
        return FAILED;
      }
      if (json) out.println(s.json());
      if (!s.failures().isEmpty()) {
        err.println(s.failures().size() + " expectation" + (s.failures().size() == 1 ? "" : "s") + " failed, " + s.expectsPassed() + " passed.");
        return FAILED;
      }
      return OK;
    }
  }

  @Command(name = "check", description = "Parse and check a script without running it.")
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

  @Command(name = "repl", description = "Start an interactive session.")
  static final class ReplCmd implements Callable<Integer> {
    @Option(names = "--seed") long seed = 1;
    @Option(names = "--threads") int threads = Runtime.getRuntime().availableProcessors();

    @Override public Integer call() throws Exception {
      return org.nnft.repl.Repl.start(seed, threads);
    }
  }
}
