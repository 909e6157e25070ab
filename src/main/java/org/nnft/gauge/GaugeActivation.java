package org.nnft.gauge;

import java.util.Locale;
import org.nnft.numeric.VecMath;

/**
 * The element-wise activations of {@link FeedForward}, with their derivatives, and the facts about
 * them that the gauge code needs (piecewise linearity, positive homogeneity).
 */
public final class GaugeActivation {
  /** Slope of {@code leaky_relu} on the negative axis. */
  public static final double LEAKY_SLOPE = org.nnft.numeric.Elementwise.LEAKY_SLOPE;

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

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

  static double apply(String act, double z) {
    return switch (act) {
      case "relu" -> z > 0 ? z : 0.0;
      case "leaky_relu" -> z > 0 ? z : LEAKY_SLOPE * z;
      case "tanh" -> Math.tanh(z);
      case "erf" -> VecMath.erf(z);
      case "sigmoid" -> sigmoid(z);
      case "identity" -> z;
      case "softplus" -> z > 30 ? z : (z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));
      case "gelu" -> 0.5 * z * (1 + VecMath.erf(z * INV_SQRT_2));
      case "silu" -> z * sigmoid(z);
      case "elu" -> z > 0 ? z : Math.expm1(z);
      case "abs" -> Math.abs(z);
      case "sin" -> Math.sin(z);
      case "cos" -> Math.cos(z);
      case "atan" -> Math.atan(z);
      case "sinh" -> Math.sinh(z);
      case "exp" -> Math.exp(z);
      case "square" -> z * z;
      default -> throw new IllegalArgumentException("unknown activation " + act);
    };
  }

  static double derivative(String act, double z) {
    return switch (act) {
      case "relu" -> z > 0 ? 1.0 : 0.0;
      case "leaky_relu" -> z > 0 ? 1.0 : LEAKY_SLOPE;
      case "tanh" -> {
        double t = Math.tanh(z);
        yield 1 - t * t;
      }
      case "erf" -> TWO_OVER_SQRT_PI * Math.exp(-z * z);
      case "sigmoid" -> {
        double s = sigmoid(z);
        yield s * (1 - s);
      }
      case "identity" -> 1.0;
      case "softplus" -> sigmoid(z);
      case "gelu" -> 0.5 * (1 + VecMath.erf(z * INV_SQRT_2)) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI;
      case "silu" -> {
        double s = sigmoid(z);
        yield s * (1 + z * (1 - s));
      }
      case "elu" -> z > 0 ? 1.0 : Math.exp(z);
      case "abs" -> z > 0 ? 1.0 : (z < 0 ? -1.0 : 0.0);
      case "sin" -> Math.cos(z);
      case "cos" -> -Math.sin(z);
      case "atan" -> 1 / (1 + z * z);
      case "sinh" -> Math.cosh(z);
      case "exp" -> Math.exp(z);
      case "square" -> 2 * z;
      default -> throw new IllegalArgumentException("unknown activation " + act);
    };
  }

  /** Piecewise linear with a kink at 0 (ReLU-like): units switch between two linear regimes. */
  static boolean piecewiseLinear(String act) {
    return act.equals("relu") || act.equals("leaky_relu") || act.equals("abs");
  }

  /** {@code φ(a z) = a φ(z)} for every {@code a > 0}: the per-unit rescalings are symmetries. */
  static boolean positivelyHomogeneous(String act) {
    return piecewiseLinear(act) || act.equals("identity");
  }

  private static double sigmoid(double z) {
    if (z >= 0) return 1 / (1 + Math.exp(-z));
    double e = Math.exp(z);
    return e / (1 + e);
  }
}
