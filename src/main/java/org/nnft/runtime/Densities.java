package org.nnft.runtime;

import static org.nnft.runtime.Builtins.num;

import java.util.Set;
import org.nnft.model.Density;
import org.nnft.model.DensityV;
import org.nnft.syntax.NnftException;

/** normal, uniform, cauchy, laplace, rademacher, uniform_ball, exponential, fixed. */
final class Densities {
  private Densities() {}

  static void register(Registry lib) {
    lib.add(Signature.fn("normal", "normal(mean, sd)").arg("mean", ArgType.NUMBER).arg("sd", ArgType.NUMBER).returns(ArgType.DENSITY).does("the normal density").impl((s, a, n) -> {
      double m = num(s, a, 0, "normal"), sd = num(s, a, 1, "normal");
      if (!(sd >= 0) || Double.isInfinite(sd)) throw new NnftException(s.arg(1), "normal(mean, sd) needs a standard deviation of 0 or more, not " + Interpreter.fmt(sd) + ".");
      finite(s, 0, m, "normal");
      return new DensityV(new Density.Normal(m, sd), s.span());
    }));
    lib.add(Signature.fn("uniform", "uniform(lo, hi)").arg("lo", ArgType.NUMBER).arg("hi", ArgType.NUMBER).returns(ArgType.DENSITY).does("the uniform density on [lo, hi]").impl((s, a, n) -> {
      double lo = num(s, a, 0, "uniform"), hi = num(s, a, 1, "uniform");
      finite(s, 0, lo, "uniform");
      finite(s, 1, hi, "uniform");
      if (!(lo < hi)) throw new NnftException(s.span(), "uniform(lo, hi) needs lo < hi, but " + Interpreter.fmt(lo) + " >= " + Interpreter.fmt(hi) + ".");
      return new DensityV(new Density.Uniform(lo, hi), s.span());
    }));
    lib.add(Signature.fn("cauchy", "cauchy(loc, scale)").arg("loc", ArgType.NUMBER).arg("scale", ArgType.NUMBER).returns(ArgType.DENSITY).does("the Cauchy density").impl((s, a, n) -> scaled(s, a, "cauchy")));
    lib.add(Signature.fn("laplace", "laplace(loc, scale)").arg("loc", ArgType.NUMBER).arg("scale", ArgType.NUMBER).returns(ArgType.DENSITY).does("the Laplace density").impl((s, a, n) -> scaled(s, a, "laplace")));
    lib.add(Signature.fn("rademacher", "rademacher()").returns(ArgType.DENSITY).does("+1 or -1 with equal probability").impl((s, a, n) -> new DensityV(new Density.Rademacher(), s.span())));
    lib.add(Signature.fn("exponential", "exponential(rate)").arg("rate", ArgType.NUMBER).returns(ArgType.DENSITY).does("the exponential density").impl((s, a, n) -> {
      double r = num(s, a, 0, "exponential");
      if (!(r > 0) || Double.isInfinite(r)) throw new NnftException(s.arg(0), "exponential(rate) needs a positive rate, not " + Interpreter.fmt(r) + ".");
      return new DensityV(new Density.Exponential(r), s.span());
    }));
    lib.add(Signature.fn("uniform_ball", "uniform_ball(radius)").arg("radius", ArgType.NUMBER).returns(ArgType.DENSITY).does("each row of an [N, d] parameter uniform in the d-ball").impl((s, a, n) -> {
      double r = num(s, a, 0, "uniform_ball");
      if (!(r > 0) || Double.isInfinite(r)) throw new NnftException(s.arg(0), "uniform_ball(radius) needs a positive radius, not " + Interpreter.fmt(r) + ".");
      return new DensityV(new Density.UniformBall(r), s.span());
    }));
    lib.add(Signature.fn("fixed", "fixed(value)").arg("value", ArgType.NUMBER).returns(ArgType.DENSITY).does("always the same value").impl((s, a, n) -> {
      double v = num(s, a, 0, "fixed");
      finite(s, 0, v, "fixed");
      return new DensityV(new Density.Fixed(v), s.span());
    }));
    lib.add(Signature.fn("flat", "flat()").returns(ArgType.DENSITY).does("the improper flat density, for parameters weighed only by an action (mcmc)").impl((s, a, n) -> new DensityV(new Density.Flat(), s.span())));
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
