package org.nnft.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** A scope of bindings with an optional parent. */
public final class Env {
  private final Map<String, Value> vars = new LinkedHashMap<>();
  private final Env parent;

  public Env(Env parent) { this.parent = parent; }

  public Value lookup(String name) {
    for (Env e = this; e != null; e = e.parent) {
      Value v = e.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  public void define(String name, Value v) { vars.put(name, v); }
  public Map<String, Value> local() { return vars; }
  public Env parent() { return parent; }

  public java.util.Set<String> allNames() {
    java.util.Set<String> s = new java.util.LinkedHashSet<>();
    for (Env e = this; e != null; e = e.parent) s.addAll(e.vars.keySet());
    return s;
  }
}
