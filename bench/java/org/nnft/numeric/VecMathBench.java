package org.nnft.numeric;

import java.util.SplittableRandom;

/**
 * Throughput benchmark (a plain main, not a test: it lives outside the test tree). Run it with
 * {@code bash bench/vecmath.sh [seconds-per-case]}.
 *
 * Prints elements per second, single-threaded, for: Math.cos in a loop vs VecMath.cos (arrays of
 * length 100 and 4096), VecMath.sin, and standard normals from Rng.normal / Samplers.normal vs
 * SplittableRandom + Box–Muller (both outputs used).
 */
public final class VecMathBench {

  private static volatile double sink;

  interface Case {
    /** Processes one batch and returns the number of elements produced. */
    long run();
  }

  public static void main(String[] args) {
    double secs = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    System.out.printf("java %s, %s%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
    for (int len : new int[] {100, 4096}) {
      double[] x = new double[len];
      double[] y = new double[len];
      SplittableRandom sr = new SplittableRandom(42);
      for (int i = 0; i < len; i++) {
        x[i] = (sr.nextDouble() * 2 - 1) * 20; // |x| <= 20: typical phase arguments
      }
      final int n = len;
      report("Math.cos loop      len=" + len, secs, () -> {
        for (int i = 0; i < n; i++) {
          y[i] = Math.cos(x[i]);
        }
        sink += y[n - 1];
        return n;
      });
      report("VecMath.cos        len=" + len, secs, () -> {
        VecMath.cos(x, 0, y, 0, n);
        sink += y[n - 1];
        return n;
      });
      report("VecMath.sin        len=" + len, secs, () -> {
        VecMath.sin(x, 0, y, 0, n);
        sink += y[n - 1];
        return n;
      });
    }
    {
      // scalar kernels of the other ops, once, for orientation
      int len = 4096;
      double[] x = new double[len];
      double[] y = new double[len];
      SplittableRandom sr = new SplittableRandom(7);
      for (int i = 0; i < len; i++) {
        x[i] = sr.nextDouble() * 6 - 3;
      }
      report("VecMath.exp        len=" + len, secs, () -> {
        VecMath.exp(x, 0, y, 0, len);
        sink += y[len - 1];
        return len;
      });
      report("VecMath.erf        len=" + len, secs, () -> {
        VecMath.erf(x, 0, y, 0, len);
        sink += y[len - 1];
        return len;
      });
      report("VecMath.gelu       len=" + len, secs, () -> {
        VecMath.gelu(x, 0, y, 0, len);
        sink += y[len - 1];
        return len;
      });
    }
    {
      int len = 4096;
      double[] y = new double[len];
      Rng rng = Rng.forStream(1, 2);
      report("Rng.normal loop    len=" + len, secs, () -> {
        for (int i = 0; i < len; i++) {
          y[i] = rng.normal();
        }
        sink += y[len - 1];
        return len;
      });
      report("Samplers.normal    len=" + len, secs, () -> {
        Samplers.normal(rng, 0.0, 1.0, y, 0, len);
        sink += y[len - 1];
        return len;
      });
      SplittableRandom sr = new SplittableRandom(3);
      report("SplittableRandom Box-Muller", secs, () -> {
        for (int i = 0; i < len; i += 2) {
          double u1 = 1.0 - sr.nextDouble(); // (0, 1]
          double u2 = sr.nextDouble();
          double rad = Math.sqrt(-2.0 * Math.log(u1));
          double th = 2 * Math.PI * u2;
          y[i] = rad * Math.cos(th);
          y[i + 1] = rad * Math.sin(th);
        }
        sink += y[len - 1];
        return len;
      });
      report("Rng.nextDouble     len=" + len, secs, () -> {
        for (int i = 0; i < len; i++) {
          y[i] = rng.nextDouble();
        }
        sink += y[len - 1];
        return len;
      });
    }
  }

  private static void report(String name, double secs, Case c) {
    // warm-up (lets C2 compile the kernels)
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 300_000_000L) {
      c.run();
    }
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
      long elems = 0;
      long start = System.nanoTime();
      long stop = start + (long) (secs * 1e9 / 5);
      long now;
      do {
        elems += c.run();
        now = System.nanoTime();
      } while (now < stop);
      best = Math.max(best, elems / ((now - start) * 1e-9));
    }
    System.out.printf("%-32s %10.3e elements/s%n", name, best);
  }
}
