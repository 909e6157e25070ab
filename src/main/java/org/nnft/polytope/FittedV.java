package org.nnft.polytope;

import java.util.List;
import java.util.Map;
import org.nnft.model.CompiledNet;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Reverse;
import org.nnft.runtime.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * A net trained by fit(...): the declared net lowered once, with its parameters fixed at the
 * trained values θ. Called at a point it is a number; called at a matrix of points (one per row),
 * a vector. Its loss curve and the units that died are part of it.
 */
public record FittedV(String name, NetV net, CompiledNet compiled, double[] theta, double[] losses,
    int deadUnits, int alwaysOn, int units, String optimizer, long seed, int dataCount) implements Func, Members, JsonValue {

  @Override public String kind() { return "a fitted net"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.FITTED); }

  /** The offset in {@link #theta} of the parameter at tape node {@code node}, or -1. */
  public int offset(int node) {
    int o = 0;
    for (CompiledNet.Param q : compiled.params) {
      if (q.node() == node) return o;
      o += q.size();
    }
    return -1;
  }

  /** The same trained net with other parameters (a point of its gauge orbit, say). */
  public FittedV withTheta(double[] t) {
    return new FittedV(name, net, compiled, t.clone(), losses, deadUnits, alwaysOn, units, optimizer, seed, dataCount);
  }

  public int inDim() { return compiled.inDim; }

  /** f at the points xs (point after point). */
  public double[] values(double[] xs, int points) {
    Forward f = new Forward(compiled.tape, points, Forward.Mode.SCALAR);
    f.setParameters(theta, 0);
    double[] out = new double[points];
    f.eval(xs, out);
    return out;
  }

  /** f and its gradient in x at the points xs; returns f, fills grad (points × d). */
  public double[] valuesAndGradients(double[] xs, int points, double[] grad) {
    Reverse r = new Reverse(compiled.tape, points);
    r.setParameters(theta);
    double[] seed = new double[points];
    java.util.Arrays.fill(seed, 1.0);
    double[] gt = new double[theta.length];
    double[] out = r.gradient(xs, seed, gt, grad);
    return out.clone();
  }

  @Override public Value call(CallSite site, List<Value> args, Map<String, Value> named) {
    if (args.size() != 1 || !named.isEmpty()) throw new NnftException(site.span(), "a fitted net takes one point, " + name + "(x), or a matrix with one point per row.");
    Tensor t = site.interp().tensorArg(args.get(0), site.arg(0), "a fitted net");
    int d = inDim();
    if (t.rank() <= 1 && t.size() == d) return Tensor.scalar(values(t.data, 1)[0]);
    if (t.rank() == 2 && t.shape[1] == d) {
      int n = t.shape[0];
      return Tensor.vector(values(t.data, n));
    }
    throw new NnftException(site.arg(0), name + " takes points of R^" + d + " (a vector of " + d + ", or a matrix with " + d + " columns), not " + t.kind() + ".");
  }

  @Override public Value member(String m, Span span) {
    return switch (m) {
      case "loss" -> Tensor.scalar(losses[losses.length - 1]);
      case "losses" -> Tensor.vector(losses.clone());
      case "dead_units" -> Tensor.scalar(deadUnits);
      case "always_on_units" -> Tensor.scalar(alwaysOn);
      case "units" -> Tensor.scalar(units);
      case "params" -> Tensor.vector(theta.clone());
      case "steps" -> Tensor.scalar(losses.length - 1);
      case "seed" -> Tensor.scalar(seed);
      case "net" -> net;
      default -> throw new NnftException(span, "a fitted net has loss, losses, dead_units, always_on_units, units, params, steps, seed and net, not '" + m + "'.");
    };
  }

  @Override public Object json() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("type", "fitted net");
    m.put("net", name);
    m.put("optimizer", optimizer);
    m.put("seed", seed);
    m.put("data_count", dataCount);
    m.put("loss", losses[losses.length - 1]);
    m.put("losses", losses.clone());
    m.put("dead_units", deadUnits);
    m.put("always_on_units", alwaysOn);
    m.put("units", units);
    java.util.Map<String, Object> ps = new java.util.LinkedHashMap<>();
    for (int k = 0; k < compiled.params.size(); k++) {
      CompiledNet.Param p = compiled.params.get(k);
      int off = compiled.tape.parameterOffset(k);
      ps.put(p.name(), java.util.Arrays.copyOfRange(theta, off, off + p.size()));
    }
    m.put("params", ps);
    return m;
  }

  @Override public String toString() {
    return "fitted net " + name + ": " + compiled.parameterCount() + " parameters, " + optimizer + ", "
        + (losses.length - 1) + " steps on " + dataCount + " points, seed " + seed + "; loss " + Interpreter.fmt(losses[0])
        + " -> " + Interpreter.fmt(losses[losses.length - 1]) + (units > 0 ? "; dead ReLU units " + deadUnits + " of " + units + (alwaysOn > 0 ? ", always on " + alwaysOn : "") : "");
  }
}
