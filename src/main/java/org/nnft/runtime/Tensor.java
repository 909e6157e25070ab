package org.nnft.runtime;

import java.util.Arrays;
import java.util.Map;

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
   * The leave-one-batch-out (jackknife) values of an estimate, per random source and per entry:
   * reps.get(source)[entry][batch], a null row for an entry that does not depend on that source.
   * Estimates with the same source share random numbers (every ensemble drawn with one seed uses
   * the same chunk streams, and chunk k falls in batch k mod 64 in each), so arithmetic combines
   * them replica by replica and derived quantities carry their errors with every correlation
   * included (G - G, and G - G' of two ensembles drawn with one seed); different sources are
   * independent. Empty for exact numbers and for errors given by hand.
   */
  public final Map<String, double[][]> reps;
  /**
   * The part of each entry's error independent of everything else (errors given with ±, or
   * sources whose batches could not be paired), or null for none; when reps is empty the whole
   * error is independent.
   */
  public final double[] indep;
  /**
   * The largest Hill estimate of the tail shape k of the summands behind any entry (NaN when not
   * measured): above {@link org.nnft.ensemble.Runner#TAIL_LIMIT} the error bars cannot be trusted.
   */
  public final double tail;

  public Tensor(double[] data, double[] err, int[] shape, String note) {
    this(data, err, shape, note, Map.of(), null, Double.NaN);
  }

  /** An estimate whose entries have replicas jack[entry][batch] from one random source. */
  public Tensor(double[] data, double[] err, int[] shape, String note, double[][] jack, String source, double tail) {
    this(data, err, shape, note, jack == null || source == null ? Map.of() : Map.of(source, jack), null, tail);
  }

  public Tensor(double[] data, double[] err, int[] shape, String note, Map<String, double[][]> reps, double[] indep, double tail) {
    this.data = data;
    this.err = err;
    this.shape = shape;
    this.note = note;
    this.reps = reps == null ? Map.of() : reps;
    this.indep = indep;
    this.tail = tail;
  }

  /** Whether the summands behind some entry are too heavy-tailed for its error bar to mean anything. */
  public boolean heavyTailed() { return tail > org.nnft.ensemble.Runner.TAIL_LIMIT; }

  /** The larger of two tail shapes, NaN when neither was measured. */
  public static double tail(double a, double b) {
    if (Double.isNaN(a)) return b;
    if (Double.isNaN(b)) return a;
    return Math.max(a, b);
  }

  /** Entry i's replicas for a source, or null when it does not depend on it. */
  public double[] rep(String source, int i) {
    double[][] r = reps.get(source);
    return r == null ? null : r[i];
  }

  /** The independent part of entry i's error. */
  public double independent(int i) {
    if (err == null) return 0;
    if (reps.isEmpty()) return err[i];
    return indep == null ? 0 : indep[i];
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

  public Tensor withNote(String n) { return new Tensor(data, err, shape, n, reps, indep, tail); }
  public Tensor values() { return new Tensor(data, null, shape, null); }
  public Tensor errors() {
    return new Tensor(err == null ? new double[data.length] : err.clone(), null, shape, null);
  }

  /** Entries from to to (exclusive) of the flat data, with their errors, replicas and tail. */
  public Tensor slice(int from, int to, int[] newShape) {
    double[] d = Arrays.copyOfRange(data, from, to);
    double[] e = err == null ? null : Arrays.copyOfRange(err, from, to);
    Map<String, double[][]> r = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, double[][]> x : reps.entrySet()) r.put(x.getKey(), Arrays.copyOfRange(x.getValue(), from, to));
    return new Tensor(d, e, newShape, note, r, indep == null ? null : Arrays.copyOfRange(indep, from, to), tail);
  }

  @Override public org.nnft.check.SType staticType() {
    return isScalar() ? new org.nnft.check.SType.Num(err == null ? value() : null) : new org.nnft.check.SType.Arr(shape.clone());
  }

  @Override public String kind() {
    return switch (shape.length) {
      case 0 -> err == null ? "a number" : "an estimate";
      case 1 -> "a vector of length " + shape[0];
      case 2 -> "a " + shape[0] + "x" + shape[1] + " matrix";
      default -> "a tensor of shape " + Arrays.toString(shape);
    };
  }

  public static String shapeText(int[] s) { return org.nnft.check.Shapes.text(s); }

}
