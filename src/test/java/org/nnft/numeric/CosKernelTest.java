package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scan-free cosine of the sampling kernels against java.lang.Math. */
class CosKernelTest {
  @Test
  void matchesMathCosToThreeUlpsOfOne() {
    SplittableRandom r = new SplittableRandom(7);
    double[] x = new double[4096], y = new double[4096];
    double worst = 0;
    double[] scales = {1, 4, 20, 1e3, 1e6, 1e9, 1e12, 4e14};
    for (double scale : scales) {
      for (int rep = 0; rep < 20; rep++) {
        for (int i = 0; i < x.length; i++) x[i] = (2 * r.nextDouble() - 1) * scale;
        VecMath.cosKernelUnscanned(x, y, x.length);
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(y[i] - Math.cos(x[i])));
      }
    }
    // near multiples of pi/2, where cos is small
    for (int k = -1000; k <= 1000; k++) {
      double[] a = {k * Math.PI / 2, Math.nextUp(k * Math.PI / 2), Math.nextDown(k * Math.PI / 2)};
      double[] b = new double[3];
      VecMath.cosKernelUnscanned(a, b, 3);
      for (int i = 0; i < 3; i++) worst = Math.max(worst, Math.abs(b[i] - Math.cos(a[i])));
    }
    assertTrue(worst <= 3.4e-16, "worst absolute error " + worst);
  }

  @Test
  void nonFiniteAndHugeInputsNeverLookLikeACosine() {
    double[] x = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e15, -3e17, 0.0};
    double[] y = new double[x.length];
    VecMath.cosKernelUnscanned(x, y, x.length);
    assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[1]) && Double.isNaN(y[2]));
    assertTrue(Math.abs(y[3]) >= 1e300 && Math.abs(y[4]) >= 1e300, "huge arguments are flagged");
    assertEquals(1.0, y[5]);
  }

  @Test
  void inPlace() {
    double[] x = {0.1, 2.0, -7.5};
    double[] want = {Math.cos(0.1), Math.cos(2.0), Math.cos(-7.5)};
    VecMath.cosKernelUnscanned(x, x, 3);
    for (int i = 0; i < 3; i++) assertEquals(want[i], x[i], 3e-16);
  }
}
