package org.nnft.syntax;

import java.util.function.Supplier;

/**
 * Runs the recursive phases (parsing, checking, evaluating) on a thread whose stack size nnft
 * chooses, so that a deeply nested script behaves the same whoever calls the engine: the CLI, the
 * REPL, an embedder on a default 1 MB thread, a JSR-223 host. Work already on such a thread runs in
 * place. The parser bounds how deeply expressions nest ({@link Parser#MAX_DEPTH}); this stack is
 * sized with room to spare for every phase at that depth, and for long flat chains such as a sum of
 * 100,000 terms.
 */
public final class DeepStack {
  private DeepStack() {}

  /** The stack of the threads nnft evaluates on, in bytes (reserved, committed only as used). */
  public static final long SIZE = 256L << 20;

  /** A thread with nnft's stack. */
  private static final class Worker extends Thread {
    Worker(Runnable r, String name) {
      super(null, r, name, SIZE);
      setDaemon(true);
    }
  }

  /** A (not yet started) daemon thread with nnft's stack, for front ends that manage their own worker. */
  public static Thread thread(Runnable r, String name) { return new Worker(r, name); }

  /** True on a thread with nnft's stack. */
  public static boolean here() { return Thread.currentThread() instanceof Worker; }

  /**
   * The value of {@code work}, computed on a thread with nnft's stack (in place when already on
   * one). Exceptions and errors reach the caller as they were thrown. An interrupt of the caller
   * while it waits is passed on to the worker, and the caller's interrupt flag is set again after.
   */
  public static <T> T call(Supplier<T> work) {
    if (here()) return work.get();
    Object[] result = new Object[1];
    Throwable[] thrown = new Throwable[1];
    Thread t = new Worker(() -> {
      try {
        result[0] = work.get();
      } catch (Throwable e) {
        thrown[0] = e;
      }
    }, "nnft-eval");
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        t.interrupt();
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable e = thrown[0];
    if (e instanceof RuntimeException re) throw re;
    if (e instanceof Error er) throw er;
    if (e != null) throw new IllegalStateException(e);
    @SuppressWarnings("unchecked") T v = (T) result[0];
    return v;
  }
}
