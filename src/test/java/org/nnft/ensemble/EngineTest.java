package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnft.model.Density;
import org.nnft.numeric.Forward;
import org.nnft.numeric.HandTapes;
import org.nnft.numeric.Tape;

/** Chunk jobs, their statistics and the local engine: serialization, order, merging, a plugged-in statistic. */
class EngineTest {

  /** A Cos-net of 12 neurons at 3 points; monomials φ(x0), φ(x1), φ(x0)φ(x1), φ(x0)², φ(x0)²φ(x1)². */
  static Pass pass(long count) {
    Tape t = HandTapes.cosnet(12);
    List<Density> dens = List.of(new Density.Normal(0, 1), new Density.Uniform(-Math.PI, Math.PI), new Density.Normal(0, 0.3),
        new Density.Laplace(0, 0.1));
    int[] last = {0, 1, 1, 0, 1, 1}, parent = {-1, -1, 0, 0, 3, 4}, order = {0, 1, 2, 3, 4, 5};
    return new Pass(t, dens, new double[] {-0.5, 0.3, 1}, new MonomialSums(order, parent, last, 20), 11, count, 100);
  }

  private static byte[] bytes(Object o) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) { out.writeObject(o); }
    return b.toByteArray();
  }

  private static Object back(byte[] b) throws Exception {
    return new ObjectInputStream(new ByteArrayInputStream(b)).readObject();
  }

  @Test
  void aSerializedJobGivesTheSameBits() throws Exception {
    Pass p = pass(1000);
    for (long k : new long[] {0, 3, 9}) {
      ChunkJob job = p.job(k);
      byte[] b = bytes(job);
      ChunkJob copy = (ChunkJob) back(b);
      ChunkStats a = job.run(), c = copy.run();
      assertEquals(a, c);
      MonomialSums.Stats s = (MonomialSums.Stats) c;
      assertArrayEquals(((MonomialSums.Stats) a).sums(), s.sums(), 0.0);
      assertEquals(100, s.networks());
      assertEquals(k, s.firstChunk());
      // the statistics travel back as well
      assertEquals(a, back(bytes(a)));
      // nothing of the parser, the runtime or Symja travels with a job
      String text = new String(b, StandardCharsets.ISO_8859_1);
      for (String no : new String[] {"org.nnft.runtime", "org.nnft.syntax", "org.nnft.symbolic", "matheclipse"}) {
        assertFalse(text.contains(no), "a job refers to " + no);
      }
    }
  }

  private static List<ChunkStats> collect(Pass p, int threads) {
    List<ChunkStats> out = new ArrayList<>();
    new LocalEngine(threads).run(jobs(p), out::add);
    return out;
  }

  @Test
  void chunksArriveInChunkOrderWithTheSameBitsAtAnyThreadCount() {
    Pass p = pass(2550); // 26 chunks, the last one short
    List<ChunkStats> one = collect(p, 1);
    assertEquals(26, one.size());
    for (int i = 0; i < one.size(); i++) assertEquals(i, one.get(i).firstChunk());
    assertEquals(50, one.get(25).networks());
    assertEquals(one, collect(p, 2));
    assertEquals(one, collect(p, 3));
    // and job lists run the same way
    List<ChunkJob> jobs = new ArrayList<>();
    for (long k = 0; k < p.chunks(); k++) jobs.add(p.job(k));
    List<ChunkStats> listed = new ArrayList<>();
    new LocalEngine(3).run(jobs, listed::add);
    assertEquals(one, listed);
  }

  @Test
  void mergingIsAssociativeUpToRoundingAndKeepsTheLargestSummands() {
    List<ChunkStats> s = collect(pass(900), 2);
    MonomialSums.Stats left = (MonomialSums.Stats) s.get(0).merge(s.get(1)).merge(s.get(2));
    MonomialSums.Stats right = (MonomialSums.Stats) s.get(0).merge(s.get(1).merge(s.get(2)));
    assertEquals(300, left.networks());
    assertEquals(0, left.firstChunk());
    assertEquals(2, left.lastChunk());
    for (int m = 0; m < left.sums().length; m++) assertEquals(left.sums()[m], right.sums()[m], 1e-12 * (1 + Math.abs(left.sums()[m])));
    for (int m = 0; m < left.sums().length; m++) {
      double[] a = topsOf(left, m), b = topsOf(right, m);
      assertArrayEquals(a, b, 0.0);
      // the kept values are the 20 largest of the three chunks' kept values
      List<Double> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) for (double v : topsOf((MonomialSums.Stats) s.get(i), m)) all.add(v);
      all.sort(null);
      for (int i = 0; i < 20; i++) assertEquals(all.get(all.size() - 1 - i), a[a.length - 1 - i], 0.0);
    }
    // merged in order by the engine: the same sums as adding the chunks one by one
    List<ChunkJob> jobs = new ArrayList<>();
    Pass p = pass(900);
    for (long k = 0; k < p.chunks(); k++) jobs.add(p.job(k));
    MonomialSums.Stats all = (MonomialSums.Stats) new LocalEngine(2).merged(jobs);
    assertEquals(900, all.networks());
    double sum = 0;
    for (ChunkStats c : s) sum += ((MonomialSums.Stats) c).sums()[5];
    assertEquals(sum, all.sums()[5], 0.0);
  }

  private static double[] topsOf(MonomialSums.Stats s, int m) {
    double[] t = java.util.Arrays.copyOfRange(s.tops(), m * s.top(), m * s.top() + s.topN()[m]);
    java.util.Arrays.sort(t);
    return t;
  }

  /** A statistic plugged in from outside: the sum of φ(x)² at point 0 and the sum of the parameter c. */
  record SquareAndParameter() implements Statistic {
    @Override public Accumulator accumulator(int points, int outputSize) {
      return new Accumulator() {
        double sq, c;
        final double[] theta = new double[64];

        @Override public void add(double[] out, Forward network) {
          sq += out[0] * out[0];
          network.getParameters(theta, 0);
          c += theta[3 * 12];
        }

        @Override public ChunkStats finish(long chunk, int networks) { return new Pair(chunk, chunk, networks, sq, c); }
      };
    }
  }

  record Pair(long firstChunk, long lastChunk, long networks, double sq, double c) implements ChunkStats {
    @Override public int version() { return 1; }

    @Override public ChunkStats merge(ChunkStats later) {
      Pair o = (Pair) later;
      return new Pair(firstChunk, o.lastChunk, networks + o.networks, sq + o.sq, c + o.c);
    }
  }

  @Test
  void aStatisticPluggedInSeesTheSameNetworks() {
    Pass p = pass(700);
    Pass q = new Pass(p.net(), p.densities(), p.points(), new SquareAndParameter(), p.seed(), p.count(), p.chunkSize());
    Pair pair = (Pair) new LocalEngine(2).merged(jobs(q));
    MonomialSums.Stats mono = (MonomialSums.Stats) new LocalEngine(1).merged(jobs(p));
    assertEquals(700, pair.networks());
    assertEquals(mono.sums()[3], pair.sq(), 1e-12 * mono.sums()[3]); // monomial 3 is φ(x0)²
    assertTrue(Math.abs(pair.c() / 700) < 0.05, "the mean of a laplace(0, 0.1) parameter: " + pair.c() / 700);
  }

  static List<ChunkJob> jobs(Pass p) {
    List<ChunkJob> jobs = new ArrayList<>();
    for (long k = 0; k < p.chunks(); k++) jobs.add(p.job(k));
    return jobs;
  }
}
