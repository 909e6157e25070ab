package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.nnft.gauge.NeuralOde;
import org.nnft.gauge.OdeGauge;
import org.nnft.symbolic.ClosureCompiler;
import org.nnft.symbolic.Compiled;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;

/** node(...): neural ODEs; reparametrize(flow, h = ...): a diffeomorphism of time; invariant of flows. */
final class Nodes {
  private Nodes() {}

  /** A neural ODE (or a transformed vector field) over [0, T] in R^dim. */
  record NodeV(String name, OdeGauge.VectorField field, int dim, double time, String text) implements Value {
    @Override public String kind() { return "a neural ODE"; }
    @Override public String toString() { return text; }
    NodeV named(String n) { return new NodeV(n, field, dim, time, text); }

    public Value flowAt(double[] x0) {
      return Tensor.vector(OdeGauge.flow(field, x0, time));
    }
  }

  static void register() {
    def("node", 0, 0, Builtins.names("dim", "hidden", "act", "time", "seed"), (s, a, n) -> {
      int dim = (int) Builtins.named(s, n, "dim", 2, "node");
      int hidden = (int) Builtins.named(s, n, "hidden", 8, "node");
      double time = Builtins.named(s, n, "time", 1, "node");
      long seed = (long) Builtins.named(s, n, "seed", s.interp().session().seed(), "node");
      if (dim < 1 || hidden < 1) throw new NnftException(s.span(), "node needs dim >= 1 and hidden >= 1.");
      if (!(time > 0)) throw new NnftException(s.named("time"), "node needs a positive time.");
      String act = "tanh";
      if (n.get("act") instanceof Builtins.Builtin b) act = b.name();
      else if (n.containsKey("act")) throw new NnftException(s.named("act"), "act is tanh, relu, sigmoid or identity.");
      NeuralOde ode;
      try {
        ode = new NeuralOde(dim, hidden, NeuralOde.Activation.parse(act), time, seed);
      } catch (IllegalArgumentException e) {
        throw new NnftException(s.named("act"), "a neural ODE's act is tanh, relu, sigmoid or identity, not " + act + ".");
      }
      return new NodeV(null, ode, dim, time, ode.toString());
    }, "node(dim = 2, hidden = 8, act = tanh, time = 1)");
    def("reparametrize", 1, 1, Builtins.names("h"), (s, a, n) -> {
      if (!(a.get(0) instanceof NodeV f)) throw new NnftException(s.arg(0), "reparametrize needs a neural ODE from node(...), not " + a.get(0).kind() + ".");
      Value hv = n.get("h");
      if (hv == null) throw new NnftException(s.span(), "give the new time as h = ..., a function of t with h(0) = 0 and h(T) = T.");
      Symbolic sy = Symbolic.get();
      Object h = Builtins.symArg(hv, s.named("h"));
      Object dh = sy.apply("D(#1,#2)", h, sy.symbol("t"));
      Compiled hc = ClosureCompiler.compile(h, List.of("t")), dc = ClosureCompiler.compile(dh, List.of("t"));
      DoubleUnaryOperator hf = t -> hc.eval(new double[] {t}), df = t -> dc.eval(new double[] {t});
      OdeGauge.VectorField g;
      try {
        g = OdeGauge.reparametrize(f.field(), hf, df, f.time());
      } catch (IllegalArgumentException e) {
        throw new NnftException(s.named("h"), "h is not a diffeomorphism of [0, " + Interpreter.fmt(f.time()) + "]: " + e.getMessage().replaceAll("\\.$", "") + ".");
      }
      String name = f.name() == null ? "flow" : f.name();
      return new NodeV(null, g, f.dim(), f.time(), name + " in the time h(t) = " + sy.print(h) + " (f'(x, t) = h'(t) f(x, h(t)))");
    }, "reparametrize(flow, h = t + 0.1 * sin(pi * t))");
    def("endpoint", 2, 2, Builtins.names(), (s, a, n) -> {
      if (!(a.get(0) instanceof NodeV f)) throw new NnftException(s.arg(0), "endpoint needs a neural ODE, not " + a.get(0).kind() + ".");
      Tensor x = s.interp().tensorArg(a.get(1), s.arg(1), "flow");
      if (x.size() != f.dim()) throw new NnftException(s.arg(1), "this neural ODE lives in R^" + f.dim() + ", not " + x.kind() + ".");
      return f.flowAt(x.data.clone());
    }, "endpoint(node, x0): x(T)");
  }

  static Value invariant(NodeV f, NodeV g, long seed) {
    OdeGauge.Invariance r = OdeGauge.invariant(f.field(), g.field(), f.dim(), f.time(), 16, seed);
    Map<String, Value> out = new LinkedHashMap<>();
    out.put("holds", new Values.Bool(r.invariant()));
    out.put("verdict", new Values.Str(r.invariant() ? "holds numerically: the end-point map is unchanged to the integrator's tolerance" : "fails: the end-point map changes"));
    out.put("max_deviation", Tensor.scalar(r.maxDeviation()));
    out.put("tolerance", Tensor.scalar(r.tolerance()));
    out.put("checked", new Values.Str(r.samples() + " starting points, Dormand-Prince 8(5,3) at 1e-12"));
    return new Values.Record("invariance", out);
  }
}
