package org.nnft.check;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Resolves names and checks calls to built-ins (argument counts, named arguments) before anything
 * runs, so a typo late in a script fails in milliseconds rather than after an hour of sampling.
 */
public final class Checker {
  private final Set<String> globals;
  private final Signatures registry;
  private final java.util.Map<String, NetDecl> nets = new java.util.HashMap<>();

  public Checker(Collection<String> known, Signatures registry) {
    this.globals = new LinkedHashSet<>(known);
    this.registry = registry;
  }

  public void check(Program p) {
    for (Stmt s : p.statements()) {
      try {
        stmt(s);
      } catch (StackOverflowError e) {
        throw new NnftException(s.span(), "this statement nests too deeply to check; split it into smaller ones with let.");
      } catch (NnftException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new NnftException("internal error", s.span(), e + "; this is a bug in nnft, please report it with the script that caused it.", e);
      }
    }
  }

  private void stmt(Stmt s) {
    { Object __s0 = s;
      if (__s0 instanceof Let l) { expr(l.value(), globals); globals.add(l.name()); }
      else if (__s0 instanceof SymbolDecl d) {
        for (int i = 0; i < d.names().size(); i++) {
          String n = d.names().get(i);
          if (registry.isConstant(n)) throw new NnftException(d.spans().get(i), "'" + n + "' is a built-in constant and cannot be a symbol.");
          globals.add(n);
        }
      }
      else if (__s0 instanceof NetDecl n) {
        Set<String> local = new LinkedHashSet<>(globals);
        local.add(n.name());
        local.add(n.input());
        if (n.inType().dim() != null) expr(n.inType().dim(), globals);
        if (n.inType().cols() != null) expr(n.inType().cols(), globals);
        if (!n.inType().base().equals("R")) throw new NnftException(n.inType().span(), "a net's input is R or R^d, not " + n.inType().base() + ".");
        if (n.outType() != null && !n.outType().base().equals("R")) throw new NnftException(n.outType().span(), "a net's output is R or R^k, not " + n.outType().base() + ".");
        if (n.outType() != null && n.outType().dim() != null) expr(n.outType().dim(), globals);
        int returns = 0;
        Set<String> declared = new LinkedHashSet<>();
        for (NetItem it : n.items()) {
          { Object __s9 = it;
            if (__s9 instanceof ParamItem p) {
              dup(declared, p.name(), p.nameSpan());
              p.shape().forEach(e -> expr(e, local));
              expr(p.density(), local);
              local.add(p.name());
            }
            else if (__s9 instanceof FixedItem f) {
              dup(declared, f.name(), f.nameSpan());
              f.shape().forEach(e -> expr(e, local));
              expr(f.value(), local);
              local.add(f.name());
            }
            else if (__s9 instanceof LetItem l) { expr(l.value(), local); local.add(l.name()); }
            else if (__s9 instanceof ReturnItem r) {
              if (returns++ > 0) throw new NnftException(r.span(), "a net has one return statement.");
              expr(r.value(), local);
            }
          }
        }
        if (returns == 0) throw new NnftException(n.nameSpan(), Errors.noReturn(n.name()) + ".");
        globals.add(n.name());
        nets.put(n.name(), n);
      }
      else if (__s0 instanceof NetAssign n) { expr(n.value(), globals); globals.add(n.name()); }
      else if (__s0 instanceof FieldDecl f) {
        for (var t : f.types()) if (t.dim() != null) expr(t.dim(), globals);
        globals.add(f.name());
        globals.addAll(f.vars());
      }
      else if (__s0 instanceof ActionDecl a) { expr(a.value(), globals); globals.add(a.name()); }
      else if (__s0 instanceof GaugeDecl g) {
        if (!globals.contains(g.net())) throw new NnftException(g.netSpan(), Errors.unknownName(g.net(), globals, registry));
        if (g.group().dim() != null) expr(g.group().dim(), globals);
        java.util.Set<String> known = java.util.Set.of("R", "R+", "GL", "S", "signs");
        if (!known.contains(g.group().kind())) {
          throw new NnftException(g.group().span(), "a gauge group is R+^n, R^n, GL(n), S(n) or S_n, or {±1}^n, not " + g.group().kind() + ".");
        }
        NetDecl nd = nets.get(g.net());
        Set<String> scope = new LinkedHashSet<>(globals);
        scope.add(g.element());
        Set<String> params = new LinkedHashSet<>();
        if (nd != null) {
          for (NetItem it : nd.items()) if (it instanceof ParamItem p) params.add(p.name());
        }
        for (GaugeRule r : g.rules()) {
          if (nd != null && !params.contains(r.param())) {
            throw new NnftException(r.paramSpan(), Errors.noParameter(g.net(), r.param(), params));
          }
          params.add(r.param());
        }
        scope.addAll(params);
        if (nd != null) for (GaugeRule r : g.rules()) expr(r.value(), scope);
        globals.add(g.name());
      }
      else if (__s0 instanceof Show sh) { expr(sh.value(), globals); }
      else if (__s0 instanceof Expect e) {
        expr(e.left(), globals);
        if (e.right() != null) {
          expr(e.right(), globals);
          expr(e.tolerance(), globals);
          if (e.unit() != null && !e.unit().equals("sigma") && !e.unit().equals("σ")) {
            throw new NnftException(e.unitSpan(), "after 'within' comes a tolerance such as 1e-3, or a number of standard errors such as 4 sigma; '" + e.unit() + "' is not a unit.");
          }
        }
      }
      else if (__s0 instanceof Plot p) {
        expr(p.value(), globals);
        if (p.over() != null) expr(p.over(), globals);
        expr(p.target(), globals);
        plotOptions(p);
      }
      else if (__s0 instanceof Export x) { expr(x.value(), globals); expr(x.target(), globals); }
      else if (__s0 instanceof ExprStmt x) { expr(x.value(), globals); }
    }
  }

  /**
   * plot's options: known names, each once, and literals of the right kind (a string where a string
   * goes, [w, h] in range, one of the words of log and errors); the rest is checked by the type
   * checker and the run.
   */
  private void plotOptions(Plot p) {
    for (Expr misplaced : java.util.Arrays.asList(p.value(), p.over())) {
      if (misplaced instanceof With w && PlotOptions.NAMES.contains(w.bindings().get(0).name())) {
        throw new NnftException(w.bindings().get(0).span(), PlotOptions.optionsLast() + ".");
      }
    }
    Set<String> seen = new java.util.HashSet<>();
    for (Binding o : p.options()) {
      String name = o.name();
      if (!PlotOptions.NAMES.contains(name)) throw new NnftException(o.span(), PlotOptions.unknown(name));
      if (!seen.add(name)) throw new NnftException(o.span(), PlotOptions.twice(name) + ".");
      expr(o.value(), globals);
      Expr v = o.value();
      String found = literalKind(v);
      if (PlotOptions.takesString(name)) {
        if (found != null && !(v instanceof Str)) throw new NnftException(v.span(), PlotOptions.wrongKind(name, found) + ".");
        if (v instanceof Str s && (name.equals("log") || name.equals("errors"))) {
          String bad = PlotOptions.badWord(name, s.value());
          if (bad != null) throw new NnftException(v.span(), bad + ".");
        }
      } else if (name.equals("labels")) {
        if (found != null && !(v instanceof ListLit)) throw new NnftException(v.span(), PlotOptions.wrongKind(name, found) + ".");
        if (v instanceof ListLit l) {
          for (Expr item : l.items()) {
            String k = literalKind(item);
            if (k != null && !(item instanceof Str)) throw new NnftException(item.span(), PlotOptions.wrongKind(name, "a list with " + k + " in it") + ".");
          }
        }
      } else if (name.equals("size")) {
        if (found != null && !(v instanceof ListLit)) throw new NnftException(v.span(), PlotOptions.wrongKind(name, found) + ".");
        if (v instanceof ListLit l) {
          if (l.items().size() != 2) throw new NnftException(v.span(), PlotOptions.wrongKind(name, "a list of " + l.items().size()) + ".");
          Double w = number(l.items().get(0)), h = number(l.items().get(1));
          if (w != null && h != null && PlotOptions.badSize(w, h) != null) throw new NnftException(v.span(), PlotOptions.badSize(w, h) + ".");
        }
      } else if (name.equals("dpi")) {
        if (found != null && number(v) == null) throw new NnftException(v.span(), PlotOptions.wrongKind(name, found) + ".");
        Double d = number(v);
        if (d != null && PlotOptions.badDpi(d) != null) throw new NnftException(v.span(), PlotOptions.badDpi(d) + ".");
      }
    }
  }

  /** What a literal is, for a sentence ("a string", "a number", "a list of 2", "true"), or null for other expressions. */
  private static String literalKind(Expr e) {
    if (e instanceof Str) return "a string";
    if (number(e) != null) return "the number " + org.nnft.report.Format.num(number(e));
    if (e instanceof ListLit l) return "a list of " + l.items().size();
    if (e instanceof Bool b) return String.valueOf(b.value());
    return null;
  }

  /** A number literal, possibly negated; null for anything else. */
  private static Double number(Expr e) {
    if (e instanceof Num n) return n.value();
    if (e instanceof Unary u && u.op() == UnOp.NEG && u.operand() instanceof Num n) return -n.value();
    return null;
  }

  private static void dup(Set<String> declared, String name, Span s) {
    if (!declared.add(name)) throw new NnftException(s, Errors.declaredTwice(name, "this net") + ".");
  }

  /** Every name must be known where it stands, and every call of a built-in must fit its signature. */
  private void expr(Expr e, Set<String> scope) {
    org.nnft.syntax.Scoping.walk(e, scope, (f, arg) -> { Signature sig = f == null || arg == null ? null : registry.signature(f); return sig == null ? java.util.List.of() : sig.binds(arg); }, new org.nnft.syntax.Scoping.Visitor() {
      @Override public void name(Name n, Set<String> local) {
        if (!local.contains(n.name()) && !registry.isBuiltin(n.name())) throw new NnftException(n.span(), Errors.unknownName(n.name(), local, registry));
      }

      @Override public void call(Call c, Set<String> local, java.util.List<Comprehension> around) {
        String f = c.calleeName();
        if (f != null && !local.contains(f)) checkCall(f, c);
      }
    });
  }

  /** Argument counts and named arguments of a call to a built-in, against its signature. */
  private void checkCall(String f, Call c) {
    Signature b = registry.signature(f);
    if (b == null) return;
    int pos = 0;
    java.util.List<String> named = b.namedNames();
    for (Arg a : c.args()) {
      if (a.name() == null) pos++;
      else if (!named.contains(a.name()) && !b.anyNamed()) {
        throw new NnftException(a.span(), Errors.notAnArgument(a.name(), f, named));
      }
    }
    for (Arg a : c.args()) {
      if (a.name() == null && a.value() instanceof With w) {
        for (Binding bd : w.bindings()) {
          if (named.contains(bd.name())) {
            throw new NnftException(bd.span(), "'" + bd.name() + " = ...' was read as part of 'with'; put the net and its 'with' in parentheses, as in " + f + "((net with ...), " + bd.name() + " = ...).");
          }
        }
      }
    }
    if (pos < b.minPositional() || pos > b.maxPositional()) {
      throw new NnftException(c.span(), Errors.argumentCount(f, b.minPositional(), b.maxPositional(), pos, b.usage()) + ".");
    }
  }

  /** "x is not declared (did you mean ...?)" with the nearest known name. */
}
