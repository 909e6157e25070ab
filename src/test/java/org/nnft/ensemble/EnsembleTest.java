package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.nnft.runtime.Session;
import org.nnft.runtime.Tensor;

/** The ensemble engine: determinism, the two estimators, errors, cumulants. */
class EnsembleTest {
  static final String COSNET = """
      let N = 20
      net cosnet(x: R^1) {
        W0[N, 1] ~ normal(0, 1)
        b0[N]    ~ uniform(-pi, pi)
        W1[N]    ~ normal(0, 1 / sqrt(N))
        return dot(W1, cos(W0 @ x + b0))
      }
      """;

  static Tensor run(String script, int threads) {
    Session.Options o = new Session.Options();
    o.threads = threads;
    o.out = new PrintStream(new ByteArrayOutputStream());
    Session s = new Session(o);
    return (Tensor) s.run(script, "test.nnft");
  }

  @Test
  void sameSeedSameBitsAtAnyThreadCount() {
    String script = COSNET + """
        let E = sample(cosnet, 30000, seed = 9, estimator = "networks")
        [correlator(E, 0, 0.5), connected(E, 0, 0.5, 1, 1.5), connected(E, 0, 0, 0, 0, 0, 0)]
        """;
    Tensor a = run(script, 1), b = run(script, 2), c = run(script, 3);
    assertArrayEquals(a.data, b.data, 0.0);
    assertArrayEquals(a.err, b.err, 0.0);
    assertArrayEquals(a.data, c.data, 0.0);
    Tensor d = run(script.replace("seed = 9", "seed = 10"), 1);
    assertTrue(a.data[0] != d.data[0], "another seed gives other numbers");
  }

  @Test
  void iidNeuronsAgreeWithBruteForce() {
    String script = COSNET + """
        let A = sample(cosnet, 200000, seed = 1)
        let B = sample(cosnet, 200000, seed = 2, estimator = "networks")
        [correlator(A, 0, 0.7), correlator(B, 0, 0.7), connected(A, 0, 0, 0.7, 0.7), connected(B, 0, 0, 0.7, 0.7)]
        """;
    Tensor t = run(script, 2);
    assertTrue(t.note.startsWith("iid neurons"), t.note);
    double z2 = (t.data[0] - t.data[1]) / Math.hypot(t.err[0], t.err[1]);
    double z4 = (t.data[2] - t.data[3]) / Math.hypot(t.err[2], t.err[3]);
    assertTrue(Math.abs(z2) < 4, "2-pt: " + z2);
    assertTrue(Math.abs(z4) < 4, "4-pt: " + z4);
    // exact values (derived independently): G2 = exp(-0.49/2)/2
    double g2 = Math.exp(-0.49 / 2) / 2;
    assertTrue(Math.abs(t.data[0] - g2) < 4 * t.err[0]);
    assertTrue(Math.abs(t.data[1] - g2) < 4 * t.err[1]);
  }

  @Test
  void errorsScaleAsOneOverRootCount() {
    String small = COSNET + "let E = sample(cosnet, 20000, seed = 3, estimator = \"networks\")\ncorrelator(E, 0, 0)";
    String big = small.replace("20000", "320000");
    double e1 = run(small, 1).error(), e2 = run(big, 1).error();
    // the batch-jackknife error is itself uncertain by about 1/sqrt(2 * 64): allow 40%
    assertEquals(4.0, e1 / e2, 1.6);
    // and it matches the exact standard error sqrt(Var(phi^2)/n) = sqrt(2 G^2/n) for a near-Gaussian field
    double exact = Math.sqrt(2 * 0.25 / 320000);
    assertEquals(exact, e2, 0.4 * exact);
  }

  @Test
  void cumulantsFromMomentsByPartitions() {
    assertEquals(1, Partitions.of(0b1).size());
    assertEquals(2, Partitions.of(0b11).size());
    assertEquals(15, Partitions.of(0b1111).size());
    assertEquals(203, Partitions.of(0b111111).size());
    assertEquals(-1, Partitions.cumulantWeight(2));
    assertEquals(2, Partitions.cumulantWeight(3));
    assertEquals(-6, Partitions.cumulantWeight(4));
  }

  @Test
  void chunkingGivesEveryEnsembleAnErrorAndBoundedChunks() {
    for (long count : new long[] {2, 10, 1000, 1_000_000, 1_000_000_000L, 1L << 40}) {
      int cs = Runner.chunkSize(count);
      long chunks = (count + cs - 1) / cs;
      assertTrue(chunks >= 2, "count " + count + " needs two batches for an error");
      assertTrue(cs >= 1 && cs <= 4096, "chunk size " + cs);
      if (count <= 64L * 4096) assertTrue(chunks <= Runner.MAX_BATCHES, "count " + count + ": " + chunks + " chunks");
    }
  }

}
