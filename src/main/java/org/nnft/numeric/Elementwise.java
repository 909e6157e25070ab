package org.nnft.numeric;

import java.util.function.DoubleUnaryOperator;

/**
 * The element-wise functions of the language and their derivatives, one table for the
 * interpreter (values and error propagation) and the tape Jacobian. Values are the ones the
 * sampling kernels compute (VecMath's sigmoid, softplus, gelu and erf).
 */
public final class Elementwise {
  private Elementwise() {}

  /** Slope of leaky_relu on the negative axis. */
  public static final double LEAKY_SLOPE = 0.01;

  private static final double INV_SQRT2 = 1 / Math.sqrt(2), INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);
  private static final double TWO_OVER_SQRTPI = 2 / Math.sqrt(Math.PI);

  /** f, or null when the name is not an element-wise function. */
  public static DoubleUnaryOperator value(String name) {
    return switch (name) {
      case "cos" -> Math::cos;
      case "sin" -> Math::sin;
      case "tan" -> Math::tan;
      case "exp" -> Math::exp;
      case "log" -> Math::log;
      case "sqrt" -> Math::sqrt;
      case "tanh" -> Math::tanh;
      case "erf" -> VecMath::erf;
      case "relu" -> x -> x > 0 ? x : 0.0;
      case "leaky_relu" -> x -> x > 0 ? x : LEAKY_SLOPE * x;
      case "sigmoid" -> VecMath::sigmoid;
      case "softplus" -> VecMath::softplus;
      case "gelu" -> VecMath::gelu;
      case "abs" -> Math::abs;
      case "identity" -> x -> x;
      case "neg" -> x -> -x;
      case "sign" -> Math::signum;
      case "floor" -> Math::floor;
      case "ceil" -> Math::ceil;
      case "round" -> x -> (double) Math.round(x);
      case "step" -> x -> x > 0 ? 1.0 : 0.0;
      case "square" -> x -> x * x;
      case "acos" -> Math::acos;
      case "asin" -> Math::asin;
      case "atan" -> Math::atan;
      case "sinh" -> Math::sinh;
      case "cosh" -> Math::cosh;
      default -> null;
    };
  }

  /** f', or null when the name is not an element-wise function (0 for the piecewise-constant ones). */
  public static DoubleUnaryOperator derivative(String name) {
    return switch (name) {
      case "cos" -> x -> -Math.sin(x);
      case "sin" -> Math::cos;
      case "tan" -> x -> { double c = Math.cos(x); return 1 / (c * c); };
      case "exp" -> Math::exp;
      case "log" -> x -> 1 / x;
      case "sqrt" -> x -> 0.5 / Math.sqrt(x);
      case "tanh" -> x -> { double t = Math.tanh(x); return 1 - t * t; };
      case "erf" -> x -> TWO_OVER_SQRTPI * Math.exp(-x * x);
      case "relu" -> x -> x > 0 ? 1.0 : 0.0;
      case "leaky_relu" -> x -> x > 0 ? 1.0 : LEAKY_SLOPE;
      case "sigmoid" -> x -> { double s = VecMath.sigmoid(x); return s * (1 - s); };
      case "softplus" -> VecMath::sigmoid;
      case "gelu" -> x -> 0.5 * VecMath.erfc(-x * INV_SQRT2) + x * Math.exp(-0.5 * x * x) * INV_SQRT2PI;
      case "abs" -> x -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
      case "identity" -> x -> 1;
      case "neg" -> x -> -1;
      case "sign", "step", "floor", "ceil", "round" -> x -> 0;
      case "square" -> x -> 2 * x;
      case "acos" -> x -> -1 / Math.sqrt(1 - x * x);
      case "asin" -> x -> 1 / Math.sqrt(1 - x * x);
      case "atan" -> x -> 1 / (1 + x * x);
      case "sinh" -> Math::cosh;
      case "cosh" -> Math::sinh;
      default -> null;
    };
  }
}
