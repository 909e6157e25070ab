package org.nnft.symbolic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nnft.numeric.VecMath;

class ClosureCompilerTest {
  private static final Symbolic SYM = Symbolic.get();
  private static final Object X = SYM.symbol("x");
  private static final Object Y = SYM.symbol("y");
  private static final Object M = SYM.symbol("m");
  private static final Object LAMBDA = SYM.symbol("lambda");
  private static final Object P = SYM.symbol("p");

  /** The closure agrees with hand-written Java at many random points in [-3, 3]. */
  private static void agree(Compiled c, ToDoubleFunction<double[]> hand, int dims) {
    SplittableRandom rnd = new SplittableRandom(7);
    double[] a = new double[dims];
    for (int k = 0; k < 2000; k++) {
      for (int i = 0; i < dims; i++) a[i] = -3 + 6 * rnd.nextDouble();
      double got = c.eval(a);
      double want = hand.applyAsDouble(a);
      double diff = Math.abs(got - want);
      if (!(diff <= 1e-15 || diff <= 1e-13 * Math.abs(want))) {
        fail("at " + java.util.Arrays.toString(a) + ": closure " + got + ", Java " + want + "\n" + c.source());
      }
    }
  }

  @Test
  void phi4Potential() {
    Object e = SYM.apply("1/2*#2^2*#1^2 + #3/24*#1^4", X, M, LAMBDA);
    Compiled c = ClosureCompiler.compile(e, List.of("x", "m", "lambda"));
    assertArrayEquals(new String[] {"x", "m", "lambda"}, c.variables());
    agree(c, a -> 0.5 * a[1] * a[1] * a[0] * a[0] + a[2] / 24 * a[0] * a[0] * a[0] * a[0], 3);
    assertTrue(!c.source().contains("Math.pow"), c.source()); // squares and fourth powers are products
  }

  @Test
  void gaussianTimesCosine() {
    Object e = SYM.apply("Exp[-#1^2/2]*Cos[3*#1]", X);
    Compiled c = ClosureCompiler.compile(e, List.of("x"));
    agree(c, a -> Math.exp(-a[0] * a[0] / 2) * Math.cos(3 * a[0]), 1);
  }

  @Test
  void squareRoot() {
    Object e = SYM.apply("Sqrt[1 + #1^2]", X);
    Compiled c = ClosureCompiler.compile(e, List.of("x"));
    agree(c, a -> Math.sqrt(1 + a[0] * a[0]), 1);
    assertTrue(c.source().contains("Math.sqrt("), c.source());
  }

  @Test
  void erfOverX() {
    Object e = SYM.apply("Erf[#1]/#1", X);
    Compiled c = ClosureCompiler.compile(e, List.of("x"));
    agree(c, a -> VecMath.erf(a[0]) / a[0], 1);
    assertTrue(c.source().contains("VecMath.erf("), c.source());
  }

  @Test
  void reluAsAbs() {
    Object e = SYM.apply("(#1 + Abs[#1])/2", X);
    Compiled c = ClosureCompiler.compile(e, List.of("x"));
    agree(c, a -> Math.max(a[0], 0), 1);
    assertEquals(0.0, c.eval(new double[] {-1.5}));
    assertEquals(2.5, c.eval(new double[] {2.5}));
  }

  @Test
  void moreFunctionsAndArgumentOrder() {
    Object e = SYM.apply("ArcTan[#1, #2] + Log[2, 3 + #1^2] + 1/Cos[#2] + Tanh[#1]*Sinh[#2] - Cosh[#1]/5 + Tan[#1/4]"
        + " + Sin[Pi*#1] + E^(#2/3) + Log[4 + #2] + #1^(-3) + (2 + #2)^(3/2) + (3 + #1)^(-1/2) + (5 + #2)^0.3", X, Y);
    ToDoubleFunction<double[]> hand = a -> {
      double x = a[0], y = a[1];
      return Math.atan2(y, x) + Math.log(3 + x * x) / Math.log(2) + 1 / Math.cos(y) + Math.tanh(x) * Math.sinh(y)
          - Math.cosh(x) / 5 + Math.tan(x / 4) + Math.sin(Math.PI * x) + Math.exp(y / 3) + Math.log(4 + y)
          + 1 / (x * x * x) + Math.pow(2 + y, 1.5) + 1 / Math.sqrt(3 + x) + Math.pow(5 + y, 0.3);
    };
    Compiled c = ClosureCompiler.compile(e, List.of("x", "y"));
    SplittableRandom rnd = new SplittableRandom(3);
    for (int k = 0; k < 500; k++) {
      double x = 0.1 + 1.9 * rnd.nextDouble(), y = -1.5 + 3 * rnd.nextDouble();
      double got = c.eval(new double[] {x, y}), want = hand.applyAsDouble(new double[] {x, y});
      assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), c.source());
    }
    // the same expression with the arguments swapped
    Compiled swapped = ClosureCompiler.compile(e, List.of("y", "x"));
    assertNotSame(c, swapped);
    assertEquals(c.eval(new double[] {0.7, -0.4}), swapped.eval(new double[] {-0.4, 0.7}));
    assertArrayEquals(new String[] {"y", "x"}, swapped.variables());
  }

  @Test
  void piecewiseLinearFunctions() {
    // built from the internal name: Symbolic.apply("Max[#1, 0]", x) currently leaks its temporary symbol
    String ix = SYM.internal("x");
    Object e = SYM.apply("Max[" + ix + ", 0] + Min[" + ix + ", 1, 2*" + ix + "] + Ramp[" + ix + "] + Sign[" + ix + "]"
        + " + UnitStep[" + ix + "]");
    Compiled c = ClosureCompiler.compile(e, List.of("x"));
    agree(c, a -> {
      double x = a[0];
      return Math.max(x, 0) + Math.min(x, Math.min(1, 2 * x)) + Math.max(x, 0) + Math.signum(x) + (x >= 0 ? 1 : 0);
    }, 1);
  }

  @Test
  void unsupportedFunctionIsAClearError() {
    Object e = SYM.apply("Gamma[#1] + #1", X);
    Symbolic.SymbolicError err = assertThrows(Symbolic.SymbolicError.class, () -> ClosureCompiler.compile(e, List.of("x")));
    assertTrue(err.getMessage().contains("the function Gamma"), err.getMessage());
    assertTrue(err.getMessage().contains("cannot be compiled"), err.getMessage());
    assertTrue(!err.getMessage().contains("nnv"), err.getMessage()); // user names, not internal ones

    Object b = SYM.apply("BesselJ[0, #1]", X);
    err = assertThrows(Symbolic.SymbolicError.class, () -> ClosureCompiler.compile(b, List.of("x")));
    assertTrue(err.getMessage().contains("BesselJ"), err.getMessage());
  }

  @Test
  void freeSymbolOutsideTheVariablesIsAnError() {
    Object e = SYM.apply("#1^2 + #2", X, M);
    Symbolic.SymbolicError err = assertThrows(Symbolic.SymbolicError.class, () -> ClosureCompiler.compile(e, List.of("x")));
    assertTrue(err.getMessage().contains("uses m,"), err.getMessage());
  }

  @Test
  void complexNumberIsAnError() {
    Object e = SYM.apply("I*#1", X);
    assertThrows(Symbolic.SymbolicError.class, () -> ClosureCompiler.compile(e, List.of("x")));
  }

  @Test
  void duplicateVariablesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClosureCompiler.compile(X, List.of("x", "x")));
  }

  @Test
  void constantsAndUnusedVariables() {
    Compiled c = ClosureCompiler.compile(SYM.apply("Pi*E/3 + 1/7"), List.of("unused"));
    assertEquals(Math.PI * Math.E / 3 + 1.0 / 7, c.eval(new double[] {99}), 1e-15);
    Compiled none = ClosureCompiler.compile(SYM.apply("2^(1/2)"), List.of());
    assertEquals(Math.sqrt(2), none.eval(new double[0]), 0);
  }

  @Test
  void cachingReturnsTheSameInstance() {
    Object e1 = SYM.apply("Sin[#1]*#2^3 + Sqrt[#2]", X, M);
    Object e2 = SYM.apply("Sqrt[#2] + #2^3*Sin[#1]", X, M); // the same expression, built again
    Compiled a = ClosureCompiler.compile(e1, List.of("x", "m"));
    int size = ClosureCompiler.cacheSize();
    Compiled b = ClosureCompiler.compile(e1, List.of("x", "m"));
    Compiled c = ClosureCompiler.compile(e2, List.of("x", "m"));
    assertSame(a, b);
    assertSame(a, c);
    assertEquals(size, ClosureCompiler.cacheSize());
  }

  @Test
  void disagreementWithSymjaIsAnIllegalStateException() {
    Object e = SYM.apply("Cos[#1]", X);
    Compiled wrong = new Compiled() {
      public double eval(double[] args) { return Math.cos(args[0]) * (1 + 1e-6); }
      public String[] variables() { return new String[] {"x"}; }
      public String source() { return "wrong"; }
    };
    IllegalStateException err = assertThrows(IllegalStateException.class,
        () -> ClosureCompiler.verify(wrong, (org.matheclipse.core.interfaces.IExpr) e, new String[] {SYM.internal("x")}, new String[] {"x"}, "cos(x)", SYM));
    assertTrue(err.getMessage().contains("cos(x)"), err.getMessage());
    // tiny differences near zero are accepted
    Compiled close = new Compiled() {
      public double eval(double[] args) { return Math.cos(args[0]) + 1e-13; }
      public String[] variables() { return new String[] {"x"}; }
      public String source() { return "close"; }
    };
    ClosureCompiler.verify(close, (org.matheclipse.core.interfaces.IExpr) e, new String[] {SYM.internal("x")}, new String[] {"x"}, "cos(x)", SYM);
  }

  @Test
  void largeExpressionIsCutIntoMethods() {
    Object e = SYM.apply("Total[Table[Cos[k*#1]/k^2 + #2^k/k!, {k, 1, 600}]]", X, Y);
    Compiled c = ClosureCompiler.compile(e, List.of("x", "y"));
    assertTrue(c.source().contains("private static double p1("), "expected helper methods");
    agree(c, a -> {
      double s = 0;
      double yk = 1, fact = 1;
      for (int k = 1; k <= 600; k++) {
        yk *= a[1];
        fact *= k;
        s += Math.cos(k * a[0]) / ((double) k * k) + (Double.isInfinite(fact) ? 0 : yk / fact);
      }
      return s;
    }, 2);
  }

  @Test
  void callingFromTheSymjaThreadFailsFast() {
    Symbolic.SymbolicError err = assertThrows(Symbolic.SymbolicError.class,
        () -> SYM.run(() -> ClosureCompiler.compile(X, List.of("x"))));
    assertTrue(err.getMessage().contains("Symja thread"), err.getMessage());
  }

  @Test
  void closuresAreThreadSafe() throws Exception {
    Compiled c = ClosureCompiler.compile(SYM.apply("Exp[-#1^2]*Sin[#2]", X, Y), List.of("x", "y"));
    double want = Math.exp(-0.09) * Math.sin(0.5);
    Thread[] ts = new Thread[4];
    double[] bad = new double[1];
    for (int t = 0; t < ts.length; t++) {
      ts[t] = new Thread(() -> {
        double[] a = {0.3, 0.5};
        for (int i = 0; i < 100_000; i++) if (Math.abs(c.eval(a) - want) > 1e-15) bad[0]++;
      });
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    assertEquals(0.0, bad[0]);
  }
}
