package org.nnft.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 3: the corpus (samples, golden scripts and the findings of earlier campaigns,
 * src/test/resources/fuzz/corpus) and a fixed set of seeded mutants of it run through one
 * session per thread. Every script must end in a value or a positioned user error: no internal
 * error, no Java exception, no error without a place, no run that outlasts the hang watchdog, and
 * each session must still answer correctly afterwards. The long campaign is bench/fuzz.sh.
 *
 * <p>{@code -Dfuzz.count=N} changes the number of mutants (default 2500), {@code -Dfuzz.seed=S}
 * the seed.
 */
class FuzzTest {
  static final Path CORPUS = Path.of("src", "test", "resources", "fuzz", "corpus");
  /** The hang watchdog: a correctness limit, far above what any corpus script or mutant needs. */
  static final long LIMIT_MILLIS = 10_000;

  @Test void mutantsEndInValuesOrPlacedUserErrors(@TempDir Path out) throws Exception {
    List<String> corpus = Fuzzer.corpus(CORPUS);
    assertTrue(corpus.size() > 300, "the corpus is missing: " + CORPUS.toAbsolutePath());
    int count = Integer.getInteger("fuzz.count", 2500);
    long seed = Long.getLong("fuzz.seed", 13);
    Fuzzer.Report rep = Fuzzer.campaign(corpus, count, seed, 2, LIMIT_MILLIS, 0.5, 1000, true, out, null);
    String summary = rep.summary() + examples(rep);
    assertEquals(corpus.size() + count, rep.scripts.get(), summary);
    assertEquals(0, rep.total("internal"), summary);
    assertEquals(0, rep.total("hang"), summary);
    assertEquals(0, rep.total("unplaced"), summary);
    assertTrue(rep.counts.isEmpty(), summary);
    assertTrue(rep.unhealthy.isEmpty(), summary);
    // not vacuous: a good share of the scripts ran to the end
    assertTrue(rep.scripts.get() - rep.userErrors.get() > rep.scripts.get() / 20, summary);
  }

  /** The shortest script of each kind found, to reproduce it. */
  private static String examples(Fuzzer.Report rep) {
    StringBuilder b = new StringBuilder();
    for (Fuzzer.Outcome o : rep.examples.values()) {
      b.append("\n---- ").append(o.kind()).append("\n").append(o.detail()).append("\n").append(o.script());
    }
    return b.toString();
  }
}
