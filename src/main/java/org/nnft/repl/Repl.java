package org.nnft.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.nnft.api.Nnft;
import org.nnft.runtime.Builtins;
import org.nnft.runtime.Printer;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;
import org.nnft.syntax.Ast;
import org.nnft.syntax.DeepStack;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;

/**
 * The interactive nnft session, on JLine 3: multi-line input while brackets are open, history in
 * {@code ~/.nnft_history}, tab completion, {@code :commands}, Ctrl-C to cancel a computation. With
 * piped input it reads lines without prompts and returns 1 when any input failed.
 */
public final class Repl {
  static final String PROMPT = "nnft> ";
  static final String CONTINUATION = "  ...> ";
  static final String SOURCE = "<repl>";
  public static final List<String> COMMANDS = List.of(":help", ":vars", ":reset", ":load", ":quit");
  static final int VAR_WIDTH = 60;

  private static final String HELP = String.join("\n",
      "Type nnft statements; a bare expression prints its value. Input continues",
      "on the next line while a ( [ or { is open.",
      "  :help        this text",
      "  :help NAME   what a built-in function takes and does",
      "  :vars        the bound names and their values",
      "  :reset       forget every binding",
      "  :load FILE   run a script file into this session",
      "  :quit        leave (also Ctrl-D)",
      "Tab completes names, built-ins and keywords; Ctrl-C cancels a running computation.");

  private final Session session;
  private final PrintStream out;
  private final PrintStream err;
  /** Called by Ctrl-C while an input runs; null while idle. */
  private volatile Runnable onInterrupt;
  private int failures;

  private Repl(Session session, PrintStream out, PrintStream err) {
    this.session = session;
    this.out = out;
    this.err = err;
  }

  /** Starts the REPL on the system terminal (or on piped standard input); returns the exit code. */
  public static int start(long seed, int threads, org.nnft.runtime.Policy policy) {
    Session.Options o = new Session.Options();
    o.policy = policy;
    o.seed = seed;
    o.threads = Math.max(1, threads);
    if (System.console() == null) return run(System.in, System.out, System.err, o);
    Terminal terminal;
    try {
      terminal = TerminalBuilder.builder().system(true).name("nnft").build();
    } catch (IOException | RuntimeException e) {
      return run(System.in, System.out, System.err, o);
    }
    try (terminal) {
      Path history = Path.of(System.getProperty("user.home"), ".nnft_history");
      return run(terminal, o, history);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Non-interactive: reads inputs from {@code in} (a line, or several while a bracket is open),
   * prints values and shown output to {@code out} and errors to {@code err}. Returns 0, or 1 when
   * an input had an error or a failed expectation.
   */
  public static int run(InputStream in, PrintStream out, PrintStream err, Session.Options options) {
    options.out = out;
    Repl repl = new Repl(new Session(options), out, err);
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder buf = new StringBuilder();
    try {
      for (String line; (line = r.readLine()) != null; ) {
        if (buf.length() == 0 && line.strip().startsWith(":")) {
          if (!repl.handle(line)) return repl.exitCode();
          continue;
        }
        buf.append(line).append('\n');
        if (incomplete(buf)) continue;
        String input = buf.toString();
        buf.setLength(0);
        repl.handle(input);
      }
    } catch (IOException e) {
      err.println("error: cannot read input: " + e.getMessage());
      return 2;
    }
    if (buf.length() > 0) repl.handle(buf.toString());
    out.flush();
    return repl.exitCode();
  }

  /**
   * Interactive, on a JLine terminal: prompts, history (in {@code historyFile}, none when null),
   * completion and Ctrl-C handling. Returns 0 when the user leaves.
   */
  public static int run(Terminal terminal, Session.Options options, Path historyFile) {
    PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
    options.out = out;
    if (options.progress == null) options.progress = new org.nnft.repl.TerminalProgress(out);
    Repl repl = new Repl(new Session(options), out, out);
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> {
      Runnable r = repl.onInterrupt;
      if (r != null) r.run();
    });
    LineReaderBuilder b = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("nnft")
        .parser(new InputParser())
        .completer(repl.completer())
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.INSERT_TAB, false);
    if (historyFile != null) {
      b.variable(LineReader.HISTORY_FILE, historyFile).variable(LineReader.HISTORY_FILE_SIZE, 5000);
    }
    LineReader reader = b.build();
    out.println("nnft 0.1.0 (:help for commands, Ctrl-D to quit)");
    try {
      while (true) {
        String input;
        try {
          input = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue; // Ctrl-C at the prompt clears the line
        } catch (EndOfFileException e) {
          break;
        }
        if (!repl.handle(input)) break;
      }
    } finally {
      try {
        reader.getHistory().save();
      } catch (IOException | RuntimeException ignored) {
        // history is a convenience
      }
      terminal.handle(Terminal.Signal.INT, previous);
      out.flush();
    }
    return 0;
  }

  private int exitCode() { return failures > 0 ? 1 : 0; }

  // ---------------------------------------------------------------- inputs

  /** Handles one complete input; false when the user asked to leave. */
  boolean handle(String input) {
    String t = input.strip();
    if (t.isEmpty()) return true;
    if (t.startsWith(":")) return command(t);
    evaluate(Source.of(SOURCE, input), true);
    return true;
  }

  private boolean command(String t) {
    int sp = indexOfSpace(t);
    String cmd = sp < 0 ? t : t.substring(0, sp);
    String arg = sp < 0 ? "" : t.substring(sp + 1).strip();
    switch (cmd) {
      case ":help", ":h", ":?" -> {
        if (arg.isEmpty()) out.println(HELP);
        else {
          org.nnft.check.Signature sig = session.registry().signature(arg);
          if (sig != null) out.println(sig.describe());
          else if (session.registry().isConstant(arg)) out.println(arg + " is a built-in constant.");
          else {
            err.println("error: " + arg + " is not a built-in function; :help lists the commands, Tab lists the names.");
            failures++;
          }
        }
      }
      case ":vars", ":v" -> vars();
      case ":reset" -> {
        session.reset();
        out.println("session cleared");
      }
      case ":load", ":l" -> load(arg);
      case ":quit", ":q", ":exit" -> {
        return false;
      }
      default -> {
        err.println("error: unknown command " + cmd + "; :help lists the commands.");
        failures++;
      }
    }
    return true;
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
    return -1;
  }

  private void vars() {
    Set<String> names = session.names();
    if (names.isEmpty()) {
      out.println("no variables");
      return;
    }
    for (String n : names) out.println(n + " = " + session.inScope(() -> shortText(session.get(n))));
  }

  public static String shortText(Value v) {
    String text;
    try {
      text = Printer.text(v);
    } catch (RuntimeException e) {
      text = v.kind();
    }
    if (text.length() <= VAR_WIDTH && text.indexOf('\n') < 0) return text;
    String flat = text.replaceAll("\\s*\n\\s*", " ");
    if (flat.length() > VAR_WIDTH) flat = flat.substring(0, VAR_WIDTH - 3) + "...";
    return flat + "  (" + v.kind() + ")";
  }

  private void load(String arg) {
    String name = arg;
    if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
      name = name.substring(1, name.length() - 1);
    }
    if (name.isEmpty()) {
      err.println("error: :load needs a file name, as in :load samples/cosnet.nnft");
      failures++;
      return;
    }
    if (name.equals("~") || name.startsWith("~/")) name = System.getProperty("user.home") + name.substring(1);
    Path file = Path.of(name);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + name);
      failures++;
      return;
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot read " + name + ": " + e.getMessage());
      failures++;
      return;
    }
    evaluate(Source.of(file.toString(), text), false);
  }

  /** Runs a source in the session on a worker thread; prints a bare last expression's value. */
  private void evaluate(Source src, boolean printValue) {
    Ast.Program program;
    try {
      program = session.parse(src);
    } catch (NnftException e) {
      err.println(e.render());
      failures++;
      return;
    }
    List<Ast.Stmt> stmts = program.statements();
    boolean bare = printValue && !stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Ast.ExprStmt;
    int before = session.failures().size();
    Object[] result = new Object[1];
    Throwable[] thrown = new Throwable[1];
    Thread worker = DeepStack.thread(() -> {
      try {
        result[0] = session.run(src);
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "nnft-eval");
    int[] presses = {0};
    onInterrupt = () -> {
      session.cancel();
      if (++presses[0] >= 2) worker.interrupt();
    };
    worker.start();
    try {
      while (true) {
        try {
          worker.join();
          break;
        } catch (InterruptedException e) {
          session.cancel();
        }
      }
    } finally {
      onInterrupt = null;
    }
    out.flush();
    Throwable t = thrown[0];
    if (t == null) {
      // as the session's: a symbolic value prints the user's names only there
      if (bare && result[0] instanceof Value v) out.println(session.inScope(() -> text(v)));
    } else if (t instanceof NnftException e) {
      err.println(e.render());
      failures++;
    } else if (t instanceof Session.Cancelled) {
      err.println("cancelled");
    } else if (t instanceof StackOverflowError) {
      err.println("error: the input nests too deeply to evaluate.");
      failures++;
    } else {
      err.println("internal error: " + t + "\nThis is a bug in nnft; please report it with the input that caused it.");
      failures++;
    }
    if (session.failures().size() > before) failures++;
    err.flush();
  }

  private static String text(Value v) {
    try {
      return Printer.text(v);
    } catch (RuntimeException e) {
      return v.kind();
    }
  }

  // ---------------------------------------------------------------- input structure

  /**
   * True while a bracket ( [ { is open (outside strings and comments) or the text ends with a
   * backslash continuation: the input goes on on the next line. A command line never continues.
   */
  public static boolean incomplete(CharSequence text) {
    String s = text.toString();
    if (s.strip().startsWith(":")) return false;
    int depth = 0;
    boolean inString = false, comment = false, escaped = false;
    boolean backslashEnd = false; // the current line's last significant character is a backslash
    boolean continued = false;    // the previous line ended with a backslash
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
        continued = backslashEnd;
        backslashEnd = inString = comment = escaped = false;
        continue;
      }
      if (comment || Character.isWhitespace(c) && !inString) continue;
      continued = false;
      if (inString) {
        backslashEnd = false;
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (c == '"') inString = false;
        continue;
      }
      backslashEnd = c == '\\';
      switch (c) {
        case '#' -> comment = true;
        case '"' -> inString = true;
        case '(', '[', '{' -> depth++;
        case ')', ']', '}' -> depth--;
        default -> { }
      }
      if (depth < 0) return false; // a stray closer: let the parser say so
    }
    return depth > 0 || continued || backslashEnd;
  }

  /** The JLine parser: incomplete input raises EOFError; words are identifiers, for completion. */
  static final class InputParser implements Parser {
    @Override public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
      if ((context == ParseContext.ACCEPT_LINE || context == ParseContext.SECONDARY_PROMPT) && incomplete(line)) {
        throw new EOFError(-1, -1, "open bracket", closer(line));
      }
      return new Line(line, Math.max(0, Math.min(cursor, line.length())));
    }

    @Override public boolean isEscapeChar(char ch) { return false; }

    private static String closer(String s) {
      StringBuilder stack = new StringBuilder();
      for (char c : s.toCharArray()) {
        if (c == '(' || c == '[' || c == '{') stack.append(c);
        else if ((c == ')' || c == ']' || c == '}') && stack.length() > 0) stack.setLength(stack.length() - 1);
      }
      if (stack.length() == 0) return "";
      char open = stack.charAt(stack.length() - 1);
      return open == '(' ? ")" : open == '[' ? "]" : "}";
    }
  }

  public static boolean identChar(char c) { return Character.isLetterOrDigit(c) || c == '_'; }

  /** A line split into identifier words (and a leading :command). */
  static final class Line implements CompletingParsedLine {
    private final String line;
    private final int cursor;
    private final List<String> words = new ArrayList<>();
    private int wordIndex = -1;
    private String word = "";
    private int wordCursor;

    Line(String line, int cursor) {
      this.line = line;
      this.cursor = cursor;
      int i = 0, n = line.length();
      while (i <= n) {
        while (i < n && !identChar(line.charAt(i)) && !(line.charAt(i) == ':' && line.substring(0, i).isBlank())) i++;
        if (i >= n) break;
        int start = i;
        if (line.charAt(i) == ':') i++;
        while (i < n && identChar(line.charAt(i))) i++;
        if (cursor >= start && cursor <= i && wordIndex < 0) {
          wordIndex = words.size();
          word = line.substring(start, i);
          wordCursor = cursor - start;
        }
        words.add(line.substring(start, i));
      }
      if (wordIndex < 0) {
        // the cursor is between words: complete an empty word there
        int idx = 0;
        int pos = 0;
        for (String w : words) {
          int at = line.indexOf(w, pos);
          if (at >= cursor) break;
          pos = at + w.length();
          idx++;
        }
        words.add(idx, "");
        wordIndex = idx;
        word = "";
        wordCursor = 0;
      }
    }

    @Override public String word() { return word; }
    @Override public int wordCursor() { return wordCursor; }
    @Override public int wordIndex() { return wordIndex; }
    @Override public List<String> words() { return words; }
    @Override public String line() { return line; }
    @Override public int cursor() { return cursor; }
    @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }
    @Override public int rawWordCursor() { return wordCursor; }
    @Override public int rawWordLength() { return word.length(); }
  }

  private Completer completer() { return new NameCompleter(session::names, session::registry); }

  /** Completes :commands at the start of a line, otherwise bound names, built-ins and keywords. */
  static final class NameCompleter implements Completer {
    private final Supplier<Set<String>> bound;
    private final Supplier<org.nnft.runtime.Registry> registry;

    NameCompleter(Supplier<Set<String>> bound, Supplier<org.nnft.runtime.Registry> registry) {
      this.bound = bound;
      this.registry = registry;
    }

    @Override public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
      String w = line.word();
      if (w.startsWith(":") || (line.wordIndex() == 0 && line.line().isBlank())) {
        if (w.startsWith(":") || w.isEmpty()) {
          for (String c : COMMANDS) candidates.add(new Candidate(c, c, "commands", null, null, null, true));
        }
        if (w.startsWith(":")) return;
      }
      if (line.words().size() > 0 && line.words().get(0).equals(":load")) return;
      Set<String> seen = new TreeSet<>();
      for (String n : bound.get()) if (seen.add(n)) candidates.add(new Candidate(n, n, "variables", null, null, null, false));
      org.nnft.runtime.Registry r = registry.get();
      for (String n : r.names()) {
        if (!seen.add(n)) continue;
        org.nnft.check.Signature sig = r.signature(n);
        candidates.add(new Candidate(n, n, "built-ins", sig == null ? null : sig.usage(), null, null, false));
      }
      for (String k : Nnft.KEYWORDS) if (seen.add(k)) candidates.add(new Candidate(k, k, "keywords", null, null, null, true));
    }
  }
}
