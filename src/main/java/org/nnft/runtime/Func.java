package org.nnft.runtime;

import java.util.List;
import java.util.Map;
import org.nnft.syntax.Span;

/** A callable value: a built-in function, a kernel, a compiled expression. */
public interface Func extends Value {
  Value call(CallSite site, List<Value> args, Map<String, Value> named);

  String name();

  @Override default String kind() { return "a function"; }

  @Override default org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.FUNCTION); }

  /** Where a call happens, for errors: the whole call and each argument. */
  record CallSite(Span span, List<Span> argSpans, Map<String, Span> namedSpans, Interpreter interp) {
    public Span arg(int i) { return i < argSpans.size() ? argSpans.get(i) : span; }
    public Span named(String n) { Span s = namedSpans.get(n); return s == null ? span : s; }
  }
}
