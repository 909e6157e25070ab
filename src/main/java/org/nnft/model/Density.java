package org.nnft.model;

import org.nnft.numeric.Rng;
import org.nnft.numeric.Samplers;
import org.nnft.runtime.Value;
import org.nnft.syntax.Span;

/** The density of i.i.d. parameter entries: normal(mean, sd), uniform(lo, hi), ... */
public record Density(String type, double a, double b, Span span) implements Value {
  @Override public String kind() { return "a density"; }

  public boolean isCenteredNormal() { return type.equals("normal") && a == 0; }

  /** Fills n entries (rows x d for uniform_ball, where n = rows * d). */
  public void fill(Rng r, double[] dst, int off, int n, int lastDim) {
    switch (type) {
      case "normal" -> Samplers.normal(r, a, b, dst, off, n);
      case "uniform" -> Samplers.uniform(r, a, b, dst, off, n);
      case "cauchy" -> Samplers.cauchy(r, a, b, dst, off, n);
      case "laplace" -> Samplers.laplace(r, a, b, dst, off, n);
      case "exponential" -> Samplers.exponential(r, a, dst, off, n);
      case "rademacher" -> Samplers.rademacher(r, dst, off, n);
      case "fixed" -> Samplers.fixed(a, dst, off, n);
      case "uniform_ball" -> Samplers.uniformBall(r, a, lastDim, dst, off, n / lastDim);
      default -> throw new IllegalStateException(type);
    }
  }

  /** E[X^k] when known exactly (used to integrate out Gaussian output weights). */
  public double centeredNormalMoment(int k) {
    if (k % 2 == 1) return 0;
    double m = 1;
    for (int j = k - 1; j > 0; j -= 2) m *= j;
    return m * Math.pow(b, k);
  }

  @Override public String toString() {
    return switch (type) {
      case "rademacher" -> "rademacher()";
      case "exponential", "fixed", "uniform_ball" -> type + "(" + org.nnft.report.Format.num(a) + ")";
      default -> type + "(" + org.nnft.report.Format.num(a) + ", " + org.nnft.report.Format.num(b) + ")";
    };
  }
}
