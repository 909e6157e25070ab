package org.nnft.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.SparkException;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nnft.ensemble.ChunkJob;
import org.nnft.ensemble.ChunkStats;
import org.nnft.ensemble.Engine;
import org.nnft.ensemble.Pass;
import org.nnft.ensemble.Reduction;
import org.nnft.ensemble.Tasks;
import org.nnft.ensemble.Wire;

/**
 * nnft's engine on Apache Spark. A pass travels once per pass as its {@link Wire} bytes (a
 * broadcast); its groups are dealt to tasks ({@link Tasks}); each task sends back its groups'
 * reductions, and the driver merges them in group order: the same bits as the local engine, for
 * any number of tasks or executors (on the same JDK and CPU architecture). Markov chains go one per
 * task. Cancelling the run (Ctrl-C, an interrupt, a script engine's cancel) cancels the Spark job.
 */
public final class SparkEngine implements Engine {
  private final JavaSparkContext sc;
  private final boolean owned;
  private final int partitions;
  private static final AtomicLong RUNS = new AtomicLong();

  /**
   * An engine on a context. {@code partitions}: tasks per pass (0: the context's default
   * parallelism); {@code owned}: whether {@link #close} stops the context.
   */
  public SparkEngine(JavaSparkContext sc, int partitions, boolean owned) {
    this.sc = sc;
    this.partitions = partitions;
    this.owned = owned;
  }

  public JavaSparkContext context() { return sc; }

  private long jobs;

  /** The number of Spark jobs this engine has started (a pass or a set of chains is one). */
  public long jobs() { return jobs; }

  private int wanted() { return partitions > 0 ? partitions : Math.max(1, sc.defaultParallelism()); }

  @Override public Reduction reduce(Pass pass, Watch watch) {
    int n = Tasks.count(pass.groups(), wanted());
    Broadcast<byte[]> b = sc.broadcast(Wire.encode(Wire.Kind.PASS, pass));
    try {
      List<Integer> idx = new ArrayList<>();
      for (int t = 0; t < n; t++) idx.add(t);
      return Tasks.merge(pass, collect(sc.parallelize(idx, n).map(t -> Tasks.run(b.value(), n, t)), pass.chunks(), watch));
    } finally {
      b.destroy();
    }
  }

  @Override public <R extends java.io.Serializable> List<R> runAll(List<? extends Task<R>> tasks, Watch watch) {
    List<byte[]> enc = new ArrayList<>();
    for (Task<R> t : tasks) enc.add(Wire.encode(Wire.Kind.TASK, t));
    List<R> out = new ArrayList<>();
    for (byte[] r : collect(sc.parallelize(enc, Math.max(1, enc.size())).map(SparkEngine::runTask), 0, watch)) {
      @SuppressWarnings("unchecked") R v = (R) Wire.decode(Wire.Kind.RESULT, java.io.Serializable.class, r);
      out.add(v);
    }
    return out;
  }

  private static byte[] runTask(byte[] task) {
    Task<?> t = Wire.decode(Wire.Kind.TASK, Task.class, task);
    return Wire.encode(Wire.Kind.RESULT, t.run());
  }

  @Override public void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink) {
    List<byte[]> enc = new ArrayList<>();
    for (ChunkJob j : jobs) enc.add(Wire.encode(Wire.Kind.CHUNK_JOB, j));
    int n = Math.max(1, Math.min(enc.size(), wanted()));
    for (byte[] r : collect(sc.parallelize(enc, n).map(SparkEngine::runJob), 0, Watch.NONE)) {
      sink.accept(Wire.decode(Wire.Kind.RESULT, ChunkStats.class, r));
    }
  }

  private static byte[] runJob(byte[] job) {
    return Wire.encode(Wire.Kind.RESULT, Wire.decode(Wire.Kind.CHUNK_JOB, ChunkJob.class, job).run());
  }

  /**
   * Collects an RDD's elements in partition order as one Spark job in a job group of its own, whose
   * cancel interrupts the tasks' threads (nnft's loops stop on an interrupt); polls the watch:
   * progress as the share of tasks done (of {@code chunks}, when a pass), a cancel as a job cancel.
   */
  private <T> List<T> collect(JavaRDD<T> rdd, long chunks, Watch watch) {
    jobs++;
    String group = "nnft-" + RUNS.incrementAndGet();
    int tasks = rdd.getNumPartitions();
    sc.setJobGroup(group, "nnft", true);
    JavaFutureAction<List<T>> f;
    try {
      f = rdd.collectAsync();
    } finally {
      sc.clearJobGroup();
    }
    long reported = -1;
    try {
      while (true) {
        try {
          List<T> r = f.get(100, TimeUnit.MILLISECONDS);
          watch.note().accept("spark: " + tasks + " of " + tasks + " tasks done");
          return r;
        } catch (TimeoutException waiting) {
          if (watch.cancelled().getAsBoolean() || Thread.currentThread().isInterrupted()) throw cancel(group, f);
          long done = tasksDone(f);
          if (done != reported) {
            reported = done;
            if (chunks > 0) watch.chunksDone().accept(chunks * done / tasks);
            watch.note().accept("spark: " + done + " of " + tasks + " tasks done");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancel(group, f);
    } catch (ExecutionException e) {
      // a task's own exception comes back inside Spark's: unwrapped, so nnft's messages are kept
      Throwable c = e.getCause();
      while (c instanceof SparkException && c.getCause() != null) c = c.getCause();
      if (c instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Cancels a job (interrupting its tasks) and gives the exception that ends the run. */
  private CancellationException cancel(String group, JavaFutureAction<?> f) {
    sc.cancelJobGroup(group);
    f.cancel(true);
    return new CancellationException();
  }

  private long tasksDone(JavaFutureAction<?> f) {
    long done = 0;
    for (Integer id : f.jobIds()) {
      SparkJobInfo job = sc.statusTracker().getJobInfo(id);
      if (job == null) continue;
      for (int s : job.stageIds()) {
        SparkStageInfo st = sc.statusTracker().getStageInfo(s);
        if (st != null) done += st.numCompletedTasks();
      }
    }
    return done;
  }

  @Override public void close() { if (owned) sc.stop(); }
}
