package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The quadrature behind actions on nets, against integrals done by hand. */
class GaussLegendreTest {
  @Test void anNPointRuleIsExactForPolynomialsOfDegree2nMinus1() {
    for (int n = 1; n <= 12; n++) {
      double[][] r = GaussLegendre.rule(n);
      for (int k = 0; k <= 2 * n - 1; k++) {
        double s = 0;
        for (int i = 0; i < n; i++) s += r[1][i] * Math.pow(r[0][i], k);
        double exact = k % 2 == 1 ? 0 : 2.0 / (k + 1);
        assertEquals(exact, s, 1e-13, "n = " + n + ", x^" + k);
      }
    }
  }

  @Test void compositeRulesIntegrateSmoothFunctionsOverIntervals() {
    // int_0^12 cos(3 t)^2 dt = 6 + sin(72)/12
    double[][] r = GaussLegendre.composite(0, 12, 32, 8);
    double s = 0;
    for (int i = 0; i < r[0].length; i++) s += r[1][i] * Math.cos(3 * r[0][i]) * Math.cos(3 * r[0][i]);
    assertEquals(6 + Math.sin(72) / 12, s, 1e-12);
    // int_{-1}^{2} t^5 dt = (64 - 1)/6
    r = GaussLegendre.composite(-1, 2, 3, 3);
    s = 0;
    for (int i = 0; i < r[0].length; i++) s += r[1][i] * Math.pow(r[0][i], 5);
    assertEquals(63.0 / 6, s, 1e-12);
  }
}
