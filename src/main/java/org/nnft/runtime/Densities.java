package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;
import static org.nnft.runtime.Builtins.num;

import java.util.Set;
import org.nnft.model.Density;
import org.nnft.model.DensityV;
import org.nnft.syntax.NnftException;

/** normal, uniform, cauchy, laplace, rademacher, uniform_ball, exponential, fixed, flat. */
final class Densities {
  private Densities() {}

  static void register() {
    def("normal", 2, 2, Set.of(), (s, a, n) -> {
      double m = num(s, a, 0, "normal"), sd = num(s, a, 1, "normal");
      if (!(sd >= 0) || Double.isInfinite(sd)) throw new NnftException(s.arg(1), "normal(mean, sd) needs a standard deviation of 0 or more, not " + Interpreter.fmt(sd) + ".");
      finite(s, 0, m, "normal");
      return new DensityV(new Density.Normal(m, sd), s.span());
    }, "normal(mean, sd)");
    def("uniform", 2, 2, Set.of(), (s, a, n) -> {
      double lo = num(s, a, 0, "uniform"), hi = num(s, a, 1, "uniform");
      finite(s, 0, lo, "uniform");
      finite(s, 1, hi, "uniform");
      if (!(lo < hi)) throw new NnftException(s.span(), "uniform(lo, hi) needs lo < hi, but " + Interpreter.fmt(lo) + " >= " + Interpreter.fmt(hi) + ".");
      return new DensityV(new Density.Uniform(lo, hi), s.span());
    }, "uniform(lo, hi)");
    def("cauchy", 2, 2, Set.of(), (s, a, n) -> scaled(s, a, "cauchy"), "cauchy(loc, scale)");
    def("laplace", 2, 2, Set.of(), (s, a, n) -> scaled(s, a, "laplace"), "laplace(loc, scale)");
    def("rademacher", 0, 0, Set.of(), (s, a, n) -> new DensityV(new Density.Rademacher(), s.span()), "rademacher()");
    def("exponential", 1, 1, Set.of(), (s, a, n) -> {
      double r = num(s, a, 0, "exponential");
      if (!(r > 0) || Double.isInfinite(r)) throw new NnftException(s.arg(0), "exponential(rate) needs a positive rate, not " + Interpreter.fmt(r) + ".");
      return new DensityV(new Density.Exponential(r), s.span());
    }, "exponential(rate)");
    def("uniform_ball", 1, 1, Set.of(), (s, a, n) -> {
      double r = num(s, a, 0, "uniform_ball");
      if (!(r > 0) || Double.isInfinite(r)) throw new NnftException(s.arg(0), "uniform_ball(radius) needs a positive radius, not " + Interpreter.fmt(r) + ".");
      return new DensityV(new Density.UniformBall(r), s.span());
    }, "uniform_ball(radius)");
    def("fixed", 1, 1, Set.of(), (s, a, n) -> {
      double v = num(s, a, 0, "fixed");
      finite(s, 0, v, "fixed");
      return new DensityV(new Density.Fixed(v), s.span());
    }, "fixed(value)");
    def("flat", 0, 0, Set.of(), (s, a, n) -> new DensityV(new Density.Flat(), s.span()), "flat()");
  }

  private static DensityV scaled(Func.CallSite s, java.util.List<Value> a, String kind) {
    double loc = num(s, a, 0, kind), scale = num(s, a, 1, kind);
    finite(s, 0, loc, kind);
    if (!(scale > 0) || Double.isInfinite(scale)) throw new NnftException(s.arg(1), kind + "(loc, scale) needs a positive scale, not " + Interpreter.fmt(scale) + ".");
    return new DensityV(kind.equals("cauchy") ? new Density.Cauchy(loc, scale) : new Density.Laplace(loc, scale), s.span());
  }

  private static void finite(Func.CallSite s, int i, double v, String f) {
    if (Double.isNaN(v) || Double.isInfinite(v)) throw new NnftException(s.arg(i), f + " needs a finite number here, not " + Interpreter.fmt(v) + ".");
  }
}
