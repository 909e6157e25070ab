package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.nnft.ensemble.Estimate;
import org.nnft.api.Nnft;

/**
 * Error bars are tested too: across many seeds the z-scores (estimate - exact) / error of an
 * estimate have mean near 0 and standard deviation near 1, for raw correlators, connected ones,
 * derived quantities of one ensemble (correlations between its estimates), combinations of two
 * ensembles drawn with one seed (they share random numbers) and reconstructed actions. Exact
 * values are written out by hand (the Cos-net formulas of SCIENCE.md). With S seeds the sample
 * standard deviation of unit-variance z-scores has a spread of about 1/sqrt(2 S), so the bounds
 * below are more than four of those.
 */
class ErrorBarCalibrationTest {
  static final String COSNET = "let N = 10\nnet c(x: R^1) { W0[N, 1] ~ normal(0, 1); b0[N] ~ uniform(-pi, pi); W1[N] ~ normal(0, 1 / sqrt(N))\n return dot(W1, cos(W0 @ x + b0)) }\n";

  /** mean and standard deviation of the z-scores of the statement's estimate over seeds 1..S. */
  static double[] zscores(String setup, IntFunction<String> estimate, double exact, int seeds) {
    Nnft nn = Nnft.session();
    nn.eval(setup);
    double s = 0, ss = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      nn.eval("let q_ = " + estimate.apply(seed));
      Estimate e = nn.estimate("q_");
      assertTrue(e.error() > 0, "an estimate with error 0: " + e);
      double z = (e.value() - exact) / e.error();
      s += z;
      ss += z * z;
    }
    double mean = s / seeds;
    return new double[] {mean, Math.sqrt(ss / seeds - mean * mean)};
  }

  static void calibrated(double[] z, int seeds) {
    double spread = 1 / Math.sqrt(2.0 * seeds);
    assertEquals(0, z[0], 4.5 / Math.sqrt(seeds), "mean z-score " + z[0]);
    assertEquals(1, z[1], 4.5 * spread, "standard deviation of the z-scores " + z[1]);
  }

  @Test void twoPointAndConnectedFourPoint() {
    int seeds = 200;
    calibrated(zscores(COSNET, s -> "correlator(sample(c, 4000, seed = " + s + "), 0, 0.7)", 0.5 * Math.exp(-0.49 / 2), seeds), seeds);
    // N G_c4(x, x, y, y) = (3/8)(1 + 2 E(2v)) ... written out: with E(v) = exp(-v^2/2), v = 0.7
    double v = 0.7, e1 = Math.exp(-v * v / 2), e2 = Math.exp(-4 * v * v / 2);
    double c4 = (3.0 / 8) * (e2 + 1 + 1) - 0.25 * (1 + e1 * e1 + e1 * e1);
    calibrated(zscores(COSNET, s -> "N * connected(sample(c, 4000, seed = " + s + "), 0, 0, 0.7, 0.7)", c4, seeds), seeds);
    calibrated(zscores(COSNET, s -> "connected(sample(c, 4000, seed = " + s + ", estimator = \"networks\"), 0, 0.7)", 0.5 * e1, seeds), seeds);
  }

  @Test void derivedQuantitiesOfOneEnsemble() {
    int seeds = 200;
    // the ratio G(0, 0.7) / G(0, 0) = exp(-0.49/2): its numerator and denominator are correlated
    calibrated(zscores(COSNET + "let xs = [0, 0.7]\n", s -> "(correlator(sample(c, 4000, seed = " + s + "), 0, xs) / correlator(sample(c, 4000, seed = " + s + "), 0, 0))[1]",
        Math.exp(-0.49 / 2), seeds), seeds);
    // a matrix product of one ensemble's estimates: [1, -1] @ G @ [1, -1] = 2 G(0,0) - 2 G(0, 0.7)
    calibrated(zscores(COSNET + "let xs = [0, 0.7]\n", s -> "[1, -1] @ correlator(sample(c, 4000, seed = " + s + "), xs, xs) @ [1, -1]",
        1 - Math.exp(-0.49 / 2), seeds), seeds);
    // linear algebra and reductions of estimates carry errors too (they were exact numbers)
    calibrated(zscores(COSNET + "let xs = [0, 0.7]\n", s -> "det(correlator(sample(c, 4000, seed = " + s + "), xs, xs))",
        0.25 * (1 - Math.exp(-0.49)), seeds), seeds);
    calibrated(zscores(COSNET + "let xs = [0, 0.7]\n", s -> "norm(correlator(sample(c, 4000, seed = " + s + "), 0, xs))",
        0.5 * Math.sqrt(1 + Math.exp(-0.49)), seeds), seeds);
  }

  @Test void twoEnsemblesDrawnWithOneSeedShareTheirRandomNumbers() {
    int seeds = 200;
    // G does not depend on N: G(N = 10) - G(N = 20) is 0, and drawn with one seed the two
    // estimates are strongly correlated; independent errors would give z-scores far below 1
    calibrated(zscores(COSNET, s -> "correlator(sample(c, 4000, seed = " + s + "), 0, 0.7) - correlator(sample(c with N = 20, 6000, seed = " + s + "), 0, 0.7)", 0, seeds), seeds);
    Nnft nn = Nnft.session();
    nn.eval(COSNET + "let d = correlator(sample(c, 4000, seed = 3), 0, 0.7) - correlator(sample(c, 4000, seed = 3, estimator = \"iid\"), 0, 0.7)");
    assertEquals(0, nn.estimate("d").value(), 0);
    assertEquals(0, nn.estimate("d").error(), 0);
  }

  @Test void reconstructedQuadraticPart() {
    int seeds = 60;
    // G on two points 1 apart is [[1/2, e/2], [e/2, 1/2]] with e = exp(-1/2); G^-1 by hand
    double e = Math.exp(-0.5), det = 0.25 * (1 - e * e);
    double ginv00 = 0.5 / det, ginv01 = -0.5 * e / det;
    calibrated(zscores(COSNET, s -> "reconstruct(sample(c, 20000, seed = " + s + "), points = [0, 1]).ginv[0, 0]", ginv00, seeds), seeds);
    calibrated(zscores(COSNET, s -> "reconstruct(sample(c, 20000, seed = " + s + "), points = [0, 1]).ginv[0, 1]", ginv01, seeds), seeds);
  }
}
