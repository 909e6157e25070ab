package org.nnft.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.nnft.runtime.Session;
import org.nnft.runtime.Value;

/**
 * Issue 12, point 7: exact extraction of {f = 1} for a 3 -> 64 -> 1 and a 3 -> 16 -> 16 -> 1 ReLU
 * net (each first fitted briefly to |x| so that the level set is closed), each extraction timed on
 * its own after one warm-up extraction, with the polytope's f-vector and the number of linear
 * regions walked. The nets are those of bench/polytope_extract.nnft.
 * Usage: java -cp target/nnft.jar org.nnft.bench.PolytopeBench [repeats=3]
 */
public final class PolytopeBench {
  static final String NETS = """
      net wide(x: R^3) {
        W[64, 3] ~ normal(0, 1); b[64] ~ normal(0, 0.3); v[64] ~ normal(0, 0.125); c ~ normal(0, 0.1)
        return dot(v, relu(W @ x + b)) + c
      }
      net deep(x: R^3) {
        W1[16, 3] ~ normal(0, 1); b1[16] ~ normal(0, 0.3); W2[16, 16] ~ normal(0, 0.25); b2[16] ~ normal(0, 0.1); v[16] ~ normal(0, 0.25); c ~ normal(0, 0.1)
        return dot(v, relu(W2 @ relu(W1 @ x + b1) + b2)) + c
      }
      let A = fit(wide, target = norm(x), data = ball(3, radius = 1.5, count = 2048), optimizer = adam(lr = 0.01, steps = 500), seed = 1)
      let B = fit(deep, target = norm(x), data = ball(3, radius = 1.5, count = 2048), optimizer = adam(lr = 0.01, steps = 500), seed = 1)
      """;

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Session.Options o = new Session.Options();
    o.out = new PrintStream(new ByteArrayOutputStream());
    Session s = new Session(o);
    s.run(NETS, "bench.nnft");
    for (String[] c : new String[][] {{"A", "3 -> 64 -> 1"}, {"B", "3 -> 16 -> 16 -> 1"}}) {
      s.run("let P = polytope(" + c[0] + ")", "bench.nnft"); // warm-up
      double best = Double.MAX_VALUE;
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        s.run("let P = polytope(" + c[0] + ")", "bench.nnft");
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      Value f = s.run("P.f_vector", "bench.nnft"), regions = s.run("P.regions", "bench.nnft"), euler = s.run("P.euler", "bench.nnft");
      System.out.printf("extraction of {f = 1}, %-18s %.3f s (best of %d)  f-vector %s, %s regions, Euler characteristic %s%n",
          c[1] + ":", best, repeats, org.nnft.runtime.Printer.text(f), org.nnft.runtime.Printer.text(regions), org.nnft.runtime.Printer.text(euler));
    }
  }
}
