package org.nnft.symbolic;

import java.util.List;

/**
 * Single-core throughput of a compiled φ⁴ integrand {@code p²/2 + m²x²/2 + λx⁴/24} (target: at
 * least 1e7 evaluations per second), next to the same integrand written by hand.
 *
 * <p>A benchmark, not a test: it lives outside the test tree and {@code bash bench/closure.sh
 * [evals] [rounds]} compiles and runs it.
 */
public final class ClosureBench {
  private ClosureBench() {}

  /** The best rate (evaluations per second) over some rounds of n evaluations, after warm-up. */
  public static double measure(Compiled c, int n, int rounds) {
    double[] a = {0.3, 0.1, 1.0, 0.5};
    double sink = 0;
    // many short calls first, so that run() gets a regular JIT compilation, not only on-stack replacement
    for (int w = 0; w < 3000; w++) sink += run(c, a, 10_000);
    double best = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      sink += run(c, a, n);
      long t1 = System.nanoTime();
      best = Math.max(best, n / ((t1 - t0) * 1e-9));
    }
    if (sink == 42.4242) System.out.println(sink); // keeps the work alive
    return best;
  }

  /** n evaluations at moving points (x and p change every call). */
  private static double run(Compiled c, double[] a, int n) {
    double s = 0;
    double x = -2.0;
    double dx = 4.0 / n;
    for (int i = 0; i < n; i++) {
      a[0] = x * 0.5;
      a[1] = x;
      s += c.eval(a);
      x += dx;
    }
    return s;
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Symbolic sym = Symbolic.get();
    Object e = sym.apply("1/2*#1^2 + 1/2*#3^2*#2^2 + #4/24*#2^4", sym.symbol("p"), sym.symbol("x"), sym.symbol("m"), sym.symbol("lambda"));
    long t0 = System.nanoTime();
    Compiled c = ClosureCompiler.compile(e, List.of("p", "x", "m", "lambda"));
    long t1 = System.nanoTime();
    System.out.println("integrand: " + sym.print(e));
    System.out.printf("compile + check against Symja: %.1f ms%n", (t1 - t0) * 1e-6);
    System.out.println(c.source());
    Compiled hand = new Compiled() {
      public double eval(double[] a) {
        double p = a[0], x = a[1], m = a[2], l = a[3];
        double x2 = x * x;
        return 0.5 * p * p + 0.5 * m * m * x2 + l / 24 * x2 * x2;
      }
      public String[] variables() { return new String[] {"p", "x", "m", "lambda"}; }
      public String source() { return "hand-written"; }
    };
    double rc = measure(c, n, rounds);
    double rh = measure(hand, n, rounds);
    System.out.printf("compiled closure: %.3g evaluations/s on one core (target >= 1e7)%n", rc);
    System.out.printf("hand-written    : %.3g evaluations/s on one core%n", rh);
    System.exit(0);
  }
}
