package org.nnft.polytope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnft.check.ArgType;
import org.nnft.model.CompiledNet;
import org.nnft.numeric.Reverse;
import org.nnft.runtime.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * level_set(net, level = 1): a mesh of {f = level} for a smooth net, by marching squares (R^2) or
 * marching tetrahedra (R^3, six per grid cube) on a grid, every vertex then moved onto the level
 * by Newton steps along the net's own gradient; with the curvature of the level set at every
 * vertex from the net's gradient and Hessian (κ = div(∇f/|∇f|), the mean curvature in R^3).
 */
final class LevelSets {
  private LevelSets() {}

  static void register(Registry lib) {
    lib.add(Builtin.fn("level_set", "level_set(fitted, level = 1, bound = 4, grid = 0)").arg("net", ArgType.ANY).named("level", ArgType.NUMBER, "1")
        .named("bound", ArgType.NUMBER, "4: the box [-bound, bound]^d").named("grid", ArgType.INTEGER, "200 in R^2, 40 in R^3")
        .costly().returns(ArgType.RECORD).does("a mesh of the level curve or surface {f = level} of a net, refined onto the level by Newton steps, with its curvature at every vertex").impl(LevelSets::levelSet));
  }

  /** The mesh: vertices, segments or triangles, curvature and residual at every vertex. */
  static final class Mesh implements Members, Drawable, JsonValue {
    final int dim;
    final String title;
    final double[][] v;
    final int[][] cells;
    final double[] kappa;
    final double maxResidual;

    Mesh(int dim, String title, double[][] v, int[][] cells, double[] kappa, double maxResidual) {
      this.dim = dim; this.title = title; this.v = v; this.cells = cells; this.kappa = kappa; this.maxResidual = maxResidual;
    }

    @Override public String kind() { return "a level set"; }
    @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(ArgType.RECORD); }

    double[] stats() {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0, rlo = Double.POSITIVE_INFINITY, rhi = 0;
      for (int i = 0; i < v.length; i++) {
        lo = Math.min(lo, kappa[i]); hi = Math.max(hi, kappa[i]); sum += kappa[i];
        double r = Extract.norm(v[i]); rlo = Math.min(rlo, r); rhi = Math.max(rhi, r);
      }
      return new double[] {lo, hi, sum / v.length, rlo, rhi};
    }

    /** The share of vertices whose |curvature| is below a tenth of the mean |curvature|: the flat parts. */
    double flatShare() {
      double m = 0;
      for (double k : kappa) m += Math.abs(k) / kappa.length;
      int c = 0;
      for (double k : kappa) if (Math.abs(k) < 0.1 * m) c++;
      return (double) c / kappa.length;
    }

    /** The curvature's 10th, 50th and 90th percentiles. */
    double[] quantiles() {
      double[] k = kappa.clone();
      java.util.Arrays.sort(k);
      double[] q = {0.1, 0.5, 0.9};
      double[] out = new double[3];
      for (int i = 0; i < 3; i++) out[i] = k[(int) Math.min(k.length - 1, Math.floor(q[i] * (k.length - 1) + 0.5))];
      return out;
    }

    @Override public Value member(String name, Span span) {
      double[] st = stats();
      return switch (name) {
        case "vertices" -> {
          double[] d = new double[v.length * dim];
          for (int i = 0; i < v.length; i++) System.arraycopy(v[i], 0, d, i * dim, dim);
          yield new Tensor(d, null, new int[] {v.length, dim}, null);
        }
        case "curvature" -> Tensor.vector(kappa.clone());
        case "curvature_range" -> Tensor.vector(new double[] {st[0], st[1]});
        case "mean_curvature" -> Tensor.scalar(st[2]);
        case "flat_share" -> Tensor.scalar(flatShare());
        case "curvature_quantiles" -> Tensor.vector(quantiles());
        case "radii" -> Tensor.vector(new double[] {st[3], st[4]});
        case "hausdorff" -> Tensor.scalar(Math.max(Math.abs(st[3] - 1), Math.abs(st[4] - 1)));
        case "residual" -> Tensor.scalar(maxResidual);
        case "count" -> Tensor.scalar(cells.length);
        default -> throw new NnftException(span, "a level set has vertices, curvature, curvature_range, mean_curvature, flat_share, curvature_quantiles, radii, hausdorff, residual and count, not '" + name + "'.");
      };
    }

    @Override public void draw(java.awt.Graphics2D g, int width, int height, String titled) {
      List<double[][]> polys = new ArrayList<>();
      double rmax = 0;
      for (double[] x : v) rmax = Math.max(rmax, Extract.norm(x));
      for (int[] c : cells) { double[][] q = new double[c.length][]; for (int k = 0; k < c.length; k++) q[k] = v[c[k]]; polys.add(q); }
      double[] st = stats();
      Render.draw(g, width, height, titled == null ? title : titled, "curvature " + Interpreter.fmt(st[0]) + " to " + Interpreter.fmt(st[1]) + "; |x| from " + Interpreter.fmt(st[3]) + " to " + Interpreter.fmt(st[4]), dim, polys, null, rmax);
    }

    @Override public List<String> exportFormats() { return dim == 3 ? List.of(".off", ".obj") : List.of(".obj"); }

    @Override public void export(java.nio.file.Path file, String ext) throws java.io.IOException {
      StringBuilder b = new StringBuilder();
      if (ext.equals(".off")) b.append("OFF\n").append(v.length).append(' ').append(cells.length).append(" 0\n");
      else b.append("# ").append(title).append('\n');
      for (double[] x : v) b.append(ext.equals(".off") ? "" : "v ").append(x[0]).append(' ').append(x[1]).append(' ').append(dim == 3 ? x[2] : 0.0).append('\n');
      for (int[] c : cells) {
        if (ext.equals(".off")) { b.append(c.length); for (int i : c) b.append(' ').append(i); }
        else { b.append(c.length == 2 ? 'l' : 'f'); for (int i : c) b.append(' ').append(i + 1); }
        b.append('\n');
      }
      java.nio.file.Files.writeString(file, b.toString());
    }

    @Override public Object json() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("type", "level_set");
      m.put("title", title);
      m.put("dim", dim);
      List<Object> vs = new ArrayList<>();
      for (double[] x : v) vs.add(x.clone());
      m.put("vertices", vs);
      List<Object> cs = new ArrayList<>();
      for (int[] c : cells) cs.add(c.clone());
      m.put(dim == 2 ? "segments" : "triangles", cs);
      m.put("curvature", kappa.clone());
      m.put("residual", maxResidual);
      return m;
    }

    @Override public String toString() {
      double[] st = stats();
      return title + ": " + v.length + " vertices, " + cells.length + (dim == 2 ? " segments" : " triangles")
          + "\n  curvature " + Interpreter.fmt(st[0]) + " to " + Interpreter.fmt(st[1]) + " (mean " + Interpreter.fmt(st[2]) + "; 10%, 50%, 90%: " + Interpreter.fmt(quantiles()[0]) + ", " + Interpreter.fmt(quantiles()[1]) + ", " + Interpreter.fmt(quantiles()[2]) + "); "
          + Interpreter.fmt(Math.round(1000 * flatShare()) / 10.0) + "% of vertices nearly flat (|κ| < 0.1 mean)"
          + "\n  |x| from " + Interpreter.fmt(st[3]) + " to " + Interpreter.fmt(st[4]) + "; on the level to " + Interpreter.fmt(maxResidual);
    }
  }

  static Value levelSet(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Polytopes.Fixed fx = Polytopes.fixed(s, a.get(0), "level_set");
    CompiledNet cn = fx.cn();
    int d = cn.inDim;
    if (cn.outDim != 1) throw new NnftException(s.arg(0), "level_set needs a net with one output; " + fx.name() + " has " + cn.outDim + ".");
    if (d != 2 && d != 3) throw new NnftException(s.arg(0), "level_set draws level sets in R^2 or R^3, but " + fx.name() + " takes points of R^" + d + ".");
    double level = Builtins.named(s, n, "level", 1, "level_set");
    double box = Builtins.named(s, n, "bound", 4, "level_set");
    if (!(box > 0) || Double.isInfinite(box)) throw new NnftException(s.named("bound"), "bound must be a positive number.");
    int g = Builtins.wholeNumber(Builtins.named(s, n, "grid", d == 2 ? 200 : 40, "level_set"), s.named("grid"), "grid");
    if (g < 4 || (d == 3 && g > 200) || g > 4000) throw new NnftException(s.named("grid"), "grid is the number of cells per side, from 4 to " + (d == 2 ? 4000 : 200) + ".");
    Eval ev = new Eval(cn, fx.theta(), d);
    // values on the grid
    int np = g + 1;
    int total = d == 2 ? np * np : np * np * np;
    double[] xs = new double[total * d];
    for (int i = 0; i < total; i++) {
      int r = i;
      for (int k = 0; k < d; k++) { xs[i * d + k] = -box + 2 * box * (r % np) / g; r /= np; }
    }
    double[] f = ev.values(xs, total);
    for (int i = 0; i < total; i++) f[i] -= level;
    List<double[]> verts = new ArrayList<>();
    List<int[]> cells = new ArrayList<>();
    java.util.Map<Long, Integer> onEdge = new java.util.HashMap<>();
    boolean reaches = false;
    if (d == 2) {
      for (int j = 0; j < g; j++) for (int i = 0; i < g; i++) {
        int[] c = {i + j * np, i + 1 + j * np, i + 1 + (j + 1) * np, i + (j + 1) * np};
        List<Integer> cross = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          int p = c[k], q = c[(k + 1) % 4];
          if ((f[p] < 0) != (f[q] < 0)) cross.add(edgePoint(p, q, f, xs, d, verts, onEdge));
        }
        if (cross.size() == 2) cells.add(new int[] {cross.get(0), cross.get(1)});
        else if (cross.size() == 4) { // a saddle: decide by the centre value
          double centre = (f[c[0]] + f[c[1]] + f[c[2]] + f[c[3]]) / 4;
          boolean c0 = f[c[0]] < 0;
          if ((centre < 0) == c0) { cells.add(new int[] {cross.get(0), cross.get(1)}); cells.add(new int[] {cross.get(2), cross.get(3)}); }
          else { cells.add(new int[] {cross.get(0), cross.get(3)}); cells.add(new int[] {cross.get(1), cross.get(2)}); }
        }
        if (!cross.isEmpty() && (i == 0 || j == 0 || i == g - 1 || j == g - 1)) reaches = true;
      }
    } else {
      int[][] tets = {{0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7}, {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};
      for (int kk = 0; kk < g; kk++) for (int j = 0; j < g; j++) for (int i = 0; i < g; i++) {
        int[] c = new int[8];
        for (int b = 0; b < 8; b++) c[b] = (i + (b & 1)) + (j + ((b >> 1) & 1)) * np + (kk + ((b >> 2) & 1)) * np * np;
        boolean any = false;
        for (int[] t : tets) {
          List<Integer> in = new ArrayList<>(), out = new ArrayList<>();
          for (int b : t) (f[c[b]] < 0 ? in : out).add(c[b]);
          if (in.isEmpty() || out.isEmpty()) continue;
          any = true;
          if (in.size() == 1 || out.size() == 1) {
            int apex = in.size() == 1 ? in.get(0) : out.get(0);
            List<Integer> rest = in.size() == 1 ? out : in;
            cells.add(new int[] {edgePoint(apex, rest.get(0), f, xs, d, verts, onEdge), edgePoint(apex, rest.get(1), f, xs, d, verts, onEdge), edgePoint(apex, rest.get(2), f, xs, d, verts, onEdge)});
          } else {
            int p0 = edgePoint(in.get(0), out.get(0), f, xs, d, verts, onEdge), p1 = edgePoint(in.get(0), out.get(1), f, xs, d, verts, onEdge);
            int p2 = edgePoint(in.get(1), out.get(1), f, xs, d, verts, onEdge), p3 = edgePoint(in.get(1), out.get(0), f, xs, d, verts, onEdge);
            cells.add(new int[] {p0, p1, p2});
            cells.add(new int[] {p0, p2, p3});
          }
        }
        if (any && (i == 0 || j == 0 || kk == 0 || i == g - 1 || j == g - 1 || kk == g - 1)) reaches = true;
      }
    }
    if (cells.isEmpty()) throw new NnftException(s.span(), "the level set {" + fx.name() + " = " + Interpreter.fmt(level) + "} is empty in the box [-" + Interpreter.fmt(box) + ", " + Interpreter.fmt(box) + "]^" + d + " (at this grid).");
    if (reaches) throw new NnftException(s.span(), "the level set {" + fx.name() + " = " + Interpreter.fmt(level) + "} reaches the edge of the box [-" + Interpreter.fmt(box) + ", " + Interpreter.fmt(box) + "]^" + d + ": it is unbounded or larger than the box (give a larger bound = ...).");
    // Newton steps onto the level along the gradient: x <- x - (f - level) ∇f / |∇f|^2
    int nv = verts.size();
    double[] p = new double[nv * d];
    for (int i = 0; i < nv; i++) System.arraycopy(verts.get(i), 0, p, i * d, d);
    double[] grad = new double[nv * d];
    double h = 2 * box / g;
    double res = 0;
    for (int it = 0; it < 8; it++) {
      double[] val = ev.valuesAndGradients(p, nv, grad);
      res = 0;
      for (int i = 0; i < nv; i++) {
        double r = val[i] - level, gg = 0;
        for (int k = 0; k < d; k++) gg += grad[i * d + k] * grad[i * d + k];
        res = Math.max(res, Math.abs(r));
        if (gg == 0) continue;
        double step = r / gg, len = Math.abs(step) * Math.sqrt(gg);
        if (len > h) step *= h / len; // never leave the grid cell's neighbourhood
        for (int k = 0; k < d; k++) p[i * d + k] -= step * grad[i * d + k];
      }
    }
    double[] val = ev.valuesAndGradients(p, nv, grad);
    res = 0;
    for (int i = 0; i < nv; i++) res = Math.max(res, Math.abs(val[i] - level));
    double[] kappa = curvature(ev, p, nv, d, grad);
    double[][] v = new double[nv][];
    for (int i = 0; i < nv; i++) v[i] = java.util.Arrays.copyOfRange(p, i * d, i * d + d);
    String title = "level set {" + fx.name() + " = " + Interpreter.fmt(level) + "} in R^" + d;
    return new Mesh(d, title, v, cells.toArray(new int[0][]), kappa, res);
  }

  private static int edgePoint(int p, int q, double[] f, double[] xs, int d, List<double[]> verts, java.util.Map<Long, Integer> onEdge) {
    long key = Math.min(p, q) * 4_000_000_007L + Math.max(p, q);
    Integer id = onEdge.get(key);
    if (id != null) return id;
    double t = f[p] / (f[p] - f[q]);
    double[] x = new double[d];
    for (int k = 0; k < d; k++) x[k] = xs[p * d + k] + t * (xs[q * d + k] - xs[p * d + k]);
    verts.add(x);
    onEdge.put(key, verts.size() - 1);
    return verts.size() - 1;
  }

  /**
   * κ = div(∇f/|∇f|) / (d - 1) = (|g|² tr H - gᵀHg) / ((d - 1)|g|³), with the Hessian H from central
   * differences of the exact gradient (step 1e-4 times the scale: error O(1e-8) relative).
   */
  static double[] curvature(Eval ev, double[] p, int nv, int d, double[] grad) {
    double scale = 1;
    for (double x : p) scale = Math.max(scale, Math.abs(x));
    double hh = 1e-4 * scale;
    double[][] H = new double[nv][d * d];
    double[] gp = new double[nv * d], gm = new double[nv * d];
    for (int k = 0; k < d; k++) {
      double[] xp = p.clone(), xm = p.clone();
      for (int i = 0; i < nv; i++) { xp[i * d + k] += hh; xm[i * d + k] -= hh; }
      ev.valuesAndGradients(xp, nv, gp);
      ev.valuesAndGradients(xm, nv, gm);
      for (int i = 0; i < nv; i++) for (int l = 0; l < d; l++) H[i][l * d + k] = (gp[i * d + l] - gm[i * d + l]) / (2 * hh);
    }
    double[] kappa = new double[nv];
    for (int i = 0; i < nv; i++) {
      double g2 = 0, tr = 0, gHg = 0;
      for (int a = 0; a < d; a++) {
        g2 += grad[i * d + a] * grad[i * d + a];
        tr += (H[i][a * d + a]);
        for (int b = 0; b < d; b++) gHg += grad[i * d + a] * 0.5 * (H[i][a * d + b] + H[i][b * d + a]) * grad[i * d + b];
      }
      kappa[i] = (g2 * tr - gHg) / ((d - 1) * Math.pow(g2, 1.5));
    }
    return kappa;
  }

  /** f and ∇f of a net with fixed parameters. */
  static final class Eval {
    final CompiledNet cn;
    final double[] theta;
    final int d;

    Eval(CompiledNet cn, double[] theta, int d) { this.cn = cn; this.theta = theta; this.d = d; }

    double[] values(double[] xs, int n) {
      org.nnft.numeric.Forward f = new org.nnft.numeric.Forward(cn.tape, n);
      f.setParameters(theta, 0);
      double[] out = new double[n];
      f.eval(xs, out);
      return out;
    }

    double[] valuesAndGradients(double[] xs, int n, double[] grad) {
      Reverse r = new Reverse(cn.tape, n);
      r.setParameters(theta);
      double[] seed = new double[n];
      java.util.Arrays.fill(seed, 1.0);
      return r.gradient(xs, seed, new double[theta.length], grad).clone();
    }
  }
}
