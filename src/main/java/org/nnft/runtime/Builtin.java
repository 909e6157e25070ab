package org.nnft.runtime;

import java.util.List;
import java.util.Map;
import org.nnft.check.ArgType;
import org.nnft.check.Signature;
import org.nnft.runtime.Values.Unknown;

/** A built-in function: a callable value, its signature and its implementation. */
public record Builtin(Signature sig, Impl impl) implements Func {
  /** The implementation: the call's place, its positional values, its named values. */
  public interface Impl {
    Value call(Func.CallSite site, List<Value> args, Map<String, Value> named);
  }

  @Override public Value call(CallSite site, List<Value> args, Map<String, Value> named) {
    for (Value v : args) if (v instanceof Unknown) return v;
    for (Value v : named.values()) if (v instanceof Unknown) return v;
    if (site.interp().planning() && sig.costly()) return Unknown.INSTANCE;
    return impl.call(site, args, named);
  }

  @Override public String name() { return sig.name(); }

  @Override public String toString() { return "built-in function " + sig.name(); }

  /** Starts a declaration: Builtin.fn("sample", "sample(net, count)").arg(...).named(...).impl(...). */
  public static Builder fn(String name, String usage) { return new Builder(Signature.fn(name, usage)); }

  /** A signature being declared, finished by its implementation. */
  public static final class Builder {
    private final Signature.Builder sig;

    Builder(Signature.Builder sig) { this.sig = sig; }

    public Builder arg(String n, ArgType t) { sig.arg(n, t); return this; }
    public Builder optional(String n, ArgType t, String dflt) { sig.optional(n, t, dflt); return this; }
    public Builder rest(String n, ArgType t, int least, int most) { sig.rest(n, t, least, most); return this; }
    public Builder named(String n, ArgType t, String dflt) { sig.named(n, t, dflt); return this; }
    public Builder binding(String n, ArgType t, String dflt, String... vars) { sig.binding(n, t, dflt, vars); return this; }
    public Builder anyNamed() { sig.anyNamed(); return this; }
    public Builder costly() { sig.costly(); return this; }
    public Builder observable() { sig.observable(); return this; }
    public Builder returns(ArgType t) { sig.returns(t); return this; }
    public Builder does(String text) { sig.does(text); return this; }
    public Builder verify(Signature.Verifier v) { sig.verify(v); return this; }
    public Builder typed(Signature.Typer t) { sig.typed(t); return this; }

    public Builtin impl(Impl impl) { return new Builtin(sig.build(), impl); }
  }
}
