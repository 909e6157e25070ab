package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The engine of this machine: a fixed pool of threads, work handed out in waves of 8 per thread,
 * results taken in order (so the same bits at any thread count). Checks the watch for a cancel
 * before each wave and while waiting, and reports progress to it after each wave.
 */
public final class LocalEngine implements Engine {
  private final int threads;

  public LocalEngine(int threads) { this.threads = Math.max(1, threads); }

  public int threads() { return threads; }

  /** How many units of work are handed out at once. */
  public int window() { return 8 * threads; }

  @Override public Reduction reduce(Pass pass, Watch watch) {
    Reduction all = pass.emptyReduction();
    long gs = pass.groupSize(), chunks = pass.chunks();
    inOrder(pass.groups(), g -> () -> pass.reduceGroup(g), all::merge, g -> watch.chunksDone().accept(Math.min(chunks, g * gs)), watch.cancelled());
    return all;
  }

  @Override public <R extends java.io.Serializable> List<R> runAll(List<? extends Task<R>> tasks, Watch watch) {
    List<R> out = new ArrayList<>();
    inOrder(tasks.size(), k -> tasks.get((int) k)::run, out::add, n -> { }, watch.cancelled());
    return out;
  }

  @Override public void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink) {
    inOrder(jobs.size(), k -> jobs.get((int) k)::run, sink, n -> { }, () -> false);
  }

  /** Runs work 0 .. count-1 on the pool; sink receives the results in order; done(n) after the first n are in. */
  private <T> void inOrder(long count, LongFunction<Callable<T>> work, Consumer<T> sink, LongConsumer done, BooleanSupplier stop) {
    // work runs on workers even with one thread, so that a cancel can interrupt a long unit
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "nnft-sampler");
      t.setDaemon(true);
      return t;
    });
    try {
      int wave = window();
      for (long start = 0; start < count; start += wave) {
        if (stop.getAsBoolean()) throw new CancellationException();
        long end = Math.min(count, start + wave);
        List<Future<T>> fs = new ArrayList<>();
        for (long k = start; k < end; k++) fs.add(pool.submit(work.apply(k)));
        List<T> results = new ArrayList<>(fs.size());
        for (Future<T> f : fs) results.add(await(f, stop));
        for (T s : results) sink.accept(s);
        done.accept(end);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> f, BooleanSupplier stop) {
    try {
      while (true) {
        try {
          return f.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException waiting) {
          if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new CancellationException();
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error er) throw er;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException();
    }
  }
}
