package org.nnft.reweight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.ensemble.Estimate;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Values;
import org.nnft.syntax.NnftException;

/**
 * extrapolate(estimates, at = xs, order = 1) through the Java API, against numbers derived
 * independently of its code: the closed-form normal equations of weighted least squares (Cramer's
 * rule, not the SVD the built-in uses), χ² tail probabilities in closed form or from tables,
 * jackknife replicas of the intercept computed by hand, and the calibration of its error bars on
 * synthetic data with known noise.
 */
class ExtrapolateTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Nnft session() {
    return Nnft.session().setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private String printed() { return out.toString(StandardCharsets.UTF_8); }

  /** The fit of ys ± es at xs, bound to r, with its parts bound to a, b (and c for order 2). */
  private static Nnft fit(Nnft nn, double[] xs, double[] ys, double[] es, int order) {
    nn.set("xs", xs).set("ys", ys).set("es", es);
    nn.eval("let r = extrapolate(ys ± es, at = xs, order = " + order + ")\nlet a = r.intercept\nlet b = r.slope"
        + (order == 2 ? "\nlet c = r.curvature" : ""));
    return nn;
  }

  // ---------------------------------------------------------------- exact data

  @Test void anExactLineGivesItsInterceptExactly() {
    double[] xs = {1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128};
    double[] ys = new double[xs.length], es = {0.02, 0.01, 0.03, 0.015, 0.05};
    for (int i = 0; i < xs.length; i++) ys[i] = 0.37 - 1.3 * xs[i];
    Nnft nn = fit(session(), xs, ys, es, 1);
    assertEquals(0.37, nn.number("a"), 1e-14);
    assertEquals(-1.3, nn.number("b"), 1e-12);
    assertEquals(0, (double) nn.eval("r.chi2"), 1e-24);
    assertEquals(1, (double) nn.eval("r.p_value"), 1e-12);
    assertEquals(3.0, nn.eval("r.dof"));
    assertFalse(printed().contains("warning"), printed());

    // a quadratic, fitted as one: exact too
    for (int i = 0; i < xs.length; i++) ys[i] = 0.37 - 1.3 * xs[i] + 4.1 * xs[i] * xs[i];
    fit(nn, xs, ys, es, 2);
    assertEquals(0.37, nn.number("a"), 1e-13);
    assertEquals(-1.3, nn.number("b"), 1e-11);
    assertEquals(4.1, nn.number("c"), 1e-10);
  }

  // ---------------------------------------------------------------- against the normal equations

  @Test void aLineMatchesTheClosedFormNormalEquations() {
    double[] xs = {0.2, 0.1, 0.05, 0.025, 0.0125, 0.01};
    double[] ys = {0.512, 0.468, 0.431, 0.4262, 0.4187, 0.4201};
    double[] es = {0.004, 0.003, 0.006, 0.002, 0.005, 0.003};
    double s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
    for (int i = 0; i < xs.length; i++) {
      double w = 1 / (es[i] * es[i]);
      s += w; sx += w * xs[i]; sxx += w * xs[i] * xs[i]; sy += w * ys[i]; sxy += w * xs[i] * ys[i];
    }
    double det = s * sxx - sx * sx;
    double a = (sxx * sy - sx * sxy) / det, b = (s * sxy - sx * sy) / det;
    double chi2 = 0;
    for (int i = 0; i < xs.length; i++) chi2 += Math.pow((ys[i] - a - b * xs[i]) / es[i], 2);
    // 4 dof: P(χ²_4 > q) = e^(-q/2) (1 + q/2)
    double p = Math.exp(-chi2 / 2) * (1 + chi2 / 2);

    Nnft nn = fit(session(), xs, ys, es, 1);
    Estimate ia = nn.estimate("a"), sb = nn.estimate("b");
    assertEquals(a, ia.value(), 1e-13);
    assertEquals(Math.sqrt(sxx / det), ia.error(), 1e-15);
    assertEquals(b, sb.value(), 1e-11);
    assertEquals(Math.sqrt(s / det), sb.error(), 1e-13);
    assertEquals(chi2, (double) nn.eval("r.chi2"), 1e-9 * chi2);
    assertEquals(4.0, nn.eval("r.dof"));
    assertEquals(chi2 / 4, (double) nn.eval("r.chi2_dof"), 1e-9 * chi2);
    assertEquals(p, (double) nn.eval("r.p_value"), 1e-12);
  }

  @Test void aQuadraticMatchesTheClosedFormNormalEquations() {
    double[] xs = {0.25, 0.2, 0.125, 0.1, 0.05};
    double[] ys = {0.689, 0.641, 0.571, 0.556, 0.528};
    double[] es = {0.005, 0.004, 0.006, 0.003, 0.004};
    // the normal equations M c = v, M_jk = Σ w x^(j+k), v_j = Σ w x^j y, solved by Cramer's rule
    double[][] m = new double[3][3];
    double[] v = new double[3];
    for (int i = 0; i < xs.length; i++) {
      double w = 1 / (es[i] * es[i]);
      for (int j = 0; j < 3; j++) {
        v[j] += w * Math.pow(xs[i], j) * ys[i];
        for (int k = 0; k < 3; k++) m[j][k] += w * Math.pow(xs[i], j + k);
      }
    }
    double det = det3(m);
    double[] c = new double[3];
    for (int j = 0; j < 3; j++) {
      double[][] mj = {m[0].clone(), m[1].clone(), m[2].clone()};
      for (int r = 0; r < 3; r++) mj[r][j] = v[r];
      c[j] = det3(mj) / det;
    }
    // the variances are the diagonal of M^-1: the cofactors over the determinant
    double var0 = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
    double var1 = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
    double var2 = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
    double chi2 = 0;
    for (int i = 0; i < xs.length; i++) chi2 += Math.pow((ys[i] - c[0] - c[1] * xs[i] - c[2] * xs[i] * xs[i]) / es[i], 2);

    Nnft nn = fit(session(), xs, ys, es, 2);
    assertEquals(c[0], nn.estimate("a").value(), 1e-11);
    assertEquals(c[1], nn.estimate("b").value(), 1e-9);
    assertEquals(c[2], nn.estimate("c").value(), 1e-8);
    assertEquals(Math.sqrt(var0), nn.estimate("a").error(), 1e-9 * Math.sqrt(var0));
    assertEquals(Math.sqrt(var1), nn.estimate("b").error(), 1e-9 * Math.sqrt(var1));
    assertEquals(Math.sqrt(var2), nn.estimate("c").error(), 1e-9 * Math.sqrt(var2));
    assertEquals(chi2, (double) nn.eval("r.chi2"), 1e-8 * chi2);
    assertEquals(2.0, nn.eval("r.dof"));
    assertEquals(Math.exp(-chi2 / 2), (double) nn.eval("r.p_value"), 1e-10);
  }

  private static double det3(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  // ---------------------------------------------------------------- calibration

  /** z = (intercept - truth) / error over 200 seeds: mean near 0 and standard deviation near 1. */
  @Test void interceptErrorsAreCalibratedForALine() {
    double[] xs = {0.2, 0.1, 0.05, 0.025, 0.0125};
    double[] sig = {0.01, 0.006, 0.008, 0.004, 0.012};
    calibrate(xs, sig, 1, 0.42, 0.9, 0);
  }

  @Test void interceptErrorsAreCalibratedForAQuadratic() {
    double[] xs = {0.3, 0.25, 0.2, 0.15, 0.1, 0.05};
    double[] sig = {0.01, 0.006, 0.008, 0.004, 0.012, 0.005};
    calibrate(xs, sig, 2, 0.42, 0.9, -2.5);
  }

  private void calibrate(double[] xs, double[] sig, int order, double a, double b, double c) {
    Nnft nn = session();
    int seeds = 200, poor = 0;
    double sum = 0, sum2 = 0;
    for (int seed = 0; seed < seeds; seed++) {
      SplittableRandom rng = new SplittableRandom(1000 + seed);
      double[] ys = new double[xs.length];
      for (int i = 0; i < xs.length; i++) ys[i] = a + b * xs[i] + c * xs[i] * xs[i] + sig[i] * rng.nextGaussian();
      fit(nn, xs, ys, sig, order);
      Estimate e = nn.estimate("a");
      double z = (e.value() - a) / e.error();
      sum += z;
      sum2 += z * z;
      if ((double) nn.eval("r.p_value") < 0.01) poor++;
    }
    double mean = sum / seeds, sd = Math.sqrt((sum2 - seeds * mean * mean) / (seeds - 1));
    assertTrue(Math.abs(mean) <= 0.2, "mean z = " + mean);
    assertTrue(sd >= 0.85 && sd <= 1.15, "sd of z = " + sd);
    // p-values of a correct model are uniform: about 1% below 0.01 (2 expected of 200)
    assertTrue(poor <= 8, poor + " of " + seeds + " fits below p = 0.01");
  }

  // ---------------------------------------------------------------- goodness of fit

  @Test void aBadFitWarnsWithItsNumbers() {
    // y = 0.5 + 0.3 x + 0.0175 v with v = (1, -1, -1, 1) orthogonal to 1 and x: the line is
    // 0.5 + 0.3 x exactly, χ² = 4 (0.0175 / 0.01)² = 12.25 with 2 dof, p = e^(-6.125)
    double[] xs = {0.1, 0.2, 0.3, 0.4}, v = {1, -1, -1, 1};
    double[] ys = new double[4], es = {0.01, 0.01, 0.01, 0.01};
    for (int i = 0; i < 4; i++) ys[i] = 0.5 + 0.3 * xs[i] + 0.0175 * v[i];
    Nnft nn = fit(session(), xs, ys, es, 1);
    assertEquals(0.5, nn.number("a"), 1e-14);
    assertEquals(12.25, (double) nn.eval("r.chi2"), 1e-11);
    double p = (double) nn.eval("r.p_value");
    assertEquals(Math.exp(-6.125), p, 1e-14);
    assertTrue(p < 0.01);
    String text = printed();
    assertTrue(text.contains("warning: the fit is poor: chi^2/dof = 6.12 with 2 dof (p = 0.0022)"), text);
    assertTrue(text.contains("order = 2"), text);

    // half the misfit: χ² = 3.0625, p = 0.216, no warning
    out.reset();
    for (int i = 0; i < 4; i++) ys[i] = 0.5 + 0.3 * xs[i] + 0.00875 * v[i];
    fit(nn, xs, ys, es, 1);
    assertEquals(Math.exp(-3.0625 / 2), (double) nn.eval("r.p_value"), 1e-14);
    assertFalse(printed().contains("warning"), printed());
  }

  @Test void noDegreeOfFreedomWarnsAndLeavesNoGoodnessOfFit() {
    Nnft nn = fit(session(), new double[] {0.1, 0.05}, new double[] {0.45, 0.43}, new double[] {0.01, 0.01}, 1);
    // a = 2 y(0.05) - y(0.1): 0.41 ± 0.01 sqrt(5)
    assertEquals(0.41, nn.number("a"), 1e-14);
    assertEquals(0.01 * Math.sqrt(5), nn.estimate("a").error(), 1e-15);
    assertEquals(0.0, nn.eval("r.dof"));
    assertEquals(0.0, nn.eval("r.chi2"));
    assertTrue(printed().contains("warning: 2 estimates and a line in x (2 parameters) leave no degree of freedom"), printed());
    assertTrue(printed().contains("the error bar of the intercept is not checked by the data"), printed());
    Values.Record r = (Values.Record) nn.value("r");
    assertNull(r.fields().get("p_value"));
    assertNull(r.fields().get("chi2_dof"));
  }

  /** P(χ²_dof > x) against closed forms (even dof) and quantiles from tables (scipy.stats.chi2). */
  @Test void chiSquareTailProbabilities() {
    for (double x : new double[] {0.01, 0.5, 2, 7.3, 40, 100}) {
      assertEquals(Math.exp(-x / 2), Extrapolate.chiSquareUpperTail(x, 2), 1e-13 * Math.exp(-x / 2));
      assertEquals(Math.exp(-x / 2) * (1 + x / 2), Extrapolate.chiSquareUpperTail(x, 4), 1e-13 * Math.exp(-x / 2) * (1 + x / 2));
      double q6 = Math.exp(-x / 2) * (1 + x / 2 + x * x / 8);
      assertEquals(q6, Extrapolate.chiSquareUpperTail(x, 6), 1e-13 * q6);
    }
    assertEquals(0.05, Extrapolate.chiSquareUpperTail(3.841458820694124, 1), 1e-12);
    assertEquals(0.01, Extrapolate.chiSquareUpperTail(6.6348966010212145, 1), 1e-12);
    assertEquals(0.05, Extrapolate.chiSquareUpperTail(7.814727903251179, 3), 1e-12);
    assertEquals(0.05, Extrapolate.chiSquareUpperTail(18.307038053275146, 10), 1e-12);
    assertEquals(0.5, Extrapolate.chiSquareUpperTail(6.345811195521515, 7), 1e-12);
    assertEquals(1.4748581038443073e-05, Extrapolate.chiSquareUpperTail(30, 5), 1e-16);
    assertEquals(0.9976430862605289, Extrapolate.chiSquareUpperTail(0.3, 5), 1e-13);
    assertEquals(4.218541107192018e-43, Extrapolate.chiSquareUpperTail(200, 3), 1e-52);
    assertEquals(1, Extrapolate.chiSquareUpperTail(0, 3));
  }

  // ---------------------------------------------------------------- correlated estimates

  /**
   * Estimates with jackknife replicas from one random source: the intercept is a fixed linear
   * function of the values, sum_i l_i y_i, so its replicas are that function of the replicas; its
   * error is their jackknife error, correlations included.
   */
  @Test void correlatedEstimatesCarryTheirReplicasIntoTheIntercept() {
    double[] xs = {0.2, 0.1, 0.05, 0.025};
    double[] ys = {0.52, 0.47, 0.445, 0.431};
    int nb = 64, n = xs.length;
    SplittableRandom rng = new SplittableRandom(7);
    double[][] reps = new double[n][nb];
    double[] shift = new double[nb];
    for (int k = 0; k < nb; k++) shift[k] = 0.002 * rng.nextGaussian();
    for (int i = 0; i < n; i++) for (int k = 0; k < nb; k++) reps[i][k] = ys[i] + shift[k] + 0.0007 * rng.nextGaussian();
    double[] es = new double[n];
    for (int i = 0; i < n; i++) es[i] = Tensor.jackError(reps[i]);
    Nnft nn = session();
    nn.raw().put("ys", new Tensor(ys, es, new int[] {n}, "test", Map.of("seed 1", reps), null, Double.NaN));
    nn.set("xs", xs);
    nn.eval("let r = extrapolate(ys, at = xs)\nlet a = r.intercept\nlet b = r.slope");

    // the intercept's weights from the normal equations: a = sum_i w_i (Sxx - Sx x_i) y_i / det
    double s = 0, sx = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      double w = 1 / (es[i] * es[i]);
      s += w; sx += w * xs[i]; sxx += w * xs[i] * xs[i];
    }
    double det = s * sxx - sx * sx;
    double[] l = new double[n];
    double a = 0, naive = 0;
    for (int i = 0; i < n; i++) {
      l[i] = (sxx - sx * xs[i]) / (es[i] * es[i]) / det;
      a += l[i] * ys[i];
      naive += l[i] * l[i] * es[i] * es[i];
    }
    double[] ar = new double[nb];
    for (int k = 0; k < nb; k++) for (int i = 0; i < n; i++) ar[k] += l[i] * reps[i][k];
    double err = Tensor.jackError(ar);
    Estimate got = nn.estimate("a");
    assertEquals(a, got.value(), 1e-13);
    assertEquals(err, got.error(), 1e-12 * err);
    // not the error the same numbers would have as independent estimates
    assertTrue(Math.abs(err - Math.sqrt(naive)) > 0.1 * Math.sqrt(naive), err + " vs " + Math.sqrt(naive));
    assertEquals(Math.sqrt(sxx / det), Math.sqrt(naive), 1e-12);
    // the intercept keeps its replicas: it cancels against itself and combines with its source
    assertEquals(0.0, (double) nn.eval("error(a - a)"));
    String note = (String) nn.eval("r.note");
    assertTrue(note.contains("the estimates are correlated"), note);
    assertTrue(note.contains("chi2 and p_value treat the estimates as independent"), note);
  }

  /** A shift common to every estimate moves the intercept and leaves the slope alone. */
  @Test void aCommonShiftIsAllTheInterceptsErrorAndNoneOfTheSlopes() {
    double[] xs = {0.2, 0.1, 0.05};
    double[] ys = {0.52, 0.47, 0.445};
    int nb = 64;
    SplittableRandom rng = new SplittableRandom(11);
    double[] shift = new double[nb];
    for (int k = 0; k < nb; k++) shift[k] = 0.003 * rng.nextGaussian();
    double[][] reps = new double[3][nb];
    for (int i = 0; i < 3; i++) for (int k = 0; k < nb; k++) reps[i][k] = ys[i] + shift[k];
    double e = Tensor.jackError(shift);
    Nnft nn = session();
    nn.raw().put("ys", new Tensor(ys, new double[] {e, e, e}, new int[] {3}, null, Map.of("seed 2", reps), null, Double.NaN));
    nn.set("xs", xs);
    nn.eval("let r = extrapolate(ys, at = xs)\nlet a = r.intercept\nlet b = r.slope");
    assertEquals(e, nn.estimate("a").error(), 1e-12 * e);
    assertEquals(0, nn.estimate("b").error(), 1e-12 * e);
  }

  /**
   * Estimates of one seed with different batch counts (different sample counts) cannot be paired
   * batch by batch: each group's part of the intercept is a jackknife error of its own, and the
   * groups are bounded as fully correlated (their errors add).
   */
  @Test void unpairedBatchesAreBoundedAsFullyCorrelated() {
    double[] xs = {0.25, 0.125, 0.0625};
    double[] ys = {1.2, 1.05, 1.01};
    SplittableRandom rng = new SplittableRandom(5);
    double[][] reps = {new double[10], new double[64], new double[64]};
    for (int i = 0; i < 3; i++) for (int k = 0; k < reps[i].length; k++) reps[i][k] = ys[i] + 0.01 * rng.nextGaussian();
    double[] es = new double[3];
    for (int i = 0; i < 3; i++) es[i] = Tensor.jackError(reps[i]);
    Nnft nn = session();
    nn.raw().put("ys", new Tensor(ys, es, new int[] {3}, null, Map.of("seed 3", reps), null, Double.NaN));
    nn.set("xs", xs);
    nn.eval("let r = extrapolate(ys, at = xs)\nlet a = r.intercept");
    double s = 0, sx = 0, sxx = 0;
    for (int i = 0; i < 3; i++) {
      double w = 1 / (es[i] * es[i]);
      s += w; sx += w * xs[i]; sxx += w * xs[i] * xs[i];
    }
    double det = s * sxx - sx * sx;
    double[] l = new double[3];
    for (int i = 0; i < 3; i++) l[i] = (sxx - sx * xs[i]) / (es[i] * es[i]) / det;
    double[] g10 = new double[10], g64 = new double[64];
    for (int k = 0; k < 10; k++) g10[k] = l[0] * reps[0][k];
    for (int k = 0; k < 64; k++) g64[k] = l[1] * reps[1][k] + l[2] * reps[2][k];
    double bound = Tensor.jackError(g10) + Tensor.jackError(g64);
    assertEquals(bound, nn.estimate("a").error(), 1e-12 * bound);
    assertTrue(((String) nn.eval("r.note")).contains("bounded as if fully correlated"));
  }

  // ---------------------------------------------------------------- refusals found only at run time

  @Test void badInputsAreRefusedWithOneSentence() {
    Nnft nn = session();
    nn.set("Ns", new double[] {10, 20, 40});
    // each: the call, the start of its sentence, and where the error points (the whole call: "")
    assertRefused(nn, "extrapolate([0.4 + 1/n ± 0.01 for n in Ns], at = [1/n for n in Ns if n > 10])",
        "extrapolate needs one value in at for each estimate, not 2 values for 3 estimates.", "");
    assertRefused(nn, "extrapolate([0.4 + 1/n for n in Ns], at = [1/n for n in Ns])",
        "extrapolate weighs each estimate by 1/error^2, but these are exact numbers with no errors;", "[0.4");
    assertRefused(nn, "extrapolate([0.41 ± 0.01, 0.42, 0.43 ± 0.01], at = [1/n for n in Ns])",
        "entry 1 of the estimates (numbered from 0) has error 0,", "[0.41");
    assertRefused(nn, "extrapolate([0.4 + 1/n ± 0.01 for n in Ns if n > 10], at = [1/n for n in Ns if n > 10], order = 2)",
        "a fit of order 2 has 3 parameters and needs at least 3 estimates, not 2.", "[0.4");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01, at = [0.1, 0.1, 0.1])",
        "at has 1 distinct value, but a line in x needs at least 2: the fit is singular.", "[0.1");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01, at = [1/n for n in [10, 10, 20]], order = 2)",
        "at has 2 distinct values, but a quadratic in x needs at least 3: the fit is singular.", "[1/n");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01, at = [0.1, 0.05, 0.025] ± 0.001)",
        "at takes exact abscissae, but its entry 0 (numbered from 0) has an error", "[0.1");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01, at = [0.1, 0.1 + 1e-13, 0.1 + 2e-13], order = 2)",
        "the values in at are too close together to fit a quadratic in x", "[0.1");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01, at = [0.1, 0.05, 0.025], order = 1.5)",
        "order is 1 (a line in x) or 2 (a quadratic in x), not 1.5.", "1.5");
    assertRefused(nn, "extrapolate([0.41, 0.42, 0.43] ± 0.01)", "extrapolate needs the abscissae as at = [x1, x2, ...]", "");
    assertRefused(nn, "extrapolate([[0.41, 0.42], [0.43, 0.44]] ± 0.01, at = [0.1, 0.05])",
        "extrapolate takes a vector of estimates, one for each value in at, not a 2x2 matrix.", "[[");
  }

  private static void assertRefused(Nnft nn, String call, String sentence, String at) {
    String line = "let r = " + call;
    NnftException e = assertThrows(NnftException.class, () -> nn.eval(line));
    String m = e.getMessage();
    assertTrue(m.startsWith(sentence), m);
    assertEquals(1, e.line());
    assertEquals(at.isEmpty() ? "let r = ".length() + 1 : line.indexOf(at) + 1, e.column(), e.render());
    // one sentence: a full stop at the end and nowhere before it (other than in "e.g.")
    assertTrue(m.endsWith(".") && m.replace("e.g. ", "").indexOf(". ") < 0, "one sentence: " + m);
  }
}
