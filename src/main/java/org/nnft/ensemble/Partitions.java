package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.List;

/** Set partitions of {0..n-1} as lists of bit masks, for moment-cumulant conversion. */
public final class Partitions {
  private Partitions() {}

  private static final java.util.Map<Integer, List<int[]>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  /** All set partitions of the positions in mask (blocks as sub-masks); built once per mask. */
  public static List<int[]> of(int mask) {
    return CACHE.computeIfAbsent(mask, m -> {
      List<int[]> out = new ArrayList<>();
      build(m, new ArrayList<>(), out);
      return List.copyOf(out);
    });
  }

  private static void build(int rest, List<Integer> blocks, List<int[]> out) {
    if (rest == 0) {
      int[] p = new int[blocks.size()];
      for (int i = 0; i < p.length; i++) p[i] = blocks.get(i);
      out.add(p);
      return;
    }
    int low = rest & -rest; // the lowest remaining position starts a new block
    int others = rest & ~low;
    // iterate over all subsets of others to join low
    for (int sub = others; ; sub = (sub - 1) & others) {
      int block = low | sub;
      blocks.add(block);
      build(rest & ~block, blocks, out);
      blocks.remove(blocks.size() - 1);
      if (sub == 0) break;
    }
  }

  /** (-1)^(k-1) (k-1)! */
  public static double cumulantWeight(int k) {
    double f = 1;
    for (int i = 2; i < k; i++) f *= i;
    return (k % 2 == 1 ? 1 : -1) * f;
  }
}
