package org.nnft.numeric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one table of element-wise functions: for each, its name in the language, its value, first
 * and second derivatives, the array kernel the sampling evaluator runs, its Symja form and the facts
 * the rules need (smoothness, piecewise linearity, positive homogeneity). The interpreter, the
 * lowered nets' evaluators, the symbolic export and the gauge code all read it.
 *
 * <p>Two evaluations of the value exist on purpose: {@link #value} (scalar, what the interpreter
 * prints and the derivatives are taken of) and {@link #apply} (the array kernel of the sampling
 * evaluator, vectorised). They agree to rounding; for cos the kernel is VecMath's unscanned
 * reduction (3e-16 absolute), for the others the same formula element by element.
 */
public enum Elementwise {
  COS("cos", Math::cos, x -> -Math.sin(x), x -> -Math.cos(x), Kernels::cos, a -> "Cos(" + a + ")", F.LANG),
  SIN("sin", Math::sin, Math::cos, x -> -Math.sin(x), Kernels::sin, a -> "Sin(" + a + ")", F.LANG | F.ODD),
  TAN("tan", Math::tan, x -> { double c = Math.cos(x); return 1 / (c * c); },
      x -> { double c = Math.cos(x); return 2 * Math.tan(x) / (c * c); }, Kernels::tan, a -> "Tan(" + a + ")", F.LANG | F.ODD),
  EXP("exp", Math::exp, Math::exp, Math::exp, Kernels::exp, a -> "Exp(" + a + ")", F.LANG),
  LOG("log", Math::log, x -> 1 / x, x -> -1 / (x * x), Kernels::log, a -> "Log(" + a + ")", F.LANG),
  SQRT("sqrt", Math::sqrt, x -> 0.5 / Math.sqrt(x), x -> -0.25 / (x * Math.sqrt(x)), Kernels::sqrt, a -> "Sqrt(" + a + ")", F.LANG),
  TANH("tanh", Math::tanh, x -> { double t = Math.tanh(x); return 1 - t * t; },
      x -> { double t = Math.tanh(x); return -2 * t * (1 - t * t); }, Kernels::tanh, a -> "Tanh(" + a + ")", F.LANG | F.ODD),
  ERF("erf", VecMath::erf, x -> F.TWO_OVER_SQRTPI * Math.exp(-x * x), x -> -2 * x * F.TWO_OVER_SQRTPI * Math.exp(-x * x),
      Kernels::erf, a -> "Erf(" + a + ")", F.LANG | F.ODD),
  RELU("relu", x -> x > 0 ? x : 0.0, x -> x > 0 ? 1.0 : 0.0, x -> 0, Kernels::relu,
      a -> "((" + a + ")+Abs(" + a + "))/2", F.LANG | F.KINK | F.PIECEWISE_LINEAR | F.HOMOGENEOUS),
  LEAKY_RELU("leaky_relu", x -> x > 0 ? x : F.LEAKY * x, x -> x > 0 ? 1.0 : F.LEAKY, x -> 0, Kernels::leakyRelu,
      a -> "((101/200)*(" + a + ")+(99/200)*Abs(" + a + "))", F.LANG | F.KINK | F.PIECEWISE_LINEAR | F.HOMOGENEOUS),
  SIGMOID("sigmoid", VecMath::sigmoid, x -> { double s = VecMath.sigmoid(x); return s * (1 - s); },
      x -> { double s = VecMath.sigmoid(x); return s * (1 - s) * (1 - 2 * s); }, Kernels::sigmoid,
      a -> "1/(1+Exp(-(" + a + ")))", F.LANG),
  SOFTPLUS("softplus", VecMath::softplus, VecMath::sigmoid, x -> { double s = VecMath.sigmoid(x); return s * (1 - s); },
      Kernels::softplus, a -> "Log(1+Exp(" + a + "))", F.LANG),
  GELU("gelu", VecMath::gelu, x -> 0.5 * VecMath.erfc(-x * F.INV_SQRT2) + x * Math.exp(-0.5 * x * x) * F.INV_SQRT2PI,
      x -> (2 - x * x) * Math.exp(-0.5 * x * x) * F.INV_SQRT2PI, Kernels::gelu,
      a -> "(" + a + ")/2*(1+Erf((" + a + ")/Sqrt(2)))", F.LANG),
  ABS("abs", Math::abs, x -> x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0, x -> 0, Kernels::abs, a -> "Abs(" + a + ")",
      F.LANG | F.KINK | F.PIECEWISE_LINEAR | F.HOMOGENEOUS),
  IDENTITY("identity", x -> x, x -> 1, x -> 0, Kernels::identity, a -> "(" + a + ")", F.LANG | F.HOMOGENEOUS | F.ODD),
  /** Unary minus (not a function of the language: the lowering of {@code -x}). */
  NEG("neg", x -> -x, x -> -1, x -> 0, Kernels::neg, a -> "(-(" + a + "))", F.HOMOGENEOUS | F.ODD),
  SIGN("sign", Math::signum, x -> 0, x -> 0, Kernels::sign, a -> "Sign(" + a + ")", F.LANG | F.KINK | F.ODD),
  /** Piecewise constant; refused inside nets. */
  FLOOR("floor", Math::floor, x -> 0, x -> 0, Kernels::floor, a -> "Floor(" + a + ")", F.LANG | F.KINK | F.NOT_IN_NETS),
  /** Piecewise constant; refused inside nets. */
  CEIL("ceil", Math::ceil, x -> 0, x -> 0, Kernels::ceil, a -> "Ceiling(" + a + ")", F.LANG | F.KINK | F.NOT_IN_NETS),
  /** Piecewise constant; refused inside nets. */
  ROUND("round", x -> (double) Math.round(x), x -> 0, x -> 0, Kernels::round, a -> "Round(" + a + ")", F.LANG | F.KINK | F.NOT_IN_NETS),
  STEP("step", x -> x > 0 ? 1.0 : 0.0, x -> 0, x -> 0, Kernels::step, a -> "UnitStep(" + a + ")", F.LANG | F.KINK),
  /** x^2 (not a function of the language). */
  SQUARE("square", x -> x * x, x -> 2 * x, x -> 2, Kernels::square, a -> "(" + a + ")^2", 0),
  ACOS("acos", Math::acos, x -> -1 / Math.sqrt(1 - x * x), x -> { double u = 1 - x * x; return -x / (u * Math.sqrt(u)); },
      Kernels::acos, a -> "ArcCos(" + a + ")", F.LANG),
  ASIN("asin", Math::asin, x -> 1 / Math.sqrt(1 - x * x), x -> { double u = 1 - x * x; return x / (u * Math.sqrt(u)); },
      Kernels::asin, a -> "ArcSin(" + a + ")", F.LANG | F.ODD),
  ATAN("atan", Math::atan, x -> 1 / (1 + x * x), x -> { double u = 1 + x * x; return -2 * x / (u * u); }, Kernels::atan,
      a -> "ArcTan(" + a + ")", F.LANG | F.ODD),
  SINH("sinh", Math::sinh, Math::cosh, Math::sinh, Kernels::sinh, a -> "Sinh(" + a + ")", F.LANG | F.ODD),
  COSH("cosh", Math::cosh, Math::sinh, Math::cosh, Kernels::cosh, a -> "Cosh(" + a + ")", F.LANG),
  /** x sigmoid(x) (an activation of the gauge code's feed-forward nets, not of the language). */
  SILU("silu", x -> x * VecMath.sigmoid(x), x -> { double s = VecMath.sigmoid(x); return s * (1 + x * (1 - s)); },
      x -> { double s = VecMath.sigmoid(x); return s * (1 - s) * (2 + x * (1 - 2 * s)); }, Kernels::silu,
      a -> "(" + a + ")/(1+Exp(-(" + a + ")))", 0),
  /** x for x &gt; 0, e^x - 1 otherwise (an activation of the gauge code's feed-forward nets, not of the language). */
  ELU("elu", x -> x > 0 ? x : Math.expm1(x), x -> x > 0 ? 1.0 : Math.exp(x), x -> x > 0 ? 0.0 : Math.exp(x), Kernels::elu,
      null, 0);

  /** Slope of leaky_relu on the negative axis. */
  public static final double LEAKY_SLOPE = F.LEAKY;

  /** A scalar function. */
  @FunctionalInterface
  public interface Scalar { double at(double x); }

  /** An array kernel: {@code d[i] = f(a[i])} for {@code 0 <= i < n} ({@code a} and {@code d} distinct or the same array). */
  @FunctionalInterface
  public interface ArrayKernel { void apply(double[] a, double[] d, int n); }

  private final String text;
  private final Scalar f, d1, d2;
  private final ArrayKernel kernel;
  private final UnaryOperator<String> symja;
  private final int flags;

  Elementwise(String text, Scalar f, Scalar d1, Scalar d2, ArrayKernel kernel, UnaryOperator<String> symja, int flags) {
    this.text = text;
    this.f = f;
    this.d1 = d1;
    this.d2 = d2;
    this.kernel = kernel;
    this.symja = symja;
    this.flags = flags;
  }

  /** Its name in the language (and in the tape's text). */
  public String text() { return text; }

  @Override public String toString() { return text; }

  /** f(x) (the interpreter's value). */
  public double value(double x) { return f.at(x); }

  /** f'(x); 0 for the piecewise-constant functions, the slope on the side x &gt; 0 / x &le; 0 at a kink. */
  public double d1(double x) { return d1.at(x); }

  /** f''(x); 0 on the linear pieces of the kinked functions. */
  public double d2(double x) { return d2.at(x); }

  /** The array kernel of the sampling evaluator: {@code d[i] = f(a[i])} for {@code i < n}. */
  public void apply(double[] a, double[] d, int n) { kernel.apply(a, d, n); }

  /** f applied to the Symja code {@code a}, or null when f has no symbolic form. */
  public String symja(String a) { return symja == null ? null : symja.apply(a); }

  /** A function of the language (cos, relu, ...), as opposed to the tape-only neg and square and the gauge-only silu and elu. */
  public boolean language() { return (flags & F.LANG) != 0; }

  /** May be applied to the input or the parameters inside a net (floor, ceil and round may not). */
  public boolean inNets() { return language() && (flags & F.NOT_IN_NETS) == 0; }

  /** Whether f' is continuous: false for the kinked relu, leaky_relu and abs and the piecewise-constant ones. */
  public boolean smooth() { return (flags & F.KINK) == 0; }

  /**
   * Continuous and piecewise linear with a kink at 0 (relu, leaky_relu, abs): a unit switches
   * between two linear regimes. Linear functions (identity, neg) have no kink and are not counted.
   */
  public boolean piecewiseLinear() { return (flags & F.PIECEWISE_LINEAR) != 0; }

  /** {@code f(-z) = -f(z)}: sign flips of a unit's weights are symmetries, odd moments of a centred Gaussian argument vanish. */
  public boolean odd() { return (flags & F.ODD) != 0; }

  /** {@code f(a z) = a f(z)} for every {@code a > 0}: the per-unit rescalings are symmetries. */
  public boolean positivelyHomogeneous() { return (flags & F.HOMOGENEOUS) != 0; }

  private static final Map<String, Elementwise> BY_NAME = new HashMap<>();
  private static final List<String> LANGUAGE;

  static {
    List<String> lang = new ArrayList<>();
    for (Elementwise e : values()) {
      BY_NAME.put(e.text, e);
      if (e.language()) lang.add(e.text);
    }
    LANGUAGE = Collections.unmodifiableList(lang);
  }

  /** The function called {@code name}, or null. */
  public static Elementwise byName(String name) { return name == null ? null : BY_NAME.get(name); }

  /** The function called {@code name}; an IllegalArgumentException when there is none. */
  public static Elementwise of(String name) {
    Elementwise e = byName(name);
    if (e == null) throw new IllegalArgumentException("no element-wise function " + name);
    return e;
  }

  /** The names of the language's element-wise functions, in table order. */
  public static List<String> languageNames() { return LANGUAGE; }

  /** Constants and flags (a nested class: enum constructors cannot read the enum's own static fields). */
  private static final class F {
    static final double LEAKY = 0.01;
    static final double TWO_OVER_SQRTPI = 2 / Math.sqrt(Math.PI);
    static final double INV_SQRT2 = 1 / Math.sqrt(2), INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);
    static final int LANG = 1, KINK = 2, PIECEWISE_LINEAR = 4, HOMOGENEOUS = 8, NOT_IN_NETS = 16, ODD = 32;
  }

  /** The array kernels (VecMath's vectorised loops where it has them). */
  private static final class Kernels {
    static void cos(double[] a, double[] d, int n) { VecMath.cosKernelUnscanned(a, d, n); }
    static void sin(double[] a, double[] d, int n) { VecMath.sin(a, 0, d, 0, n); }
    static void exp(double[] a, double[] d, int n) { VecMath.exp(a, 0, d, 0, n); }
    static void log(double[] a, double[] d, int n) { VecMath.log(a, 0, d, 0, n); }
    static void sqrt(double[] a, double[] d, int n) { VecMath.sqrt(a, 0, d, 0, n); }
    static void tanh(double[] a, double[] d, int n) { VecMath.tanh(a, 0, d, 0, n); }
    static void erf(double[] a, double[] d, int n) { VecMath.erf(a, 0, d, 0, n); }
    static void relu(double[] a, double[] d, int n) { VecMath.relu(a, 0, d, 0, n); }
    static void sigmoid(double[] a, double[] d, int n) { VecMath.sigmoid(a, 0, d, 0, n); }
    static void softplus(double[] a, double[] d, int n) { VecMath.softplus(a, 0, d, 0, n); }
    static void gelu(double[] a, double[] d, int n) { VecMath.gelu(a, 0, d, 0, n); }
    static void abs(double[] a, double[] d, int n) { VecMath.abs(a, 0, d, 0, n); }
    static void identity(double[] a, double[] d, int n) { if (a != d) System.arraycopy(a, 0, d, 0, n); }
    static void leakyRelu(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = a[i] > 0 ? a[i] : F.LEAKY * a[i]; }
    static void neg(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = -a[i]; }
    static void tan(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.tan(a[i]); }
    static void sign(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.signum(a[i]); }
    static void floor(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.floor(a[i]); }
    static void ceil(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.ceil(a[i]); }
    static void round(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.round(a[i]); }
    static void step(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = a[i] > 0 ? 1 : 0; }
    static void square(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * a[i]; }
    static void acos(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.acos(a[i]); }
    static void asin(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.asin(a[i]); }
    static void atan(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.atan(a[i]); }
    static void sinh(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.sinh(a[i]); }
    static void cosh(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = Math.cosh(a[i]); }
    static void silu(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = a[i] * VecMath.sigmoid(a[i]); }
    static void elu(double[] a, double[] d, int n) { for (int i = 0; i < n; i++) d[i] = a[i] > 0 ? a[i] : Math.expm1(a[i]); }
  }
}
