package org.nnft.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.nnft.api.Nnft;
import org.nnft.runtime.Session;
import org.nnft.syntax.DeepStack;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Runs scripts through long-lived sessions (one per thread) and sorts what happens: a value or a
 * positioned user error is fine; an internal error (kind "internal error", as the CLI exits 3
 * for), any other Java exception or error leaving the engine, a user error without a position, or
 * a run that does not finish within the time limit (a hang) is a finding. A hang is cancelled
 * ({@link Session#cancel()} and an interrupt); a run that does not stop even then leaves its
 * session behind and the thread goes on with a new one.
 *
 * <p>{@link #main} is the long campaign that bench/fuzz.sh runs: it prints the findings by kind
 * and writes the shortest script of each distinct kind into the corpus folder.
 */
public final class Fuzzer {
  /** The outcome of one script: kind is "ok" or a finding's kind. */
  public record Outcome(String kind, String detail, String script) {
    /**
     * A run that outlasted the watchdog but stopped when cancelled is slow legal work (an ODE
     * integrated to t = 1e5, say) bounded by cancellation, as a host would bound it: counted, not a
     * finding. A run that does not stop when cancelled is a hang.
     */
    public boolean finding() { return !kind.equals("ok") && !kind.equals("user error") && !kind.startsWith("slow"); }
  }

  /** What a campaign found: counts per kind and the shortest script for each. */
  public static final class Report {
    public final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    public final Map<String, Outcome> examples = new ConcurrentHashMap<>();
    public final AtomicInteger scripts = new AtomicInteger(), userErrors = new AtomicInteger();
    public final List<String> unhealthy = java.util.Collections.synchronizedList(new ArrayList<>());

    public final AtomicInteger slow = new AtomicInteger();

    void add(Outcome o) {
      scripts.incrementAndGet();
      if (o.kind().equals("user error")) { userErrors.incrementAndGet(); return; }
      if (o.kind().startsWith("slow")) { slow.incrementAndGet(); return; }
      if (!o.finding()) return;
      counts.computeIfAbsent(o.kind(), k -> new AtomicInteger()).incrementAndGet();
      examples.merge(o.kind(), o, (a, b) -> b.script().length() < a.script().length() ? b : a);
    }

    public int total(String prefix) {
      int n = 0;
      for (Map.Entry<String, AtomicInteger> e : counts.entrySet()) if (e.getKey().startsWith(prefix)) n += e.getValue().get();
      return n;
    }

    public String summary() {
      StringBuilder b = new StringBuilder();
      b.append(scripts.get()).append(" scripts, ").append(userErrors.get()).append(" user errors, ")
          .append(total("internal")).append(" internal errors, ").append(total("hang")).append(" hangs, ")
          .append(total("unplaced")).append(" unplaced errors, ").append(slow.get()).append(" slow runs stopped by cancel\n");
      for (Map.Entry<String, AtomicInteger> e : new TreeMap<>(counts).entrySet()) {
        b.append(String.format("%6d  %s%n", e.getValue().get(), e.getKey()));
      }
      for (String u : unhealthy) b.append("unhealthy session: ").append(u).append('\n');
      return b.toString();
    }
  }

  /** Where main keeps each finding as it happens (null in tests). */
  static volatile java.util.function.Consumer<Outcome> findingsNow;

  private static final boolean VERBOSE = Boolean.getBoolean("fuzz.verbose");
  private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

  /** One session on one thread with nnft's stack, replaced when a run will not stop. */
  static final class Worker {
    private final long limitMillis;
    private final Path dir;
    private Nnft nn;
    private java.util.concurrent.ExecutorService exec;
    private volatile Thread thread;

    Worker(long limitMillis, Path dir) {
      this.limitMillis = limitMillis;
      this.dir = dir;
      fresh();
    }

    private void fresh() {
      nn = Nnft.session().setOut(NULL);
      nn.raw().options().baseDir = dir;
      exec = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = DeepStack.thread(r, "nnft-fuzz");
        thread = t;
        return t;
      });
    }

    Outcome run(String script) {
      Object[] result = new Object[1];
      CountDownLatch done = new CountDownLatch(1);
      Nnft session = nn;
      exec.execute(() -> {
        try {
          session.reset();
          result[0] = classify(() -> session.eval(script), script);
        } finally {
          Thread.interrupted(); // an interrupt that came too late must not reach the next script
          done.countDown();
        }
      });
      try {
        if (done.await(limitMillis, TimeUnit.MILLISECONDS)) return (Outcome) result[0];
        String where = where(thread);
        session.raw().cancel();
        Thread t = thread;
        if (t != null) t.interrupt();
        if (done.await(Math.max(2000, limitMillis / 2), TimeUnit.MILLISECONDS)) {
          return new Outcome("slow (stopped by cancel) " + where, "", script);
        }
        String stack = stack(thread);
        exec.shutdownNow();
        fresh();
        return new Outcome("hang (did not stop) " + where, stack, script);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Whether the session still answers correctly: null when it does, else what went wrong. */
    String health() {
      Outcome o = run("let v = [1, 2, 3]\nexpect sum(v) == 6\nlet f = 1 + 1");
      if (o.finding() || o.kind().equals("user error")) return o.kind() + ": " + o.detail();
      Object two = nn.get("f");
      return Double.valueOf(2.0).equals(two) ? null : "1 + 1 gave " + two;
    }

    void close() { exec.shutdownNow(); }
  }

  interface Body { Object run(); }

  /** The outcome of running body (on the worker's thread). */
  static Outcome classify(Body body, String script) {
    try {
      body.run();
      return new Outcome("ok", "", script);
    } catch (NnftException e) {
      if (e.kind().equals("internal error")) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        return new Outcome("internal error: " + c.getClass().getSimpleName() + " at " + frame(c), e.getMessage(), script);
      }
      if (e.span() == Span.NONE && !e.kind().equals("expect failed")) {
        return new Outcome("unplaced " + e.kind() + ": " + e.getMessage().replaceAll("[0-9]+", "N"), e.getMessage(), script);
      }
      return new Outcome("user error", e.render(), script);
    } catch (Session.Cancelled e) {
      return new Outcome("user error", "cancelled", script);
    } catch (Throwable e) { // anything else that leaves the engine is a bug
      return new Outcome("internal error (raw): " + e.getClass().getSimpleName() + " at " + frame(e), String.valueOf(e), script);
    }
  }

  /** The first nnft frame of a throwable's stack, or its top frame. */
  static String frame(Throwable e) {
    StackTraceElement[] st = e.getStackTrace();
    for (StackTraceElement f : st) {
      if (f.getClassName().startsWith("org.nnft.") && !f.getClassName().startsWith("org.nnft.fuzz")) {
        String c = f.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
      }
    }
    return st.length == 0 ? "?" : st[0].getClassName() + "." + st[0].getMethodName();
  }

  /** The top of a running thread's stack, for a hang's report. */
  static String stack(Thread t) {
    if (t == null) return "";
    StringBuilder b = new StringBuilder();
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(40, st.length); i++) b.append("    at ").append(st[i]).append('\n');
    return b.toString();
  }

  /** Where a running thread is: its deepest nnft frame (and the first non-JDK one above it, if any). */
  static String where(Thread t) {
    if (t == null) return "?";
    StackTraceElement[] st = t.getStackTrace();
    String lib = null;
    for (StackTraceElement f : st) {
      String c = f.getClassName();
      if (c.startsWith("org.nnft.")) {
        String nn = c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
        return lib == null ? "in " + nn : "in " + nn + " (" + lib + ")";
      }
      if (lib == null && !c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
        lib = c.substring(0, Math.max(0, c.lastIndexOf('.')));
      }
    }
    return "in ?";
  }

  // ------------------------------------------------------------------ campaigns

  /** Corpus scripts, sorted by name. */
  public static List<String> corpus(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".nnft")).sorted().toList()) {
        out.add(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Runs the corpus as it is (when {@code replay}) and then {@code count} mutants of it, mutant i
   * made from corpus entry and seed both derived from (seed, i), on {@code threads} workers, each
   * with one session; counts in mutants are capped at {@code cap}. Returns what was found, after checking each session still answers.
   */
  public static Report campaign(List<String> corpus, int count, long seed, int threads, long limitMillis,
                                double keep, double cap, boolean replay, Path dir, PrintStream progress) throws InterruptedException {
    Report rep = new Report();
    Mutator m = new Mutator(cap);
    List<Thread> drivers = new ArrayList<>();
    int total = (replay ? corpus.size() : 0) + count;
    AtomicInteger next = new AtomicInteger();
    for (int w = 0; w < threads; w++) {
      Thread d = new Thread(() -> {
        Worker worker = new Worker(limitMillis, dir);
        Worker[] current = {worker};
        try {
          int i;
          while ((i = next.getAndIncrement()) < total) {
            String script;
            if (replay && i < corpus.size()) {
              script = corpus.get(i);
            } else {
              int k = replay ? i - corpus.size() : i;
              Random r = new Random(seed * 1_000_003L + k);
              script = m.mutate(corpus.get(r.nextInt(corpus.size())), r, keep);
            }
            Outcome o;
            try {
              o = current[0].run(script);
            } catch (Throwable t) { // the worker itself broke (out of memory, say): a finding, and a new worker
              o = new Outcome("internal error (worker): " + t.getClass().getSimpleName() + " at " + frame(t), String.valueOf(t), script);
              current[0].close();
              current[0] = new Worker(limitMillis, dir);
            }
            rep.add(o);
            if (progress != null && o.finding()) {
              progress.println("finding: " + o.kind());
              if (findingsNow != null) findingsNow.accept(o); // kept at once: a later out-of-memory must not lose it
            }
            if (progress != null && VERBOSE && o.kind().equals("user error")) progress.println("user error: " + o.detail().lines().findFirst().orElse(""));
            if (progress != null && (i + 1) % 1000 == 0) progress.println((i + 1) + " / " + total);
          }
          String h = current[0].health();
          if (h != null) rep.unhealthy.add(h);
        } finally {
          current[0].close();
        }
      }, "fuzz-driver-" + w);
      d.start();
      drivers.add(d);
    }
    for (Thread d : drivers) d.join();
    return rep;
  }

  /**
   * Builds the corpus from samples/*.nnft and the golden scripts: statements that write files
   * (export, plot) dropped, sample and iteration counts capped (see {@link Mutator#capCounts}),
   * and scripts that the watchdog stops at SLOW_MILLIS left out.
   */
  static final long SLOW_MILLIS = 1500;

  static void seedCorpus(Path project, Path out) throws IOException {
    Files.createDirectories(out);
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.list(project.resolve("samples"))) { sources.addAll(s.filter(p -> p.toString().endsWith(".nnft")).sorted().toList()); }
    Path golden = project.resolve("src/test/resources/golden");
    try (Stream<Path> s = Files.walk(golden)) { sources.addAll(s.filter(p -> p.toString().endsWith(".nnft")).sorted().toList()); }
    // the watchdog, not a clock reading, decides what is slow
    Worker worker = new Worker(SLOW_MILLIS, Files.createTempDirectory("nnft-fuzz"));
    for (Path p : sources) {
      String rel = p.startsWith(golden) ? "golden-" + golden.relativize(p) : "sample-" + p.getFileName();
      String name = rel.replace('/', '-').replace('\\', '-');
      StringBuilder b = new StringBuilder();
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (line.stripLeading().startsWith("export ") || line.stripLeading().startsWith("plot ")) continue;
        b.append(line).append('\n');
      }
      String script = Mutator.capCounts(b.toString());
      // scripts that take long even with capped counts would make slow mutants: left out
      Outcome o = worker.run(script);
      if (o.finding() || o.kind().startsWith("slow")) {
        System.out.printf("left out %s (%s)%n", name, o.kind());
        continue;
      }
      Files.writeString(out.resolve(name), script, StandardCharsets.UTF_8);
    }
    worker.close();
  }

  /** Writes each kind's shortest script to dir as finding-<hash>.nnft, with its kind as a comment. */
  public static List<Path> save(Report rep, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    Files.createDirectories(dir);
    for (Outcome o : new TreeMap<>(rep.examples).values()) {
      String name = String.format("finding-%08x.nnft", o.script().hashCode());
      Path p = dir.resolve(name);
      if (Files.exists(p)) continue;
      String head = "# fuzz finding: " + o.kind().replace('\n', ' ') + "\n";
      Files.writeString(p, head + o.script() + (o.script().endsWith("\n") ? "" : "\n"), StandardCharsets.UTF_8);
      out.add(p);
    }
    return out;
  }

  /**
   * The long campaign: {@code Fuzzer [count] [seed] [threads] [limit-seconds] [keep] [corpus-dir] [findings-dir]}.
   * Prints the findings by kind, writes each new one as a corpus entry, exits 1 when there were any.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("seed-corpus")) {
      seedCorpus(Path.of("."), Path.of(args.length > 1 ? args[1] : "src/test/resources/fuzz/corpus"));
      return;
    }
    int count = args.length > 0 ? (int) Double.parseDouble(args[0]) : 100_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    long limit = (long) (1000 * (args.length > 3 ? Double.parseDouble(args[3]) : 10));
    double keep = args.length > 4 ? Double.parseDouble(args[4]) : 0.5;
    Path corpusDir = Path.of(args.length > 5 ? args[5] : "src/test/resources/fuzz/corpus");
    Path findings = Path.of(args.length > 6 ? args[6] : corpusDir.toString());
    Path tmp = Files.createTempDirectory("nnft-fuzz");
    List<String> corpus = corpus(corpusDir);
    System.out.println("fuzz: " + count + " mutants of " + corpus.size() + " corpus scripts, seed " + seed
        + ", " + threads + " threads, " + limit / 1000.0 + " s per script");
    boolean replay = count < 0;
    Files.createDirectories(findings);
    Path log = findings.resolve("findings.log");
    findingsNow = o -> {
      synchronized (Fuzzer.class) {
        try {
          String name = String.format("finding-%08x.nnft", o.script().hashCode());
          Path p = findings.resolve(name);
          if (!Files.exists(p)) {
            Files.writeString(p, "# fuzz finding: " + o.kind().replace('\n', ' ') + "\n" + o.script()
                + (o.script().endsWith("\n") ? "" : "\n"), StandardCharsets.UTF_8);
          }
          Files.writeString(log, o.kind() + " -> " + name + "\n" + o.detail() + "\n",
              StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
          System.out.println("could not keep a finding: " + e);
        }
      }
    };
    Report rep = campaign(corpus, Math.max(0, count), seed, threads, limit, keep, Mutator.CAP, replay, tmp, System.out);
    System.out.print(rep.summary());
    for (Path p : save(rep, findings)) System.out.println("new corpus entry: " + p);
    System.out.flush();
    System.exit(rep.counts.isEmpty() && rep.unhealthy.isEmpty() ? 0 : 1);
  }
}
