package org.nnft.gauge;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Reverse;
import org.nnft.numeric.Tape;

/**
 * A feed-forward network as plain data: {@code h_0 = x}, {@code h_l = φ(W_l h_{l-1} + b_l)} for the
 * hidden layers and a linear read-out {@code f(x) = W_L h_{L-1} + b_L} (no activation on the output,
 * as in {@code return W2 @ relu(W1 @ x + b1) + b2}).
 *
 * <p>Layer {@code l = 0 .. L-1} (with {@code L = widths.length - 1}) has the weight matrix {@code W[l]},
 * row-major {@code widths[l+1] × widths[l]} ({@code W[l][i * widths[l] + j]} is the weight from input
 * {@code j} to unit {@code i}), and the bias {@code b[l]} of length {@code widths[l+1]}. A bias may be
 * all zero (it is still a parameter); {@code b == null} or {@code b[l] == null} means the layer has no
 * bias <em>parameter</em> at all (a bias-free architecture). The arrays are used as given, not copied.
 *
 * <p>Activations: {@code relu}, {@code leaky_relu} (slope 0.01 for negative arguments), {@code tanh},
 * {@code erf}, {@code sigmoid}, {@code identity} (alias {@code linear}), {@code softplus}, {@code gelu},
 * {@code silu} (alias {@code swish}), {@code elu}, {@code abs}, {@code sin}, {@code cos}, {@code atan},
 * {@code sinh}, {@code exp}, {@code square}. The derivative at a kink (ReLU at 0) is taken from the
 * left (0).
 *
 * <p>Parameter order (for {@link #parameters()}, {@link #withParameters} and the columns of
 * {@link #jacobian}): {@code W1, b1, W2, b2, ...}, each weight matrix row-major, absent biases skipped.
 */
public record FeedForward(int[] widths, String act, double[][] W, double[][] b, String[] acts) {

  /** All hidden layers with the activation {@code act}. */
  public FeedForward(int[] widths, String act, double[][] W, double[][] b) {
    this(widths, act, W, b, null);
  }

  public FeedForward {
    if (widths == null || widths.length < 2) {
      throw new IllegalArgumentException("a feed-forward net needs at least an input and an output width");
    }
    for (int w : widths) if (w < 1) throw new IllegalArgumentException("widths must be positive: " + Arrays.toString(widths));
    act = GaugeActivation.canonical(act);
    int layers = widths.length - 1;
    if (acts != null) {
      if (acts.length != layers - 1) throw new IllegalArgumentException("expected " + (layers - 1) + " hidden activations, got " + acts.length);
      String[] c = new String[acts.length];
      boolean uniform = true;
      for (int l = 0; l < c.length; l++) {
        c[l] = GaugeActivation.canonical(acts[l]);
        uniform &= c[l].equals(act);
      }
      acts = uniform ? null : c;
    }
    if (W == null || W.length != layers) {
      throw new IllegalArgumentException("expected " + layers + " weight matrices, got " + (W == null ? 0 : W.length));
    }
    for (int l = 0; l < layers; l++) {
      if (W[l] == null || W[l].length != widths[l + 1] * widths[l]) {
        throw new IllegalArgumentException("W[" + l + "] must have " + widths[l + 1] + "×" + widths[l] + " = "
            + widths[l + 1] * widths[l] + " entries (row-major), got " + (W[l] == null ? 0 : W[l].length));
      }
    }
    if (b != null) {
      if (b.length != layers) throw new IllegalArgumentException("expected " + layers + " bias vectors, got " + b.length);
      for (int l = 0; l < layers; l++) {
        if (b[l] != null && b[l].length != widths[l + 1]) {
          throw new IllegalArgumentException("b[" + l + "] must have " + widths[l + 1] + " entries, got " + b[l].length);
        }
      }
    }
  }

  /** A net with weights {@code N(0, 1/fan_in)} and (if {@code biases}) biases {@code N(0, 1)}. */
  public static FeedForward random(int[] widths, String act, boolean biases, long seed) {
    return random(widths, act, biases, new SplittableRandom(seed));
  }

  static FeedForward random(int[] widths, String act, boolean biases, SplittableRandom rng) {
    boolean[] each = new boolean[widths.length - 1];
    java.util.Arrays.fill(each, biases);
    return random(widths, act, each, rng);
  }

  /** As {@link #random(int[], String, boolean, long)}, with a bias parameter in layer {@code l} iff {@code biases[l]}. */
  public static FeedForward random(int[] widths, String act, boolean[] biases, long seed) {
    return random(widths, act, biases, new SplittableRandom(seed));
  }

  static FeedForward random(int[] widths, String act, boolean[] biases, SplittableRandom rng) {
    int layers = widths.length - 1;
    if (biases.length != layers) throw new IllegalArgumentException("expected " + layers + " bias flags, got " + biases.length);
    boolean any = false;
    for (boolean b : biases) any |= b;
    double[][] w = new double[layers][];
    double[][] bb = any ? new double[layers][] : null;
    for (int l = 0; l < layers; l++) {
      double s = 1 / Math.sqrt(widths[l]);
      w[l] = new double[widths[l + 1] * widths[l]];
      for (int k = 0; k < w[l].length; k++) w[l][k] = s * rng.nextGaussian();
      if (biases[l]) {
        bb[l] = new double[widths[l + 1]];
        for (int k = 0; k < bb[l].length; k++) bb[l][k] = rng.nextGaussian();
      }
    }
    return new FeedForward(widths.clone(), act, w, bb);
  }

  /** The activation of hidden layer {@code l} (0-based: the one after weight matrix {@code l}). */
  public String act(int l) {
    return acts == null ? act : acts[l];
  }

  /** Whether some hidden layer has a piecewise-linear activation (relu, leaky_relu, abs). */
  public boolean anyPiecewiseLinear() {
    for (int l = 0; l + 1 < layers(); l++) if (GaugeActivation.piecewiseLinear(act(l))) return true;
    return false;
  }

  /** The number of weight matrices (layers of links). */
  public int layers() {
    return widths.length - 1;
  }

  /** Whether layer {@code l} has bias parameters. */
  public boolean hasBias(int l) {
    return b != null && b[l] != null;
  }

  public int inputDim() {
    return widths[0];
  }

  public int outputDim() {
    return widths[widths.length - 1];
  }

  /** The number of parameters: all weights plus the biases that are present. */
  public int parameterCount() {
    int n = 0;
    for (int l = 0; l < layers(); l++) n += W[l].length + (hasBias(l) ? b[l].length : 0);
    return n;
  }

  /** The parameter vector in the order {@code W1, b1, W2, b2, ...}. */
  public double[] parameters() {
    double[] t = new double[parameterCount()];
    int o = 0;
    for (int l = 0; l < layers(); l++) {
      System.arraycopy(W[l], 0, t, o, W[l].length);
      o += W[l].length;
      if (hasBias(l)) {
        System.arraycopy(b[l], 0, t, o, b[l].length);
        o += b[l].length;
      }
    }
    return t;
  }

  /** The same architecture with the parameter vector {@code theta} (order as {@link #parameters()}). */
  public FeedForward withParameters(double[] theta) {
    if (theta.length != parameterCount()) {
      throw new IllegalArgumentException("expected " + parameterCount() + " parameters, got " + theta.length);
    }
    double[][] w = new double[layers()][];
    double[][] bb = b == null ? null : new double[layers()][];
    int o = 0;
    for (int l = 0; l < layers(); l++) {
      w[l] = Arrays.copyOfRange(theta, o, o + W[l].length);
      o += W[l].length;
      if (hasBias(l)) {
        bb[l] = Arrays.copyOfRange(theta, o, o + b[l].length);
        o += b[l].length;
      }
    }
    return new FeedForward(widths.clone(), act, w, bb, acts);
  }

  /** {@code f(x)}. */
  public double[] eval(double[] x) { return lower().eval(x); }

  /** The pre-activations {@code W_l h_{l-1} + b_l} of every layer at {@code x} ({@code [layers][width]}). */
  public double[][] preActivations(double[] x) { return lower().preActivations(x); }

  /**
   * The Jacobian of the outputs with respect to all parameters over a batch: row
   * {@code n * outputDim() + o} is {@code ∂f_o(xs[n]) / ∂θ}, columns in the order of
   * {@link #parameters()}; by the numeric core's reverse sweep over the lowered net.
   */
  public double[][] jacobian(double[][] xs) {
    int out = outputDim();
    double[][] J = new double[xs.length * out][parameterCount()];
    double[][] rows = new double[out][];
    Lowered ev = lower();
    for (int n = 0; n < xs.length; n++) {
      for (int o = 0; o < out; o++) rows[o] = J[n * out + o];
      ev.jacobianRows(xs[n], rows);
    }
    return J;
  }

  /**
   * The net in the numeric core's one lowered form (a {@link Tape}: per layer a parameter matrix
   * times the previous layer, plus a bias parameter, then the activation), with its parameters set
   * and an evaluator for one point; build it once and evaluate it many times. Parameter numbers
   * follow {@link #parameters()}: W1, b1, W2, b2, ...
   */
  public Lowered lower() { return new Lowered(this); }

  /** A lowered feed-forward net with its parameters set; one thread at a time. */
  public static final class Lowered {
    private final FeedForward net;
    private final Reverse rev;
    private final int[] pre;
    private final double[] out;

    Lowered(FeedForward net) {
      this.net = net;
      Tape.Builder b = new Tape.Builder();
      int L = net.layers();
      pre = new int[L];
      int h = b.input(net.widths[0]), number = 0;
      for (int l = 0; l < L; l++) {
        int w = b.param(number++, new int[] {net.widths[l + 1], net.widths[l]});
        int z = b.add(Tape.Kind.MATVEC, new int[] {w, h}, new int[] {net.widths[l + 1]});
        if (net.hasBias(l)) z = b.binary(Tape.BinOp.ADD, z, b.param(number++, new int[] {net.widths[l + 1]}));
        pre[l] = z;
        h = l + 1 < L ? b.unary(Elementwise.of(net.act(l)), z) : z;
      }
      rev = new Reverse(b.output(h).build(), 1);
      rev.setParameters(net.parameters());
      out = new double[net.outputDim()];
    }

    public double[] eval(double[] x) {
      check(x);
      rev.eval(x, out);
      return out.clone();
    }

    public double[][] preActivations(double[] x) {
      check(x);
      rev.eval(x, out);
      double[][] z = new double[pre.length][];
      for (int l = 0; l < pre.length; l++) z[l] = rev.forward().value(pre[l]).clone();
      return z;
    }

    /** Overwrites {@code rows[o]} (each of length {@link #parameterCount()}) with {@code ∂f_o(x)/∂θ}. */
    public void jacobianRows(double[] x, double[][] rows) {
      check(x);
      rev.jacobian(x, rows);
    }

    private void check(double[] x) {
      if (x.length != net.widths[0]) throw new IllegalArgumentException("expected an input of dimension " + net.widths[0] + ", got " + x.length);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("FeedForward(");
    for (int i = 0; i < widths.length; i++) s.append(i == 0 ? "" : "->").append(widths[i]);
    return s.append(", ").append(acts == null ? act : String.join("/", acts)).append(", ").append(parameterCount()).append(" parameters)").toString();
  }
}
