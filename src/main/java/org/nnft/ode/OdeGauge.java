package org.nnft.ode;

import org.nnft.runtime.*;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.nnft.numeric.Rng;

/**
 * Gauge symmetries of neural ODEs {@code dx/dt = f(x, t)}, {@code t ∈ [0, T]} (SCIENCE.md, "Gauge
 * symmetries of networks"): diffeomorphisms {@code (x, t) → (g(x, t), h(t))} with {@code h(0) = 0},
 * {@code h(T) = T}, {@code h' > 0}, {@code g(·, 0) = g(·, T) = id} change the field but not the
 * end-point map {@code x(0) ↦ x(T)}.
 *
 * <h2>Integration</h2>
 * All flows use Hipparchus' {@link DormandPrince853Integrator} (an embedded 8(5,3) Runge–Kutta pair)
 * with absolute tolerance {@link #ABS_TOL} = 1e-12 and relative tolerance {@link #REL_TOL} = 1e-12
 * per component, minimum step 0 and maximum step the whole interval. These are local (per-step)
 * error targets; the global error of a smooth O(1) flow over {@code T ≈ 1} is measured at a few
 * 1e-12 to 1e-11 (see the tests), but a field with kinks (a ReLU or leaky-ReLU neural ODE) is
 * integrated far less accurately where a step straddles a kink: 1e-11 to 1e-8, erratically.
 *
 * <h2>Tolerances from the integration's own error</h2>
 * {@link #covariance} (and {@link #invariant}) and {@link #timeOrderedExpWithError} therefore
 * integrate every flow twice, at 1e-12 and at {@link #CHECK_TOL} = 1e-14, and take the difference as
 * the error estimate of the 1e-12 result (which they compare). A comparison accepts deviations up to
 * <pre>  max(100 (ABS_TOL + REL_TOL |x(T)|_∞),  SAFETY · E),   SAFETY = 10,</pre>
 * where {@code E} is the largest error estimate over the samples (of both flows together) and the
 * first term is the floor of a smooth flow. Measured over 180 ReLU and tanh neural ODEs (2-D,
 * hidden 4 to 16, time reparametrizations and spatial transformations, 16 starting points each), the
 * largest deviation of a true symmetry was 1.7 E, and E stayed below 1e-7: true symmetries are not
 * failed, while an end-point change of 1e-6 is still caught.
 *
 * <h2>Time reparametrization: which time is new</h2>
 * Two directions are offered; both keep {@code x(T)}.
 * <ul>
 *   <li>{@link #reparametrize} (pull-back, no inversion needed): the new time {@code s} is related
 *       to the old one by {@code t = h(s)}. The new trajectory is {@code y(s) = x(h(s))}, so by the
 *       chain rule {@code dy/ds = h'(s) ẋ(h(s)) = h'(s) f(y(s), h(s))}, i.e.
 *       <pre>  f'(x, s) = h'(s) · f(x, h(s)).</pre>
 *       Since {@code h(0) = 0} and {@code h(T) = T}, {@code y(0) = x(0)} and {@code y(T) = x(T)}.</li>
 *   <li>{@link #reparametrizeForward} (push-forward, the literal SCIENCE.md formula with
 *       {@code g = id}): the new time is {@code t' = h(t)} and {@code x'(t') = x(t)}, so
 *       {@code dx'/dt' = ẋ(t) / h'(t)}, i.e.
 *       <pre>  f'(x, t') = f(x, τ) / h'(τ),   τ = h⁻¹(t'),</pre>
 *       with {@code h⁻¹} evaluated by safeguarded Newton iteration on {@code [0, T]}.</li>
 * </ul>
 * The two are the same construction with {@code h} and {@code h⁻¹} exchanged: applying the forward
 * rule to {@code k = h⁻¹} gives {@code f(x, h(s)) / k'(h(s)) = h'(s) f(x, h(s))}.
 *
 * <h2>Spatial diffeomorphisms</h2>
 * For {@code x' = g(x, t)}: {@code dx'/dt = ∂_t g(x, t) + J_g(x, t) ẋ}, so
 * <pre>  f'(x', t) = ∂_t g(x, t) + J_g(x, t) f(x, t),   x = g⁻¹(x', t).</pre>
 * {@code x'(0) = g(x(0), 0) = x(0)} and {@code x'(T) = g(x(T), T) = x(T)}. See {@link #spatial}
 * and {@link #linearShear} ({@code g(x, t) = (1 + s(t) B) x}, exactly invertible).
 *
 * <h2>Linear NODEs</h2>
 * For {@code f = A(t) x} the end-point map is the time-ordered exponential {@code U(T)},
 * {@code dU/dt = A U}, {@code U(0) = 1} ({@link #timeOrderedExp}). With {@code x' = G(t) x} the
 * field becomes {@code A' = G A G⁻¹ + Ġ G⁻¹} ({@link #gaugeLinear}) because
 * {@code d(GU)/dt = Ġ U + G A U = (Ġ G⁻¹ + G A G⁻¹)(G U)}; hence {@code U'(t) = G(t) U(t) G(0)⁻¹}
 * and with {@code G(0) = G(T) = 1} the time-ordered exponential is unchanged. The residual net
 * {@code W_l = 1 + ε A(lε)} ({@link #residualProduct}) and its gauge transform
 * {@code g_l W_l g_{l−1}⁻¹}, {@code g_l = G(lε)} ({@link #gaugedResidualProduct}), approximate
 * {@code U(T)} and {@code U'(T)} with O(ε) errors ({@link #residualConvergence}).
 */
public final class OdeGauge {

  /** Absolute tolerance of every Dormand–Prince 8(5,3) integration here. */
  public static final double ABS_TOL = 1e-12;

  /** Relative tolerance of every Dormand–Prince 8(5,3) integration here. */
  public static final double REL_TOL = 1e-12;

  /** Factor over the integrator tolerance that {@link #invariant} accepts at least (a smooth flow's floor). */
  public static final double INVARIANCE_FACTOR = 100.0;

  /** The tighter tolerance of the second integration, whose difference estimates the error of the first. */
  public static final double CHECK_TOL = 1e-14;

  /** Factor over the estimated integration error that a comparison accepts. */
  public static final double SAFETY = 10.0;

  private static final int MAX_EVALUATIONS = 20_000_000;

  private OdeGauge() {}

  /** A (possibly time-dependent) vector field on R^n: the right-hand side of dx/dt = f(x, t). */
  @FunctionalInterface
  public interface VectorField {
    /** f(x, t); must not modify {@code x}, returns a fresh array of the same length. */
    double[] f(double[] x, double t);
  }

  /**
   * A spatial diffeomorphism x' = g(x, t) of R^n, for each t, smooth in (x, t), with its Jacobian
   * and time derivative. {@link #inverse} defaults to Newton's method started at x' (adequate for
   * the near-identity maps gauge transformations are); override it when an exact inverse is known.
   */
  public interface SpatialDiffeo {
    /** g(x, t). */
    double[] apply(double[] x, double t);

    /** J_g(x, t) = ∂g/∂x, as {@code [i][j] = ∂g_i/∂x_j}. */
    double[][] jacobian(double[] x, double t);

    /** ∂_t g(x, t). */
    double[] timeDerivative(double[] x, double t);

    /** g⁻¹(y, t): the x with g(x, t) = y. */
    default double[] inverse(double[] y, double t) {
      return newtonInverse(this, y, t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Flows

  /** x(T) for dx/dt = f(x, t), x(0) = x0 (Dormand–Prince 8(5,3), tolerances 1e-12 / 1e-12). */
  public static double[] flow(VectorField f, double[] x0, double T) {
    return flow(f, x0, 0.0, T);
  }

  /** x(t1) for dx/dt = f(x, t), x(t0) = x0 (Dormand–Prince 8(5,3), tolerances 1e-12 / 1e-12). */
  public static double[] flow(VectorField f, double[] x0, double t0, double t1) {
    return flow(f, x0, t0, t1, ABS_TOL, REL_TOL);
  }

  /** An end point integrated at 1e-12 and the estimate of its error (max over components). */
  public record Estimate(double[] x, double error) {}

  /**
   * x(t1) at tolerance 1e-12 with its error estimated as {@code max_i |x_i − x'_i|}, x' integrated at
   * {@link #CHECK_TOL} = 1e-14 (NaN propagates into the error).
   */
  public static Estimate flowWithError(VectorField f, double[] x0, double t0, double t1) {
    double[] x = flow(f, x0, t0, t1), tight = flow(f, x0, t0, t1, CHECK_TOL, CHECK_TOL);
    double e = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - tight[i]);
      e = Double.isNaN(d) ? Double.NaN : Math.max(e, d);
      if (Double.isNaN(e)) break;
    }
    return new Estimate(x, e);
  }

  /** x(t1) for dx/dt = f(x, t), x(t0) = x0, Dormand–Prince 8(5,3) at the given tolerances. */
  public static double[] flow(VectorField f, double[] x0, double t0, double t1, double absTol, double relTol) {
    if (x0 == null || x0.length == 0) throw new IllegalArgumentException("x0 must be non-empty");
    if (!Double.isFinite(t0) || !Double.isFinite(t1)) {
      throw new IllegalArgumentException("times must be finite");
    }
    final int n = x0.length;
    if (t1 == t0) return x0.clone();
    OrdinaryDifferentialEquation ode =
        new OrdinaryDifferentialEquation() {
          @Override
          public int getDimension() {
            return n;
          }

          private int calls;

          @Override
          public double[] computeDerivatives(double t, double[] y) {
            // a long integration stops with the statement (Ctrl-C, an interrupt)
            if ((++calls & 1023) == 0) org.nnft.runtime.Session.checkCurrent();
            double[] d = f.f(y, t);
            if (d == null || d.length != n) {
              throw new IllegalArgumentException("vector field returned a vector of the wrong size");
            }
            return d;
          }
        };
    DormandPrince853Integrator integrator =
        new DormandPrince853Integrator(0.0, Math.abs(t1 - t0), absTol, relTol);
    integrator.setMaxEvaluations(MAX_EVALUATIONS);
    ODEStateAndDerivative end = integrator.integrate(ode, new ODEState(t0, x0.clone()), t1);
    return end.getPrimaryState().clone();
  }

  // ---------------------------------------------------------------------------------------------
  // Time reparametrization

  /**
   * The pull-back of {@code f} by the time diffeomorphism {@code h} of {@code [0, T]}: the new time
   * {@code s} satisfies {@code t = h(s)} and the new field is {@code f'(x, s) = h'(s) f(x, h(s))}
   * (its solution is {@code y(s) = x(h(s))}). Requires {@code h(0) = 0}, {@code h(T) = T},
   * {@code h' > 0}; these and the consistency of {@code hPrime} with {@code h} are checked on a
   * grid.
   *
   * @throws IllegalArgumentException if h is not a valid reparametrization
   */
  public static VectorField reparametrize(
      VectorField f, DoubleUnaryOperator h, DoubleUnaryOperator hPrime, double T) {
    validateTimeDiffeo(h, hPrime, T);
    return (x, s) -> {
      double[] v = f.f(x, h.applyAsDouble(s));
      double d = hPrime.applyAsDouble(s);
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) out[i] = d * v[i];
      return out;
    };
  }

  /**
   * The push-forward of {@code f} by {@code h} (SCIENCE.md's {@code f' = f / h'} with g = id): the
   * new time is {@code t' = h(t)}, the new solution {@code x'(t') = x(t)}, and the new field is
   * {@code f'(x, t') = f(x, τ) / h'(τ)} with {@code τ = h⁻¹(t')} (Newton–bisection).
   *
   * @throws IllegalArgumentException if h is not a valid reparametrization
   */
  public static VectorField reparametrizeForward(
      VectorField f, DoubleUnaryOperator h, DoubleUnaryOperator hPrime, double T) {
    validateTimeDiffeo(h, hPrime, T);
    return (x, tp) -> {
      double tau = invertMonotone(h, hPrime, tp, T);
      double[] v = f.f(x, tau);
      double d = hPrime.applyAsDouble(tau);
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) out[i] = v[i] / d;
      return out;
    };
  }

  /** τ in [0, T] with h(τ) = y, for increasing h (Newton's method safeguarded by bisection). */
  static double invertMonotone(DoubleUnaryOperator h, DoubleUnaryOperator hPrime, double y, double T) {
    double lo = 0.0, hi = T;
    if (y <= 0.0) return 0.0 + (y - h.applyAsDouble(0.0)) / hPrime.applyAsDouble(0.0);
    if (y >= T) return T + (y - h.applyAsDouble(T)) / hPrime.applyAsDouble(T);
    double tau = y;
    for (int it = 0; it < 200; it++) {
      double r = h.applyAsDouble(tau) - y;
      if (r == 0.0) return tau;
      if (r > 0) hi = tau;
      else lo = tau;
      double next = tau - r / hPrime.applyAsDouble(tau);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - tau) <= 4 * Math.ulp(Math.max(1.0, T))) return next;
      tau = next;
    }
    return tau;
  }

  private static void validateTimeDiffeo(DoubleUnaryOperator h, DoubleUnaryOperator hPrime, double T) {
    if (!(T > 0) || !Double.isFinite(T)) throw new IllegalArgumentException("T must be positive");
    double tol = 1e-9 * Math.max(1.0, T);
    double h0 = h.applyAsDouble(0.0), hT = h.applyAsDouble(T);
    if (!(Math.abs(h0) <= tol)) {
      throw new IllegalArgumentException("time reparametrization needs h(0) = 0, got " + h0);
    }
    if (!(Math.abs(hT - T) <= tol)) {
      throw new IllegalArgumentException("time reparametrization needs h(T) = T, got h(T) = " + hT);
    }
    int grid = 512;
    double delta = 1e-5 * T;
    for (int k = 0; k <= grid; k++) {
      double t = T * k / grid;
      double d = hPrime.applyAsDouble(t);
      if (!(d > 0) || !Double.isFinite(d)) {
        throw new IllegalArgumentException("time reparametrization needs h' > 0; h'(" + t + ") = " + d);
      }
      if (k % 16 == 8) {
        double fd = (h.applyAsDouble(t + delta) - h.applyAsDouble(t - delta)) / (2 * delta);
        if (!(Math.abs(fd - d) <= 1e-5 * Math.max(1.0, Math.abs(d)))) {
          throw new IllegalArgumentException(
              "h' does not match h: at t = " + t + " h' = " + d + ", finite difference " + fd);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Spatial diffeomorphisms

  /**
   * The transform of {@code f} under {@code x' = g(x, t)}:
   * {@code f'(x', t) = ∂_t g(x, t) + J_g(x, t) f(x, t)} at {@code x = g⁻¹(x', t)}. Before returning,
   * checks at a few seeded random points in R^dim and times in [0, T] that {@code g(·, 0) = g(·, T)
   * = id}, that the Jacobian and the time derivative match finite differences, and that the inverse
   * round-trips.
   *
   * @throws IllegalArgumentException if g fails these checks
   */
  public static VectorField spatial(VectorField f, SpatialDiffeo g, int dim, double T) {
    return spatial(f, g, dim, T, true);
  }

  /**
   * As {@link #spatial(VectorField, SpatialDiffeo, int, double)}; with {@code identityAtEnds}
   * false, g need not be the identity at t = 0 and t = T: the result is then a change of
   * coordinates rather than a gauge transformation, and its end-point map is the conjugate
   * {@code g(·, T) ∘ Φ ∘ g(·, 0)⁻¹} of the original one (see {@link #covariance}).
   */
  public static VectorField spatial(VectorField f, SpatialDiffeo g, int dim, double T, boolean identityAtEnds) {
    validateSpatial(g, dim, T, identityAtEnds);
    return (xp, t) -> {
      double[] x = g.inverse(xp, t);
      double[] v = f.f(x, t);
      double[] out = OdeMatrices.multiply(g.jacobian(x, t), v);
      double[] dt = g.timeDerivative(x, t);
      for (int i = 0; i < out.length; i++) out[i] += dt[i];
      return out;
    };
  }

  /** Functional form of {@link #spatial(VectorField, SpatialDiffeo, int, double)}; g⁻¹ by Newton. */
  public static VectorField spatial(
      VectorField f,
      BiFunction<double[], Double, double[]> g,
      BiFunction<double[], Double, double[][]> dgdx,
      BiFunction<double[], Double, double[]> dgdt,
      int dim,
      double T) {
    SpatialDiffeo d =
        new SpatialDiffeo() {
          @Override
          public double[] apply(double[] x, double t) {
            return g.apply(x, t);
          }

          @Override
          public double[][] jacobian(double[] x, double t) {
            return dgdx.apply(x, t);
          }

          @Override
          public double[] timeDerivative(double[] x, double t) {
            return dgdt.apply(x, t);
          }
        };
    return spatial(f, d, dim, T);
  }

  /**
   * {@code g(x, t) = (1 + s(t) B) x} with {@code s(0) = s(T) = 0}: {@code J_g = 1 + s(t) B},
   * {@code ∂_t g = ṡ(t) B x}, {@code g⁻¹(x', t) = (1 + s(t) B)⁻¹ x'} (exact linear solve; requires
   * {@code 1 + s(t) B} invertible, e.g. {@code |s| ‖B‖ < 1}).
   */
  public static SpatialDiffeo linearShear(
      double[][] B, DoubleUnaryOperator s, DoubleUnaryOperator sDot) {
    final int n = B.length;
    OdeMatrices.requireSquare(B, n, "B");
    final double[][] b = OdeMatrices.copy(B);
    return new SpatialDiffeo() {
      private double[][] matrix(double t) {
        return OdeMatrices.addScaled(OdeMatrices.identity(n), s.applyAsDouble(t), b);
      }

      @Override
      public double[] apply(double[] x, double t) {
        return OdeMatrices.multiply(matrix(t), x);
      }

      @Override
      public double[][] jacobian(double[] x, double t) {
        return matrix(t);
      }

      @Override
      public double[] timeDerivative(double[] x, double t) {
        double[] bx = OdeMatrices.multiply(b, x);
        double sd = sDot.applyAsDouble(t);
        for (int i = 0; i < n; i++) bx[i] *= sd;
        return bx;
      }

      @Override
      public double[] inverse(double[] y, double t) {
        return OdeMatrices.solve(matrix(t), y);
      }
    };
  }

  /** Newton's method for g(x, t) = y started at x = y; throws if it does not converge. */
  static double[] newtonInverse(SpatialDiffeo g, double[] y, double t) {
    double[] x = y.clone();
    for (int it = 0; it < 60; it++) {
      double[] r = g.apply(x, t);
      for (int i = 0; i < r.length; i++) r[i] -= y[i];
      double[] dx = OdeMatrices.solve(g.jacobian(x, t), r);
      double step = 0, size = 1;
      for (int i = 0; i < x.length; i++) {
        x[i] -= dx[i];
        step = Math.max(step, Math.abs(dx[i]));
        size = Math.max(size, Math.abs(x[i]));
      }
      if (step <= 1e-15 * size) return x;
      if (!Double.isFinite(step)) break;
    }
    // accept if the residual is at rounding level
    double[] r = g.apply(x, t);
    double res = 0, size = 1;
    for (int i = 0; i < r.length; i++) {
      res = Math.max(res, Math.abs(r[i] - y[i]));
      size = Math.max(size, Math.abs(y[i]));
    }
    if (res <= 1e-13 * size) return x;
    throw new ArithmeticException("Newton inversion of the spatial diffeomorphism did not converge");
  }

  private static void validateSpatial(SpatialDiffeo g, int dim, double T, boolean identityAtEnds) {
    if (dim < 1) throw new IllegalArgumentException("dim must be positive");
    if (!(T > 0) || !Double.isFinite(T)) throw new IllegalArgumentException("T must be positive");
    Rng rng = Rng.forStream(0x5EED_0DE5L, dim);
    for (int trial = 0; trial < 4; trial++) {
      double[] x = new double[dim];
      for (int i = 0; i < dim; i++) x[i] = rng.normal();
      double scale = 1e-9 * Math.max(1.0, OdeMatrices.maxAbs(x));
      for (double end : identityAtEnds ? new double[] {0.0, T} : new double[0]) {
        double[] gx = g.apply(x, end);
        for (int i = 0; i < dim; i++) {
          if (!(Math.abs(gx[i] - x[i]) <= scale)) {
            throw new IllegalArgumentException(
                "spatial gauge transformation needs g(., 0) = g(., T) = id; fails at t = " + end);
          }
        }
      }
      double t = T * (0.15 + 0.7 * rng.nextDouble());
      double[] gx = g.apply(x, t);
      // inverse round trip
      double[] back = g.inverse(gx, t);
      for (int i = 0; i < dim; i++) {
        if (!(Math.abs(back[i] - x[i]) <= 1e-9 * Math.max(1.0, Math.abs(x[i])))) {
          throw new IllegalArgumentException("g.inverse does not invert g at t = " + t);
        }
      }
      // time derivative by central differences
      double dt = 1e-5 * T;
      double[] gp = g.apply(x, t + dt), gm = g.apply(x, t - dt), gt = g.timeDerivative(x, t);
      for (int i = 0; i < dim; i++) {
        double fd = (gp[i] - gm[i]) / (2 * dt);
        if (!(Math.abs(fd - gt[i]) <= 1e-5 * Math.max(1.0, Math.abs(gt[i])))) {
          throw new IllegalArgumentException("∂_t g does not match g at t = " + t);
        }
      }
      // Jacobian by central differences
      double[][] J = g.jacobian(x, t);
      OdeMatrices.requireSquare(J, dim, "Jacobian");
      for (int j = 0; j < dim; j++) {
        double h = 1e-5 * Math.max(1.0, Math.abs(x[j]));
        double[] xp = x.clone(), xm = x.clone();
        xp[j] += h;
        xm[j] -= h;
        double[] a = g.apply(xp, t), b = g.apply(xm, t);
        for (int i = 0; i < dim; i++) {
          double fd = (a[i] - b[i]) / (2 * h);
          if (!(Math.abs(fd - J[i][j]) <= 1e-5 * Math.max(1.0, Math.abs(J[i][j])))) {
            throw new IllegalArgumentException("Jacobian of g does not match g at t = " + t);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Invariance check

  /**
   * Result of {@link #invariant}: the largest component-wise deviation {@code |x(T) − x'(T)|} over
   * the samples (integrated at 1e-12); the estimated integration error {@code E} (the largest over
   * the samples of the two flows' differences between 1e-12 and {@link #CHECK_TOL}); the accepted
   * tolerance {@code max(100 (ABS_TOL + REL_TOL · max |x(T)|_∞), SAFETY · E)}; and whether the
   * deviation is within it.
   */
  public record Invariance(double maxDeviation, double errorEstimate, double tolerance, boolean invariant, int samples) {}

  /**
   * Compares the end-point maps of {@code f} and {@code transformed} over [0, T] at {@code samples}
   * starting points x0 ~ N(0, 1)^dim drawn from {@code seed}.
   */
  public static Invariance invariant(
      VectorField f, VectorField transformed, int dim, double T, int samples, long seed) {
    return covariance(f, transformed, null, null, dim, T, samples, seed);
  }

  /**
   * Compares the end-point map of {@code transformed} with {@code after ∘ Φ_f ∘ before} (null
   * meaning the identity) at the same starting points as {@link #invariant}: for a change of
   * coordinates x' = g(x, t), {@code before = g(·, 0)⁻¹} and {@code after = g(·, T)}.
   */
  public static Invariance covariance(
      VectorField f,
      VectorField transformed,
      java.util.function.UnaryOperator<double[]> before,
      java.util.function.UnaryOperator<double[]> after,
      int dim,
      double T,
      int samples,
      long seed) {
    if (samples < 1) throw new IllegalArgumentException("samples must be positive");
    Rng rng = Rng.forStream(seed, 0x0DE0L);
    double worst = 0, scale = 0, error = 0;
    for (int k = 0; k < samples; k++) {
      double[] x0 = new double[dim];
      for (int i = 0; i < dim; i++) x0[i] = rng.normal();
      double[] start = before == null ? x0 : before.apply(x0.clone());
      // each flow also at the tighter tolerance: the difference estimates the error of the 1e-12 result
      double[] a = flow(f, start, 0.0, T), a2 = flow(f, start, 0.0, T, CHECK_TOL, CHECK_TOL);
      Estimate b = flowWithError(transformed, x0, 0.0, T);
      if (after != null) {
        a = after.apply(a);
        a2 = after.apply(a2);
      }
      scale = Math.max(scale, OdeMatrices.maxAbs(a));
      double ea = 0;
      for (int i = 0; i < dim; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b.x()[i])); // NaN sticks
        ea = Math.max(ea, Math.abs(a[i] - a2[i]));
      }
      error = Math.max(error, ea + b.error());
    }
    double tolerance = acceptedDeviation(scale, error);
    return new Invariance(worst, error, tolerance, worst <= tolerance, samples);
  }

  /**
   * The largest deviation a comparison of 1e-12 integrations accepts: the smooth floor
   * {@code 100 (ABS_TOL + REL_TOL · scale)} or {@code SAFETY} times the estimated integration error,
   * whichever is larger (NaN when the estimate is NaN, so that nothing passes).
   */
  public static double acceptedDeviation(double scale, double errorEstimate) {
    if (Double.isNaN(errorEstimate)) return Double.NaN;
    return Math.max(INVARIANCE_FACTOR * (ABS_TOL + REL_TOL * scale), SAFETY * errorEstimate);
  }

  // ---------------------------------------------------------------------------------------------
  // Linear NODEs

  /**
   * The time-ordered exponential U(T) = T exp ∫_0^T A(t) dt: the solution of dU/dt = A(t) U,
   * U(0) = 1, integrated as an n²-dimensional ODE (Dormand–Prince 8(5,3), tolerances 1e-12).
   */
  public static double[][] timeOrderedExp(Function<Double, double[][]> A, double T) {
    return timeOrderedExp(A, T, ABS_TOL);
  }

  /**
   * U(T) at 1e-12 with its error estimate: {@code [0]} is U(T), {@code [1][0][0]} the largest entry of
   * |U(T) − U_tight(T)| with U_tight integrated at {@link #CHECK_TOL}.
   */
  public static double[][][] timeOrderedExpWithError(Function<Double, double[][]> A, double T) {
    double[][] U = timeOrderedExp(A, T, ABS_TOL), tight = timeOrderedExp(A, T, CHECK_TOL);
    return new double[][][] {U, {{OdeMatrices.maxAbsDiff(U, tight)}}};
  }

  /** U(T) with absolute and relative tolerance {@code tol}. */
  public static double[][] timeOrderedExp(Function<Double, double[][]> A, double T, double tol) {
    final double[][] a0 = A.apply(0.0);
    final int n = a0.length;
    OdeMatrices.requireSquare(a0, n, "A(0)");
    double[] u0 = new double[n * n];
    for (int i = 0; i < n; i++) u0[i * n + i] = 1.0;
    VectorField f =
        (u, t) -> {
          double[][] a = A.apply(t);
          double[] du = new double[n * n];
          for (int i = 0; i < n; i++) {
            for (int p = 0; p < n; p++) {
              double aip = a[i][p];
              if (aip == 0.0) continue;
              for (int j = 0; j < n; j++) du[i * n + j] += aip * u[p * n + j];
            }
          }
          return du;
        };
    double[] uT = flow(f, u0, 0.0, T, tol, tol);
    double[][] U = new double[n][n];
    for (int i = 0; i < n; i++) System.arraycopy(uT, i * n, U[i], 0, n);
    return U;
  }

  /** The gauge transform of a linear field under x' = G(t) x: A' = G A G⁻¹ + Ġ G⁻¹. */
  public static Function<Double, double[][]> gaugeLinear(
      Function<Double, double[][]> A,
      Function<Double, double[][]> G,
      Function<Double, double[][]> Gdot) {
    return t -> {
      double[][] g = G.apply(t);
      double[][] gi = OdeMatrices.inverse(g);
      double[][] a = OdeMatrices.multiply(OdeMatrices.multiply(g, A.apply(t)), gi);
      double[][] b = OdeMatrices.multiply(Gdot.apply(t), gi);
      return OdeMatrices.addScaled(a, 1.0, b);
    };
  }

  /** The linear field x ↦ A(t) x as a {@link VectorField}. */
  public static VectorField linearField(Function<Double, double[][]> A) {
    return (x, t) -> OdeMatrices.multiply(A.apply(t), x);
  }

  /** L = T/ε, which must be a positive integer to rounding. */
  static int steps(double T, double eps) {
    if (!(eps > 0) || !(T > 0)) throw new IllegalArgumentException("T and ε must be positive");
    long L = Math.round(T / eps);
    if (L < 1 || Math.abs(L * eps - T) > 1e-9 * T || L > 100_000_000L) {
      throw new IllegalArgumentException("T / ε must be a positive integer; T = " + T + ", ε = " + eps);
    }
    return (int) L;
  }

  /**
   * The residual net's product W_L ⋯ W_1 (later layers on the left), W_l = 1 + ε A(lε),
   * l = 1 … L = T/ε. Approximates U(T) with error O(ε).
   */
  public static double[][] residualProduct(Function<Double, double[][]> A, double T, double eps) {
    int L = steps(T, eps);
    int n = A.apply(0.0).length;
    double[][] P = OdeMatrices.identity(n);
    for (int l = 1; l <= L; l++) {
      double[][] W = OdeMatrices.addScaled(OdeMatrices.identity(n), eps, A.apply(l * eps));
      P = OdeMatrices.multiply(W, P);
    }
    return P;
  }

  /**
   * The gauge-transformed residual net's product Π_l (g_l W_l g_{l−1}⁻¹), g_l = G(lε), W_l = 1 +
   * ε A(lε), each layer formed explicitly (no telescoping used). Equals G(T) (W_L⋯W_1) G(0)⁻¹ up to
   * rounding and approximates U'(T) = G(T) U(T) G(0)⁻¹ with error O(ε).
   */
  public static double[][] gaugedResidualProduct(
      Function<Double, double[][]> A, Function<Double, double[][]> G, double T, double eps) {
    int L = steps(T, eps);
    int n = A.apply(0.0).length;
    double[][] P = OdeMatrices.identity(n);
    double[][] gPrevInv = OdeMatrices.inverse(G.apply(0.0));
    for (int l = 1; l <= L; l++) {
      double t = l * eps;
      double[][] W = OdeMatrices.addScaled(OdeMatrices.identity(n), eps, A.apply(t));
      double[][] g = G.apply(t);
      double[][] layer = OdeMatrices.multiply(OdeMatrices.multiply(g, W), gPrevInv);
      P = OdeMatrices.multiply(layer, P);
      gPrevInv = OdeMatrices.inverse(g);
    }
    return P;
  }

  /**
   * One row of {@link #residualConvergence}: at step ε, the max-entry errors of the residual net
   * against U(T), of the gauge-transformed residual net against U'(T), and of the residual net built
   * directly from A' = G A G⁻¹ + Ġ G⁻¹ against U'(T); plus the largest layer mismatch
   * max_l ‖g_l W_l g_{l−1}⁻¹ − (1 + ε A'(lε))‖ (which is O(ε²)).
   */
  public record ResidualRow(
      double eps, double residualError, double gaugedError, double primedNetError, double layerMismatch) {}

  /**
   * The residual-net continuum limit for the given step sizes (each must divide T): U(T) and
   * U'(T) from {@link #timeOrderedExp}, compared with the residual products.
   */
  public static List<ResidualRow> residualConvergence(
      Function<Double, double[][]> A,
      Function<Double, double[][]> G,
      Function<Double, double[][]> Gdot,
      double T,
      double... eps) {
    Function<Double, double[][]> Ap = gaugeLinear(A, G, Gdot);
    double[][] U = timeOrderedExp(A, T);
    double[][] Up = timeOrderedExp(Ap, T);
    List<ResidualRow> rows = new ArrayList<>();
    for (double e : eps) {
      int L = steps(T, e);
      int n = U.length;
      double mismatch = 0;
      double[][] gPrevInv = OdeMatrices.inverse(G.apply(0.0));
      for (int l = 1; l <= L; l++) {
        double t = l * e;
        double[][] W = OdeMatrices.addScaled(OdeMatrices.identity(n), e, A.apply(t));
        double[][] g = G.apply(t);
        double[][] layer = OdeMatrices.multiply(OdeMatrices.multiply(g, W), gPrevInv);
        double[][] target = OdeMatrices.addScaled(OdeMatrices.identity(n), e, Ap.apply(t));
        mismatch = Math.max(mismatch, OdeMatrices.maxAbsDiff(layer, target));
        gPrevInv = OdeMatrices.inverse(g);
      }
      rows.add(
          new ResidualRow(
              e,
              OdeMatrices.maxAbsDiff(residualProduct(A, T, e), U),
              OdeMatrices.maxAbsDiff(gaugedResidualProduct(A, G, T, e), Up),
              OdeMatrices.maxAbsDiff(residualProduct(Ap, T, e), Up),
              mismatch));
    }
    return rows;
  }
}
