package org.nnft.mcmc;

import org.nnft.ensemble.Functional.Pointwise;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;

/**
 * A Lagrangian f(φ, φ', t) with its partial derivatives by forward-mode differentiation of its
 * expression tree: first order at many points (the gradient of the action), second order at one
 * point (the Hessian of the action's quadratic part, for the free metric).
 */
final class Integrand {
  private Integrand() {}

  /**
   * At n points: f into v, ∂f/∂φ into a, ∂f/∂φ' into b (arrays of length ≥ n, overwritten), from
   * φ, φ' and t at those points.
   */
  static void grad(Pointwise e, double[] phi, double[] dphi, double[] t, int n, double[] v, double[] a, double[] b) {
    if (e instanceof Pointwise.Num c) {
      java.util.Arrays.fill(v, 0, n, c.value());
      java.util.Arrays.fill(a, 0, n, 0);
      java.util.Arrays.fill(b, 0, n, 0);
      return;
    }
    if (e instanceof Pointwise.Phi || e instanceof Pointwise.DPhi || e instanceof Pointwise.Var) {
      double[] src = e instanceof Pointwise.Phi ? phi : e instanceof Pointwise.DPhi ? dphi : t;
      System.arraycopy(src, 0, v, 0, n);
      java.util.Arrays.fill(a, 0, n, e instanceof Pointwise.Phi ? 1 : 0);
      java.util.Arrays.fill(b, 0, n, e instanceof Pointwise.DPhi ? 1 : 0);
      return;
    }
    if (e instanceof Pointwise.Fn f) {
      grad(f.a(), phi, dphi, t, n, v, a, b);
      Elementwise fn = f.fn();
      for (int i = 0; i < n; i++) {
        double x = v[i], g1 = fn.d1(x);
        v[i] = fn.value(x);
        a[i] *= g1;
        b[i] *= g1;
      }
      return;
    }
    Pointwise.Op o = (Pointwise.Op) e;
    if (o.op() == Tape.BinOp.POW && o.b() instanceof Pointwise.Num k) {
      grad(o.a(), phi, dphi, t, n, v, a, b);
      double p = k.value();
      if (p == Math.rint(p) && p >= 1 && p <= 8) {
        // a small whole power: products, not pow
        int q = (int) p;
        for (int i = 0; i < n; i++) {
          double x = v[i], r = 1;
          for (int j = 1; j < q; j++) r *= x;
          double g1 = q * r;
          v[i] = r * x;
          a[i] *= g1;
          b[i] *= g1;
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        double x = v[i], g1 = p == 0 ? 0 : p * Tape.pow(x, p - 1);
        v[i] = Tape.pow(x, p);
        a[i] *= g1;
        b[i] *= g1;
      }
      return;
    }
    grad(o.a(), phi, dphi, t, n, v, a, b);
    if (o.op() == Tape.BinOp.MUL && o.b() instanceof Pointwise.Num k) {
      double c = k.value();
      for (int i = 0; i < n; i++) { v[i] *= c; a[i] *= c; b[i] *= c; }
      return;
    }
    if (o.op() == Tape.BinOp.MUL && o.a() instanceof Pointwise.Num) {
      double c = v[0];
      grad(o.b(), phi, dphi, t, n, v, a, b);
      for (int i = 0; i < n; i++) { v[i] *= c; a[i] *= c; b[i] *= c; }
      return;
    }
    double[] v2 = new double[n], a2 = new double[n], b2 = new double[n];
    grad(o.b(), phi, dphi, t, n, v2, a2, b2);
    switch (o.op()) {
      case ADD -> { for (int i = 0; i < n; i++) { v[i] += v2[i]; a[i] += a2[i]; b[i] += b2[i]; } }
      case SUB -> { for (int i = 0; i < n; i++) { v[i] -= v2[i]; a[i] -= a2[i]; b[i] -= b2[i]; } }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          double x = v[i], y = v2[i];
          v[i] = x * y;
          a[i] = a[i] * y + x * a2[i];
          b[i] = b[i] * y + x * b2[i];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          double y = v2[i], q = v[i] / y;
          v[i] = q;
          a[i] = (a[i] - q * a2[i]) / y;
          b[i] = (b[i] - q * b2[i]) / y;
        }
      }
      case POW -> {
        for (int i = 0; i < n; i++) {
          // x^y = exp(y log x)
          double x = v[i], y = v2[i], r = Tape.pow(x, y), lx = Math.log(x);
          v[i] = r;
          a[i] = r * (a2[i] * lx + y * a[i] / x);
          b[i] = r * (b2[i] * lx + y * b[i] / x);
        }
      }
    }
  }

  /** Degrees up to which a Lagrangian is expanded as a polynomial in φ and φ'. */
  static final int MAX_DEGREE = 8;

  /**
   * The Lagrangian as a polynomial Σ c[i][j] φ^i φ'^j with constant coefficients (kinetic terms
   * and polynomial potentials), or null when it is not one (it reads t, or a function, or a
   * power above {@link #MAX_DEGREE}).
   */
  static double[][] polynomial(Pointwise e) {
    double[][] c = new double[MAX_DEGREE + 1][MAX_DEGREE + 1];
    if (e instanceof Pointwise.Num k) { c[0][0] = k.value(); return c; }
    if (e instanceof Pointwise.Phi) { c[1][0] = 1; return c; }
    if (e instanceof Pointwise.DPhi) { c[0][1] = 1; return c; }
    if (!(e instanceof Pointwise.Op o)) return null;
    double[][] x = polynomial(o.a());
    if (x == null) return null;
    if (o.op() == Tape.BinOp.POW) {
      if (!(o.b() instanceof Pointwise.Num k) || k.value() != Math.rint(k.value()) || k.value() < 0 || k.value() > MAX_DEGREE) return null;
      double[][] r = new double[MAX_DEGREE + 1][MAX_DEGREE + 1];
      r[0][0] = 1;
      for (int q = 0; q < (int) k.value(); q++) { r = times(r, x); if (r == null) return null; }
      return r;
    }
    double[][] y = polynomial(o.b());
    if (y == null) return null;
    switch (o.op()) {
      case ADD, SUB -> {
        double sg = o.op() == Tape.BinOp.ADD ? 1 : -1;
        for (int i = 0; i <= MAX_DEGREE; i++) for (int j = 0; j <= MAX_DEGREE; j++) x[i][j] += sg * y[i][j];
        return x;
      }
      case MUL -> { return times(x, y); }
      case DIV -> {
        // by a constant only
        for (int i = 0; i <= MAX_DEGREE; i++) for (int j = 0; j <= MAX_DEGREE; j++) if ((i | j) != 0 && y[i][j] != 0) return null;
        for (int i = 0; i <= MAX_DEGREE; i++) for (int j = 0; j <= MAX_DEGREE; j++) x[i][j] /= y[0][0];
        return x;
      }
      default -> { return null; }
    }
  }

  private static double[][] times(double[][] x, double[][] y) {
    double[][] r = new double[MAX_DEGREE + 1][MAX_DEGREE + 1];
    for (int i = 0; i <= MAX_DEGREE; i++) for (int j = 0; j <= MAX_DEGREE; j++) {
      if (x[i][j] == 0) continue;
      for (int k = 0; k <= MAX_DEGREE; k++) for (int l = 0; l <= MAX_DEGREE; l++) {
        if (y[k][l] == 0) continue;
        if (i + k > MAX_DEGREE || j + l > MAX_DEGREE) return null;
        r[i + k][j + l] += x[i][j] * y[k][l];
      }
    }
    return r;
  }

  /** A polynomial Lagrangian's nonzero terms: f = Σ c φ^i φ'^j. */
  record Poly(int[] i, int[] j, double[] c) {
    static Poly of(double[][] m) {
      java.util.List<int[]> ts = new java.util.ArrayList<>();
      for (int a = 0; a <= MAX_DEGREE; a++) for (int b = 0; b <= MAX_DEGREE; b++) if (m[a][b] != 0) ts.add(new int[] {a, b});
      int[] i = new int[ts.size()], j = new int[ts.size()];
      double[] c = new double[ts.size()];
      for (int k = 0; k < ts.size(); k++) { i[k] = ts.get(k)[0]; j[k] = ts.get(k)[1]; c[k] = m[i[k]][j[k]]; }
      return new Poly(i, j, c);
    }

    /** f, ∂f/∂φ and ∂f/∂φ' at n points. */
    void grad(double[] phi, double[] dphi, int n, double[] v, double[] a, double[] b) {
      for (int p = 0; p < n; p++) {
        double x = phi[p], y = dphi[p], f = 0, fx = 0, fy = 0;
        for (int k = 0; k < c.length; k++) {
          int ii = i[k], jj = j[k];
          double xi1 = pow(x, ii - 1), yj1 = pow(y, jj - 1);
          double xi = ii == 0 ? 1 : xi1 * x, yj = jj == 0 ? 1 : yj1 * y;
          f += c[k] * xi * yj;
          if (ii > 0) fx += c[k] * ii * xi1 * yj;
          if (jj > 0) fy += c[k] * jj * xi * yj1;
        }
        v[p] = f;
        a[p] = fx;
        b[p] = fy;
      }
    }

    private static double pow(double x, int k) {
      double r = 1;
      for (int q = 0; q < k; q++) r *= x;
      return r;
    }
  }

  /** Value and derivatives up to second order in (φ, φ'): {f, f_φ, f_φ', f_φφ, f_φφ', f_φ'φ'}. */
  static double[] hessian(Pointwise e, double phi, double dphi, double t) {
    if (e instanceof Pointwise.Num c) return new double[] {c.value(), 0, 0, 0, 0, 0};
    if (e instanceof Pointwise.Phi) return new double[] {phi, 1, 0, 0, 0, 0};
    if (e instanceof Pointwise.DPhi) return new double[] {dphi, 0, 1, 0, 0, 0};
    if (e instanceof Pointwise.Var) return new double[] {t, 0, 0, 0, 0, 0};
    if (e instanceof Pointwise.Fn f) {
      double[] x = hessian(f.a(), phi, dphi, t);
      Elementwise fn = f.fn();
      return chain(x, fn.value(x[0]), fn.d1(x[0]), fn.d2(x[0]));
    }
    Pointwise.Op o = (Pointwise.Op) e;
    double[] x = hessian(o.a(), phi, dphi, t), y = hessian(o.b(), phi, dphi, t);
    switch (o.op()) {
      case ADD, SUB -> {
        double s = o.op() == Tape.BinOp.ADD ? 1 : -1;
        double[] r = new double[6];
        for (int i = 0; i < 6; i++) r[i] = x[i] + s * y[i];
        return r;
      }
      case MUL -> { return mul(x, y); }
      case DIV -> { return mul(x, chain(y, 1 / y[0], -1 / (y[0] * y[0]), 2 / (y[0] * y[0] * y[0]))); }
      default -> {
        if (y[1] == 0 && y[2] == 0 && y[3] == 0 && y[4] == 0 && y[5] == 0) {
          double p = y[0], u = x[0];
          return chain(x, Tape.pow(u, p), p == 0 ? 0 : p * Tape.pow(u, p - 1), p == 0 || p == 1 ? 0 : p * (p - 1) * Tape.pow(u, p - 2));
        }
        // exp(y log x)
        double[] l = chain(x, Math.log(x[0]), 1 / x[0], -1 / (x[0] * x[0]));
        double[] m = mul(y, l);
        double ex = Math.exp(m[0]);
        return chain(m, ex, ex, ex);
      }
    }
  }

  /** g(x) with g, g', g'' at x's value. */
  private static double[] chain(double[] x, double g, double g1, double g2) {
    return new double[] {g, g1 * x[1], g1 * x[2], g2 * x[1] * x[1] + g1 * x[3], g2 * x[1] * x[2] + g1 * x[4], g2 * x[2] * x[2] + g1 * x[5]};
  }

  private static double[] mul(double[] x, double[] y) {
    return new double[] {x[0] * y[0], x[1] * y[0] + x[0] * y[1], x[2] * y[0] + x[0] * y[2],
        x[3] * y[0] + 2 * x[1] * y[1] + x[0] * y[3], x[4] * y[0] + x[1] * y[2] + x[2] * y[1] + x[0] * y[4],
        x[5] * y[0] + 2 * x[2] * y[2] + x[0] * y[5]};
  }
}
