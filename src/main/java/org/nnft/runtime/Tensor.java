package org.nnft.runtime;

import java.util.Arrays;

/**
 * Numbers, vectors and matrices of doubles (row-major), optionally with a standard error per
 * entry (an estimate) and a note saying how the estimate was made.
 */
public final class Tensor implements Value {
  public final double[] data;
  public final double[] err; // null when exact
  public final int[] shape;
  public final String note; // estimator description, may be null
  /**
   * Per entry, the leave-one-batch-out (jackknife) values of an estimate, or null: arithmetic on
   * estimates from the same ensemble (the same source) combines them replica by replica, so the
   * errors of derived quantities include the correlations (G - G has error 0).
   */
  public final double[][] jack;
  public final String source;

  public Tensor(double[] data, double[] err, int[] shape, String note) {
    this(data, err, shape, note, null, null);
  }

  public Tensor(double[] data, double[] err, int[] shape, String note, double[][] jack, String source) {
    this.data = data;
    this.err = err;
    this.shape = shape;
    this.note = note;
    this.jack = jack;
    this.source = source;
  }

  /** The jackknife standard error of replicas r. */
  public static double jackError(double[] r) {
    int nb = r.length;
    double avg = 0;
    for (double x : r) avg += x;
    avg /= nb;
    double ss = 0;
    for (double x : r) ss += (x - avg) * (x - avg);
    return Math.sqrt((nb - 1.0) / nb * ss);
  }

  public static Tensor scalar(double v) { return new Tensor(new double[] {v}, null, new int[0], null); }
  public static Tensor measured(double v, double e, String note) {
    return new Tensor(new double[] {v}, new double[] {e}, new int[0], note);
  }
  public static Tensor vector(double[] v) { return new Tensor(v, null, new int[] {v.length}, null); }
  public static Tensor matrix(double[][] m) {
    int r = m.length, c = r == 0 ? 0 : m[0].length;
    double[] d = new double[r * c];
    for (int i = 0; i < r; i++) System.arraycopy(m[i], 0, d, i * c, c);
    return new Tensor(d, null, new int[] {r, c}, null);
  }

  public int rank() { return shape.length; }
  public int size() { return data.length; }
  public boolean isScalar() { return shape.length == 0; }
  public boolean hasError() { return err != null; }
  public double value() { return data[0]; }
  public double error() { return err == null ? 0 : err[0]; }
  public int rows() { return shape.length >= 1 ? shape[0] : 1; }
  public int cols() { return shape.length >= 2 ? shape[1] : 1; }

  public Tensor withNote(String n) { return new Tensor(data, err, shape, n, jack, source); }
  public Tensor values() { return new Tensor(data, null, shape, null); }
  public Tensor errors() {
    return new Tensor(err == null ? new double[data.length] : err.clone(), null, shape, null);
  }

  @Override public String kind() {
    return switch (shape.length) {
      case 0 -> err == null ? "a number" : "an estimate";
      case 1 -> "a vector of length " + shape[0];
      case 2 -> "a " + shape[0] + "x" + shape[1] + " matrix";
      default -> "a tensor of shape " + Arrays.toString(shape);
    };
  }

  public static String shapeText(int[] s) {
    if (s.length == 0) return "a number";
    if (s.length == 1) return "a vector of length " + s[0];
    if (s.length == 2) return "a " + s[0] + "x" + s[1] + " matrix";
    return "shape " + Arrays.toString(s);
  }
}
