package org.nnft.nets;

import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import static org.nnft.runtime.Builtins.num;

import java.util.Set;
import org.nnft.model.Density;
import org.nnft.nets.DensityV;
import org.nnft.report.Format;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** normal, uniform, cauchy, laplace, rademacher, uniform_ball, exponential, fixed. */
public final class Densities {
  private Densities() {}

  static void register(Registry lib) {
    density(lib, "normal", "normal(mean, sd)", "the normal density", "mean", "sd");
    density(lib, "uniform", "uniform(lo, hi)", "the uniform density on [lo, hi]", "lo", "hi");
    density(lib, "cauchy", "cauchy(loc, scale)", "the Cauchy density", "loc", "scale");
    density(lib, "laplace", "laplace(loc, scale)", "the Laplace density", "loc", "scale");
    density(lib, "rademacher", "rademacher()", "+1 or -1 with equal probability");
    density(lib, "exponential", "exponential(rate)", "the exponential density", "rate");
    density(lib, "uniform_ball", "uniform_ball(radius)", "each row of an [N, d] parameter uniform in the d-ball", "radius");
    density(lib, "fixed", "fixed(value)", "always the same value", "value");
    density(lib, "flat", "flat()", "the improper flat density, for parameters weighed only by an action (mcmc)");
  }

  /**
   * One density built-in: its numeric parameters, checked by {@link #make} before the run when
   * they are constants (the checker calls it as the signature's verifier) and again when it runs.
   */
  private static void density(Registry lib, String name, String usage, String does, String... params) {
    Builtin.Builder b = Builtin.fn(name, usage);
    for (String p : params) b.arg(p, ArgType.NUMBER);
    lib.add(b.returns(ArgType.DENSITY).does(does).verify((v, spans, call) -> make(name, v, spans, call)).impl((s, a, n) -> {
      double[] v = new double[a.size()];
      java.util.List<Span> spans = new java.util.ArrayList<>();
      for (int i = 0; i < v.length; i++) { v[i] = num(s, a, i, name); spans.add(s.arg(i)); }
      return new DensityV(make(name, v, spans, s.span()), s.span());
    }));
  }

  /** The density of these parameters, or the positioned error of bad ones. */
  static Density make(String name, double[] v, java.util.List<Span> at, Span call) {
    switch (name) {
      case "normal" -> {
        if (!(v[1] >= 0) || Double.isInfinite(v[1])) throw new NnftException(at.get(1), "normal(mean, sd) needs a standard deviation of 0 or more, not " + Format.num(v[1]) + ".");
        finite(v, at, 0, name);
        return new Density.Normal(v[0], v[1]);
      }
      case "uniform" -> {
        finite(v, at, 0, name);
        finite(v, at, 1, name);
        if (!(v[0] < v[1])) throw new NnftException(call, "uniform(lo, hi) needs lo < hi, but " + Format.num(v[0]) + " >= " + Format.num(v[1]) + ".");
        return new Density.Uniform(v[0], v[1]);
      }
      case "cauchy", "laplace" -> {
        finite(v, at, 0, name);
        if (!(v[1] > 0) || Double.isInfinite(v[1])) throw new NnftException(at.get(1), name + "(loc, scale) needs a positive scale, not " + Format.num(v[1]) + ".");
        return name.equals("cauchy") ? new Density.Cauchy(v[0], v[1]) : new Density.Laplace(v[0], v[1]);
      }
      case "rademacher" -> { return new Density.Rademacher(); }
      case "exponential" -> {
        if (!(v[0] > 0) || Double.isInfinite(v[0])) throw new NnftException(at.get(0), "exponential(rate) needs a positive rate, not " + Format.num(v[0]) + ".");
        return new Density.Exponential(v[0]);
      }
      case "uniform_ball" -> {
        if (!(v[0] > 0) || Double.isInfinite(v[0])) throw new NnftException(at.get(0), "uniform_ball(radius) needs a positive radius, not " + Format.num(v[0]) + ".");
        return new Density.UniformBall(v[0]);
      }
      case "fixed" -> {
        finite(v, at, 0, name);
        return new Density.Fixed(v[0]);
      }
      default -> { return new Density.Flat(); }
    }
  }

  private static void finite(double[] v, java.util.List<Span> at, int i, String f) {
    if (Double.isNaN(v[i]) || Double.isInfinite(v[i])) throw new NnftException(at.get(i), f + " needs a finite number here, not " + Format.num(v[i]) + ".");
  }
}
