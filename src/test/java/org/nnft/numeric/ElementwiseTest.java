package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one table of element-wise functions: derivatives against differences, kernels against values, names and flags. */
class ElementwiseTest {

  /** A point inside the function's domain and away from its kinks. */
  private static double point(Elementwise e, SplittableRandom r) {
    return switch (e) {
      case LOG, SQRT -> 0.2 + 2 * r.nextDouble();
      case ACOS, ASIN -> -0.9 + 1.8 * r.nextDouble();
      case TAN -> -1.2 + 2.4 * r.nextDouble();
      default -> {
        double x = -3 + 6 * r.nextDouble();
        yield Math.abs(2 * x - Math.rint(2 * x)) < 0.1 ? x + 0.2 : x; // away from the jumps of floor, ceil, round
      }
    };
  }

  @Test
  void derivativesMatchCentralDifferences() {
    SplittableRandom r = new SplittableRandom(11);
    for (Elementwise e : Elementwise.values()) {
      for (int k = 0; k < 50; k++) {
        double x = point(e, r), h = 1e-5;
        double fd1 = (e.value(x + h) - e.value(x - h)) / (2 * h);
        double fd2 = (e.d1(x + h) - e.d1(x - h)) / (2 * h);
        assertEquals(fd1, e.d1(x), 1e-6 * (1 + Math.abs(fd1)), e + "' at " + x);
        assertEquals(fd2, e.d2(x), 1e-5 * (1 + Math.abs(fd2)), e + "'' at " + x);
      }
    }
  }

  @Test
  void arrayKernelsAgreeWithValues() {
    SplittableRandom r = new SplittableRandom(12);
    for (Elementwise e : Elementwise.values()) {
      double[] a = new double[257], d = new double[257];
      for (int i = 0; i < a.length; i++) a[i] = point(e, r);
      e.apply(a, d, a.length);
      for (int i = 0; i < a.length; i++) {
        double v = e.value(a[i]);
        // cos and sin run VecMath's own reductions: within a few units in the last place
        if (e == Elementwise.COS || e == Elementwise.SIN) assertEquals(v, d[i], 4e-16, e + " at " + a[i]);
        else assertEquals(v, d[i], 0.0, e + " at " + a[i]);
      }
      double[] same = a.clone();
      e.apply(same, same, same.length); // in place
      assertEquals(d[100], same[100], 0.0, e + " in place");
    }
  }

  @Test
  void namesFlagsAndSymbolicForms() {
    assertEquals(List.of("cos", "sin", "tan", "exp", "log", "sqrt", "tanh", "erf", "relu", "leaky_relu", "sigmoid", "softplus",
        "gelu", "abs", "identity", "sign", "floor", "ceil", "round", "step", "acos", "asin", "atan", "sinh", "cosh"),
        Elementwise.languageNames());
    for (Elementwise e : Elementwise.values()) {
      assertSame(e, Elementwise.byName(e.text()));
      if (e.language()) assertNotNull(e.symja("x"), e.text());
    }
    assertNull(Elementwise.byName("nope"));
    assertFalse(Elementwise.FLOOR.inNets());
    assertTrue(Elementwise.STEP.inNets());
    assertFalse(Elementwise.NEG.inNets());
    for (Elementwise e : List.of(Elementwise.RELU, Elementwise.LEAKY_RELU, Elementwise.ABS)) {
      assertTrue(e.piecewiseLinear() && e.positivelyHomogeneous() && !e.smooth(), e.text());
    }
    assertTrue(Elementwise.IDENTITY.positivelyHomogeneous() && !Elementwise.IDENTITY.piecewiseLinear());
    assertFalse(Elementwise.TANH.positivelyHomogeneous() || Elementwise.TANH.piecewiseLinear() || !Elementwise.TANH.smooth());
    assertEquals("((x)+Abs(x))/2", Elementwise.RELU.symja("x"));
    assertEquals(0.01, Elementwise.LEAKY_SLOPE);
  }
}
