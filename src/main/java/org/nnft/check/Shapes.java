package org.nnft.check;

import java.util.Arrays;

/** Shapes of numbers and their sentences, shared by the checker and the run. */
public final class Shapes {
  private Shapes() {}

  /** "a number", "a vector of length 3", "a 2x3 matrix", "shape [2, 3, 4]". */
  public static String text(int[] s) {
    if (s.length == 0) return "a number";
    if (s.length == 1) return "a vector of length " + s[0];
    if (s.length == 2) return "a " + s[0] + "x" + s[1] + " matrix";
    return "shape " + Arrays.toString(s);
  }

  /** NumPy's broadcast of two shapes, or null when they do not combine. */
  public static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
      int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
      if (da != db && da != 1 && db != 1) return null;
      out[i] = da == 1 ? db : da;
    }
    return out;
  }
}
