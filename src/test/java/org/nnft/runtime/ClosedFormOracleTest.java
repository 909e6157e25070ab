package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;

/**
 * kernel(net) and connected_exact(net, n) against references that share nothing with the rules
 * under test: the neuron's moments E[prod_k h(x_k)] by Gauss-Legendre quadrature over the weight
 * and bias densities, and the correlators from them by the textbook moment-cumulant formulas
 * written out (E[phi phi] = N E[a^2] m12 + N (N - 1) E[a]^2 m1 m2; the joint cumulants of
 * Y_k = a h(x_k) times N). Densities with means and asymmetric shapes, in d = 1 and 2.
 */
class ClosedFormOracleTest {
  static final int N = 20;

  /** Gauss-Legendre nodes and weights on [-1, 1]. */
  static double[][] gl(int n) {
    double[] x = new double[n], w = new double[n];
    for (int i = 0; i < n; i++) {
      double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5)), pp;
      while (true) {
        double p1 = 1, p2 = 0;
        for (int j = 1; j <= n; j++) { double p3 = p2; p2 = p1; p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j; }
        pp = n * (z * p1 - p2) / (z * z - 1);
        double dz = p1 / pp;
        z -= dz;
        if (Math.abs(dz) < 1e-15) break;
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * pp * pp);
    }
    return new double[][] {x, w};
  }

  /** A one-dimensional density as quadrature nodes and weights (summing to 1) over pieces where it is smooth. */
  record Rule(double[] x, double[] w) {
    static Rule of(DoubleUnaryOperator pdf, double[] breaks, int n) {
      double[][] g = gl(n);
      int pieces = breaks.length - 1;
      double[] x = new double[pieces * n], w = new double[pieces * n];
      double total = 0;
      for (int p = 0; p < pieces; p++) {
        double a = breaks[p], b = breaks[p + 1];
        for (int i = 0; i < n; i++) {
          double t = (a + b) / 2 + (b - a) / 2 * g[0][i];
          x[p * n + i] = t;
          w[p * n + i] = (b - a) / 2 * g[1][i] * pdf.applyAsDouble(t);
          total += w[p * n + i];
        }
      }
      for (int i = 0; i < w.length; i++) w[i] /= total;
      return new Rule(x, w);
    }

    static Rule normal(double mu, double sd) {
      return of(t -> Math.exp(-(t - mu) * (t - mu) / (2 * sd * sd)), new double[] {mu - 12 * sd, mu - 4 * sd, mu, mu + 4 * sd, mu + 12 * sd}, 24);
    }

    static Rule uniform(double lo, double hi) { return of(t -> 1, new double[] {lo, hi}, 40); }

    static Rule exponential(double rate) { return of(t -> Math.exp(-rate * t), new double[] {0, 5 / rate, 20 / rate, 60 / rate}, 64); }
  }

  /** E over a weight row (entries i.i.d. from wRule, d = 1 or 2) and a bias of f(w, b). */
  static double expect(int d, Rule w, Rule b, ToDoubleFunction<double[]> f) {
    double s = 0;
    double[] wb = new double[d + 1];
    int nw = w.x.length, nb = b.x.length;
    if (d == 1) {
      for (int i = 0; i < nw; i++) for (int k = 0; k < nb; k++) {
        wb[0] = w.x[i]; wb[1] = b.x[k];
        s += w.w[i] * b.w[k] * f.applyAsDouble(wb);
      }
    } else {
      for (int i = 0; i < nw; i++) for (int j = 0; j < nw; j++) for (int k = 0; k < nb; k++) {
        wb[0] = w.x[i]; wb[1] = w.x[j]; wb[2] = b.x[k];
        s += w.w[i] * w.w[j] * b.w[k] * f.applyAsDouble(wb);
      }
    }
    return s;
  }

  interface Act { double h(double u); }

  /** M(S): the neuron's moment at the points of S. */
  static double moment(int d, Rule w, Rule b, Act act, double[][] pts) {
    return expect(d, w, b, wb -> {
      double p = 1;
      for (double[] x : pts) {
        double u = wb[d];
        for (int j = 0; j < d; j++) u += wb[j] * x[j];
        p *= act.h(u);
      }
      return p;
    });
  }

  static double kernelRef(int d, Rule w, Rule b, Act act, double[] am, double[] x, double[] y) {
    return N * am[2] * moment(d, w, b, act, new double[][] {x, y})
        + N * (N - 1.0) * am[1] * am[1] * moment(d, w, b, act, new double[][] {x}) * moment(d, w, b, act, new double[][] {y});
  }

  /** N kappa_4 of Y_k = a h(x_k), from m_S = E[a^|S|] M(S) written out. */
  static double fourRef(int d, Rule w, Rule b, Act act, double[] am, double[][] x) {
    java.util.function.IntFunction<double[][]> pick = mask -> {
      int c = Integer.bitCount(mask), k = 0;
      double[][] r = new double[c][];
      for (int i = 0; i < 4; i++) if ((mask >> i & 1) == 1) r[k++] = x[i];
      return r;
    };
    double[] m = new double[16];
    for (int mask = 1; mask < 16; mask++) m[mask] = am[Integer.bitCount(mask)] * moment(d, w, b, act, pick.apply(mask));
    int a = 1, bb = 2, c = 4, e = 8;
    double k4 = m[15]
        - (m[a | bb | c] * m[e] + m[a | bb | e] * m[c] + m[a | c | e] * m[bb] + m[bb | c | e] * m[a])
        - (m[a | bb] * m[c | e] + m[a | c] * m[bb | e] + m[a | e] * m[bb | c])
        + 2 * (m[a | bb] * m[c] * m[e] + m[a | c] * m[bb] * m[e] + m[a | e] * m[bb] * m[c] + m[bb | c] * m[a] * m[e] + m[bb | e] * m[a] * m[c] + m[c | e] * m[a] * m[bb])
        - 6 * m[a] * m[bb] * m[c] * m[e];
    return N * k4;
  }

  static String pt(double[] x) {
    if (x.length == 1) return Double.toString(x[0]);
    return "[" + x[0] + ", " + x[1] + "]";
  }

  static double engine(Nnft nn, String call) {
    nn.eval("let r_ = " + call);
    return nn.number("r_");
  }

  static void check(double want, double got, String what) {
    assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), what);
  }

  @Test void cosNetWithWeightMeanInTwoDimensions() {
    Nnft nn = Nnft.session();
    nn.eval("let N = " + N + "\nnet c(x: R^2) { W0[N, 2] ~ normal(0.5, 1); b0[N] ~ uniform(-pi, pi); W1[N] ~ uniform(0, 0.5)\n return dot(W1, cos(W0 @ x + b0)) }");
    Rule w = Rule.normal(0.5, 1), b = Rule.uniform(-Math.PI, Math.PI);
    double[] am = {1, 0.25, 0.25 / 3, 0.125 / 4, 0.0625 / 5};
    double[][] xs = {{0, 0}, {1, 0.8}, {-0.4, 0.3}, {0.2, -0.5}};
    check(kernelRef(2, w, b, Math::cos, am, xs[0], xs[1]), engine(nn, "kernel(c)(" + pt(xs[0]) + ", " + pt(xs[1]) + ")"), "kernel");
    check(kernelRef(2, w, b, Math::cos, am, xs[2], xs[3]), engine(nn, "kernel(c)(" + pt(xs[2]) + ", " + pt(xs[3]) + ")"), "kernel");
    check(fourRef(2, w, b, Math::cos, am, xs), engine(nn, "connected_exact(c, 4)(" + pt(xs[0]) + ", " + pt(xs[1]) + ", " + pt(xs[2]) + ", " + pt(xs[3]) + ")"), "4-pt");
  }

  @Test void cosNetWithAsymmetricWeightsInTwoDimensions() {
    Nnft nn = Nnft.session();
    nn.eval("let N = " + N + "\nnet c(x: R^2) { W0[N, 2] ~ uniform(0, 2); b0[N] ~ uniform(-pi, pi); W1[N] ~ normal(0.1, 0.3)\n return dot(W1, cos(W0 @ x + b0)) }");
    Rule w = Rule.uniform(0, 2), b = Rule.uniform(-Math.PI, Math.PI);
    double[] am = {1, 0.1, 0.01 + 0.09, 0.001 + 3 * 0.1 * 0.09, 0.0001 + 6 * 0.01 * 0.09 + 3 * 0.0081};
    double[][] xs = {{0, 0}, {1, 0.8}, {-0.4, 0.3}, {1.5, -0.5}};
    check(kernelRef(2, w, b, Math::cos, am, xs[0], xs[1]), engine(nn, "kernel(c)(" + pt(xs[0]) + ", " + pt(xs[1]) + ")"), "kernel");
    check(fourRef(2, w, b, Math::cos, am, xs), engine(nn, "connected_exact(c, 4)(" + pt(xs[0]) + ", " + pt(xs[1]) + ", " + pt(xs[2]) + ", " + pt(xs[3]) + ")"), "4-pt");
  }

  @Test void cosNetWithExponentialWeightsAndGaussianPhase() {
    Nnft nn = Nnft.session();
    nn.eval("let N = " + N + "\nnet c(x: R^1) { W0[N, 1] ~ exponential(2); b0[N] ~ normal(0.3, 1); W1[N] ~ normal(0.2, 0.5)\n return dot(W1, cos(W0 @ x + b0)) }");
    Rule w = Rule.exponential(2), b = Rule.normal(0.3, 1);
    double mu = 0.2, s2 = 0.25;
    double[] am = {1, mu, mu * mu + s2, mu * mu * mu + 3 * mu * s2, Math.pow(mu, 4) + 6 * mu * mu * s2 + 3 * s2 * s2};
    double[][] xs = {{-1}, {0}, {0.5}, {1.5}};
    check(kernelRef(1, w, b, Math::cos, am, xs[0], xs[3]), engine(nn, "kernel(c)(-1, 1.5)"), "kernel");
    check(fourRef(1, w, b, Math::cos, am, xs), engine(nn, "connected_exact(c, 4)(-1, 0, 0.5, 1.5)"), "4-pt");
  }

  @Test void expNetWithMeansEverywhere() {
    Nnft nn = Nnft.session();
    nn.eval("let N = " + N + "\nnet g(x: R^1) { W0[N, 1] ~ normal(0.2, 0.5); b0[N] ~ normal(0.1, 0.3); W1[N] ~ normal(0.3, 0.4)\n return dot(W1, exp(W0 @ x + b0)) }");
    Rule w = Rule.normal(0.2, 0.5), b = Rule.normal(0.1, 0.3);
    double mu = 0.3, s2 = 0.16;
    double[] am = {1, mu, mu * mu + s2, mu * mu * mu + 3 * mu * s2, Math.pow(mu, 4) + 6 * mu * mu * s2 + 3 * s2 * s2};
    double[][] xs = {{-1}, {0}, {0.5}, {0.8}};
    check(kernelRef(1, w, b, Math::exp, am, xs[0], xs[2]), engine(nn, "kernel(g)(-1, 0.5)"), "kernel");
    check(fourRef(1, w, b, Math::exp, am, xs), engine(nn, "connected_exact(g, 4)(-1, 0, 0.5, 0.8)"), "4-pt");
  }

  @Test void reluNetWithOutputWeightMean() {
    // the kink of relu(w x + b) runs across the (w, b) plane: integrate over the Gaussian
    // pre-activations instead, u = s_u z1, v = s_v (r z1 + sqrt(1 - r^2) z2), split at the kinks
    Nnft nn = Nnft.session();
    nn.eval("let N = " + N + "\nnet r(x: R^1) { W0[N, 1] ~ normal(0, 1); b0[N] ~ normal(0, 0.5); W1[N] ~ normal(0.2, 0.3)\n return dot(W1, relu(W0 @ x + b0)) }");
    double x = 0.3, y = -0.7;
    double kxx = 0.25 + x * x, kyy = 0.25 + y * y, kxy = 0.25 + x * y;
    double su = Math.sqrt(kxx), sv = Math.sqrt(kyy), r = kxy / (su * sv), c = Math.sqrt(1 - r * r);
    double[][] g = gl(64);
    double pair = 0;
    for (int i = 0; i < 64; i++) {
      double z1 = 4 + 4 * g[0][i], w1 = 4 * g[1][i] * Math.exp(-z1 * z1 / 2) / Math.sqrt(2 * Math.PI); // z1 > 0, else relu(u) = 0
      double kink = -r * z1 / c;
      for (int j = 0; j < 64; j++) {
        double z2 = (kink + (kink + 12)) / 2 + 6 * g[0][j], w2 = 6 * g[1][j] * Math.exp(-z2 * z2 / 2) / Math.sqrt(2 * Math.PI);
        pair += w1 * w2 * su * z1 * sv * (r * z1 + c * z2);
      }
    }
    double mean = (1 / Math.sqrt(2 * Math.PI)); // E[relu(z)] for a standard normal z
    double a2 = 0.04 + 0.09;
    double want = N * a2 * pair + N * (N - 1.0) * 0.04 * su * mean * sv * mean;
    assertEquals(want, engine(nn, "kernel(r)(0.3, -0.7)"), 1e-8 * want, "kernel");
  }
}
