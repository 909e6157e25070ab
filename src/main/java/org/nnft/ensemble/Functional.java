package org.nnft.ensemble;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;

/**
 * A number computed from each network of an ensemble: the net at points, integrals of a pointwise
 * expression in the net and its first derivative by composite Gauss–Legendre quadrature, constants,
 * element-wise functions, arithmetic and sums. Reweighting uses it as a log-weight. Serializable
 * data with no language types, so that it travels with the chunk jobs; {@link #layout} fixes the
 * points where the net is evaluated, and {@link Layout#value} evaluates it per network from the
 * net's values (and, when needed, derivatives) there.
 */
public sealed interface Functional extends Serializable {
  /** A constant. */
  record Const(double value) implements Functional {}

  /** The net (a scalar output) at the point x. */
  record At(double[] x) implements Functional {}

  /**
   * The integral over [lo, hi] (the net's input is one-dimensional) of a pointwise expression in
   * the net φ, its derivative φ' and the variable, by {@code panels} panels of {@code order}-point
   * Gauss–Legendre rules.
   */
  record Integral(double lo, double hi, int panels, int order, Pointwise integrand) implements Functional {
    /** order 0: the nodes rule, the panels+1 ends of equal intervals with trapezoid weights (h, ends h/2). */
    public static final int NODES = 0;

    public int points() { return order == NODES ? panels + 1 : panels * order; }

    /** The same integral with twice the points (for the convergence check). */
    public Integral doubled() { return new Integral(lo, hi, panels * 2, order, integrand); }

    /** {nodes, weights} of the rule. */
    public double[][] rule() {
      if (order != NODES) return GaussLegendre.composite(lo, hi, panels, order);
      double h = (hi - lo) / panels;
      double[] x = new double[panels + 1], w = new double[panels + 1];
      for (int j = 0; j <= panels; j++) {
        x[j] = lo + j * h;
        w[j] = j == 0 || j == panels ? h / 2 : h;
      }
      return new double[][] {x, w};
    }
  }

  /**
   * The integral over the box [lo_1, hi_1] × … × [lo_d, hi_d] (the net's input is in R^d, d ≥ 2)
   * of a pointwise expression in the net, its partial derivatives and the coordinates, by the
   * tensor product of {@code panels} panels of {@code order}-point Gauss–Legendre rules on each axis.
   */
  record Box(double[] lo, double[] hi, int panels, int order, Pointwise integrand) implements Functional {
    public int dim() { return lo.length; }

    /** Nodes on each axis. */
    public int perAxis() { return panels * order; }

    public int points() {
      int n = 1;
      for (int k = 0; k < lo.length; k++) n = Math.multiplyExact(n, perAxis());
      return n;
    }

    /** The same integral with twice the points on each axis (for the convergence check). */
    public Box doubled() { return new Box(lo, hi, panels * 2, order, integrand); }

    /**
     * {coordinates, weights}: coordinates[k * n + i] is coordinate k of node i (the last axis
     * varies fastest), weights[i] the product of the axes' weights.
     */
    public double[][] rule() {
      int d = lo.length, m = perAxis(), n = points();
      double[][][] axis = new double[d][][];
      for (int k = 0; k < d; k++) axis[k] = GaussLegendre.composite(lo[k], hi[k], panels, order);
      double[] x = new double[d * n], w = new double[n];
      for (int i = 0; i < n; i++) {
        int rest = i;
        double wi = 1;
        for (int k = d - 1; k >= 0; k--) {
          int j = rest % m;
          rest /= m;
          x[k * n + i] = axis[k][0][j];
          wi *= axis[k][1][j];
        }
        w[i] = wi;
      }
      return new double[][] {x, w};
    }

    @Override public boolean equals(Object o) {
      return o instanceof Box b && java.util.Arrays.equals(lo, b.lo) && java.util.Arrays.equals(hi, b.hi) && panels == b.panels && order == b.order && integrand.equals(b.integrand);
    }

    @Override public int hashCode() { return java.util.Objects.hash(java.util.Arrays.hashCode(lo), java.util.Arrays.hashCode(hi), panels, order, integrand); }
  }

  /** An element-wise function of a functional. */
  record Unary(Elementwise fn, Functional a) implements Functional {}

  /** a op b. */
  record Binary(Tape.BinOp op, Functional a, Functional b) implements Functional {}

  /** The sum of the terms. */
  record Sum(List<Functional> terms) implements Functional {}

  /** An expression at each quadrature point: of the net φ, its derivative φ', the variable t and constants. */
  sealed interface Pointwise extends Serializable {
    record Num(double value) implements Pointwise {}
    /** φ(t). */
    record Phi() implements Pointwise {}
    /** φ'(t). */
    record DPhi() implements Pointwise {}
    /** t. */
    record Var() implements Pointwise {}
    /** Coordinate {@code axis} of a point of a box (0 for the first). */
    record Coord(int axis) implements Pointwise {}
    /** ∂φ/∂x_axis at a point of a box. */
    record Partial(int axis) implements Pointwise {}
    record Fn(Elementwise fn, Pointwise a) implements Pointwise {}
    record Op(Tape.BinOp op, Pointwise a, Pointwise b) implements Pointwise {}

    /** Whether the expression reads φ'. */
    default boolean derivative() {
      if (this instanceof DPhi || this instanceof Partial) return true;
      if (this instanceof Fn f) return f.a().derivative();
      if (this instanceof Op o) return o.a().derivative() || o.b().derivative();
      return false;
    }

    /**
     * Evaluates at n points: out[i] from phi[off + i], dphi[off + i], t[i] (scratch arrays
     * allocated once per depth by the caller's layout). On a box, t[k * n + i] is coordinate k of
     * point i and dphi[off + k * n + i] the partial derivative along axis k there.
     */
    default void eval(double[] phi, double[] dphi, int off, double[] t, int n, double[] out, Scratch s) {
      if (this instanceof Num c) { java.util.Arrays.fill(out, 0, n, c.value()); return; }
      if (this instanceof Phi) { System.arraycopy(phi, off, out, 0, n); return; }
      if (this instanceof DPhi) { System.arraycopy(dphi, off, out, 0, n); return; }
      if (this instanceof Var) { System.arraycopy(t, 0, out, 0, n); return; }
      if (this instanceof Coord c) { System.arraycopy(t, c.axis() * n, out, 0, n); return; }
      if (this instanceof Partial p) { System.arraycopy(dphi, off + p.axis() * n, out, 0, n); return; }
      if (this instanceof Fn f) {
        f.a().eval(phi, dphi, off, t, n, out, s);
        f.fn().apply(out, out, n);
        return;
      }
      Op o = (Op) this;
      // x^k with a small whole k: products, not pow
      if (o.op() == Tape.BinOp.POW && o.b() instanceof Num k && k.value() == Math.rint(k.value()) && k.value() >= 1 && k.value() <= 8) {
        o.a().eval(phi, dphi, off, t, n, out, s);
        int p = (int) k.value();
        for (int i = 0; i < n; i++) {
          double x = out[i], r = x;
          for (int j = 1; j < p; j++) r *= x;
          out[i] = r;
        }
        return;
      }
      double[] tmp = s.take(n);
      o.a().eval(phi, dphi, off, t, n, out, s);
      o.b().eval(phi, dphi, off, t, n, tmp, s);
      Tape.BinOp op = o.op();
      switch (op) {
        case ADD -> { for (int i = 0; i < n; i++) out[i] += tmp[i]; }
        case SUB -> { for (int i = 0; i < n; i++) out[i] -= tmp[i]; }
        case MUL -> { for (int i = 0; i < n; i++) out[i] *= tmp[i]; }
        case DIV -> { for (int i = 0; i < n; i++) out[i] /= tmp[i]; }
        case POW -> { for (int i = 0; i < n; i++) out[i] = Tape.pow(out[i], tmp[i]); }
      }
      s.give();
    }
  }

  /** A stack of scratch arrays for {@link Pointwise#eval}: one per thread (each accumulator has its own). */
  final class Scratch {
    private final List<double[]> free = new ArrayList<>();
    private int used;

    double[] take(int n) {
      if (used == free.size()) free.add(new double[n]);
      double[] a = free.get(used++);
      if (a.length < n) { a = new double[n]; free.set(used - 1, a); }
      return a;
    }

    void give() { used--; }
  }

  /** Whether any integral reads φ'. */
  default boolean derivative() {
    if (this instanceof Integral i) return i.integrand().derivative();
    if (this instanceof Box b) return b.integrand().derivative();
    if (this instanceof Unary u) return u.a().derivative();
    if (this instanceof Binary b) return b.a().derivative() || b.b().derivative();
    if (this instanceof Sum s) return s.terms().stream().anyMatch(Functional::derivative);
    return false;
  }

  /** Whether it integrates over an interval or a box (then its quadrature is checked by doubling). */
  default boolean integrates() {
    if (this instanceof Integral || this instanceof Box) return true;
    if (this instanceof Unary u) return u.a().integrates();
    if (this instanceof Binary b) return b.a().integrates() || b.b().integrates();
    if (this instanceof Sum s) return s.terms().stream().anyMatch(Functional::integrates);
    return false;
  }

  /** The integrals over intervals in it, in order. */
  default List<Integral> integrals() {
    List<Integral> out = new ArrayList<>();
    collect(this, out);
    return out;
  }

  private static void collect(Functional f, List<Integral> out) {
    if (f instanceof Integral i) out.add(i);
    else if (f instanceof Unary u) collect(u.a(), out);
    else if (f instanceof Binary b) { collect(b.a(), out); collect(b.b(), out); }
    else if (f instanceof Sum s) for (Functional t : s.terms()) collect(t, out);
  }

  /** The same functional with every integral's points doubled. */
  default Functional doubled() {
    if (this instanceof Integral i) return i.doubled();
    if (this instanceof Box b) return b.doubled();
    if (this instanceof Unary u) return new Unary(u.fn(), u.a().doubled());
    if (this instanceof Binary b) return new Binary(b.op(), b.a().doubled(), b.b().doubled());
    if (this instanceof Sum s) {
      List<Functional> t = new ArrayList<>();
      for (Functional x : s.terms()) t.add(x.doubled());
      return new Sum(t);
    }
    return this;
  }

  /** Where the net is evaluated for this functional, given the net's input dimension. */
  default Layout layout(int inDim) { return new Layout(this, inDim); }

  /**
   * The points a functional reads (point after point, {@code inDim} coordinates each) and its
   * evaluation per network from the net's values there ({@code values[p]}) and, when it integrates
   * φ', the derivatives ({@code slopes[p]}, dφ/dt).
   */
  final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;
    public final Functional functional;
    public final int inDim;
    private final List<double[]> points = new ArrayList<>();
    /** The axis along which the derivative is read at each point. */
    private final List<Integer> axes = new ArrayList<>();
    private final java.util.IdentityHashMap<Functional, Integer> offset = new java.util.IdentityHashMap<>();
    /** The nodes and weights of each integral over an interval or a box. */
    private final java.util.IdentityHashMap<Functional, double[][]> rule = new java.util.IdentityHashMap<>();

    Layout(Functional f, int inDim) {
      this.functional = f;
      this.inDim = inDim;
      place(f);
    }

    private void place(Functional f) {
      if (f instanceof At a) {
        if (a.x().length != inDim) throw new IllegalArgumentException("a point of dimension " + a.x().length + " for a net on R^" + inDim);
        offset.put(f, points.size());
        add(a.x(), 0);
      } else if (f instanceof Integral i) {
        if (inDim != 1) throw new IllegalArgumentException("integrals over nets on R^" + inDim);
        double[][] r = i.rule();
        rule.put(i, r);
        offset.put(f, points.size());
        for (double t : r[0]) add(new double[] {t}, 0);
      } else if (f instanceof Box b) {
        if (inDim != b.dim()) throw new IllegalArgumentException("a box in R^" + b.dim() + " for a net on R^" + inDim);
        double[][] r = b.rule();
        rule.put(b, r);
        offset.put(f, points.size());
        int n = r[1].length;
        // the nodes once for the values; when the integrand reads partial derivatives, once per axis, each with its direction
        int copies = b.integrand().derivative() ? inDim : 1;
        for (int k = 0; k < copies; k++) {
          for (int i = 0; i < n; i++) {
            double[] x = new double[inDim];
            for (int c = 0; c < inDim; c++) x[c] = r[0][c * n + i];
            add(x, k);
          }
        }
      } else if (f instanceof Unary u) place(u.a());
      else if (f instanceof Binary b) { place(b.a()); place(b.b()); }
      else if (f instanceof Sum s) for (Functional t : s.terms()) place(t);
    }

    private void add(double[] x, int axis) {
      points.add(x);
      axes.add(axis);
    }

    /** The unit vector along which the derivative is read at each point, flattened like {@link #points}. */
    public double[] directions() {
      double[] us = new double[axes.size() * inDim];
      for (int p = 0; p < axes.size(); p++) us[p * inDim + axes.get(p)] = 1;
      return us;
    }

    /** The number of points. */
    public int pointCount() { return points.size(); }

    /** The points, flattened. */
    public double[] points() {
      double[] xs = new double[points.size() * inDim];
      for (int p = 0; p < points.size(); p++) System.arraycopy(points.get(p), 0, xs, p * inDim, inDim);
      return xs;
    }

    /** The value for one network; values and slopes are read from {@code from} on; {@code scratch} is the caller's own. */
    public double value(double[] values, double[] slopes, int from, Scratch scratch) {
      return eval(functional, values, slopes, from, scratch);
    }

    private double eval(Functional f, double[] v, double[] d, int from, Scratch scratch) {
      if (f instanceof Const c) return c.value();
      if (f instanceof At) return v[from + offset.get(f)];
      if (f instanceof Integral || f instanceof Box) {
        double[][] r = rule.get(f);
        int n = r[1].length, o = from + offset.get(f);
        double[] out = scratch.take(n);
        (f instanceof Integral i ? i.integrand() : ((Box) f).integrand()).eval(v, d == null ? v : d, o, r[0], n, out, scratch);
        double s = 0;
        double[] w = r[1];
        for (int k = 0; k < n; k++) s += w[k] * out[k];
        scratch.give();
        return s;
      }
      if (f instanceof Unary u) return u.fn().value(eval(u.a(), v, d, from, scratch));
      if (f instanceof Binary b) return b.op().apply(eval(b.a(), v, d, from, scratch), eval(b.b(), v, d, from, scratch));
      Sum s = (Sum) f;
      double t = 0;
      for (Functional x : s.terms()) t += eval(x, v, d, from, scratch);
      return t;
    }
  }
}
