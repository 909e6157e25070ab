package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nnft.runtime.Session;
import org.nnft.syntax.Source;

/**
 * The cluster protocol without a cluster: passes go through the wire, groups are dealt to tasks
 * in several ways and run in reverse order, the reductions come back through the wire. Whole
 * scripts (plain, weighted, a width sweep, Markov chains, more than 1024 chunks) print the same bytes as on the
 * local engine. The Spark module runs the same scripts on Spark.
 */
class EngineEquivalenceTest {

  /** A cluster simulated here: tasks of consecutive groups, run last first, every byte through {@link Wire}. */
  static final class Loopback implements Engine {
    final int tasks;
    int passes;

    Loopback(int tasks) { this.tasks = tasks; }

    @Override public Reduction reduce(Pass pass, Watch watch) {
      passes++;
      byte[] wire = Wire.encode(Wire.Kind.PASS, pass);
      int n = Tasks.count(pass.groups(), tasks);
      List<List<byte[]>> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
      for (int t = n - 1; t >= 0; t--) results.set(t, Tasks.run(wire, n, t));
      return Tasks.merge(pass, results);
    }

    @Override public <R extends java.io.Serializable> List<R> runAll(List<? extends Task<R>> tasks, Watch watch) {
      passes++;
      List<R> out = new ArrayList<>(java.util.Collections.nCopies(tasks.size(), null));
      for (int t = tasks.size() - 1; t >= 0; t--) {
        Task<?> back = Wire.decode(Wire.Kind.TASK, Task.class, Wire.encode(Wire.Kind.TASK, tasks.get(t)));
        @SuppressWarnings("unchecked") R r = (R) Wire.decode(Wire.Kind.RESULT, java.io.Serializable.class, Wire.encode(Wire.Kind.RESULT, back.run()));
        out.set(t, r);
      }
      return out;
    }

    @Override public void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink) { for (ChunkJob j : jobs) sink.accept(j.run()); }
  }

  static String run(Path script, int threads, Engine engine) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Session.Options o = new Session.Options();
    o.out = new PrintStream(b, true, StandardCharsets.UTF_8);
    o.threads = threads;
    o.engine = engine;
    Session s = new Session(o);
    s.run(Source.of(script.toString(), Files.readString(script)));
    assertTrue(s.failures().isEmpty(), script + ": " + s.failures());
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scriptsPrintTheSameBytesHowEverTheGroupsAreDealt() throws Exception {
    for (String name : List.of("plain", "weighted", "sweep", "chains")) {
      Path p = Path.of("src/test/resources/engines", name + ".nnft");
      String local = run(p, 1, null);
      assertEquals(local, run(p, 2, null), name + " at 2 threads");
      for (int tasks : new int[] {1, 3, 64}) {
        Loopback l = new Loopback(tasks);
        assertEquals(local, run(p, 1, l), name + " in " + tasks + " tasks");
        assertTrue(l.passes > 0, name + " ran no pass on the engine");
      }
    }
  }

  /** The core knows no cluster: Spark is not on its class path, and asking for it finds no engine. */
  @Test
  void theCoreRunsWithoutSpark() {
    org.junit.jupiter.api.Assertions.assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.SparkContext"));
    assertEquals(null, EngineProvider.find("spark"));
  }

  @Test
  void moreThan1024ChunksPrintTheSameBytes() throws Exception {
    Path p = Path.of("src/test/resources/engines/big.nnft");
    String local = run(p, 2, null);
    for (int tasks : new int[] {5, 700}) assertEquals(local, run(p, 1, new Loopback(tasks)), "in " + tasks + " tasks");
    assertTrue(Arrays.stream(local.split("\n")).anyMatch(l -> l.contains("4500000 samples")), local);
  }
}
