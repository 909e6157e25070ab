package org.nnft.polytope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.model.CompiledNet;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Reverse;
import org.nnft.numeric.Rng;

/**
 * The batched kernel of fit ({@link MlpBatch}) against the generic reverse sweep point by point:
 * on layered perceptrons (relu and tanh, one and two hidden layers, with and without biases, a
 * one-dimensional input, dot and matrix outputs, other activations) the losses, gradients, Adam and
 * L-BFGS loss curves and trained parameters are the same bits; nets of another form are left to the
 * generic path. No timings here: the speed is bench/polytope_fit.sh's business.
 */
class PolytopeFitKernelTest {
  /** The compiled net called {@code name} after the declarations in {@code code}, through a one-step fit. */
  private static CompiledNet compiled(String code, String name, int d) {
    Nnft s = Nnft.session();
    s.eval(code + "\nlet F__ = fit(" + name + ", target = 1, data = ball(" + d + ", count = 4), optimizer = adam(steps = 1), seed = 1)");
    return ((FittedV) s.value("F__")).compiled();
  }

  private record Problem(CompiledNet cn, double[] xs, double[] y, double[] theta, int count) {}

  /** Points in the ball of radius 1.5, the target |x| (plus a wave, so the fit is not trivial), θ drawn from the densities. */
  private static Problem problem(CompiledNet cn, int count, long seed) {
    int d = cn.inDim;
    double[] xs = Fit.draw(new Fit.DataSpec("ball", d, 1.5, count), Rng.forStream(seed, 1));
    double[] y = new double[count];
    for (int p = 0; p < count; p++) {
      double r2 = 0;
      for (int k = 0; k < d; k++) r2 += xs[p * d + k] * xs[p * d + k];
      y[p] = Math.sqrt(r2) + 0.3 * Math.sin(3 * xs[p * d]);
    }
    Forward init = new Forward(cn.tape, 1, Forward.Mode.SCALAR);
    cn.drawer(init).draw(Rng.forStream(seed, 0));
    double[] theta = new double[cn.parameterCount()];
    init.getParameters(theta, 0);
    return new Problem(cn, xs, y, theta, count);
  }

  private static Fit.Objective objective(Problem pr, boolean batched) {
    return new Fit.Objective(new Reverse(pr.cn().tape, pr.count()), pr.xs(), pr.y(), pr.count(), batched);
  }

  private static void assertSameBits(double[] a, double[] b, String what) {
    assertEquals(a.length, b.length, what);
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
        double rel = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]));
        throw new AssertionError(what + " differs at " + i + ": " + a[i] + " vs " + b[i] + " (relative " + rel + ")");
      }
    }
  }

  /** The kernel runs this net, and the loss and gradient, Adam's and L-BFGS's curves and parameters agree bit for bit. */
  private static void sameAsGeneric(CompiledNet cn, int count) {
    assertTrue(MlpBatch.fits(cn.tape), "the batched kernel takes " + cn.name);
    Problem pr = problem(cn, count, 11);
    Fit.Objective fast = objective(pr, true), slow = objective(pr, false);
    assertNotNull(fast.fast);
    assertNull(slow.fast);
    int m = pr.theta().length;
    double[] gf = new double[m], gs = new double[m];
    assertEquals(Double.doubleToLongBits(slow.value(pr.theta(), gs)), Double.doubleToLongBits(fast.value(pr.theta(), gf)), "loss");
    assertSameBits(gs, gf, "gradient");
    boolean nonzero = false;
    for (double v : gf) nonzero |= v != 0;
    assertTrue(nonzero);
    Fit.OptSpec adam = new Fit.OptSpec("adam", 0.01, 300, 0);
    double[] tf = pr.theta().clone(), ts = pr.theta().clone();
    double[] lf = Fit.adam(fast, tf, adam), ls = Fit.adam(slow, ts, adam);
    assertSameBits(ls, lf, "Adam loss curve");
    assertSameBits(ts, tf, "Adam parameters");
    assertTrue(lf[lf.length - 1] < lf[0], "Adam lowers the loss");
    Fit.OptSpec lbfgs = new Fit.OptSpec("lbfgs", 0, 40, 10);
    tf = pr.theta().clone();
    ts = pr.theta().clone();
    lf = Fit.lbfgs(fast, tf, lbfgs);
    ls = Fit.lbfgs(slow, ts, lbfgs);
    assertSameBits(ls, lf, "L-BFGS loss curve");
    assertSameBits(ts, tf, "L-BFGS parameters");
  }

  @Test
  void reluOneHiddenLayer() {
    // 1000 points: several blocks of the kernel, the last one short
    sameAsGeneric(compiled("net r(x: R^2) { W[8, 2] ~ normal(0, 1); b[8] ~ normal(0, 0.1); v[8] ~ normal(0, 1); c ~ normal(0, 0.1)\n"
        + " return dot(v, relu(W @ x + b)) + c }", "r", 2), 1000);
  }

  @Test
  void reluTwoHiddenLayers() {
    sameAsGeneric(compiled("net deep(x: R^2) { W1[8, 2] ~ normal(0, 1); b1[8] ~ normal(0, 0.1); W2[8, 8] ~ normal(0, 0.35); b2[8] ~ normal(0, 0.1);"
        + " v[8] ~ normal(0, 0.35); c ~ normal(0, 0.1)\n return dot(v, relu(W2 @ relu(W1 @ x + b1) + b2)) + c }", "deep", 2), 700);
  }

  @Test
  void tanhOneAndTwoHiddenLayers() {
    sameAsGeneric(compiled("net s(x: R^3) { W[6, 3] ~ normal(0, 1); b[6] ~ normal(0, 0.1); v[6] ~ normal(0, 1); c ~ normal(0, 0.1)\n"
        + " return dot(v, tanh(W @ x + b)) + c }", "s", 3), 500);
    sameAsGeneric(compiled("let m = mlp(in = 2, widths = [6, 5], act = tanh)", "m", 2), 600);
  }

  @Test
  void otherShapes() {
    // a one-dimensional input (a one-column W), bias order b + W x, no output bias
    sameAsGeneric(compiled("net one(x: R^1) { W[5, 1] ~ normal(0, 1); b[5] ~ normal(0, 0.1); v[5] ~ normal(0, 1)\n"
        + " return dot(relu(b + W @ x), v) }", "one", 1), 300);
    // no biases, three hidden layers, a smooth activation through the generic element-wise functions
    sameAsGeneric(compiled("let m = mlp(in = 2, widths = [5, 4, 3], act = softplus, biases = \"none\")", "m", 2), 400);
    // a matrix output with one row, and a hidden layer of width 1
    sameAsGeneric(compiled("net mo(x: R^2) { W[1, 2] ~ normal(0, 1); b[1] ~ normal(0, 0.1); V[1, 1] ~ normal(0, 1); c[1] ~ normal(0, 0.1)\n"
        + " return V @ tanh(W @ x + b) + c }", "mo", 2), 200);
    // no hidden layer
    sameAsGeneric(compiled("net lin(x: R^2) { w[2] ~ normal(0, 1); c ~ normal(0, 1)\n return dot(w, x) + c }", "lin", 2), 100);
  }

  @Test
  void otherNetsStayOnTheGenericPath() {
    CompiledNet wave = compiled("net w(x: R^2) { W[4, 2] ~ normal(0, 1); v[4] ~ normal(0, 1)\n return dot(v, sin(W @ x)) + norm(x) }", "w", 2);
    assertFalse(MlpBatch.fits(wave.tape));
    CompiledNet shared = compiled("net t(x: R^2) { W[2, 2] ~ normal(0, 1); v[2] ~ normal(0, 1)\n return dot(v, relu(W @ relu(W @ x))) }", "t", 2);
    assertFalse(MlpBatch.fits(shared.tape));
    Problem pr = problem(wave, 50, 3);
    assertNull(objective(pr, true).fast);
  }
}
