package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sampler's evaluator takes cos(w t + b) and sin(w t + b) at shifted points by rotations and
 * runs its per-point nodes in cache-sized blocks of points: its values must agree with the
 * interpreter's arithmetic (element by element with Math.cos, all points at once) at every point,
 * for grids, composite quadrature nodes, scattered points and mixtures, at widths that make one
 * block or many.
 */
class ForwardRotationTest {
  /** s · cos(p t + b) (or sin) summed, with p t + b in either operand order. */
  static Tape cosNet(int n, String fn, boolean inputFirst) {
    Tape.Builder t = new Tape.Builder();
    int x = t.input(1);
    int p = t.param(0, new int[] {n}), b = t.param(1, new int[] {n}), s = t.param(2, new int[] {n});
    int pt = inputFirst ? t.binary("*", x, p) : t.binary("*", p, x);
    int pre = inputFirst ? t.binary("+", b, pt) : t.binary("+", pt, b);
    int h = t.unary(fn, pre);
    int out = t.add(Tape.Kind.DOT, new int[] {s, h}, new int[0]);
    return t.output(out).build();
  }

  static double[] composite(double a, double b, int panels, int order) {
    double[] x = new double[panels * order];
    double[] nodes = new double[order];
    for (int i = 0; i < order; i++) nodes[i] = Math.cos(Math.PI * (i + 0.5) / order); // any fixed nodes in (-1, 1)
    double h = (b - a) / panels;
    for (int p = 0; p < panels; p++) for (int i = 0; i < order; i++) x[p * order + i] = a + (p + 0.5) * h + 0.5 * h * nodes[i];
    return x;
  }

  void agree(Tape tape, double[] xs, long seed) {
    Forward k = new Forward(tape, xs.length), s = new Forward(tape, xs.length, Forward.Mode.SCALAR);
    Rng r = Rng.forStream(seed, 0);
    double[] ok = new double[xs.length], os = new double[xs.length];
    for (int net = 0; net < 20; net++) {
      int n = k.parameter(0).length;
      for (int i = 0; i < n; i++) {
        // Cauchy frequencies, as in the oscillator nets: some of them large
        double p = Math.tan(Math.PI * (r.nextDouble() - 0.5));
        double b = Math.PI * (2 * r.nextDouble() - 1), sg = r.nextDouble() < 0.5 ? -1 : 1;
        k.parameter(0)[i] = s.parameter(0)[i] = p;
        k.parameter(1)[i] = s.parameter(1)[i] = b;
        k.parameter(2)[i] = s.parameter(2)[i] = sg;
      }
      k.eval(xs, ok);
      s.eval(xs, os);
      double scale = 0;
      for (int i = 0; i < n; i++) scale += Math.abs(k.parameter(0)[i]) + 1;
      for (int q = 0; q < xs.length; q++) {
        // rounding of p t + b itself is |p t| ulp: the bound is relative to the sum of |p| |t| + 1
        double tol = 1e-13 * scale * Math.max(1, Math.abs(xs[q]));
        assertEquals(os[q], ok[q], tol, "point " + q + " (t = " + xs[q] + "), network " + net);
      }
    }
  }

  @Test void compositeQuadratureNodesAtManyWidths() {
    double[] xs = composite(0, 12, 32, 8);
    for (int n : new int[] {3, 64, 250, 1000}) {
      agree(cosNet(n, "cos", false), xs, n);
      agree(cosNet(n, "sin", true), xs, n + 1);
    }
  }

  @Test void requestPointsBeforeTheRuleAndEvenGrids() {
    double[] rule = composite(-1, 5, 16, 4);
    double[] xs = new double[rule.length + 3];
    xs[0] = 6;
    xs[1] = 0.3;
    xs[2] = 6;
    System.arraycopy(rule, 0, xs, 3, rule.length);
    agree(cosNet(100, "cos", true), xs, 7);
    double[] grid = new double[301];
    for (int i = 0; i < grid.length; i++) grid[i] = -3 + 0.02 * i;
    agree(cosNet(40, "cos", false), grid, 8);
  }

  @Test void scatteredPointsAreEvaluatedDirectly() {
    Rng r = Rng.forStream(1, 1);
    double[] xs = new double[200];
    for (int i = 0; i < xs.length; i++) xs[i] = 10 * r.nextDouble();
    agree(cosNet(50, "sin", false), xs, 9);
    assertTrue(Forward.Shifts.plan(xs, xs.length) == null, "random points have no common shifts");
  }

  @Test void theEvaluatorFollowsNewPoints() {
    Tape tape = cosNet(30, "cos", false);
    Forward k = new Forward(tape, 64), s = new Forward(tape, 64, Forward.Mode.SCALAR);
    for (int i = 0; i < 30; i++) {
      k.parameter(0)[i] = s.parameter(0)[i] = 0.1 * i - 1;
      k.parameter(1)[i] = s.parameter(1)[i] = 0.05 * i;
      k.parameter(2)[i] = s.parameter(2)[i] = 1;
    }
    double[] a = composite(0, 1, 8, 8), b = composite(2, 9, 16, 4);
    double[] ok = new double[64], os = new double[64];
    for (double[] xs : new double[][] {a, b, a}) {
      k.eval(xs, ok);
      s.eval(xs, os);
      for (int q = 0; q < 64; q++) assertEquals(os[q], ok[q], 1e-12, "point " + q);
    }
  }
}
