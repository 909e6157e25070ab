package org.nnft.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.ensemble.ChunkJob;
import org.nnft.ensemble.ChunkStats;
import org.nnft.ensemble.LocalEngine;
import org.nnft.ensemble.MonomialSums;
import org.nnft.ensemble.Pass;
import org.nnft.ensemble.Request;
import org.nnft.ensemble.Runner;
import org.nnft.model.CompiledNet;
import org.nnft.polytope.FittedV;

/** The core's chunk jobs on an in-process Spark (local[2]): the same statistics, bit for bit, as on this machine's engine. */
class SparkSmokeTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() { sc = SparkContexts.start("local[2]"); }

  @AfterAll
  static void stop() {
    if (sc != null) sc.stop();
  }

  /** A pass of 3000 Cos-nets of 8 neurons (64 chunks, the last one short): ⟨φ(0)φ(0.5)⟩ and the connected 4-pt function. */
  static Pass pass() {
    Nnft s = Nnft.session();
    // the compiled net of a script, through a one-step fit (the public way to a CompiledNet)
    s.eval("""
        net cosnet(x: R^1) {
          W0[8, 1] ~ normal(0, 1)
          b0[8]    ~ uniform(-pi, pi)
          W1[8]    ~ normal(0, 1 / sqrt(8))
          return dot(W1, cos(W0 @ x + b0))
        }
        let F__ = fit(cosnet, target = 1, data = ball(1, count = 4), optimizer = adam(steps = 1), seed = 1)
        """);
    CompiledNet net = ((FittedV) s.value("F__")).compiled();
    List<Request> requests = List.of(new Request(false, new double[][] {{0}, {0.5}}),
        new Request(true, new double[][] {{0}, {0}, {0.5}, {0.5}}));
    return new Runner(net, Runner.Mode.NETWORKS, 3000, 42, 1, requests).pass();
  }

  private static long[] bits(double[] xs) {
    return Arrays.stream(xs).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void chunkJobsRunOnExecutorsGiveTheSameBitsAsTheLocalEngine() {
    Pass pass = pass();
    List<ChunkJob> jobs = new ArrayList<>();
    for (long k = 0; k < pass.chunks(); k++) jobs.add(pass.job(k));
    assertEquals(64, jobs.size());

    // the jobs travel with the task's closure; each task runs its chunks on an executor
    List<Integer> chunks = IntStream.range(0, jobs.size()).boxed().toList();
    List<ChunkStats> stats = sc.parallelize(chunks, 5).map(k -> jobs.get(k).run()).collect();
    assertEquals(jobs.size(), stats.size());
    ChunkStats merged = null;
    for (int k = 0; k < stats.size(); k++) {
      assertEquals(k, stats.get(k).firstChunk()); // collect() keeps the order of the indices
      merged = merged == null ? stats.get(k) : merged.merge(stats.get(k));
    }

    MonomialSums.Stats spark = (MonomialSums.Stats) merged;
    MonomialSums.Stats local = (MonomialSums.Stats) new LocalEngine(2).merged(jobs);
    assertEquals(3000, spark.networks());
    assertEquals(local.networks(), spark.networks());
    assertEquals(local.firstChunk(), spark.firstChunk());
    assertEquals(local.lastChunk(), spark.lastChunk());
    assertTrue(spark.sums().length >= 5, "monomials: " + spark.sums().length);
    assertArrayEquals(bits(local.sums()), bits(spark.sums()));
    assertArrayEquals(bits(local.tops()), bits(spark.tops()));
    assertArrayEquals(local.topN(), spark.topN());
    assertEquals(local, spark);
  }

  @Test
  void anUnserializableClosureIsReportedNotCrashed() {
    Object notSerializable = new Object();
    SparkException e = assertThrows(SparkException.class,
        () -> sc.parallelize(List.of(1, 2), 2).map(x -> x + notSerializable.hashCode()).collect());
    assertTrue(String.valueOf(e.getMessage()).contains("not serializable"), e.getMessage());
  }

  @Test
  void sparksKryoIsTheOneOnTheClassPath() {
    // Symja's Kryo 5 (same packages, another API) is excluded; Spark's own Kryo serializer works
    SerializerInstance kryo = new KryoSerializer(sc.getConf()).newInstance();
    scala.reflect.ClassTag<String> tag = scala.reflect.ClassTag$.MODULE$.apply(String.class);
    assertEquals("nnft", kryo.deserialize(kryo.serialize("nnft", tag), tag));
  }
}
