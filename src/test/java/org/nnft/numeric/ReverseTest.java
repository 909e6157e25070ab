package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reverse-mode gradients, input tangents and the gradient of functions of both, against central
 * finite differences on tapes using every node kind, broadcast mode and element-wise function.
 */
class ReverseTest {
  private static final double H = 1e-6;

  private static double[] gaussian(SplittableRandom r, int n, double s) { return ForwardTest.gaussian(r, n, s); }

  private static double[] eval(Tape t, double[] theta, double[] xs, int points) {
    Forward f = new Forward(t, points);
    f.setParameters(theta, 0);
    double[] y = new double[points * t.outputSize()];
    f.eval(xs, y);
    return y;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static void close(double fd, double exact, String what) {
    assertEquals(fd, exact, 2e-6 * Math.max(1, Math.abs(fd)), what);
  }

  /** S = seed · φ over all points: dS/dθ and dS/dx in one sweep. */
  private static void gradientOfAScalar(Tape t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int points = 5, P = t.parameterCount(), d = t.inputSize(), out = t.outputSize();
    double[] theta = gaussian(r, P, 0.7), xs = gaussian(r, points * d, 1), g = gaussian(r, points * out, 1);
    Reverse rev = new Reverse(t, points);
    rev.setParameters(theta);
    double[] gt = new double[P], gx = new double[points * d];
    double[] y = rev.gradient(xs, g, gt, gx).clone();
    assertEquals(dot(g, eval(t, theta, xs, points)), dot(g, y), 1e-12);
    for (int j = 0; j < P; j++) {
      double[] tp = theta.clone(), tm = theta.clone();
      tp[j] += H;
      tm[j] -= H;
      close((dot(g, eval(t, tp, xs, points)) - dot(g, eval(t, tm, xs, points))) / (2 * H), gt[j], "dS/dtheta " + j);
    }
    for (int j = 0; j < xs.length; j++) {
      double[] xp = xs.clone(), xm = xs.clone();
      xp[j] += H;
      xm[j] -= H;
      close((dot(g, eval(t, theta, xp, points)) - dot(g, eval(t, theta, xm, points))) / (2 * H), gx[j], "dS/dx " + j);
    }
  }

  @Test
  void oneSweepGivesTheGradientOfAScalarOfAllOutputsAtAllPoints() {
    for (long seed = 1; seed <= 3; seed++) {
      gradientOfAScalar(HandTapes.kitchenSink(), seed);
      gradientOfAScalar(HandTapes.head(), seed);
      gradientOfAScalar(HandTapes.cosnet(13), seed);
    }
  }

  private static void jacobianRows(Tape t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int P = t.parameterCount(), d = t.inputSize(), out = t.outputSize();
    double[] theta = gaussian(r, P, 0.7), x = gaussian(r, d, 1);
    Reverse rev = new Reverse(t, 1);
    rev.setParameters(theta);
    double[][] rows = new double[out][P];
    double[] y = rev.jacobian(x, rows);
    double[] ref = eval(t, theta, x, 1);
    // the sampler's kernels and the interpreter's scalar functions agree to rounding
    for (int k = 0; k < out; k++) assertEquals(ref[k], y[k], 1e-12 * Math.max(1, Math.abs(ref[k])));
    for (int j = 0; j < P; j++) {
      double[] tp = theta.clone(), tm = theta.clone();
      tp[j] += H;
      tm[j] -= H;
      double[] yp = eval(t, tp, x, 1), ym = eval(t, tm, x, 1);
      for (int k = 0; k < out; k++) close((yp[k] - ym[k]) / (2 * H), rows[k][j], "d output " + k + " / d theta " + j);
    }
  }

  @Test
  void jacobianMatchesFiniteDifferences() {
    for (long seed = 1; seed <= 4; seed++) {
      jacobianRows(HandTapes.kitchenSink(), seed);
      jacobianRows(HandTapes.head(), seed);
    }
  }

  private static void tangents(Tape t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int points = 4, P = t.parameterCount(), d = t.inputSize(), out = t.outputSize();
    double[] theta = gaussian(r, P, 0.7), xs = gaussian(r, points * d, 1), u = gaussian(r, points * d, 1);
    Reverse rev = new Reverse(t, points);
    rev.setParameters(theta);
    double[] y = new double[points * out], ty = new double[points * out];
    rev.tangent(xs, u, y, ty);
    double[] xp = xs.clone(), xm = xs.clone();
    for (int j = 0; j < xs.length; j++) {
      xp[j] += H * u[j];
      xm[j] -= H * u[j];
    }
    double[] yp = eval(t, theta, xp, points), ym = eval(t, theta, xm, points);
    for (int k = 0; k < y.length; k++) close((yp[k] - ym[k]) / (2 * H), ty[k], "tangent " + k);
  }

  @Test
  void tangentsAlongTheInputMatchFiniteDifferences() {
    for (long seed = 1; seed <= 3; seed++) {
      tangents(HandTapes.kitchenSink(), seed);
      tangents(HandTapes.head(), seed);
      tangents(HandTapes.cosnet(11), seed);
    }
  }

  /** S = Σ a·φ + b·φ̇ + c/2 φ̇² + φ̇ φ (a, b fixed weights, φ̇ the tangent along u). */
  private static double action(Tape t, double[] theta, double[] xs, double[] u, double[] a, double[] b, double c, int points) {
    Reverse rev = new Reverse(t, points);
    rev.setParameters(theta);
    double[] y = new double[a.length], ty = new double[a.length];
    rev.tangent(xs, u, y, ty);
    double s = 0;
    for (int k = 0; k < y.length; k++) s += a[k] * y[k] + b[k] * ty[k] + 0.5 * c * ty[k] * ty[k] + ty[k] * y[k];
    return s;
  }

  private static void secondOrder(Tape t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int points = 4, P = t.parameterCount(), d = t.inputSize(), out = t.outputSize();
    double[] theta = gaussian(r, P, 0.6), xs = gaussian(r, points * d, 1), u = gaussian(r, points * d, 1);
    double[] a = gaussian(r, points * out, 1), b = gaussian(r, points * out, 1);
    double c = 0.7;
    Reverse rev = new Reverse(t, points);
    rev.setParameters(theta);
    double[] y = new double[points * out], ty = new double[points * out];
    rev.tangent(xs, u, y, ty);
    double[] sv = new double[y.length], st = new double[y.length];
    for (int k = 0; k < y.length; k++) {
      sv[k] = a[k] + ty[k];
      st[k] = b[k] + c * ty[k] + y[k];
    }
    double[] gt = new double[P], gx = new double[points * d];
    rev.gradient(xs, u, sv, st, gt, gx);
    for (int j = 0; j < P; j++) {
      double[] tp = theta.clone(), tm = theta.clone();
      tp[j] += H;
      tm[j] -= H;
      close((action(t, tp, xs, u, a, b, c, points) - action(t, tm, xs, u, a, b, c, points)) / (2 * H), gt[j], "dS/dtheta " + j);
    }
    for (int j = 0; j < xs.length; j++) {
      double[] xp = xs.clone(), xm = xs.clone();
      xp[j] += H;
      xm[j] -= H;
      close((action(t, theta, xp, u, a, b, c, points) - action(t, theta, xm, u, a, b, c, points)) / (2 * H), gx[j], "dS/dx " + j);
    }
  }

  @Test
  void gradientOfAFunctionOfValuesAndTangentsMatchesFiniteDifferences() {
    for (long seed = 1; seed <= 3; seed++) {
      secondOrder(HandTapes.kitchenSink(), seed);
      secondOrder(HandTapes.head(), seed);
      secondOrder(HandTapes.cosnet(11), seed);
    }
  }

  /**
   * The gradient HMC needs: S[φ] = Σ_p w_p (φ'(t_p)²/2 + φ(t_p)²/2 + λ φ(t_p)⁴) by a quadrature rule
   * on [0, T], for a Cos-net path, against finite differences of S in every parameter.
   */
  @Test
  void anOscillatorActionOverQuadraturePoints() {
    int n = 8, m = 33;
    double T = 3, lambda = 0.1;
    Tape t = HandTapes.cosnet(n);
    double[] ts = new double[m], w = new double[m], ones = new double[m];
    for (int p = 0; p < m; p++) {
      ts[p] = T * p / (m - 1);
      w[p] = T / (m - 1) * (p == 0 || p == m - 1 ? 0.5 : 1); // trapezoid
      ones[p] = 1;
    }
    Reverse rev = new Reverse(t, m);
    double[] theta = gaussian(new SplittableRandom(5), t.parameterCount(), 0.8);
    java.util.function.ToDoubleFunction<double[]> S = th -> {
      Reverse r = new Reverse(t, m);
      r.setParameters(th);
      double[] y = new double[m], dy = new double[m];
      r.tangent(ts, ones, y, dy);
      double s = 0;
      for (int p = 0; p < m; p++) s += w[p] * (0.5 * dy[p] * dy[p] + 0.5 * y[p] * y[p] + lambda * Math.pow(y[p], 4));
      return s;
    };
    rev.setParameters(theta);
    double[] y = new double[m], dy = new double[m], sv = new double[m], st = new double[m], grad = new double[theta.length];
    rev.tangent(ts, ones, y, dy);
    for (int p = 0; p < m; p++) {
      sv[p] = w[p] * (y[p] + 4 * lambda * y[p] * y[p] * y[p]);
      st[p] = w[p] * dy[p];
    }
    rev.gradient(ts, ones, sv, st, grad, null);
    for (int j = 0; j < theta.length; j++) {
      double[] tp = theta.clone(), tm = theta.clone();
      tp[j] += H;
      tm[j] -= H;
      close((S.applyAsDouble(tp) - S.applyAsDouble(tm)) / (2 * H), grad[j], "dS/dtheta " + j);
    }
    // the same instance again gives the same bits (buffers are reset between sweeps)
    double[] again = new double[theta.length];
    rev.gradient(ts, ones, sv, st, again, null);
    assertEquals(Arrays.toString(grad), Arrays.toString(again));
  }
}
