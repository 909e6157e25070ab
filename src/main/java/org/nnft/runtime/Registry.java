package org.nnft.runtime;

import org.nnft.check.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The built-in functions and constants a session knows, each function with its {@link Signature}.
 * Every session has its own (a copy of the standard library), so an embedder can install a subset
 * with {@link #only}.
 */
public final class Registry implements org.nnft.check.Signatures {
  /** A group of built-ins that registers itself: one per feature. */
  public interface Library {
    void register(Registry r);
  }

  /**
   * A statement a feature gives meaning to (field and gauge declarations): run by the interpreter
   * outside planning, with the statement and the interpreter's bindings.
   */
  public interface Declaration {
    Value execute(Interpreter in, org.nnft.syntax.Ast.Stmt s);
  }

  private final Map<String, Builtin> functions = new LinkedHashMap<>();
  private final Map<Class<?>, Declaration> declarations = new LinkedHashMap<>();
  private final Map<String, Value> constants = new LinkedHashMap<>();

  private static final Registry STANDARD = new Registry();

  static {
    Builtins.registerStandard(STANDARD);
  }

  /** A fresh copy of the standard library. */
  public static Registry standard() { return STANDARD.copy(); }

  /** The standard library itself, for code that runs outside a session. */
  static Registry shared() { return STANDARD; }

  public void add(Builtin b) {
    if (functions.containsKey(b.name())) throw new IllegalStateException("built-in " + b.name() + " declared twice");
    functions.put(b.name(), b);
  }

  public void constant(String name, Value v) { constants.put(name, v); }

  /** Gives a kind of statement its meaning. */
  public void declaration(Class<? extends org.nnft.syntax.Ast.Stmt> kind, Declaration d) { declarations.put(kind, d); }

  /** What runs a kind of statement, or null when no library gave it one. */
  public Declaration declaration(Class<?> kind) { return declarations.get(kind); }

  /** A built-in function or constant, or null. */
  public Value lookup(String name) {
    Value c = constants.get(name);
    return c != null ? c : functions.get(name);
  }

  @Override public Double constant(String name) {
    return constants.get(name) instanceof Tensor t && t.isScalar() ? t.value() : null;
  }

  @Override public Signature signature(String name) {
    Builtin b = functions.get(name);
    return b == null ? null : b.sig();
  }

  @Override public boolean isConstant(String name) { return constants.containsKey(name); }

  /** Every name, sorted. */
  @Override public Set<String> names() {
    Set<String> s = new TreeSet<>(functions.keySet());
    s.addAll(constants.keySet());
    return s;
  }

  public Collection<Signature> signatures() {
    return functions.values().stream().map(Builtin::sig).toList();
  }

  public Registry copy() {
    Registry r = new Registry();
    r.functions.putAll(functions);
    r.constants.putAll(constants);
    r.declarations.putAll(declarations);
    return r;
  }

  /** The same registry with only the functions whose names pass (constants stay). */
  public Registry only(Predicate<String> keep) {
    Registry r = new Registry();
    functions.forEach((k, v) -> { if (keep.test(k)) r.functions.put(k, v); });
    r.constants.putAll(constants);
    r.declarations.putAll(declarations);
    return r;
  }
}
