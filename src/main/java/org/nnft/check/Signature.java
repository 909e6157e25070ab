package org.nnft.check;

import java.util.ArrayList;
import java.util.List;
import org.nnft.syntax.Span;

/**
 * Everything the language knows about a built-in, declared next to its code: positional and named
 * arguments with their types and defaults, the variables a named argument binds while it is
 * evaluated (reparametrize(flow, h = ...) reads h as a function of t), whether it is costly (the
 * planner never runs it), what it does, and how to check constant arguments before the run. The
 * checker, argument binding, error sentences, the REPL's :help and completion, and the language
 * reference all read it; the runtime pairs it with the implementation.
 */
public record Signature(String name, String usage, String summary, List<Param> positional, int minPositional,
    int maxPositional, List<Param> named, boolean anyNamed, ArgType returns, boolean costly, boolean observable,
    Verifier verifier, Typer typer) {

  /**
   * Checks a call whose positional arguments are all constant numbers (a density's parameters),
   * before anything runs: throws the same positioned error the call would throw at run time.
   */
  public interface Verifier {
    void verify(double[] constants, List<Span> argSpans, Span call);
  }

  /**
   * The static type of a call's result, and the checks that need several arguments or constant
   * values (a point's dimension against the net's input, a sample count): declared with the
   * built-in; null for the common case, where the result has the declared {@code returns} type.
   */
  public interface Typer {
    SType type(StaticCall call);
  }

  /** An argument: its name, type, default (as source text, null when required) and bound variables. */
  public record Param(String name, ArgType type, String defaultText, List<String> binds, String doc) {
    public Param(String name, ArgType type) { this(name, type, null, List.of(), null); }
  }

  /** The positional parameter at position i (the last one repeats for variadic built-ins). */
  public Param positionalAt(int i) {
    if (positional.isEmpty()) return new Param("x", ArgType.ANY);
    return positional.get(Math.min(i, positional.size() - 1));
  }

  /** The named parameter called n, or null. */
  public Param namedParam(String n) {
    for (Param p : named) if (p.name.equals(n)) return p;
    return null;
  }

  /** The variables named argument n binds while it is evaluated (none for most). */
  public List<String> binds(String n) {
    Param p = n == null ? null : namedParam(n);
    return p == null ? List.of() : p.binds;
  }

  public List<String> namedNames() {
    List<String> out = new ArrayList<>();
    for (Param p : named) out.add(p.name);
    return out;
  }

  /** A person's description: the usage, what it does, and each argument with its type and default. */
  public String describe() {
    StringBuilder b = new StringBuilder(usage);
    if (!summary.isEmpty()) b.append("\n  ").append(summary);
    for (int i = 0; i < positional.size(); i++) {
      Param p = positional.get(i);
      boolean repeats = i == positional.size() - 1 && maxPositional > positional.size();
      b.append("\n  ").append(p.name).append(repeats ? ", ..." : "").append(": ").append(p.type.text);
      if (i >= minPositional && !repeats) b.append(", optional");
      if (p.defaultText != null) b.append(" (default ").append(p.defaultText).append(")");
    }
    for (Param p : named) {
      b.append("\n  ").append(p.name).append(" = ").append(p.type.text);
      if (!p.binds.isEmpty()) b.append(" of ").append(String.join(" and ", p.binds));
      b.append(p.defaultText != null ? " (default " + p.defaultText + ")" : " (required)");
    }
    if (anyNamed) b.append("\n  name = value: any symbol and its value");
    if (costly) b.append("\n  symbolic or slow: runs only when the script reaches it");
    return b.toString();
  }

  /** Starts a declaration. */
  public static Builder fn(String name, String usage) { return new Builder(name, usage); }

  /** Builds a signature: fn("sample", "sample(net, count, seed = 42)").arg(...).named(...).impl(...). */
  public static final class Builder {
    private final String name, usage;
    private String summary = "";
    private final List<Param> positional = new ArrayList<>();
    private final List<Param> named = new ArrayList<>();
    private int min = -1, max = -1;
    private boolean anyNamed, costly, observable;
    private Verifier verifier;
    private Typer typer;
    private ArgType returns = ArgType.ANY;

    Builder(String name, String usage) {
      this.name = name;
      this.usage = usage;
    }

    /** A required positional argument. */
    public Builder arg(String n, ArgType t) { positional.add(new Param(n, t)); return this; }

    /** An optional positional argument (after the required ones). */
    public Builder optional(String n, ArgType t, String dflt) {
      if (min < 0) min = positional.size();
      positional.add(new Param(n, t, dflt, List.of(), null));
      return this;
    }

    /** A last positional argument that repeats: from at least `least` to at most `most` of them. */
    public Builder rest(String n, ArgType t, int least, int most) {
      min = positional.size() + least;
      max = positional.size() + most;
      positional.add(new Param(n, t));
      return this;
    }

    /** A named argument with its default (source text; null when it has none). */
    public Builder named(String n, ArgType t, String dflt) { named.add(new Param(n, t, dflt, List.of(), null)); return this; }

    /** A named argument whose value is read with the given variables bound (functions of t, of x and t). */
    public Builder binding(String n, ArgType t, String dflt, String... vars) {
      named.add(new Param(n, t, dflt, List.of(vars), null));
      return this;
    }

    /** Any named arguments at all (subs(expr, m = 1, lambda = 0.1)). */
    public Builder anyNamed() { anyNamed = true; return this; }

    /** Symbolic or slow work that no sampling plan depends on: the planner never runs it. */
    public Builder costly() { costly = true; return this; }

    public Builder returns(ArgType t) { returns = t; return this; }

    /**
     * Estimates from an ensemble: the planner evaluates its ensemble and points ahead of time, so
     * every observable of one ensemble shares one sampling pass.
     */
    public Builder observable() { observable = true; return this; }

    public Builder does(String text) { summary = text; return this; }

    /** How to check constant arguments before the run. */
    public Builder verify(Verifier v) { verifier = v; return this; }

    /** How the checker types a call (see {@link Typer}). */
    public Builder typed(Typer t) { typer = t; return this; }

    public Signature build() {
      int lo = min >= 0 ? min : positional.size();
      int hi = max >= 0 ? max : positional.size();
      return new Signature(name, usage, summary, List.copyOf(positional), lo, hi, List.copyOf(named), anyNamed, returns, costly, observable, verifier, typer);
    }
  }
}
