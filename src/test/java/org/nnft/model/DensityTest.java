package org.nnft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Samplers;

/** The densities: draws (the samplers' bits), log-densities against hand formulas, gradients, supports, moments, text. */
class DensityTest {
  private static final List<Density> ALL = List.of(new Density.Normal(0.5, 2), new Density.Uniform(-1, 3), new Density.Cauchy(1, 0.5),
      new Density.Laplace(-0.5, 1.5), new Density.Exponential(2), new Density.Rademacher(), new Density.Fixed(0.25),
      new Density.UniformBall(2), new Density.Flat());

  @Test
  void textIsTheLanguagesForm() {
    assertEquals(List.of("normal(0.5, 2)", "uniform(-1, 3)", "cauchy(1, 0.5)", "laplace(-0.5, 1.5)", "exponential(2)", "rademacher()",
        "fixed(0.25)", "uniform_ball(2)", "flat()"), ALL.stream().map(Object::toString).toList());
    assertEquals("normal(0, 0.1)", new Density.Normal(0, 0.1).toString());
  }

  @Test
  void drawsAreTheSamplersNumbersInTheSameOrder() {
    for (Density d : ALL) {
      if (!d.proper()) continue;
      double[] a = new double[24], b = new double[24];
      d.fill(Rng.forStream(7, 3), a, 0, 24, 3);
      Rng r = Rng.forStream(7, 3);
      switch (d.family()) {
        case "normal" -> Samplers.normal(r, 0.5, 2, b, 0, 24);
        case "uniform" -> Samplers.uniform(r, -1, 3, b, 0, 24);
        case "cauchy" -> Samplers.cauchy(r, 1, 0.5, b, 0, 24);
        case "laplace" -> Samplers.laplace(r, -0.5, 1.5, b, 0, 24);
        case "exponential" -> Samplers.exponential(r, 2, b, 0, 24);
        case "rademacher" -> Samplers.rademacher(r, b, 0, 24);
        case "fixed" -> Samplers.fixed(0.25, b, 0, 24);
        case "uniform_ball" -> Samplers.uniformBall(r, 2, 3, b, 0, 8);
        default -> throw new AssertionError(d);
      }
      assertArrayEquals(b, a, 0.0, d.toString());
      for (int i = 0; i < 24; i += d instanceof Density.UniformBall ? 3 : 1) {
        if (d instanceof Density.UniformBall) assertTrue(Math.sqrt(a[i] * a[i] + a[i + 1] * a[i + 1] + a[i + 2] * a[i + 2]) <= 2);
        else assertTrue(d.support().contains(a[i]), d + " drew " + a[i]);
      }
    }
  }

  @Test
  void logDensitiesAreTheHandFormulas() {
    double x = 0.7;
    assertEquals(-Math.log(2 * Math.sqrt(2 * Math.PI)) - 0.2 * 0.2 / 8, new Density.Normal(0.5, 2).logDensity(x), 1e-15);
    assertEquals(-Math.log(4), new Density.Uniform(-1, 3).logDensity(x), 1e-15);
    assertEquals(Double.NEGATIVE_INFINITY, new Density.Uniform(-1, 3).logDensity(3.5));
    assertEquals(Math.log(1 / (Math.PI * 0.5 * (1 + 0.6 * 0.6))), new Density.Cauchy(1, 0.5).logDensity(x), 1e-15);
    assertEquals(Math.log(Math.exp(-1.2 / 1.5) / 3), new Density.Laplace(-0.5, 1.5).logDensity(x), 1e-15);
    assertEquals(Math.log(2 * Math.exp(-1.4)), new Density.Exponential(2).logDensity(x), 1e-15);
    assertEquals(Double.NEGATIVE_INFINITY, new Density.Exponential(2).logDensity(-0.1));
    assertEquals(Math.log(0.5), new Density.Rademacher().logDensity(-1), 0);
    assertEquals(Double.NEGATIVE_INFINITY, new Density.Rademacher().logDensity(x));
    assertEquals(0, new Density.Fixed(0.25).logDensity(0.25), 0);
    assertEquals(Double.NEGATIVE_INFINITY, new Density.Fixed(0.25).logDensity(x));
    assertEquals(0, new Density.Flat().logDensity(1e6), 0);
    // the ball: 1 / volume per row; volumes pi r^2 (d = 2) and 4/3 pi r^3 (d = 3)
    Density ball = new Density.UniformBall(2);
    assertEquals(-2 * Math.log(4 * Math.PI), ball.logDensity(new double[] {0.1, 0.2, -1, 0.5}, 0, 4, 2), 1e-14);
    assertEquals(-Math.log(4.0 / 3 * Math.PI * 8), ball.logDensity(new double[] {0.1, 0.2, -1}, 0, 3, 3), 1e-14);
    assertEquals(Double.NEGATIVE_INFINITY, ball.logDensity(new double[] {2, 0.1}, 0, 2, 2));
    // a vector of entries is the sum
    Density n = new Density.Normal(0.5, 2);
    assertEquals(n.logDensity(0.1) + n.logDensity(-3), n.logDensity(new double[] {9, 0.1, -3}, 1, 2, 1), 1e-15);
  }

  @Test
  void gradientsMatchDifferencesOfTheLogDensity() {
    double h = 1e-6;
    for (Density d : List.of(new Density.Normal(0.5, 2), new Density.Cauchy(1, 0.5), new Density.Laplace(-0.5, 1.5), new Density.Exponential(2),
        new Density.Uniform(-1, 3), new Density.Flat())) {
      for (double x : new double[] {-0.8, 0.3, 1.7, 2.9}) {
        if (!d.support().contains(x - h) || !d.support().contains(x + h)) continue;
        double fd = (d.logDensity(x + h) - d.logDensity(x - h)) / (2 * h);
        assertEquals(fd, d.gradLogDensity(x), 1e-7, d + " at " + x);
      }
      double[] xs = {0.3, 1.7}, g = {1, 1};
      d.addGradLogDensity(xs, 0, 2, 1, g, 0);
      assertEquals(1 + d.gradLogDensity(0.3), g[0], 0);
      assertEquals(1 + d.gradLogDensity(1.7), g[1], 0);
    }
    assertEquals(-(0.7 - 0.5) / 4, new Density.Normal(0.5, 2).gradLogDensity(0.7), 1e-16);
  }

  @Test
  void supportsAndMoments() {
    assertEquals(Density.Support.Kind.REAL, new Density.Normal(0, 1).support().kind());
    assertEquals(Density.Support.Kind.POINTS, new Density.Normal(3, 0).support().kind());
    assertEquals(0, new Density.Exponential(2).support().lo());
    assertEquals(Double.POSITIVE_INFINITY, new Density.Exponential(2).support().hi());
    assertEquals(2, new Density.UniformBall(2).support().hi());
    assertEquals(0.5, new Density.Normal(0.5, 2).mean(), 1e-15);
    assertEquals(4, new Density.Normal(0.5, 2).variance(), 1e-14);
    assertEquals(3 * 16, new Density.Normal(0, 2).rawMoment(4), 0);
    assertEquals(Math.pow(0.5, 4) + 6 * 0.25 * 4 + 3 * 16, new Density.Normal(0.5, 2).rawMoment(4), 1e-12);
    assertEquals(1, new Density.Uniform(-1, 3).mean(), 1e-15);
    assertEquals(16.0 / 12, new Density.Uniform(-1, 3).variance(), 1e-14);
    assertEquals(2 * 1.5 * 1.5, new Density.Laplace(-0.5, 1.5).variance(), 1e-14);
    assertEquals(0.5, new Density.Exponential(2).mean(), 1e-15);
    assertEquals(0.25, new Density.Exponential(2).variance(), 1e-15);
    assertTrue(Double.isNaN(new Density.Cauchy(0, 1).mean()));
    assertTrue(Double.isNaN(new Density.Flat().variance()));
    assertEquals(1, new Density.Rademacher().variance(), 0);
    assertEquals(0, new Density.Fixed(0.25).variance(), 0);
    assertTrue(new Density.Normal(0, 3).isCenteredNormal());
    assertFalse(new Density.Normal(1, 3).isCenteredNormal());
  }

  @Test
  void flatIsImproperAndSaysSo() {
    Density f = new Density.Flat();
    assertFalse(f.proper());
    Density.Improper e = assertThrows(Density.Improper.class, () -> f.fill(Rng.forStream(1, 1), new double[3], 0, 3, 1));
    assertTrue(e.getMessage().contains("improper"), e.getMessage());
  }

  @Test
  void densitiesSerialize() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) { o.writeObject(ALL.toArray(new Density[0])); }
    Density[] back = (Density[]) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    assertEquals(ALL, List.of(back));
  }

  @Test
  void aNetsLogDensityIsTheSumOverItsParameters() {
    org.nnft.numeric.Tape t = org.nnft.numeric.HandTapes.cosnet(3);
    List<Density> d = List.of(new Density.Normal(0, 1), new Density.Uniform(-Math.PI, Math.PI), new Density.Cauchy(0, 0.5), new Density.Flat());
    List<CompiledNet.Param> ps = new java.util.ArrayList<>();
    for (int k = 0; k < 4; k++) {
      org.nnft.numeric.Tape.Node n = t.node(t.parameterNode(k));
      ps.add(new CompiledNet.Param("p" + k, t.parameterNode(k), n.shape, d.get(k)));
    }
    CompiledNet net = new CompiledNet("c", t, ps, 1, 1);
    double[] theta = {0.1, -0.4, 1.2, 0.5, -2, 3, 0.3, -0.7, 2.5, 42};
    double expect = 0;
    for (int i = 0; i < 3; i++) expect += d.get(0).logDensity(theta[i]) + d.get(1).logDensity(theta[3 + i]) + d.get(2).logDensity(theta[6 + i]);
    double[] g = new double[10];
    assertEquals(expect, net.logDensity(theta, g), 1e-13);
    double h = 1e-6;
    for (int j = 0; j < 10; j++) {
      double[] tp = theta.clone(), tm = theta.clone();
      tp[j] += h;
      tm[j] -= h;
      assertEquals((net.logDensity(tp, null) - net.logDensity(tm, null)) / (2 * h), g[j], 1e-7, "parameter entry " + j);
    }
  }
}
