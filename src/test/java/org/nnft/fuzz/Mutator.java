package org.nnft.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nnft.check.Signature;
import org.nnft.runtime.Registry;

/**
 * Seeded mutations of nnft scripts for {@link Fuzzer}. Two families: unstructured ones at the
 * level of characters and tokens (delete, duplicate, swap, insert, cut lines), which mostly make
 * scripts that do not parse and so exercise the parser and checker; and structure-keeping ones
 * that change only numbers, shapes, built-in named arguments and nesting, which mostly make
 * scripts that run and so exercise the built-ins with extreme values.
 *
 * <p>Every mutant is deterministic in (script, seed). Mutants never contain {@code export} or
 * {@code plot} (they would write files), and sample counts and iteration counts are capped
 * ({@link #capCounts}) so that the fuzzer tests robustness, not speed.
 */
public final class Mutator {
  /** Numbers that break careless code: zero, negatives, overflow of int and long, NaN and inf. */
  static final String[] EXTREMES = {
    "0", "-1", "1", "2", "0.5", "-0.5", "3.7", "1e308", "-1e308", "1e-308", "1e9", "1e12", "1e5",
    "46341", "65536", "2147483647", "2147483648", "-2147483648", "9223372036854775807",
    "9223372036854775808", "1e400", "inf", "-inf", "(0/0)", "(inf - inf)", "(1e308 * 10)", "-0",
    "1e15", "100000001", "1e-9",
  };

  /** Values of other kinds, for arguments. */
  static final String[] ODD = {
    "\"\"", "\"x\"", "[]", "[[]]", "[1, 2, 3]", "[[1, 2], [3, 4]]", "[[1, 0], [0, inf]]", "[nan, 1]",
    "true", "x", "[0/0]", "[[1e308, 1e308], [1e308, 1e308]]", "zeros(0)", "zeros(0, 3)", "[1]", "[[1]]",
  };

  /** Names whose numeric arguments are run-length counts: capped above {@link #CAP}. */
  static final java.util.Set<String> COUNTED = java.util.Set.of(
      "sample", "mcmc", "fit", "reweight", "polytope", "level_set", "gap", "integral", "integrate",
      "kernel", "steps", "warmup", "draws", "chains", "count", "points", "grid", "max_regions",
      "max_depth", "memory", "samples", "reconstruct", "extrapolate", "orbit_dim", "balance", "symmetries",
      "connected_exact", "propagator", "gauge_law", "dual", "check", "numeric", "endpoint", "linear_node");
  static final double CAP = 1e4;

  private static final Pattern TOKEN = Pattern.compile(
      "(?<nl>\\n)|(?<ws>[ \\t\\r]+)|(?<comment>#[^\\n]*)|(?<str>\"(?:\\\\.|[^\"\\\\\\n])*\")"
      + "|(?<num>(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)|(?<id>[\\p{L}_][\\p{L}\\p{N}_]*)"
      + "|(?<op>\\.\\.|==|!=|<=|>=|~=|->|\\S)");
  private static final Pattern FORBIDDEN = Pattern.compile("\\b(export|plot)\\b");

  /** A token: its text and type (nl, ws, comment, str, num, id, op). */
  record Tok(String text, String type) {
    boolean blank() { return type.equals("ws") || type.equals("nl") || type.equals("comment"); }
  }

  private final List<Signature> builtins;
  private final double cap;

  public Mutator() { this(CAP); }

  /** Mutants with counts capped at {@code cap} (see {@link #capCounts}). */
  public Mutator(double cap) {
    this.cap = cap;
    builtins = new ArrayList<>(Registry.standard().signatures());
    builtins.sort(java.util.Comparator.comparing(Signature::name)); // deterministic order
  }

  static List<Tok> lex(String s) {
    List<Tok> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(s);
    int at = 0;
    while (at < s.length() && m.find(at)) {
      if (m.start() != at) out.add(new Tok(s.substring(at, m.start()), "op"));
      for (String g : new String[] {"nl", "ws", "comment", "str", "num", "id", "op"}) {
        if (m.group(g) != null) { out.add(new Tok(m.group(g), g)); break; }
      }
      at = m.end();
    }
    if (at < s.length()) out.add(new Tok(s.substring(at), "op"));
    return out;
  }

  static String join(List<Tok> ts) {
    StringBuilder b = new StringBuilder();
    for (Tok t : ts) b.append(t.text());
    return b.toString();
  }

  /** A mutant of {@code script}: 1 to 3 mutations, structure-keeping ones with probability {@code keep}. */
  public String mutate(String script, Random r, double keep) {
    String s = script;
    for (int tries = 0; tries < 20; tries++) {
      s = script;
      boolean structured = r.nextDouble() < keep;
      int n = structured ? 1 + r.nextInt(2) : 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) s = structured ? structured(s, r) : unstructured(s, r);
      s = capCounts(s, cap);
      if (!FORBIDDEN.matcher(s).find() && !s.equals(script)) return s;
    }
    return capCounts(FORBIDDEN.matcher(s).replaceAll("show"), cap);
  }

  // ------------------------------------------------------------------ unstructured

  String unstructured(String s, Random r) {
    List<Tok> ts = lex(s);
    List<Integer> real = solid(ts);
    if (real.isEmpty()) return s + "\n" + call(r);
    int i = real.get(r.nextInt(real.size())), j = real.get(r.nextInt(real.size()));
    switch (r.nextInt(10)) {
      case 0 -> ts.remove(i);
      case 1 -> ts.add(i, ts.get(i));
      case 2 -> { Tok a = ts.get(i); ts.set(i, ts.get(j)); ts.set(j, a); }
      case 3 -> ts.add(i, ts.get(j));
      case 4 -> { // delete a line
        String[] lines = s.split("\n", -1);
        int k = r.nextInt(lines.length);
        List<String> l = new ArrayList<>(List.of(lines));
        l.remove(k);
        return String.join("\n", l);
      }
      case 5 -> { // duplicate a line
        String[] lines = s.split("\n", -1);
        int k = r.nextInt(lines.length);
        List<String> l = new ArrayList<>(List.of(lines));
        l.add(k, lines[k]);
        return String.join("\n", l);
      }
      case 6 -> { // delete or insert a character
        int p = r.nextInt(s.length() + 1);
        if (r.nextBoolean() && p < s.length()) return s.substring(0, p) + s.substring(p + 1);
        String chars = "()[]{},=+-*/^@~:.;\"#\\\n<>!|&'`$%0123456789e ";
        return s.substring(0, p) + chars.charAt(r.nextInt(chars.length())) + s.substring(p);
      }
      case 7 -> { // a run of tokens repeated
        int a = Math.min(i, j), b = Math.max(i, j);
        List<Tok> run = new ArrayList<>(ts.subList(a, Math.min(b + 1, a + 12)));
        ts.addAll(b + 1 > ts.size() ? ts.size() : b + 1, run);
      }
      case 8 -> { // cut the script short
        return join(ts.subList(0, i));
      }
      default -> ts.set(i, new Tok(pick(r, EXTREMES), "num"));
    }
    return join(ts);
  }

  // ------------------------------------------------------------------ structure-keeping

  String structured(String s, Random r) {
    List<Tok> ts = lex(s);
    switch (r.nextInt(9)) {
      case 0, 1 -> { // a number to an extreme
        List<Integer> nums = ofType(ts, "num");
        if (nums.isEmpty()) return s + "\n" + call(r);
        int i = nums.get(r.nextInt(nums.size()));
        ts.set(i, new Tok(pick(r, EXTREMES), "num"));
      }
      case 2 -> { // a dimension of a parameter shape or a type R^d
        List<Integer> dims = new ArrayList<>();
        for (int i = 1; i < ts.size(); i++) {
          Tok t = ts.get(i);
          if (!(t.type().equals("num") || t.type().equals("id"))) continue;
          Tok p = prevSolid(ts, i);
          if (p != null && (p.text().equals("^") || p.text().equals("[") || p.text().equals(","))) dims.add(i);
        }
        if (dims.isEmpty()) return s + "\n" + call(r);
        int i = dims.get(r.nextInt(dims.size()));
        ts.set(i, new Tok(pick(r, EXTREMES), "num"));
      }
      case 3 -> { // a named argument's value
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i + 2 < ts.size(); i++) {
          if (ts.get(i).type().equals("id") && nextSolid(ts, i) != null && nextSolid(ts, i).text().equals("=")) named.add(i);
        }
        if (named.isEmpty()) return s + "\n" + call(r);
        int i = named.get(r.nextInt(named.size()));
        int eq = nextSolidIndex(ts, i), v = nextSolidIndex(ts, eq);
        if (v < 0) return s;
        ts.set(v, new Tok(r.nextBoolean() ? pick(r, EXTREMES) : pick(r, ODD), "num"));
      }
      case 4 -> { // a call gains one of its named arguments with an odd value
        List<Integer> calls = new ArrayList<>();
        for (int i = 0; i + 1 < ts.size(); i++) {
          if (ts.get(i).type().equals("id") && ts.get(i + 1).text().equals("(") && signature(ts.get(i).text()) != null) calls.add(i);
        }
        if (calls.isEmpty()) return s + "\n" + call(r);
        int i = calls.get(r.nextInt(calls.size()));
        Signature sig = signature(ts.get(i).text());
        List<String> names = sig.namedNames();
        if (names.isEmpty()) return s + "\n" + call(r);
        String arg = pick(r, names.toArray(new String[0])) + " = " + (r.nextInt(3) > 0 ? pick(r, EXTREMES) : pick(r, ODD));
        int close = matching(ts, i + 1);
        if (close < 0) return s;
        boolean empty = close == i + 2;
        ts.add(close, new Tok(empty ? arg : ", " + arg, "op"));
      }
      case 5 -> { // deep nesting around a number or a name
        List<Integer> atoms = new ArrayList<>(ofType(ts, "num"));
        if (atoms.isEmpty()) return s + "\n" + deep(r);
        int i = atoms.get(r.nextInt(atoms.size()));
        int depth = new int[] {20, 100, 500, 999, 1000, 1001, 3000}[r.nextInt(7)];
        String o = r.nextBoolean() ? "(" : "[", c = o.equals("(") ? ")" : "]";
        ts.set(i, new Tok(o.repeat(depth) + ts.get(i).text() + c.repeat(depth), "num"));
      }
      case 6 -> { // a number becomes a long list, a comprehension or a constructor
        List<Integer> nums = ofType(ts, "num");
        if (nums.isEmpty()) return s + "\n" + call(r);
        int i = nums.get(r.nextInt(nums.size()));
        String k = pick(r, new String[] {"1e3", "1e5", "1e8", "1e9", "46341", "2147483647", "1e308", "-1", "0"});
        String big = switch (r.nextInt(5)) {
          case 0 -> "[i for i in range(1, " + k + ")]";
          case 1 -> "zeros(" + k + ")";
          case 2 -> "sum([[i * j for i in range(1, " + k + ")] for j in range(1, " + k + ")])";
          case 3 -> "linspace(0, 1, " + k + ")";
          default -> "ones(" + k + ", " + k + ")";
        };
        ts.set(i, new Tok(big, "num"));
      }
      case 7 -> { return s + "\n" + call(r); }
      default -> { return s + "\n" + deep(r); }
    }
    return join(ts);
  }

  /** A statement calling a random built-in with odd arguments. */
  String call(Random r) {
    Signature sig = builtins.get(r.nextInt(builtins.size()));
    int n = sig.minPositional() + (r.nextInt(4) == 0 ? 1 : 0);
    StringBuilder b = new StringBuilder("show ").append(sig.name()).append('(');
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(", ");
      b.append(r.nextInt(3) > 0 ? pick(r, EXTREMES) : pick(r, ODD));
    }
    List<String> names = sig.namedNames();
    if (!names.isEmpty() && r.nextBoolean()) {
      if (n > 0) b.append(", ");
      b.append(pick(r, names.toArray(new String[0]))).append(" = ").append(pick(r, EXTREMES));
    }
    return b.append(')').toString();
  }

  /** Deep or long expressions: nested brackets, long sums, chained powers, nested comprehensions. */
  static String deep(Random r) {
    int k = new int[] {100, 999, 1000, 1001, 5000, 20000}[r.nextInt(6)];
    return switch (r.nextInt(6)) {
      case 0 -> "show " + "(".repeat(k) + "1" + ")".repeat(k);
      case 1 -> "show " + "[".repeat(k) + "1" + "]".repeat(k);
      case 2 -> "show " + "1 + ".repeat(k) + "1";
      case 3 -> "show " + "2 ^ ".repeat(k) + "1";
      case 4 -> "show " + "-".repeat(k) + "1";
      default -> "show [[[i + j + l for i in range(1, 1000)] for j in range(1, 1000)] for l in range(1, 1000)]";
    };
  }

  /**
   * Numbers above {@link #CAP} (and up to 1e12, so that values no count can take still reach the
   * checks) inside the arguments of a sampling or iterating call, or given to a count-like named
   * argument, become CAP.
   */
  static String capCounts(String s) { return capCounts(s, CAP); }

  static String capCounts(String s, double cap) {
    String capText = cap == Math.rint(cap) ? String.valueOf((long) cap) : String.valueOf(cap);
    List<Tok> ts = lex(s);
    java.util.ArrayDeque<Boolean> open = new java.util.ArrayDeque<>();
    int counted = 0;
    String lastId = null;
    boolean namedCount = false;
    for (int i = 0; i < ts.size(); i++) {
      Tok t = ts.get(i);
      if (t.blank()) continue;
      switch (t.text()) {
        case "(", "[" -> {
          boolean c = t.text().equals("(") && lastId != null && COUNTED.contains(lastId);
          open.push(c);
          if (c) counted++;
        }
        case ")", "]" -> {
          if (!open.isEmpty() && open.pop()) counted--;
        }
        case "=" -> namedCount = lastId != null && COUNTED.contains(lastId);
        default -> { }
      }
      if (t.type().equals("num") && (counted > 0 || namedCount)) {
        try {
          double v = Double.parseDouble(t.text());
          if (v > cap && v <= 1e12) ts.set(i, new Tok(capText, "num"));
        } catch (NumberFormatException ignored) {
          // not a plain number
        }
      }
      if (t.text().equals(",") || t.text().equals(")")) namedCount = false;
      lastId = t.type().equals("id") ? t.text() : null;
    }
    return join(ts);
  }

  // ------------------------------------------------------------------ helpers

  private Signature signature(String name) {
    for (Signature s : builtins) if (s.name().equals(name)) return s;
    return null;
  }

  private static List<Integer> solid(List<Tok> ts) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) if (!ts.get(i).blank()) out.add(i);
    return out;
  }

  private static List<Integer> ofType(List<Tok> ts, String type) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) if (ts.get(i).type().equals(type)) out.add(i);
    return out;
  }

  private static Tok prevSolid(List<Tok> ts, int i) {
    for (int k = i - 1; k >= 0; k--) if (!ts.get(k).type().equals("ws")) return ts.get(k);
    return null;
  }

  private static int nextSolidIndex(List<Tok> ts, int i) {
    for (int k = i + 1; k < ts.size(); k++) if (!ts.get(k).type().equals("ws")) return k;
    return -1;
  }

  private static Tok nextSolid(List<Tok> ts, int i) {
    int k = nextSolidIndex(ts, i);
    return k < 0 ? null : ts.get(k);
  }

  /** The index of the bracket closing the one at {@code open}, or -1. */
  private static int matching(List<Tok> ts, int open) {
    int depth = 0;
    for (int k = open; k < ts.size(); k++) {
      String x = ts.get(k).text();
      if (x.equals("(") || x.equals("[") || x.equals("{")) depth++;
      else if (x.equals(")") || x.equals("]") || x.equals("}")) {
        depth--;
        if (depth == 0) return k;
      }
    }
    return -1;
  }

  private static String pick(Random r, String[] xs) { return xs[r.nextInt(xs.length)]; }
}
