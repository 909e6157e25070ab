package org.nnft.api;

import java.util.Arrays;

/**
 * A vector, matrix or higher tensor of estimates for Java: the values and their errors (one
 * standard deviation; null for exact values), row after row, with the shape and the estimator's
 * description. What {@link Nnft#get} gives for a correlator matrix, say.
 */
public final class Estimates {
  private final double[] values, errors;
  private final int[] shape;
  private final String estimator;

  public Estimates(double[] values, double[] errors, int[] shape, String estimator) {
    int n = 1;
    for (int d : shape) n *= d;
    if (values.length != n || errors != null && errors.length != n) throw new IllegalArgumentException("values and errors must match the shape " + Arrays.toString(shape));
    this.values = values.clone();
    this.errors = errors == null ? null : errors.clone();
    this.shape = shape.clone();
    this.estimator = estimator;
  }

  /** The shape: {n} for a vector, {rows, cols} for a matrix. */
  public int[] shape() { return shape.clone(); }

  public int rank() { return shape.length; }

  public int size() { return values.length; }

  /** Whether the entries carry errors (false for exact values). */
  public boolean hasErrors() { return errors != null; }

  /** How the estimates were made ("networks, 100000 samples", ...), or null. */
  public String estimator() { return estimator; }

  private int flat(int... index) {
    if (index.length != shape.length) throw new IllegalArgumentException("a tensor of rank " + shape.length + " takes " + shape.length + " indices, not " + index.length);
    int f = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException("index " + index[i] + " on axis " + i + " of size " + shape[i]);
      f = f * shape[i] + index[i];
    }
    return f;
  }

  /** The value at an index (one per axis). */
  public double value(int... index) { return values[flat(index)]; }

  /** The error at an index (0 for exact values). */
  public double error(int... index) { return errors == null ? 0 : errors[flat(index)]; }

  /** The values, row after row (a copy). */
  public double[] values() { return values.clone(); }

  /** The errors, row after row (a copy; zeros for exact values). */
  public double[] errors() { return errors == null ? new double[values.length] : errors.clone(); }

  /** A matrix's values as rows. */
  public double[][] valueMatrix() { return matrix(values()); }

  /** A matrix's errors as rows. */
  public double[][] errorMatrix() { return matrix(errors()); }

  private double[][] matrix(double[] d) {
    if (shape.length != 2) throw new IllegalStateException("not a matrix: shape " + Arrays.toString(shape));
    double[][] m = new double[shape[0]][shape[1]];
    for (int i = 0; i < shape[0]; i++) System.arraycopy(d, i * shape[1], m[i], 0, shape[1]);
    return m;
  }

  @Override public String toString() {
    StringBuilder b = new StringBuilder("Estimates").append(Arrays.toString(shape)).append(" [");
    for (int i = 0; i < Math.min(values.length, 6); i++) {
      if (i > 0) b.append(", ");
      b.append(values[i]);
      if (errors != null) b.append(" ± ").append(errors[i]);
    }
    if (values.length > 6) b.append(", ...");
    return b.append(']').toString();
  }
}
