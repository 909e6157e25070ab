package org.nnft.mcmc;

import org.nnft.ensemble.Functional.Pointwise;
import java.util.List;
import org.nnft.ensemble.Functional;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.numeric.Reverse;

/**
 * The log-density an MCMC chain samples, log P(θ) − S[φ_θ] + log J, on the unconstrained
 * parameters u: θ = u on the real line, lo + e^u above a bound, lo + (hi − lo) σ(u) on an interval
 * (Stan's transforms, with their log-Jacobians). The action S is a quadrature of a Lagrangian in φ,
 * φ' and t over the net's values at fixed nodes; its gradient is one reverse sweep through the
 * lowered net, seeded with the Lagrangian's partial derivatives at the nodes (φ' by forward mode
 * along the input). One instance per chain (it owns its evaluator).
 */
final class Target {
  /** What a chain needs to build its target: immutable, shared by the chains. */
  record Spec(CompiledNet net, List<Functional.Integral> action) implements java.io.Serializable {
    Target create() { return new Target(this); }

    int dimension() { return net.parameterCount(); }
  }


  enum Kind { REAL, LOWER, UPPER, INTERVAL }

  final Spec spec;
  final int dim;
  private final CompiledNet net;
  private final Kind[] kind;
  private final double[] lo, hi;
  private final double[] theta, dtheta, gtheta, gs;
  /** The action's gradient in θ from the reverse sweep (a buffer, not allocated per step). */
  private final double[] gs2;
  private final Reverse rev;
  private final double[] xs, w, ones, vals, tans, fv, fa, fb, seedV, seedT;
  private final boolean deriv;
  /**
   * For a net affine in its parameters (the sine and time-slicing paths): φ = c + H θ and
   * φ' = c' + H' θ at the nodes, H and H' (points × parameters, row after row) taken once from
   * reverse sweeps at θ = 0, so that a gradient is four small matrix products.
   */
  private double[] h, hd, c0, cd0;
  /** H and H' transposed (parameters × points). */
  private double[] ht, hdt;
  /** Gradient evaluations so far. */
  long evaluations;

  Target(Spec spec) {
    this.spec = spec;
    this.net = spec.net();
    dim = net.parameterCount();
    kind = new Kind[dim];
    lo = new double[dim];
    hi = new double[dim];
    for (int k = 0; k < net.params.size(); k++) {
      CompiledNet.Param p = net.params.get(k);
      Density.Support s = p.density().support();
      int off = net.tape.parameterOffset(k);
      for (int j = off; j < off + p.size(); j++) {
        if (s.kind() == Density.Support.Kind.REAL) kind[j] = Kind.REAL;
        else if (s.kind() == Density.Support.Kind.INTERVAL) {
          lo[j] = s.lo();
          hi[j] = s.hi();
          boolean fl = Double.isFinite(s.lo()), fh = Double.isFinite(s.hi());
          kind[j] = fl && fh ? Kind.INTERVAL : fl ? Kind.LOWER : fh ? Kind.UPPER : Kind.REAL;
        } else {
          throw new IllegalArgumentException(p.name());
        }
      }
    }
    theta = new double[dim];
    dtheta = new double[dim];
    gtheta = new double[dim];
    gs = new double[dim];
    gs2 = new double[dim];
    List<Functional.Integral> a = spec.action();
    if (a != null && !a.isEmpty()) {
      // every integral's nodes, one after the other
      int n = 0;
      pieceOff = new int[a.size() + 1];
      pieceF = new Pointwise[a.size()];
      double[][][] rules = new double[a.size()][][];
      boolean d = false;
      for (int i = 0; i < a.size(); i++) {
        rules[i] = a.get(i).rule();
        pieceOff[i] = n;
        n += rules[i][0].length;
        pieceF[i] = a.get(i).integrand();
        d |= pieceF[i].derivative();
      }
      pieceOff[a.size()] = n;
      piecePoly = new Integrand.Poly[a.size()];
      for (int i = 0; i < a.size(); i++) {
        double[][] m = Integrand.polynomial(pieceF[i]);
        if (m != null) piecePoly[i] = Integrand.Poly.of(m);
      }
      xs = new double[n];
      w = new double[n];
      for (int i = 0; i < a.size(); i++) {
        System.arraycopy(rules[i][0], 0, xs, pieceOff[i], rules[i][0].length);
        System.arraycopy(rules[i][1], 0, w, pieceOff[i], rules[i][1].length);
      }
      rev = new Reverse(net.tape, n);
      ones = new double[n];
      java.util.Arrays.fill(ones, 1);
      vals = new double[n];
      tans = new double[n];
      fv = new double[n];
      fa = new double[n];
      fb = new double[n];
      seedV = new double[n];
      seedT = new double[n];
      deriv = d;
      if (affine(net.tape)) basis();
    } else {
      xs = w = ones = vals = tans = fv = fa = fb = seedV = seedT = null;
      rev = null;
      deriv = false;
    }
  }

  /** The integrals' nodes: integral i has the nodes pieceOff[i] .. pieceOff[i + 1] and the Lagrangian pieceF[i]. */
  private int[] pieceOff;
  private Pointwise[] pieceF;
  /** The Lagrangians that are polynomials in φ and φ' (else null): evaluated term by term. */
  private Integrand.Poly[] piecePoly;

  /** f, ∂f/∂φ, ∂f/∂φ' at every node, each integral with its own Lagrangian. */
  private void lagrangian() {
    int pieces = pieceF.length;
    if (pieces == 1) {
      if (piecePoly[0] != null) piecePoly[0].grad(vals, tans, xs.length, fv, fa, fb);
      else Integrand.grad(pieceF[0], vals, tans, xs, xs.length, fv, fa, fb);
      return;
    }
    for (int i = 0; i < pieces; i++) {
      int o = pieceOff[i], m = pieceOff[i + 1] - o;
      double[] v = java.util.Arrays.copyOfRange(vals, o, o + m), t = java.util.Arrays.copyOfRange(tans, o, o + m), x = java.util.Arrays.copyOfRange(xs, o, o + m);
      double[] a = new double[m], b = new double[m], c = new double[m];
      if (piecePoly[i] != null) piecePoly[i].grad(v, t, m, a, b, c);
      else Integrand.grad(pieceF[i], v, t, x, m, a, b, c);
      System.arraycopy(a, 0, fv, o, m);
      System.arraycopy(b, 0, fa, o, m);
      System.arraycopy(c, 0, fb, o, m);
    }
  }

  /** The parameter the entry j of θ belongs to (for messages). */
  String parameterOf(int j) {
    for (int k = net.params.size() - 1; k >= 0; k--) if (net.tape.parameterOffset(k) <= j) return net.params.get(k).name();
    return "?";
  }

  /** θ from u (into out). */
  void constrain(double[] u, double[] out) {
    for (int j = 0; j < dim; j++) {
      double x = u[j];
      out[j] = switch (kind[j]) {
        case REAL -> x;
        case LOWER -> lo[j] + Math.exp(x);
        case UPPER -> hi[j] - Math.exp(x);
        case INTERVAL -> lo[j] + (hi[j] - lo[j]) * sigmoid(x);
      };
    }
  }

  /** u from θ (θ inside the support). */
  void unconstrain(double[] th, double[] out) {
    for (int j = 0; j < dim; j++) {
      double x = th[j];
      out[j] = switch (kind[j]) {
        case REAL -> x;
        case LOWER -> Math.log(x - lo[j]);
        case UPPER -> Math.log(hi[j] - x);
        case INTERVAL -> { double s = (x - lo[j]) / (hi[j] - lo[j]); yield Math.log(s) - Math.log1p(-s); }
      };
    }
  }

  private static double sigmoid(double x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }

  /** log(σ(x)) without overflow. */
  private static double logSigmoid(double x) { return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)); }

  /** The action's value at θ (no gradient): for reporting. */
  double action(double[] th) {
    if (rev == null) return 0;
    rev.setParameters(th);
    if (deriv) rev.tangent(xs, ones, vals, tans);
    else rev.eval(xs, vals);
    lagrangian();
    double s = 0;
    for (int k = 0; k < xs.length; k++) s += w[k] * fv[k];
    return s;
  }

  /** Whether the net's output is an affine function of its parameters, by the structure of its tape. */
  static boolean affine(org.nnft.numeric.Tape tape) {
    int n = tape.nodes.size();
    boolean[] lin = new boolean[n]; // depends on θ, affinely
    for (int i = 0; i < n; i++) {
      org.nnft.numeric.Tape.Node nd = tape.node(i);
      if (!nd.paramDep) continue;
      if (nd.kind == org.nnft.numeric.Tape.Kind.PARAM) { lin[i] = true; continue; }
      int dep = 0;
      boolean ok = true;
      for (int j : nd.in) if (tape.node(j).paramDep) { dep++; ok &= lin[j]; }
      if (!ok) return false;
      switch (nd.kind) {
        case UNARY -> { if (nd.fn != org.nnft.numeric.Elementwise.NEG && nd.fn != org.nnft.numeric.Elementwise.IDENTITY) return false; }
        case BINARY -> {
          switch (nd.op) {
            case ADD, SUB -> { }
            case MUL -> { if (dep > 1) return false; }
            case DIV -> { if (tape.node(nd.in[1]).paramDep) return false; }
            default -> { return false; }
          }
        }
        case MATVEC, VECMAT, MATMAT, DOT -> { if (dep > 1) return false; }
        case SUM, INDEX, STACK, TRANSPOSE -> { }
        default -> { return false; }
      }
      lin[i] = true;
    }
    return lin[tape.output] || !tape.node(tape.output).paramDep;
  }

  private int piece(int k) {
    int i = 0;
    while (pieceOff[i + 1] <= k) i++;
    return i;
  }

  /** H, H', c and c' of an affine net at the nodes. */
  private void basis() {
    int n = xs.length;
    h = new double[n * dim];
    hd = new double[n * dim];
    c0 = new double[n];
    cd0 = new double[n];
    rev.setParameters(new double[dim]);
    rev.tangent(xs, ones, c0, cd0);
    double[] e = new double[n], z = new double[n], row = new double[dim];
    for (int k = 0; k < n; k++) {
      e[k] = 1;
      rev.gradient(xs, ones, e, z, row, null);
      System.arraycopy(row, 0, h, k * dim, dim);
      rev.gradient(xs, ones, z, e, row, null);
      System.arraycopy(row, 0, hd, k * dim, dim);
      e[k] = 0;
    }
    ht = new double[n * dim];
    hdt = new double[n * dim];
    for (int k = 0; k < n; k++) for (int j = 0; j < dim; j++) { ht[j * n + k] = h[k * dim + j]; hdt[j * n + k] = hd[k * dim + j]; }
  }

  /** log π(u) (up to a constant) and its gradient into grad; NaN or -inf outside where it is defined. */
  double logDensity(double[] u, double[] grad) {
    evaluations++;
    double lj = 0;
    for (int j = 0; j < dim; j++) {
      double x = u[j];
      switch (kind[j]) {
        case REAL -> { theta[j] = x; dtheta[j] = 1; gs[j] = 0; }
        case LOWER, UPPER -> {
          double e = Math.exp(x);
          theta[j] = kind[j] == Kind.LOWER ? lo[j] + e : hi[j] - e;
          dtheta[j] = kind[j] == Kind.LOWER ? e : -e;
          lj += x;
          gs[j] = 1;
        }
        case INTERVAL -> {
          double s = sigmoid(x), r = hi[j] - lo[j];
          theta[j] = lo[j] + r * s;
          dtheta[j] = r * s * (1 - s);
          lj += Math.log(r) + logSigmoid(x) + logSigmoid(-x);
          gs[j] = 1 - 2 * s;
        }
      }
    }
    java.util.Arrays.fill(gtheta, 0);
    double lp = net.logDensity(theta, gtheta);
    double s = 0;
    if (h != null) {
      int n = xs.length;
      // column by column (H transposed): loops over the nodes without a reduction, so they vectorise
      System.arraycopy(c0, 0, vals, 0, n);
      System.arraycopy(cd0, 0, tans, 0, n);
      for (int j = 0; j < dim; j++) {
        double tj = theta[j];
        if (tj == 0) continue;
        int o = j * n;
        for (int k = 0; k < n; k++) {
          vals[k] += ht[o + k] * tj;
          tans[k] += hdt[o + k] * tj;
        }
      }
      lagrangian();
      for (int k = 0; k < n; k++) {
        s += w[k] * fv[k];
        double sv = w[k] * fa[k], st = w[k] * fb[k];
        int o = k * dim;
        for (int j = 0; j < dim; j++) gtheta[j] -= sv * h[o + j] + st * hd[o + j];
      }
    } else if (rev != null) {
      rev.setParameters(theta);
      int n = xs.length;
      if (deriv) rev.tangent(xs, ones, vals, tans);
      else rev.eval(xs, vals);
      lagrangian();
      for (int k = 0; k < n; k++) {
        s += w[k] * fv[k];
        seedV[k] = w[k] * fa[k];
        seedT[k] = w[k] * fb[k];
      }
      double[] g = gs2;
      if (deriv) rev.gradient(xs, ones, seedV, seedT, g, null);
      else rev.gradient(xs, seedV, g, null);
      for (int j = 0; j < dim; j++) gtheta[j] -= g[j];
    }
    for (int j = 0; j < dim; j++) grad[j] = gtheta[j] * dtheta[j] + gs[j];
    return lp - s + lj;
  }

  /**
   * The Hessian of the action's quadratic part in θ: the Lagrangian's second derivatives in (φ, φ')
   * at φ = φ' = 0, contracted with the net's Jacobians at the nodes at θ = 0 (exact for nets linear
   * in their parameters, such as the sine and time-slicing paths), plus minus the Hessian of the
   * declared log-density at 0 for normal parameters. Null when there is no action.
   */
  double[][] freeHessian() {
    if (rev == null) return null;
    int n = xs.length;
    double[][] h = new double[dim][dim];
    double[] zero = new double[dim];
    rev.setParameters(zero);
    if (deriv) rev.tangent(xs, ones, vals, tans);
    else rev.eval(xs, vals);
    double[] jv = new double[dim], jt = new double[dim];
    double[] e = new double[n], z = new double[n];
    for (int k = 0; k < n; k++) {
      double[] d2 = Integrand.hessian(pieceF[piece(k)], 0, 0, xs[k]);
      double faa = d2[3], fab = d2[4], fbb = d2[5];
      if (faa == 0 && fab == 0 && fbb == 0) continue;
      e[k] = 1;
      if (deriv) {
        rev.gradient(xs, ones, e, z, jv, null);
        rev.gradient(xs, ones, z, e, jt, null);
      } else {
        rev.gradient(xs, e, jv, null);
        java.util.Arrays.fill(jt, 0);
      }
      e[k] = 0;
      double wk = w[k];
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j < dim; j++) {
          h[i][j] += wk * (faa * jv[i] * jv[j] + fab * (jv[i] * jt[j] + jt[i] * jv[j]) + fbb * jt[i] * jt[j]);
        }
      }
    }
    for (int k = 0; k < net.params.size(); k++) {
      CompiledNet.Param p = net.params.get(k);
      if (p.density() instanceof Density.Normal nd && nd.b() > 0) {
        int off = net.tape.parameterOffset(k);
        for (int j = off; j < off + p.size(); j++) h[j][j] += 1 / (nd.b() * nd.b());
      }
    }
    return h;
  }
}
