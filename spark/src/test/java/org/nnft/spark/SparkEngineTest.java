package org.nnft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nnft.ensemble.Engine;
import org.nnft.ensemble.EngineProvider;
import org.nnft.runtime.Session;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Source;

/**
 * Issue 14, point 3: the same scripts (plain, weighted, a width sweep, Markov chains, and an
 * ensemble of more than 1024 chunks) print the same bytes on this machine's engine and on Spark
 * (local[2]) with several partitionings; errors read the same; a cancel stops a Spark pass and
 * leaves the engine usable.
 */
class SparkEngineTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() { sc = SparkContexts.start("local[2]"); }

  @AfterAll
  static void stop() {
    if (sc != null) sc.stop();
  }

  /** The scripts shared with the core's loopback test (the top level's src/test/resources/engines). */
  static Path script(String name) {
    for (String base : new String[] {"src/test/resources/engines", "../src/test/resources/engines"}) {
      Path p = Path.of(base, name + ".nnft");
      if (Files.exists(p)) return p;
    }
    throw new IllegalStateException("no engine script " + name + " from " + Path.of("").toAbsolutePath());
  }

  static Session session(ByteArrayOutputStream b, int threads, Engine engine) {
    Session.Options o = new Session.Options();
    o.out = new PrintStream(b, true, StandardCharsets.UTF_8);
    o.threads = threads;
    o.engine = engine;
    return new Session(o);
  }

  static String run(Path script, int threads, Engine engine) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Session s = session(b, threads, engine);
    s.run(Source.of(script.getFileName().toString(), Files.readString(script)));
    assertTrue(s.failures().isEmpty(), script + ": " + s.failures());
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scriptsPrintTheSameBytesLocallyAndOnSpark() throws Exception {
    for (String name : List.of("plain", "weighted", "sweep", "chains")) {
      Path p = script(name);
      String local = run(p, 2, null);
      for (int partitions : new int[] {1, 3, 7}) {
        SparkEngine e = new SparkEngine(sc, partitions, false);
        assertEquals(local, run(p, 1, e), name + " on Spark in " + partitions + " tasks");
        assertTrue(e.jobs() > 0, name + " ran nothing on Spark");
      }
    }
  }

  @Test
  void moreThan1024ChunksPrintTheSameBytesOnSpark() throws Exception {
    Path p = script("big");
    String local = run(p, 2, null);
    assertTrue(local.contains("4500000 samples"), local);
    for (int partitions : new int[] {2, 5}) {
      SparkEngine e = new SparkEngine(sc, partitions, false);
      assertEquals(local, run(p, 1, e), "on Spark in " + partitions + " tasks");
      assertEquals(1, e.jobs());
    }
  }

  @Test
  void anErrorInATaskReadsAsItDoesLocally() {
    String script = "net f(x: R) {\n  a ~ normal(0, 1)\n  return a * x\n}\nlet Q = sample(f, 1000, seed = 1, weight = f(1))\nshow correlator(Q, 1)\n";
    NnftException local = assertThrows(NnftException.class, () -> session(new ByteArrayOutputStream(), 1, null).run(Source.of("w.nnft", script)));
    NnftException spark = assertThrows(NnftException.class,
        () -> session(new ByteArrayOutputStream(), 1, new SparkEngine(sc, 3, false)).run(Source.of("w.nnft", script)));
    assertEquals(local.render(), spark.render());
    assertTrue(local.render().contains("log-weight of a network is NaN"), local.render());
  }

  @Test
  void aCancelStopsASparkPassAndTheEngineGoesOn() throws Exception {
    SparkEngine engine = new SparkEngine(sc, 4, false);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Session s = session(b, 1, engine);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> f = pool.submit(() -> s.run(Source.of("long.nnft",
          "net f(x: R^1) {\n  w ~ normal(0, 1)\n  return w * x\n}\nlet E = sample(f, 1e9, seed = 1)\nshow correlator(E, 1, 1)\n")));
      Thread.sleep(1500); // orchestration only: let the Spark job start
      s.cancel();
      pool.shutdown();
      assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "the pass stopped after the cancel");
      Throwable why = assertThrows(java.util.concurrent.ExecutionException.class, f::get).getCause();
      assertTrue(why instanceof Session.Cancelled, String.valueOf(why));
    } finally {
      pool.shutdownNow();
    }
    // the same context answers the next script, and with the local bits
    assertEquals(run(script("plain"), 1, null), run(script("plain"), 1, engine));
  }

  /** Progress on Spark counts tasks: the engine's notes end with every task done, and the driver's reduction is the local one. */
  @Test
  void progressCountsTasks() {
    org.nnft.ensemble.Pass p = SparkSmokeTest.pass();
    java.util.List<String> notes = new java.util.ArrayList<>();
    org.nnft.ensemble.Reduction r = new SparkEngine(sc, 4, false).reduce(p, new Engine.Watch(() -> false, c -> { }, notes::add));
    assertEquals("spark: 4 of 4 tasks done", notes.get(notes.size() - 1));
    assertEquals(p.count(), r.networks());
  }

  @Test
  void theProviderIsFoundByName() {
    EngineProvider p = EngineProvider.find("spark");
    assertTrue(p instanceof SparkProvider, String.valueOf(p));
    assertEquals(null, EngineProvider.find("nonesuch"));
  }
}
