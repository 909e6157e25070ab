package org.nnft.gauge;

import java.util.Locale;
import org.nnft.numeric.Elementwise;

/**
 * The activations {@link FeedForward} accepts and their aliases; values, derivatives and the facts
 * the gauge code needs (piecewise linearity, positive homogeneity) come from {@link Elementwise}.
 */
public final class GaugeActivation {
  /** Slope of {@code leaky_relu} on the negative axis. */
  public static final double LEAKY_SLOPE = Elementwise.LEAKY_SLOPE;

  /** The names accepted (aliases map onto the first spelling in each group). */
  static final String[] NAMES = {
    "relu", "leaky_relu", "tanh", "erf", "sigmoid", "identity", "softplus", "gelu", "silu", "elu",
    "abs", "sin", "cos", "atan", "sinh", "exp", "square"
  };

  private GaugeActivation() {}

  /** The canonical name of {@code act}, or an {@link IllegalArgumentException} naming the choices. */
  static String canonical(String act) {
    if (act == null) throw new IllegalArgumentException("activation is null");
    String a = act.trim().toLowerCase(Locale.ROOT);
    switch (a) {
      case "linear", "id", "none" -> a = "identity";
      case "leakyrelu", "leaky-relu", "lrelu" -> a = "leaky_relu";
      case "swish" -> a = "silu";
      case "logistic" -> a = "sigmoid";
      default -> { }
    }
    for (String n : NAMES) if (n.equals(a)) return a;
    throw new IllegalArgumentException(
        "unknown activation '" + act + "'; known: " + String.join(", ", NAMES));
  }

  static double apply(String act, double z) { return Elementwise.of(act).value(z); }

  static double derivative(String act, double z) { return Elementwise.of(act).d1(z); }

  /** Piecewise linear with a kink at 0 (ReLU-like): units switch between two linear regimes. */
  static boolean piecewiseLinear(String act) { return Elementwise.of(act).piecewiseLinear(); }

  /** {@code φ(a z) = a φ(z)} for every {@code a > 0}: the per-unit rescalings are symmetries. */
  static boolean positivelyHomogeneous(String act) { return Elementwise.of(act).positivelyHomogeneous(); }
}
