package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of a pass's floating-point additions is fixed by the pass alone: groups of chunks
 * (a function of the chunk count), each reduced in chunk order, merged in group order. Every way
 * of running it (threads, tasks, the wire in between) gives the same bits.
 */
class ReductionTest {

  /** 2100 chunks of one network each: more than Pass.MAX_GROUPS, so groups of 3 chunks. */
  static Pass many() {
    Pass p = EngineTest.pass(1);
    return new Pass(p.net(), p.densities(), p.points(), p.statistic(), p.seed(), 2100, 1);
  }

  static void assertSameBits(MonomialSums.Batches a, MonomialSums.Batches b) {
    assertEquals(a.batches(), b.batches());
    for (int k = 0; k < a.batches(); k++) {
      double[] x = a.sums(k), y = b.sums(k);
      for (int m = 0; m < x.length; m++) assertEquals(Double.doubleToRawLongBits(x[m]), Double.doubleToRawLongBits(y[m]), "batch " + k + ", monomial " + m);
    }
    assertArrayEquals(a.counts, b.counts);
    assertArrayEquals(a.topN, b.topN);
    // the largest summands are a set: compared sorted
    for (int m = 0; m < a.topN.length; m++) {
      double[] s = Arrays.copyOfRange(a.tops, m * a.top, m * a.top + a.topN[m]), t = Arrays.copyOfRange(b.tops, m * b.top, m * b.top + b.topN[m]);
      Arrays.sort(s);
      Arrays.sort(t);
      assertArrayEquals(s, t, 0.0);
    }
  }

  @Test
  void groupsDependOnlyOnTheChunkCount() {
    Pass p = many();
    assertEquals(2100, p.chunks());
    assertEquals(3, p.groupSize());
    assertEquals(700, p.groups());
    Pass small = EngineTest.pass(2550);
    assertEquals(26, small.chunks());
    assertEquals(1, small.groupSize());
    assertEquals(26, small.groups());
    // 1024 chunks: one per group; 1025: two per group, the last group short
    Pass edge = new Pass(p.net(), p.densities(), p.points(), p.statistic(), 1, 1025, 1);
    assertEquals(2, edge.groupSize());
    assertEquals(513, edge.groups());
  }

  @Test
  void everyEngineAndTaskCountGivesTheCanonicalBits() {
    Pass p = many();
    MonomialSums.Batches here = (MonomialSums.Batches) Engine.reduceHere(p);
    assertEquals(2100, here.networks());
    assertSameBits(here, (MonomialSums.Batches) new LocalEngine(1).reduce(p));
    assertSameBits(here, (MonomialSums.Batches) new LocalEngine(3).reduce(p));
    byte[] wire = Wire.encode(Wire.Kind.PASS, p);
    for (int tasks : new int[] {1, 7, 64, 700, 5000}) {
      int n = Tasks.count(p.groups(), tasks);
      List<List<byte[]>> results = new ArrayList<>();
      for (int t = 0; t < n; t++) results.add(Tasks.run(wire, n, t));
      assertSameBits(here, (MonomialSums.Batches) Tasks.merge(p, results));
    }
  }

  @Test
  void aGroupOfOneChunkMergesExactlyAsItsChunkAdds() {
    Pass p = EngineTest.pass(2550);
    MonomialSums.Batches added = (MonomialSums.Batches) p.emptyReduction();
    for (long k = 0; k < p.chunks(); k++) added.add(p.job(k).run());
    assertSameBits(added, (MonomialSums.Batches) new LocalEngine(2).reduce(p));
    // and a merge of groups is not the same association as adding chunk by chunk once groups are larger:
    // which is why the groups are fixed by the pass, never by the engine
    Pass q = many();
    MonomialSums.Batches seq = (MonomialSums.Batches) q.emptyReduction();
    for (long k = 0; k < q.chunks(); k++) seq.add(q.job(k).run());
    MonomialSums.Batches grouped = (MonomialSums.Batches) Engine.reduceHere(q);
    assertArrayEquals(seq.counts, grouped.counts);
    for (int b = 0; b < seq.batches(); b++) assertArrayEquals(seq.sums(b), grouped.sums(b), 1e-12 * 2100);
  }

  @Test
  void theWireRefusesWhatItDoesNotShip() {
    Pass p = many();
    byte[] ok = Wire.encode(Wire.Kind.PASS, p);
    Pass back = Wire.decode(Wire.Kind.PASS, Pass.class, ok);
    assertEquals(p.groups(), back.groups());
    // another kind, another version, not nnft bytes at all
    assertThrows(IllegalArgumentException.class, () -> Wire.decode(Wire.Kind.REDUCTION, Reduction.class, ok));
    byte[] v2 = ok.clone();
    v2[7] = 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wire.decode(Wire.Kind.PASS, Pass.class, v2));
    assertTrue(e.getMessage().contains("different nnft versions"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Wire.decode(Wire.Kind.PASS, Pass.class, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    // a class outside the lowered types is refused, not loaded
    byte[] foreign = Wire.encode(Wire.Kind.PASS, new java.util.HashMap<String, String>());
    e = assertThrows(IllegalArgumentException.class, () -> Wire.decode(Wire.Kind.PASS, Object.class, foreign));
    assertTrue(e.getMessage().contains("does not ship"), e.getMessage());
  }
}
