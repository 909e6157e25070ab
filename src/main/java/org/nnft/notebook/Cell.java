package org.nnft.notebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;
import org.nnft.syntax.Ast;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;

/**
 * One cell: its leading :command lines, then its statements as the source "In[n]" (line numbers
 * are the cell's, command lines counted), run in the notebook's session on the calling thread.
 */
final class Cell {
  /** An error as Jupyter shows it: a name, a sentence, and the lines printed (no Java stack). */
  record Failure(String ename, String evalue, List<String> traceback) {}

  /** A cell's end: null error when it ran through. */
  record Outcome(Failure error) {
    static Outcome ok() { return new Outcome(null); }
    static Outcome failed(Failure f) { return new Outcome(f); }
  }

  private static final String RED = "\u001b[0;31m", RESET = "\u001b[0m";

  private final NnftKernel kernel;
  private final Session session;
  private final int count;
  private final boolean silent;

  Cell(NnftKernel kernel, int count, boolean silent) {
    this.kernel = kernel;
    this.session = kernel.session();
    this.count = count;
    this.silent = silent;
  }

  /** The name errors give the cell, as IPython's "In [n]". */
  static String name(int count) { return "In[" + count + "]"; }

  Outcome run(String code) {
    String[] lines = code.split("\r\n|\r|\n", -1);
    StringBuilder rest = new StringBuilder();
    int i = 0;
    List<String> commands = new ArrayList<>();
    for (; i < lines.length && (lines[i].isBlank() || lines[i].strip().startsWith(":")); i++) {
      if (!lines[i].isBlank()) commands.add(lines[i].strip());
      rest.append('\n'); // keeps the statements on the cell's line numbers
    }
    for (int j = i; j < lines.length; j++) rest.append(lines[j]).append(j + 1 < lines.length ? "\n" : "");
    for (String c : commands) {
      Failure f = command(c);
      if (f != null) return Outcome.failed(f);
    }
    if (i == lines.length) return Outcome.ok();
    return run(Source.of(name(count), rest.toString()), true);
  }

  /** Runs a source in the session; a bare last expression becomes the cell's result. */
  private Outcome run(Source src, boolean result) {
    int before = session.failures().size();
    try {
      Ast.Program p = session.parse(src);
      List<Ast.Stmt> ss = p.statements();
      boolean bare = result && !ss.isEmpty() && ss.get(ss.size() - 1) instanceof Ast.ExprStmt;
      Value v = session.run(src);
      kernel.flushOut();
      if (bare && v != null && !silent) {
        kernel.result(count, session.inScope(() -> Render.value(null, v)));
      }
    } catch (NnftException e) {
      kernel.flushOut();
      return Outcome.failed(failure(e));
    } catch (Session.Cancelled e) {
      kernel.flushOut();
      return Outcome.failed(new Failure("Interrupted", "the computation was stopped",
          List.of(RED + "interrupted:" + RESET + " the computation was stopped; the session keeps what earlier statements defined.")));
    } catch (StackOverflowError e) {
      return Outcome.failed(failure(new NnftException(org.nnft.syntax.Span.NONE, "the cell nests too deeply to evaluate; split it into smaller statements with let.")));
    } catch (OutOfMemoryError e) {
      return Outcome.failed(failure(new NnftException("out of memory", org.nnft.syntax.Span.NONE,
          "the cell needed more memory than the kernel's JVM has; ask for less (fewer samples or points, smaller nets)", null)));
    } catch (RuntimeException e) {
      return Outcome.failed(failure(Session.internal(org.nnft.syntax.Span.NONE, e)));
    }
    List<String> failures = session.failures();
    if (failures.size() > before) {
      List<String> tb = new ArrayList<>();
      int n = failures.size() - before;
      for (String f : failures.subList(before, failures.size())) tb.add(f);
      return Outcome.failed(new Failure("expect failed", n + (n == 1 ? " expectation" : " expectations") + " failed", tb));
    }
    return Outcome.ok();
  }

  /** An nnft error as Jupyter's: kind, sentence, and the rendered place with its caret. */
  static Failure failure(NnftException e) {
    List<String> tb = new ArrayList<>();
    String[] r = e.render().split("\n", -1);
    for (int k = 0; k < r.length; k++) tb.add(k == 0 ? colour(r[k], e.kind()) : r[k]);
    return new Failure(e.kind(), e.getMessage(), tb);
  }

  /** The kind in the first line ("In[3]:2:5: error: ...") in red. */
  private static String colour(String line, String kind) {
    int at = line.indexOf(kind + ":");
    if (at < 0) return line;
    return line.substring(0, at) + RED + kind + RESET + line.substring(at + kind.length());
  }

  private static Failure error(String message) {
    return new Failure("error", message, List.of(RED + "error" + RESET + ": " + message));
  }

  /** A :command; null when it went through, else its failure. */
  private Failure command(String t) {
    int sp = 0;
    while (sp < t.length() && !Character.isWhitespace(t.charAt(sp))) sp++;
    String cmd = t.substring(0, sp), arg = t.substring(sp).strip();
    switch (cmd) {
      case ":help", ":h", ":?" -> {
        if (arg.isEmpty()) kernel.print(NnftKernel.help());
        else {
          String d = kernel.describe(arg);
          if (d == null) return error(arg + " is not a built-in function or a name of this session; :help lists the commands, Tab lists the names.");
          kernel.print(d);
        }
      }
      case ":vars", ":v" -> {
        if (session.names().isEmpty()) kernel.print("no variables");
        else {
          StringBuilder b = new StringBuilder();
          for (String n : session.names()) {
            Value v = session.get(n);
            b.append(n).append(" = ").append(session.inScope(() -> org.nnft.repl.Repl.shortText(v))).append('\n');
          }
          kernel.print(b.toString());
        }
      }
      case ":reset" -> {
        session.reset();
        kernel.print("session cleared");
      }
      case ":load", ":l" -> {
        String name = arg;
        if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
          name = name.substring(1, name.length() - 1);
        }
        if (name.isEmpty()) return error(":load needs a file name, as in :load samples/cosnet.nnft");
        String text;
        try {
          text = Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          return error("no such file: " + name);
        } catch (IOException | RuntimeException e) {
          return error("cannot read " + name + ": " + e.getMessage());
        }
        Outcome o = run(Source.of(name, text), false);
        return o.error();
      }
      default -> {
        return error("unknown command " + cmd + "; :help lists the commands.");
      }
    }
    return null;
  }
}
