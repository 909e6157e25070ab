package org.nnft.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.nnft.ensemble.Engine;
import org.nnft.runtime.Session;
import org.nnft.syntax.Source;

/**
 * Issue 14, point 5: what Spark costs and gives on one machine. Prints the start-up time of a
 * Spark context, the overhead per task (an empty job of many tasks, and an nnft pass of tiny
 * chunks), and the throughput of the brute-force Cos-net workload (d = 1, N = 100, the 4 points of
 * bench/cosnet.sh, the 4x4 2-pt matrix and the connected 4-pt function) on the local engine and on
 * Spark local[threads], side by side, at several ensemble sizes, checking that both print the same
 * bytes.
 * Usage (bench/spark.sh): SparkBench [threads] [sizes...]
 */
public final class SparkBench {
  private SparkBench() {}

  static final String NET = org.nnft.bench.CosnetBench.NET;

  static String run(String script, int threads, Engine engine) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Session.Options o = new Session.Options();
    o.out = new PrintStream(b, true, StandardCharsets.UTF_8);
    o.threads = threads;
    o.engine = engine;
    new Session(o).run(Source.of("bench.nnft", script));
    return b.toString(StandardCharsets.UTF_8);
  }

  static double secs(long t0) { return (System.nanoTime() - t0) / 1e9; }

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    List<Long> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) sizes.add((long) Double.parseDouble(args[i]));
    if (sizes.isEmpty()) sizes = List.of(100_000L, 1_000_000L, 4_000_000L);
    String master = "local[" + threads + "]";

    long t0 = System.nanoTime();
    JavaSparkContext sc = SparkContexts.start(master);
    double startup = secs(t0);
    System.out.printf("spark start-up (%s, in-process): %.2f s%n", master, startup);
    try {
      // per-task overhead: empty jobs of many tasks (after one to warm up)
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < 400; i++) idx.add(i);
      sc.parallelize(idx, 400).map(x -> x).collect();
      double best = Double.MAX_VALUE;
      for (int rep = 0; rep < 3; rep++) {
        t0 = System.nanoTime();
        sc.parallelize(idx, 400).map(x -> x).collect();
        best = Math.min(best, secs(t0));
      }
      System.out.printf("spark overhead per task (an empty job of 400 tasks): %.2f ms%n", 1000 * best / 400);
      // an nnft pass of 1024 tiny chunks in 1 task and in 256 tasks
      String tiny = NET + "let E = sample(cosnet, 1024, seed = 1, estimator = \"networks\")\nshow correlator(E, 0, 1)\n";
      // (a pass of 1024 networks has 64 chunks of 16; with Pass.MAX_GROUPS groups this is 64 groups)
      run(tiny, 1, new SparkEngine(sc, 64, false));
      double one = Double.MAX_VALUE, many = Double.MAX_VALUE, local = Double.MAX_VALUE;
      for (int rep = 0; rep < 3; rep++) {
        t0 = System.nanoTime();
        run(tiny, 1, new SparkEngine(sc, 1, false));
        one = Math.min(one, secs(t0));
        t0 = System.nanoTime();
        run(tiny, 1, new SparkEngine(sc, 64, false));
        many = Math.min(many, secs(t0));
        t0 = System.nanoTime();
        run(tiny, threads, null);
        local = Math.min(local, secs(t0));
      }
      System.out.printf("a small pass (1024 networks, 64 chunks): local %.3f s, spark in 1 task %.3f s, in 64 tasks %.3f s"
          + " (overhead of a pass %.3f s, per task %.2f ms)%n", local, one, many, one - local, 1000 * (many - one) / 63);

      // throughput, side by side
      String brute = NET + "let E = sample(cosnet, %d, seed = %d, estimator = \"networks\")\n"
          + "show correlator(E, xs, xs)\nshow connected(E, -0.5, 0, 0.3, 1.0)\n";
      run(String.format(brute, 200_000, 1), threads, null);
      run(String.format(brute, 200_000, 1), threads, new SparkEngine(sc, 0, false));
      System.out.println("brute-force Cos-net (N = 100, 4 points, 2-pt matrix and connected 4-pt), networks per second:");
      System.out.println("  networks     local (" + threads + " threads)     spark " + master + " (" + 4 * threads + " tasks)   same output");
      for (long n : sizes) {
        String s = String.format(brute, n, 7);
        t0 = System.nanoTime();
        String a = run(s, threads, null);
        double tl = secs(t0);
        t0 = System.nanoTime();
        String b = run(s, threads, new SparkEngine(sc, 4 * threads, false));
        double ts = secs(t0);
        System.out.printf("  %9.3g   %7.3f s = %9.3g/s      %7.3f s = %9.3g/s      %s%n", (double) n, tl, n / tl, ts, n / ts, a.equals(b) ? "yes" : "NO");
      }
    } finally {
      sc.stop();
    }
  }
}
