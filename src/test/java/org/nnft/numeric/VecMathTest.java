package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VecMathTest {

  interface Kernel {
    void apply(double[] src, int srcOff, double[] dst, int dstOff, int n);
  }

  /** Random inputs: log-uniform magnitudes up to 10^maxExp, random signs. */
  private static double[] randomInputs(long seed, int n, double maxExp) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double mag = Math.pow(10, -3 + (maxExp + 3) * r.nextDouble());
      x[i] = r.nextBoolean() ? mag : -mag;
    }
    return x;
  }

  private static final double[] SPECIALS = {
    0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
    -Double.MIN_NORMAL, 1e-300, 1.0, -1.0, Math.PI / 4, -Math.PI / 2, Math.PI, 3 * Math.PI / 2, 1e4,
    -1e4, 1e6, -1e6, 1e6 + 1, 1e7, -1e9, 1e15, 1e22, -1e300, Double.MAX_VALUE, 0.5, -2.5, 30, -30,
    700, -700, 1000, -1000
  };

  private static double[] withSpecials(double[] x, int every) {
    for (int i = 0, j = 0; i < x.length; i += every, j++) {
      x[i] = SPECIALS[j % SPECIALS.length];
    }
    return x;
  }

  /** Max |kernel - reference| over x (NaN must match NaN, infinities must match exactly). */
  private static double maxAbsError(Kernel k, DoubleUnaryOperator ref, double[] x) {
    double[] y = new double[x.length];
    k.apply(x, 0, y, 0, x.length);
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double e = ref.applyAsDouble(x[i]);
      if (Double.isNaN(e) || Double.isInfinite(e)) {
        assertEquals(e, y[i], "at x=" + x[i]);
        continue;
      }
      double err = Math.abs(y[i] - e);
      assertTrue(err == err, "NaN at x=" + x[i]);
      worst = Math.max(worst, err);
    }
    return worst;
  }

  private static void checkOffsetsAndAliasing(Kernel k, DoubleUnaryOperator ref, long seed) {
    for (int n = 0; n <= 70; n++) {
      double[] x = randomInputs(seed + n, n, 3);
      if (n > 10) {
        x[7] = 1e8; // out of the fast trig range: exercises the fix-up
        x[9] = Double.NaN;
      }
      double[] expect = new double[n];
      for (int i = 0; i < n; i++) {
        expect[i] = ref.applyAsDouble(x[i]);
      }
      // separate arrays, different offsets
      double[] src = new double[n + 5];
      double[] dst = new double[n + 9];
      System.arraycopy(x, 0, src, 2, n);
      dst[0] = 123;
      dst[n + 8] = 456;
      k.apply(src, 2, dst, 7, n);
      for (int i = 0; i < n; i++) {
        double tol = Double.isFinite(expect[i]) ? 4e-16 * Math.max(1, Math.abs(expect[i])) : 0.0;
        assertEquals(expect[i], dst[7 + i], tol, "n=" + n + " i=" + i);
        assertEquals(x[i], src[2 + i]); // source untouched
      }
      assertEquals(123, dst[0]);
      assertEquals(456, dst[n + 8]);
      // same offsets
      double[] dst2 = new double[n + 2];
      k.apply(src, 2, dst2, 2, n);
      for (int i = 0; i < n; i++) {
        assertEquals(dst[7 + i], dst2[2 + i], 0.0);
      }
      // in place
      double[] buf = new double[n + 4];
      System.arraycopy(x, 0, buf, 1, n);
      k.apply(buf, 1, buf, 1, n);
      for (int i = 0; i < n; i++) {
        assertEquals(dst[7 + i], buf[1 + i], 0.0);
      }
      // overlapping, shifted both ways
      for (int shift : new int[] {1, -1, 3}) {
        double[] ov = new double[n + 10];
        System.arraycopy(x, 0, ov, 5, n);
        k.apply(ov, 5, ov, 5 + shift, n);
        for (int i = 0; i < n; i++) {
          assertEquals(dst[7 + i], ov[5 + shift + i], 0.0, "shift " + shift);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // cos / sin

  @Test
  void cosSinAccuracyAgainstMath() {
    for (double maxExp : new double[] {0, 1, 2, 4, 6}) {
      double[] x = randomInputs((long) maxExp, 200_000, maxExp);
      double ec = maxAbsError(VecMath::cos, Math::cos, x);
      double es = maxAbsError(VecMath::sin, Math::sin, x);
      assertTrue(ec <= 4e-16, "cos max abs error " + ec + " for |x| <= 1e" + maxExp);
      assertTrue(es <= 4e-16, "sin max abs error " + es + " for |x| <= 1e" + maxExp);
    }
    // uniformly spread arguments in [-1e4, 1e4] and in [-1e6, 1e6]
    for (double lim : new double[] {1e4, 1e6}) {
      SplittableRandom r = new SplittableRandom(77);
      double[] x = new double[200_000];
      for (int i = 0; i < x.length; i++) {
        x[i] = (2 * r.nextDouble() - 1) * lim;
      }
      assertTrue(maxAbsError(VecMath::cos, Math::cos, x) <= 4e-16);
      assertTrue(maxAbsError(VecMath::sin, Math::sin, x) <= 4e-16);
    }
  }

  @Test
  void cosSinNearQuadrantBoundariesAndZeros() {
    double[] x = new double[40_000];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < x.length; i++) {
      long k = r.nextLong(-600_000, 600_000);
      double base = k * (Math.PI / 4); // multiples of pi/4: quadrant edges and zeros of cos/sin
      x[i] = base + (r.nextDouble() - 0.5) * Math.ulp(base) * 8;
    }
    assertTrue(maxAbsError(VecMath::cos, Math::cos, x) <= 4e-16);
    assertTrue(maxAbsError(VecMath::sin, Math::sin, x) <= 4e-16);
  }

  @Test
  void cosSinSpecialAndLargeInputsFallBackToMath() {
    double[] x = withSpecials(randomInputs(3, 10_000, 2), 7);
    double[] c = new double[x.length];
    double[] s = new double[x.length];
    VecMath.cos(x, 0, c, 0, x.length);
    VecMath.sin(x, 0, s, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      if (!(Math.abs(x[i]) <= VecMath.TRIG_FAST_LIMIT)) {
        assertEquals(Math.cos(x[i]), c[i], 0.0, "x=" + x[i]);
        assertEquals(Math.sin(x[i]), s[i], 0.0, "x=" + x[i]);
      } else {
        assertEquals(Math.cos(x[i]), c[i], 4e-16, "x=" + x[i]);
        assertEquals(Math.sin(x[i]), s[i], 4e-16, "x=" + x[i]);
      }
    }
    assertEquals(1.0, VecMath.cos(0.0));
    assertTrue(Double.isNaN(VecMath.cos(Double.NaN)));
    assertTrue(Double.isNaN(VecMath.sin(Double.POSITIVE_INFINITY)));
    assertEquals(Math.sin(1e300), VecMath.sin(1e300));
  }

  @Test
  void cosSinScalarMatchesArray() {
    double[] x = randomInputs(9, 10_000, 5);
    double[] c = new double[x.length];
    double[] s = new double[x.length];
    VecMath.cos(x, 0, c, 0, x.length);
    VecMath.sin(x, 0, s, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(c[i], VecMath.cos(x[i]), 0.0);
      assertEquals(s[i], VecMath.sin(x[i]), 0.0);
    }
  }

  @Test
  void offsetsAndAliasing() {
    checkOffsetsAndAliasing(VecMath::cos, Math::cos, 100);
    checkOffsetsAndAliasing(VecMath::sin, Math::sin, 200);
    checkOffsetsAndAliasing(VecMath::exp, Math::exp, 300);
    checkOffsetsAndAliasing(VecMath::abs, Math::abs, 400);
    checkOffsetsAndAliasing(VecMath::erf, VecMath::erf, 500);
    checkOffsetsAndAliasing(VecMath::gelu, VecMath::gelu, 600);
  }

  @Test
  void rangeChecks() {
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> VecMath.cos(new double[4], 1, new double[4], 0, 4));
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> VecMath.exp(new double[4], 0, new double[3], 0, 4));
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> VecMath.sin(new double[4], 0, new double[4], 0, -1));
    VecMath.cos(new double[0], 0, new double[0], 0, 0);
  }

  // ------------------------------------------------------------------------------------------
  // the Math-backed and elementary kernels

  @Test
  void elementaryKernelsMatchMath() {
    double[] x = withSpecials(randomInputs(21, 100_000, 3), 11);
    assertEquals(0.0, maxAbsError(VecMath::exp, Math::exp, x));
    assertEquals(0.0, maxAbsError(VecMath::log, Math::log, x));
    assertEquals(0.0, maxAbsError(VecMath::sqrt, Math::sqrt, x));
    assertEquals(0.0, maxAbsError(VecMath::tanh, Math::tanh, x));
    assertEquals(0.0, maxAbsError(VecMath::abs, Math::abs, x));
    assertEquals(0.0, maxAbsError(VecMath::relu, v -> Double.isNaN(v) ? v : (v > 0 ? v : 0.0), x));
  }

  @Test
  void sigmoidAndSoftplus() {
    double[] x = withSpecials(randomInputs(22, 100_000, 3), 11);
    double[] sg = new double[x.length];
    double[] sp = new double[x.length];
    VecMath.sigmoid(x, 0, sg, 0, x.length);
    VecMath.softplus(x, 0, sp, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      if (Double.isNaN(v)) {
        assertTrue(Double.isNaN(sg[i]) && Double.isNaN(sp[i]));
        continue;
      }
      double sig = 1.0 / (1.0 + Math.exp(-v));
      assertEquals(sig, sg[i], 1e-15 * sig, "sigmoid " + v);
      assertTrue(sg[i] >= 0 && sg[i] <= 1);
      double soft = v > 30 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
      assertEquals(soft, sp[i], 2e-15 * Math.abs(soft), "softplus " + v);
    }
    assertEquals(0.5, VecMath.sigmoid(0.0));
    assertEquals(Math.log(2), VecMath.softplus(0.0), 1e-16);
    assertEquals(Double.POSITIVE_INFINITY, VecMath.softplus(Double.POSITIVE_INFINITY));
    assertEquals(0.0, VecMath.softplus(Double.NEGATIVE_INFINITY));
  }

  @Test
  void gelu() {
    // reference values from mpmath (50 digits): x/2 erfc(-x/sqrt 2)
    double[][] ref = {
      {-30.0, -1.472014178144456e-196},
      {-10.0, -7.619853024160526e-23},
      {-5.0, -1.4332578593959695e-06},
      {-3.0, -0.0040496940948902835},
      {-1.5, -0.1002108019032871},
      {-0.5, -0.15426876936299344},
      {-0.001, -0.000499601057786089},
      {0.25, 0.14967658142073093},
      {1.0, 0.8413447460685429},
      {2.0, 1.9544997361036416},
      {4.0, 3.9998733150326675},
      {8.0, 7.999999999999995},
    };
    for (double[] p : ref) {
      assertEquals(p[1], VecMath.gelu(p[0]), 1e-15 * Math.abs(p[1]), "gelu(" + p[0] + ")");
    }
    // the exact erf form 0.5 x (1 + erf(x / sqrt 2)), where it does not cancel
    double[] x = withSpecials(randomInputs(23, 100_000, 1.5), 13);
    double[] y = new double[x.length];
    VecMath.gelu(x, 0, y, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      if (Double.isNaN(v)) {
        assertTrue(Double.isNaN(y[i]));
      } else if (v == Double.POSITIVE_INFINITY) {
        assertEquals(v, y[i]);
      } else if (v == Double.NEGATIVE_INFINITY) {
        assertEquals(0.0, y[i], 0.0);
      } else {
        double e = 0.5 * v * (1 + VecMath.erf(v / Math.sqrt(2)));
        assertEquals(e, y[i], 1e-15 * Math.max(1, Math.abs(v)), "gelu " + v);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // erf / erfc

  /** {x, erf(x), erfc(x)} from mpmath at 50 digits, rounded to double. */
  private static final double[][] ERF_TABLE = {
    {1e-300, 1.1283791670955126e-300, 1.0},
    {1e-10, 1.1283791670955126e-10, 0.999999999887162},
    {0.01, 0.011283415555849618, 0.9887165844441503},
    {0.1, 0.1124629160182849, 0.887537083981715},
    {0.3, 0.3286267594591274, 0.6713732405408726},
    {0.4999, 0.5204119951613866, 0.4795880048386134},
    {0.5, 0.5204998778130465, 0.4795001221869535},
    {0.75, 0.7111556336535151, 0.28884436634648486},
    {0.99, 0.8385080695553698, 0.1614919304446302},
    {1.0, 0.8427007929497149, 0.15729920705028513},
    {1.01, 0.8468104962282768, 0.1531895037717233},
    {1.2, 0.9103139782296353, 0.08968602177036464},
    {1.5, 0.9661051464753108, 0.033894853524689274},
    {1.9, 0.9927904292352575, 0.0072095707647425325},
    {2.0, 0.9953222650189527, 0.004677734981047266},
    {2.5, 0.999593047982555, 0.0004069520174449589},
    {2.8, 0.9999249868053346, 7.501319466545911e-05},
    {3.0, 0.9999779095030014, 2.209049699858544e-05},
    {3.3, 0.9999969422902035, 3.0577097964381654e-06},
    {3.9, 0.9999999652077514, 3.4792248597231765e-08},
    {4.0, 0.9999999845827421, 1.541725790028002e-08},
    {4.7, 0.9999999999700474, 2.9952597863796555e-11},
    {5.0, 0.9999999999984626, 1.537459794428035e-12},
    {5.5, 0.9999999999999927, 7.357847917974398e-15},
    {5.9, 0.9999999999999999, 7.190409783550478e-17},
    {6.0, 1.0, 2.1519736712498913e-17},
    {6.5, 1.0, 3.8421483271206475e-20},
    {7.0, 1.0, 4.183825607779414e-23},
    {8.0, 1.0, 1.1224297172982926e-29},
    {10.0, 1.0, 2.088487583762545e-45},
    {12.5, 1.0, 6.231942781979911e-70},
    {15.0, 1.0, 7.212994172451207e-100},
    {20.0, 1.0, 5.395865611607901e-176},
    {26.0, 1.0, 5.663192408856143e-296},
    {-0.3, -0.3286267594591274, 1.3286267594591274},
    {-0.8, -0.7421009647076605, 1.7421009647076604},
    {-1.7, -0.9837904585907745, 1.9837904585907746},
    {-3.0, -0.9999779095030014, 1.9999779095030015},
    {-5.0, -0.9999999999984626, 1.9999999999984626},
    {-10.0, -1.0, 2.0},
  };

  @Test
  void erfKnownValues() {
    assertEquals(0.5204998778130465, VecMath.erf(0.5), 1e-16);
    assertEquals(0.8427007929497149, VecMath.erf(1.0), 1e-16);
    assertEquals(-0.9953222650189527, VecMath.erf(-2.0), 1e-16);
    assertEquals(0.9999779095030014, VecMath.erf(3.0), 1e-16);
    double worstErf = 0, worstErfc = 0;
    for (double[] row : ERF_TABLE) {
      double x = row[0];
      double re = Math.abs(VecMath.erf(x) - row[1]) / Math.abs(row[1]);
      double rc = Math.abs(VecMath.erfc(x) - row[2]) / Math.abs(row[2]);
      assertTrue(re <= 1e-15, "erf(" + x + ") rel err " + re);
      assertTrue(rc <= 1e-15, "erfc(" + x + ") rel err " + rc);
      worstErf = Math.max(worstErf, re);
      worstErfc = Math.max(worstErfc, rc);
    }
    assertTrue(worstErf <= 4e-16, "worst erf " + worstErf);
    assertTrue(worstErfc <= 8e-16, "worst erfc " + worstErfc);
    // deep underflow region (subnormal results lose relative precision by construction)
    assertEquals(5.23705e-319, VecMath.erfc(27.0), 1e-322);
    assertEquals(0.0, VecMath.erfc(28.0));
  }

  @Test
  void erfSpecialValuesAndSymmetry() {
    assertTrue(Double.isNaN(VecMath.erf(Double.NaN)));
    assertTrue(Double.isNaN(VecMath.erfc(Double.NaN)));
    assertEquals(1.0, VecMath.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, VecMath.erf(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, VecMath.erfc(Double.POSITIVE_INFINITY));
    assertEquals(2.0, VecMath.erfc(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, VecMath.erf(0.0));
    assertEquals(-0.0, VecMath.erf(-0.0));
    assertEquals(1.0, VecMath.erfc(0.0));
    double[] x = randomInputs(31, 100_000, 1.5);
    double prev = -2;
    double[] sorted = x.clone();
    java.util.Arrays.sort(sorted);
    for (double v : sorted) {
      double e = VecMath.erf(v);
      assertEquals(-e, VecMath.erf(-v), 0.0);
      assertTrue(e >= prev, "erf not monotone at " + v);
      prev = e;
      assertEquals(1.0, VecMath.erf(v) + VecMath.erfc(v), 4e-16);
    }
  }

  @Test
  void erfAgainstHipparchus() {
    // independent implementation (regularised incomplete gamma, ~1e-15)
    double[] x = withSpecials(randomInputs(41, 20_000, 1.2), 17);
    double[] y = new double[x.length];
    VecMath.erf(x, 0, y, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double e = org.hipparchus.special.Erf.erf(x[i]);
      if (Double.isNaN(x[i])) {
        assertTrue(Double.isNaN(y[i]));
        continue;
      }
      assertEquals(VecMath.erf(x[i]), y[i], 0.0);
      if (Math.abs(x[i]) < 1e-100) {
        continue; // Hipparchus underflows x^2 there
      }
      assertEquals(e, y[i], 2e-15 * Math.abs(e), "erf " + x[i]);
    }
  }
}
