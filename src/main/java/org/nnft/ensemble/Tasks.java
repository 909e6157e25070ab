package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.List;

/**
 * The protocol of a cluster engine, independent of the cluster: the driver encodes the pass once
 * ({@link Wire}), cuts its groups into tasks of consecutive groups ({@link #from}), each task
 * decodes the pass, reduces its groups one by one and sends each group's reduction back encoded
 * ({@link #run}); the driver merges them in group order ({@link #merge}). Since the groups are
 * fixed by the pass alone and merged in order, the result has the same bits as the local engine's
 * for any number of tasks. A task's results are its groups' reductions, not one merged value, so
 * that the way the groups are dealt to tasks does not enter the sums.
 */
public final class Tasks {
  private Tasks() {}

  /** The first group of task t of n, for a pass of {@code groups} groups (task t has groups from(t) .. from(t+1)-1). */
  public static long from(long groups, int tasks, int t) {
    return groups * t / tasks;
  }

  /** The number of tasks to use for a pass of {@code groups} groups when asked for {@code wanted}. */
  public static int count(long groups, int wanted) {
    return (int) Math.max(1, Math.min(groups, wanted));
  }

  /** Executor side: task t of n on the encoded pass, as the encoded reductions of its groups in order. */
  public static List<byte[]> run(byte[] pass, int tasks, int t) {
    Pass p = Wire.decode(Wire.Kind.PASS, Pass.class, pass);
    long groups = p.groups(), from = from(groups, tasks, t), to = from(groups, tasks, t + 1);
    List<byte[]> out = new ArrayList<>();
    for (long g = from; g < to; g++) {
      if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException();
      out.add(Wire.encode(Wire.Kind.REDUCTION, p.reduceGroup(g)));
    }
    return out;
  }

  /** Driver side: the reductions of every task, tasks in order, merged into the pass's empty reduction. */
  public static Reduction merge(Pass pass, List<List<byte[]>> perTask) {
    Reduction all = pass.emptyReduction();
    long n = 0;
    for (List<byte[]> task : perTask) {
      for (byte[] b : task) {
        all.merge(Wire.decode(Wire.Kind.REDUCTION, Reduction.class, b));
        n++;
      }
    }
    if (n != pass.groups()) throw new IllegalStateException(n + " group results for a pass of " + pass.groups() + " groups");
    return all;
  }
}
