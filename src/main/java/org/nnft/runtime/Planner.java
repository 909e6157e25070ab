package org.nnft.runtime;

import org.nnft.check.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nnft.runtime.Values.Unknown;
import org.nnft.syntax.Ast.*;

/**
 * Decides from the checked program which observables share a sampling pass, without running the
 * script twice. The sites are the calls of observable built-ins (correlator, connected,
 * reconstruct) anywhere in a statement, inside comprehensions too. Before each statement runs,
 * every site still ahead whose names are bound now and keep their values until the site's
 * statement (no statement in between binds them again) is evaluated with its ensemble and points
 * only: the ensemble, the points and the comprehension values it runs over, never the statements
 * around it. The requests it yields join its ensemble's plan, so the first observable that needs
 * the ensemble samples everything the script will ask of it that can be known by then: symbolic
 * statements, plots and comprehensions between observables do not split the pass.
 */
public final class Planner {
  /** An observable call, the comprehensions around it (outermost first) and the names it reads. */
  private record Site(int stmt, Call call, List<Comprehension> loops, Set<String> names) {}

  private final List<Site> sites = new ArrayList<>();
  private final List<Set<String>> binds = new ArrayList<>();
  private final List<Set<String>> reads = new ArrayList<>();
  private final List<Stmt> statements;
  private final boolean[] done;
  private final Registry registry;

  Planner(Program p, Registry registry) {
    this.registry = registry;
    List<Stmt> ss = p.statements();
    statements = ss;
    for (int i = 0; i < ss.size(); i++) {
      binds.add(bound(ss.get(i)));
      reads.add(read(ss.get(i)));
      find(i, ss.get(i), registry);
    }
    done = new boolean[sites.size()];
  }

  /** The names a statement binds. */
  private static Set<String> bound(Stmt s) {
    if (s instanceof Let l) return Set.of(l.name());
    if (s instanceof NetDecl n) return Set.of(n.name());
    if (s instanceof NetAssign n) return Set.of(n.name());
    if (s instanceof SymbolDecl d) return new HashSet<>(d.names());
    if (s instanceof FieldDecl f) {
      Set<String> b = new HashSet<>(f.vars());
      b.add(f.name());
      return b;
    }
    if (s instanceof ActionDecl a) return Set.of(a.name());
    if (s instanceof GaugeDecl g) return Set.of(g.name());
    return Set.of();
  }

  /** The names a binding statement's value reads. */
  private static Set<String> read(Stmt s) {
    Set<String> out = new LinkedHashSet<>();
    if (s instanceof Let l) NetNames.collect(l.value(), new HashSet<>(), out);
    else if (s instanceof NetAssign n) NetNames.collect(n.value(), new HashSet<>(), out);
    else if (s instanceof NetDecl n) out.addAll(NetNames.freeNames(n));
    return out;
  }

  /** Finds the observable calls in a statement (not in net bodies: those are lowered, not evaluated). */
  private void find(int stmt, Stmt st, Registry registry) {
    if (st instanceof NetDecl || st instanceof GaugeDecl) return;
    for (Expr e : org.nnft.syntax.Scoping.expressions(st)) {
      org.nnft.syntax.Scoping.walk(e, Set.of(), org.nnft.syntax.Scoping.NONE, new org.nnft.syntax.Scoping.Visitor() {
        @Override public void call(Call c, Set<String> local, List<Comprehension> around) {
          Signature sig = c.calleeName() == null ? null : registry.signature(c.calleeName());
          if (sig != null && sig.observable()) sites.add(new Site(stmt, c, List.copyOf(around), names(c, around)));
        }
      });
    }
  }

  /** The names a site reads: in the call and in the comprehensions it runs over, less their variables. */
  private static Set<String> names(Call c, List<Comprehension> loops) {
    Set<String> local = new LinkedHashSet<>(), out = new LinkedHashSet<>();
    for (Comprehension l : loops) {
      NetNames.collect(l.source(), local, out);
      local.add(l.var());
      if (l.filter() != null) NetNames.collect(l.filter(), local, out);
    }
    NetNames.collect(c, local, out);
    return out;
  }

  /**
   * Before statement i runs: plans every site at i or later whose ensemble and points can be known
   * now. The statements from i on that bind a name some site depends on (a grid made by a let
   * between two observables, a net declared after the first one) are evaluated ahead, in planning
   * mode (costly built-ins and observables give nothing), into a scratch copy of the bindings;
   * nothing else runs. A site is tried once all its names are known, and not again.
   */
  void before(int i, Session session, Env globals) {
    boolean pending = false;
    for (int k = 0; k < sites.size(); k++) if (!done[k] && sites.get(k).stmt >= i) pending = true;
    if (!pending) return;
    Set<String> needed = new HashSet<>();
    for (int k = 0; k < sites.size(); k++) if (!done[k] && sites.get(k).stmt >= i) needed.addAll(sites.get(k).names);
    for (int j = statements.size() - 1; j >= i; j--) {
      if (binds.get(j).stream().anyMatch(needed::contains)) needed.addAll(reads.get(j));
    }
    Env ahead = new Env(globals);
    Interpreter in = new Interpreter(session, ahead, true);
    for (int j = i; j < statements.size(); j++) {
      for (int k = 0; k < sites.size(); k++) {
        Site s = sites.get(k);
        if (done[k] || s.stmt != j || !known(s, ahead)) continue;
        done[k] = true;
        try {
          evaluate(s, 0, in, new Env(ahead));
        } catch (RuntimeException | StackOverflowError e) {
          // the run reports it where it happens
        }
      }
      Set<String> b = binds.get(j);
      if (b.isEmpty()) continue;
      boolean use = b.stream().anyMatch(needed::contains);
      try {
        if (use) in.execute(statements.get(j));
        else for (String n : b) ahead.define(n, Unknown.INSTANCE);
      } catch (RuntimeException | StackOverflowError e) {
        for (String n : b) ahead.define(n, Unknown.INSTANCE);
      }
    }
  }

  /** Whether every name a site reads has a value (a built-in, or a binding that is not a placeholder). */
  private boolean known(Site s, Env env) {
    for (String n : s.names) {
      Value v = env.lookup(n);
      if (v == null ? registry.lookup(n) == null : v instanceof Unknown) return false;
    }
    return true;
  }

  /** Runs the comprehensions around a site and evaluates the call (in planning mode: it only plans). */
  private void evaluate(Site s, int depth, Interpreter in, Env env) {
    if (depth == s.loops.size()) {
      in.eval(s.call, env);
      return;
    }
    Comprehension c = s.loops.get(depth);
    Value src = in.eval(c.source(), env);
    if (src instanceof Unknown) return;
    for (Value x : Arith.iterate(src, c.source().span())) {
      Env inner = new Env(env);
      inner.define(c.var(), x);
      if (c.filter() != null) {
        Value f = in.eval(c.filter(), inner);
        if (f instanceof Unknown || !in.truth(f, c.filter().span())) continue;
      }
      evaluate(s, depth + 1, in, inner);
    }
  }
}
