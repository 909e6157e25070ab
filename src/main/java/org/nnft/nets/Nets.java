package org.nnft.nets;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import org.nnft.check.SType;
import org.nnft.check.StaticCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.model.Density;
import org.nnft.nets.DensityV;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** Built-in architectures: mlp(...). */
public final class Nets {
  private Nets() {}

  static void register(Registry lib) {
    lib.add(Builtin.fn("mlp", "mlp(in = 2, widths = [5, 5], out = 1, act = relu, weights = normal(0, 1), biases = normal(0, 0.1))").named("in", ArgType.INTEGER, "1").named("widths", ArgType.VECTOR, null).named("out", ArgType.INTEGER, "1").named("act", ArgType.FUNCTION, "relu").named("weights", ArgType.DENSITY, "normal(0, 1)").named("biases", ArgType.ANY, "normal(0, 0.1); \"none\" for no biases").returns(ArgType.NET).does("a feed-forward net, weights scaled by 1/sqrt(fan-in)").typed(c -> new SType.NetT("mlp", null, java.util.Map.of(), c.named().containsKey("in") ? StaticCall.whole(c.named().get("in")) : Integer.valueOf(1), false)).impl(Nets::mlp));
  }

  private static Value mlp(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Interpreter in = s.interp();
    int din = Builtins.namedSize(s, n, "in", 1, "mlp");
    int dout = Builtins.namedSize(s, n, "out", 1, "mlp");
    if (din < 1) throw new NnftException(s.named("in"), "mlp needs in >= 1.");
    if (dout < 1) throw new NnftException(s.named("out"), "mlp needs out >= 1.");
    int[] widths;
    Value wv = n.get("widths");
    if (wv == null) widths = new int[] {8};
    else {
      Tensor t = in.tensorArg(wv, s.named("widths"), "widths");
      widths = new int[t.size()];
      for (int i = 0; i < widths.length; i++) {
        widths[i] = org.nnft.runtime.Sizes.count(t.data[i], s.named("widths"), "a width");
        if (widths[i] < 1) throw new NnftException(s.named("widths"), "every width must be at least 1.");
      }
    }
    String act = "relu";
    Value av = n.get("act");
    if (av != null) {
      if (!(av instanceof Builtin b) || !Builtins.ELEMENTWISE.contains(b.name())) {
        throw new NnftException(s.named("act"), "act takes an element-wise function such as relu, tanh or erf.");
      }
      act = b.name();
    }
    DensityV w = density(n.get("weights"), s.named("weights"), new DensityV(new Density.Normal(0, 1), s.span()));
    DensityV b = n.containsKey("biases") ? density(n.get("biases"), s.named("biases"), null) : new DensityV(new Density.Normal(0, 0.1), s.span());
    Span sp = s.span();
    Map<String, Value> ov = new LinkedHashMap<>();
    List<NetItem> items = new ArrayList<>();
    Expr h = new Name("x", sp);
    int fan = din;
    int layers = widths.length;
    for (int l = 0; l <= layers; l++) {
      boolean last = l == layers;
      int width = last ? dout : widths[l];
      String W = "W" + (l + 1), B = "b" + (l + 1);
      String wd = "__w" + (l + 1), bd = "__b" + (l + 1);
      ov.put(wd, scale(w, fan));
      if (b != null) ov.put(bd, b);
      Expr pre;
      if (last && dout == 1) {
        items.add(new ParamItem("v", List.of(num(fan, sp)), new Name(wd, sp), sp, sp));
        pre = new Call(new Name("dot", sp), List.of(new Arg(null, new Name("v", sp), sp), new Arg(null, h, sp)), sp);
        if (b != null) {
          items.add(new ParamItem("c", List.of(), new Name(bd, sp), sp, sp));
          pre = new Binary(BinOp.ADD, pre, new Name("c", sp), sp);
        }
      } else {
        items.add(new ParamItem(W, List.of(num(width, sp), num(fan, sp)), new Name(wd, sp), sp, sp));
        pre = new Binary(BinOp.MATMUL, new Name(W, sp), h, sp);
        if (b != null) {
          items.add(new ParamItem(B, List.of(num(width, sp)), new Name(bd, sp), sp, sp));
          pre = new Binary(BinOp.ADD, pre, new Name(B, sp), sp);
        }
      }
      h = last ? pre : new Call(new Name(act, sp), List.of(new Arg(null, pre, sp)), sp);
      fan = width;
    }
    items.add(new ReturnItem(h, sp));
    Type tin = new Type("R", num(din, sp), sp);
    Type tout = dout == 1 ? null : new Type("R", num(dout, sp), sp);
    NetDecl decl = new NetDecl("mlp", "x", tin, tout, List.copyOf(items), sp, sp);
    return new NetV("mlp", decl, ov);
  }

  private static Num num(int v, Span s) { return new Num(v, Integer.toString(v), s); }

  private static DensityV density(Value v, Span s, DensityV dflt) {
    if (v == null) return dflt;
    if (v instanceof DensityV d) return d;
    if (v instanceof Values.Str str && str.value().equals("none")) return null;
    throw new NnftException(s, "this needs a density such as normal(0, 1), not " + v.kind() + ".");
  }

  /** Weights scaled by 1/sqrt(fan_in). */
  private static DensityV scale(DensityV v, int fan) {
    double f = 1 / Math.sqrt(fan);
    Density d = v.density();
    Density s;
    if (d instanceof Density.Normal n) s = new Density.Normal(n.mean() * f, n.sd() * f);
    else if (d instanceof Density.Cauchy c) s = new Density.Cauchy(c.loc() * f, c.scale() * f);
    else if (d instanceof Density.Laplace l) s = new Density.Laplace(l.loc() * f, l.scale() * f);
    else if (d instanceof Density.Uniform u) s = new Density.Uniform(u.lo() * f, u.hi() * f);
    else if (d instanceof Density.Fixed x) s = new Density.Fixed(x.value() * f);
    else return v;
    return new DensityV(s, v.span());
  }
}
