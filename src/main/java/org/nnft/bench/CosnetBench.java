package org.nnft.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.nnft.runtime.Session;
import org.nnft.runtime.Tensor;

/**
 * Throughput of the ensemble engine on the Cos-net workload of issue 2: d = 1, N = 100, the four
 * points -0.5, 0, 0.3, 1, the 4x4 2-pt matrix and the connected 4-pt function from 10^6 networks
 * (brute force); and the i.i.d.-neuron estimator's time to N G_c4(0,0,0,0) at +-1%.
 * Usage: java -cp target/nnft.jar org.nnft.bench.CosnetBench [networks] [threads]
 */
public final class CosnetBench {
  /** The Cos-net of the workload (d = 1, N = 100) and its four points xs: shared with the Spark benchmark. */
  public static final String NET = """
      let N = 100
      net cosnet(x: R^1) {
        W0[N, 1] ~ normal(0, 1)
        b0[N]    ~ uniform(-pi, pi)
        W1[N]    ~ normal(0, 1 / sqrt(N))
        return dot(W1, cos(W0 @ x + b0))
      }
      let xs = [-0.5, 0, 0.3, 1.0]
      """;

  public static void main(String[] args) {
    long count = args.length > 0 ? (long) Double.parseDouble(args[0]) : 1_000_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    String brute = NET + "let E = sample(cosnet, " + count + ", seed = %d, estimator = \"networks\")\n"
        + "let G = correlator(E, xs, xs)\nlet C = connected(E, -0.5, 0, 0.3, 1.0)\n[G[0, 1], C]";
    // warm-up on a smaller ensemble so the JIT has compiled the kernels
    time(String.format(brute.replace(count + ",", "100000,"), 1), threads);
    double best = Double.MAX_VALUE;
    Tensor r = null;
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      r = time(String.format(brute, 2 + rep), threads);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf("nnft brute force: %d networks x 4 points (N = 100) in %.3f s = %.3g networks/s (threads %d)%n",
        count, best, count / best, threads);
    System.out.printf("  G(-0.5, 0) = %.5f +- %.5f, G_c4 = %.5f +- %.5f%n", r.data[0], r.err[0], r.data[1], r.err[1]);

    // i.i.d. estimator: N G_c4(0,0,0,0) to 1% (exact 3/8)
    String iid = NET + "let E = sample(cosnet, %d, seed = 5)\nN * connected(E, 0, 0, 0, 0)";
    time(String.format(iid, 20000, 0), threads);
    long n = 20000;
    while (true) {
      long t0 = System.nanoTime();
      Tensor c = time(String.format(iid, n), threads);
      double secs = (System.nanoTime() - t0) / 1e9;
      if (c.error() / c.value() <= 0.01 / 4 || n > 1e8) {
        System.out.printf("nnft iid neurons: N G_c4(0,0,0,0) = %.5f +- %.5f (%.2f%% at 1 sigma; exact 0.375) from %d neuron samples in %.3f s%n",
            c.value(), c.error(), 100 * c.error() / c.value(), n, secs);
        break;
      }
      n *= 2;
    }
  }

  static Tensor time(String script, int threads) {
    Session.Options o = new Session.Options();
    o.threads = threads;
    o.out = new PrintStream(new ByteArrayOutputStream());
    return (Tensor) new Session(o).run(script, "bench.nnft");
  }
}
