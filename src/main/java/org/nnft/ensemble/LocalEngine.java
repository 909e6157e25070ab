package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The engine of this machine: a fixed pool of threads, jobs handed out in waves of 8 per thread,
 * statistics delivered in job order (so the same bits at any thread count). Checks for
 * cancellation before each wave and reports the number of jobs done after each.
 */
public final class LocalEngine implements Engine {
  private final int threads;
  /** Called after each wave with the number of jobs done so far in the current run. */
  public LongConsumer progress = x -> { };
  /** Polled before each wave; true ends the run with a {@link CancellationException}. */
  public BooleanSupplier cancelled = () -> false;

  public LocalEngine(int threads) { this.threads = Math.max(1, threads); }

  public int threads() { return threads; }

  @Override public int window() { return 8 * threads; }

  @Override public void run(List<ChunkJob> jobs, Consumer<ChunkStats> sink) {
    run(jobs.size(), k -> jobs.get((int) k), sink);
  }

  @Override public void run(Pass pass, Consumer<ChunkStats> sink) {
    run(pass.chunks(), pass::job, sink);
  }

  private interface Jobs { ChunkJob get(long k); }

  private void run(long count, Jobs jobs, Consumer<ChunkStats> sink) {
    // chunks run on workers even with one thread, so that a cancel can interrupt a long chunk
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "nnft-sampler");
      t.setDaemon(true);
      return t;
    });
    try {
      int wave = window();
      for (long start = 0; start < count; start += wave) {
        if (cancelled.getAsBoolean()) throw new CancellationException();
        long end = Math.min(count, start + wave);
        ChunkStats[] results = new ChunkStats[(int) (end - start)];
        List<Future<ChunkStats>> fs = new ArrayList<>();
        for (long k = start; k < end; k++) {
          ChunkJob job = jobs.get(k);
          fs.add(pool.submit(job::run));
        }
        for (int i = 0; i < fs.size(); i++) {
          try {
            while (true) {
              try {
                results[i] = fs.get(i).get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                break;
              } catch (java.util.concurrent.TimeoutException waiting) {
                if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new CancellationException();
              }
            }
          } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException();
          }
        }
        for (ChunkStats s : results) sink.accept(s);
        progress.accept(end);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
