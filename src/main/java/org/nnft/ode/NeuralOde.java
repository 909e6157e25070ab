package org.nnft.ode;

import org.nnft.runtime.*;
import java.util.Locale;
import org.nnft.numeric.Rng;

/**
 * A neural ODE {@code dx/dt = f(x, t)}, {@code x ∈ R^dim}, {@code t ∈ [0, T]}, with the one-hidden-
 * layer field
 *
 * <pre>  f(x, t) = W2 · act(W1 · [x; t] + b1) + b2,</pre>
 *
 * {@code W1 ∈ R^{hidden × (dim+1)}} (its last column multiplies t), {@code b1 ∈ R^hidden},
 * {@code W2 ∈ R^{dim × hidden}}, {@code b2 ∈ R^dim}.
 *
 * <p>Seeded construction draws every entry independently as N(0, 1)/√fan_in: fan_in = dim + 1 for
 * W1 and b1, fan_in = hidden for W2 and b2, in the order W1 (row-major), b1, W2 (row-major), b2 from
 * {@code Rng.forStream(seed, 0)}.
 *
 * <p>{@link #flow} integrates with Dormand–Prince 8(5,3) at absolute and relative tolerance 1e-12
 * ({@link OdeGauge#ABS_TOL}, {@link OdeGauge#REL_TOL}). Instances are immutable and thread-safe.
 */
public final class NeuralOde implements OdeGauge.VectorField {

  /** The hidden-layer activation. */
  public enum Activation {
    TANH,
    RELU,
    /** {@code z > 0 ? z : 0.01 z} (slope {@link GaugeActivation#LEAKY_SLOPE}). */
    LEAKY_RELU,
    SIGMOID,
    IDENTITY;

    double apply(double z) {
      return FN[ordinal()].value(z);
    }

    private static final org.nnft.numeric.Elementwise[] FN = {org.nnft.numeric.Elementwise.TANH, org.nnft.numeric.Elementwise.RELU,
        org.nnft.numeric.Elementwise.LEAKY_RELU, org.nnft.numeric.Elementwise.SIGMOID, org.nnft.numeric.Elementwise.IDENTITY};

    /** Parses "tanh", "relu", "leaky_relu", "sigmoid", "identity" (also "id", "linear"), case-insensitively. */
    public static Activation parse(String name) {
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "tanh":
          return TANH;
        case "relu":
          return RELU;
        case "leaky_relu":
          return LEAKY_RELU;
        case "sigmoid":
          return SIGMOID;
        case "identity":
        case "id":
        case "linear":
          return IDENTITY;
        default:
          throw new IllegalArgumentException(
              "unknown activation '" + name + "' (expected tanh, relu, leaky_relu, sigmoid or identity)");
      }
    }
  }

  private final int dim;
  private final int hidden;
  private final Activation act;
  private final double time;
  private final double[][] w1;
  private final double[] b1;
  private final double[][] w2;
  private final double[] b2;

  /** Gaussian weights and biases scaled by 1/√fan_in, drawn from {@code seed}. */
  public NeuralOde(int dim, int hidden, Activation act, double T, long seed) {
    if (dim < 1 || hidden < 1) throw new IllegalArgumentException("dim and hidden must be positive");
    requireTime(T);
    if (act == null) throw new IllegalArgumentException("activation is required");
    this.dim = dim;
    this.hidden = hidden;
    this.act = act;
    this.time = T;
    Rng rng = Rng.forStream(seed, 0);
    double s1 = 1.0 / Math.sqrt(dim + 1), s2 = 1.0 / Math.sqrt(hidden);
    w1 = new double[hidden][dim + 1];
    for (double[] row : w1) rng.fillNormal(0.0, s1, row, 0, row.length);
    b1 = new double[hidden];
    rng.fillNormal(0.0, s1, b1, 0, hidden);
    w2 = new double[dim][hidden];
    for (double[] row : w2) rng.fillNormal(0.0, s2, row, 0, row.length);
    b2 = new double[dim];
    rng.fillNormal(0.0, s2, b2, 0, dim);
  }

  /** Explicit parameters (copied): W1 is hidden × (dim+1), b1 hidden, W2 dim × hidden, b2 dim. */
  public NeuralOde(double[][] W1, double[] b1, double[][] W2, double[] b2, Activation act, double T) {
    requireTime(T);
    if (act == null) throw new IllegalArgumentException("activation is required");
    int in = OdeMatrices.cols(W1, "W1");
    int h = W1.length;
    if (in < 2) throw new IllegalArgumentException("W1 must have dim + 1 >= 2 columns ([x; t])");
    int hc = OdeMatrices.cols(W2, "W2");
    if (hc != h) throw new IllegalArgumentException("W2 must have " + h + " columns (hidden width)");
    if (W2.length != in - 1) throw new IllegalArgumentException("W2 must have dim = " + (in - 1) + " rows");
    if (b1 == null || b1.length != h) throw new IllegalArgumentException("b1 must have length " + h);
    if (b2 == null || b2.length != in - 1) {
      throw new IllegalArgumentException("b2 must have length " + (in - 1));
    }
    this.dim = in - 1;
    this.hidden = h;
    this.act = act;
    this.time = T;
    this.w1 = OdeMatrices.copy(W1);
    this.b1 = b1.clone();
    this.w2 = OdeMatrices.copy(W2);
    this.b2 = b2.clone();
  }

  private static void requireTime(double T) {
    if (!(T > 0) || !Double.isFinite(T)) throw new IllegalArgumentException("time T must be positive");
  }

  /** f(x, t) = W2 act(W1 [x; t] + b1) + b2. */
  public double[] field(double[] x, double t) {
    if (x.length != dim) throw new IllegalArgumentException("x must have length " + dim);
    // a large field is slow per call: every call is a chance to stop (Ctrl-C, an interrupt)
    if ((long) dim * hidden >= 4096) org.nnft.runtime.Session.checkCurrent();
    double[] a = new double[hidden];
    for (int k = 0; k < hidden; k++) {
      double[] r = w1[k];
      double z = b1[k] + r[dim] * t;
      for (int j = 0; j < dim; j++) z += r[j] * x[j];
      a[k] = act.apply(z);
    }
    double[] out = new double[dim];
    for (int i = 0; i < dim; i++) {
      double[] r = w2[i];
      double s = b2[i];
      for (int k = 0; k < hidden; k++) s += r[k] * a[k];
      out[i] = s;
    }
    return out;
  }

  /** Same as {@link #field}. */
  @Override
  public double[] f(double[] x, double t) {
    return field(x, t);
  }

  /** The end-point map x0 ↦ x(T) (Dormand–Prince 8(5,3), tolerances 1e-12 / 1e-12). */
  public double[] flow(double[] x0) {
    if (x0.length != dim) throw new IllegalArgumentException("x0 must have length " + dim);
    return OdeGauge.flow(this, x0, time);
  }

  /** x(t) for 0 ≤ t (the flow up to an intermediate or later time). */
  public double[] flow(double[] x0, double t) {
    if (x0.length != dim) throw new IllegalArgumentException("x0 must have length " + dim);
    return OdeGauge.flow(this, x0, 0.0, t);
  }

  public int dim() {
    return dim;
  }

  public int hidden() {
    return hidden;
  }

  public Activation activation() {
    return act;
  }

  /** The final time T. */
  public double time() {
    return time;
  }

  /** Number of parameters: hidden(dim + 1) + hidden + dim·hidden + dim. */
  public int parameterCount() {
    return hidden * (dim + 1) + hidden + dim * hidden + dim;
  }

  public double[][] w1() {
    return OdeMatrices.copy(w1);
  }

  public double[] b1() {
    return b1.clone();
  }

  public double[][] w2() {
    return OdeMatrices.copy(w2);
  }

  public double[] b2() {
    return b2.clone();
  }

  @Override
  public String toString() {
    return "node(dim = " + dim + ", hidden = " + hidden + ", act = "
        + act.name().toLowerCase(Locale.ROOT) + ", time = " + time + ")";
  }
}
