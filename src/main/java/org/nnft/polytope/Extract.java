package org.nnft.polytope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Tape;

/**
 * The exact level set {f = level} of a continuous piecewise-linear net on R^2 or R^3, found by
 * walking its linear regions inside the box [-R, R]^d: a cell (convex polygon or polyhedron) is cut
 * by the first kink unit, in tape order, whose input changes sign on it. Units of earlier layers do
 * not change sign on the cell, so that unit's input is affine there and the cut (by interpolation
 * along edges) is exact. When no unit changes sign, f is affine on the cell and its level set there
 * is a segment (R^2) or a convex polygon (R^3): a piece of the answer.
 */
final class Extract {
  private Extract() {}

  /** A piece of the level set: its points and the affine f = a·x + c of its region. */
  record Piece(double[][] pts, double[] a, double c) {}

  /** The pieces, the linear regions visited, whether any piece reached the box. */
  record Result(List<Piece> pieces, int regions, boolean reachesBox) {}

  /** A kink: unit u of the tape node whose input is node `in`, kinked where that input is 0. */
  record Kink(int in, int size, int unit) {}

  /** Why the tape is not piecewise linear in its input, or null when it is. */
  static String notPiecewiseLinear(Tape t) {
    for (Tape.Node nd : t.nodes) {
      if (!nd.inputDep) continue;
      switch (nd.kind) {
        case UNARY -> {
          if (!nd.fn.piecewiseLinear() && nd.fn != Elementwise.IDENTITY && nd.fn != Elementwise.NEG) return "it applies " + nd.fn.text() + ", which is not piecewise linear";
        }
        case BINARY -> {
          boolean a = t.node(nd.in[0]).inputDep, b = t.node(nd.in[1]).inputDep;
          if (nd.op == Tape.BinOp.MUL && a && b) return "it multiplies two functions of the input";
          if (nd.op == Tape.BinOp.DIV && b) return "it divides by a function of the input";
          if (nd.op == Tape.BinOp.POW) return "it raises a function of the input to a power";
        }
        case MATVEC, VECMAT, MATMAT, DOT -> {
          if (t.node(nd.in[0]).inputDep && t.node(nd.in[1]).inputDep) return "it multiplies two functions of the input";
        }
        case PROD -> { return "it takes a product of functions of the input"; }
        case NORM -> { return "it takes a norm of a function of the input"; }
        case SOFTMAX -> { return "it applies softmax"; }
        case MAX, MIN -> { return "it takes a max or min (not supported by the region walk yet)"; }
        default -> { }
      }
    }
    return null;
  }

  static List<Kink> kinks(Tape t) {
    List<Kink> ks = new ArrayList<>();
    for (Tape.Node nd : t.nodes) {
      if (nd.kind != Tape.Kind.UNARY || !nd.inputDep || !nd.fn.piecewiseLinear()) continue;
      for (int u = 0; u < nd.size; u++) ks.add(new Kink(nd.in[0], nd.size, u));
    }
    return ks;
  }

  /** A convex cell: its vertices and, in R^3, its faces as cycles of vertex indices. */
  private record Cell(double[][] v, int[][] faces) {}

  static Result run(Tape tape, double[] theta, int d, double level, double box, int maxRegions) {
    List<Kink> ks = kinks(tape);
    List<Piece> pieces = new ArrayList<>();
    Deque<Cell> stack = new ArrayDeque<>();
    stack.push(d == 2 ? square(box) : cube(box));
    int regions = 0;
    boolean reaches = false;
    double edgeTol = box * 1e-9;
    int walked = 0;
    while (!stack.isEmpty()) {
      if ((++walked & 255) == 0) org.nnft.runtime.Session.checkCurrent();
      Cell cell = stack.pop();
      int n = cell.v.length;
      Forward f = new Forward(tape, n, Forward.Mode.SCALAR);
      f.setParameters(theta, 0);
      double[] xs = new double[n * d];
      for (int i = 0; i < n; i++) System.arraycopy(cell.v[i], 0, xs, i * d, d);
      double[] out = new double[n];
      f.eval(xs, out);
      boolean cut = false;
      for (Kink k : ks) {
        double[] buf = f.value(k.in());
        double[] s = new double[n];
        double scale = 0;
        for (int i = 0; i < n; i++) { s[i] = buf[i * k.size() + k.unit()]; scale = Math.max(scale, Math.abs(s[i])); }
        double tol = 1e-10 * scale;
        boolean pos = false, neg = false;
        for (double x : s) { pos |= x > tol; neg |= x < -tol; }
        if (pos && neg) {
          for (int i = 0; i < n; i++) if (Math.abs(s[i]) <= tol) s[i] = 0;
          Cell[] two = d == 2 ? split2(cell, s) : split3(cell, s);
          for (Cell c : two) if (c != null) stack.push(c);
          cut = true;
          break;
        }
      }
      if (cut) continue;
      if (++regions > maxRegions) throw new IllegalArgumentException("more than " + maxRegions + " linear regions");
      double[] g = new double[n];
      double scale = 0;
      for (int i = 0; i < n; i++) { g[i] = out[i] - level; scale = Math.max(scale, Math.abs(out[i]) + Math.abs(level)); }
      double tol = 1e-12 * scale;
      boolean pos = false, neg = false;
      for (double x : g) { pos |= x > tol; neg |= x < -tol; }
      if (!(pos && neg)) continue;
      for (int i = 0; i < n; i++) if (Math.abs(g[i]) <= tol) g[i] = 0;
      double[][] pts = d == 2 ? crossing2(cell, g) : cap(cell, g);
      if (pts == null) continue;
      double[] aff = affine(cell.v, out, d);
      double[] a = java.util.Arrays.copyOf(aff, d);
      pieces.add(new Piece(pts, a, aff[d]));
      for (double[] p : pts) for (double x : p) if (Math.abs(x) >= box - edgeTol) reaches = true;
    }
    return new Result(pieces, regions, reaches);
  }

  private static Cell square(double r) {
    return new Cell(new double[][] {{-r, -r}, {r, -r}, {r, r}, {-r, r}}, null);
  }

  private static Cell cube(double r) {
    double[][] v = new double[8][];
    for (int i = 0; i < 8; i++) v[i] = new double[] {(i & 1) == 0 ? -r : r, (i & 2) == 0 ? -r : r, (i & 4) == 0 ? -r : r};
    int[][] f = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}};
    return new Cell(v, f);
  }

  private static double[] lerp(double[] p, double[] q, double sp, double sq) {
    double t = sp / (sp - sq);
    double[] x = new double[p.length];
    for (int k = 0; k < p.length; k++) x[k] = p[k] + t * (q[k] - p[k]);
    return x;
  }

  /** A polygon cut where s = 0 (s affine on it) into its parts s ≥ 0 and s ≤ 0. */
  private static Cell[] split2(Cell c, double[] s) {
    List<double[]> pos = new ArrayList<>(), neg = new ArrayList<>();
    int n = c.v.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      if (s[i] >= 0) pos.add(c.v[i]);
      if (s[i] <= 0) neg.add(c.v[i]);
      if (s[i] * s[j] < 0) {
        double[] x = lerp(c.v[i], c.v[j], s[i], s[j]);
        pos.add(x);
        neg.add(x);
      }
    }
    return new Cell[] {pos.size() >= 3 ? new Cell(pos.toArray(new double[0][]), null) : null, neg.size() >= 3 ? new Cell(neg.toArray(new double[0][]), null) : null};
  }

  /** The two points where g changes sign on the polygon's boundary. */
  private static double[][] crossing2(Cell c, double[] g) {
    List<double[]> pts = new ArrayList<>();
    int n = c.v.length;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      if (g[i] == 0) pts.add(c.v[i]);
      if (g[i] * g[j] < 0) pts.add(lerp(c.v[i], c.v[j], g[i], g[j]));
    }
    if (pts.size() < 2) return null;
    // the two points farthest apart (the segment), in case a vertex was counted with its crossing
    double best = -1;
    double[][] seg = null;
    for (int i = 0; i < pts.size(); i++) for (int j = i + 1; j < pts.size(); j++) {
      double dd = dist2(pts.get(i), pts.get(j));
      if (dd > best) { best = dd; seg = new double[][] {pts.get(i), pts.get(j)}; }
    }
    return best > 0 ? seg : null;
  }

  /** A polyhedron cut where s = 0 into its parts s ≥ 0 and s ≤ 0, each closed by the cap. */
  private static Cell[] split3(Cell c, double[] s) {
    List<double[]> verts = new ArrayList<>(List.of(c.v));
    List<Double> sv = new ArrayList<>();
    for (double x : s) sv.add(x);
    java.util.Map<Long, Integer> onEdge = new java.util.HashMap<>();
    List<List<Integer>> posF = new ArrayList<>(), negF = new ArrayList<>();
    java.util.Set<Integer> capSet = new java.util.LinkedHashSet<>();
    for (int i = 0; i < s.length; i++) if (s[i] == 0) capSet.add(i);
    for (int[] face : c.faces) {
      List<Integer> p = new ArrayList<>(), q = new ArrayList<>();
      int m = face.length;
      for (int k = 0; k < m; k++) {
        int i = face[k], j = face[(k + 1) % m];
        if (s[i] >= 0) p.add(i);
        if (s[i] <= 0) q.add(i);
        if (s[i] * s[j] < 0) {
          long key = Math.min(i, j) * 1_000_003L + Math.max(i, j);
          Integer x = onEdge.get(key);
          if (x == null) {
            x = verts.size();
            verts.add(lerp(c.v[i], c.v[j], s[i], s[j]));
            sv.add(0.0);
            onEdge.put(key, x);
            capSet.add(x);
          }
          p.add(x);
          q.add(x);
        }
      }
      if (p.size() >= 3) posF.add(p);
      if (q.size() >= 3) negF.add(q);
    }
    double[][] all = verts.toArray(new double[0][]);
    List<Integer> cap = order(all, new ArrayList<>(capSet));
    Cell[] out = new Cell[2];
    for (int side = 0; side < 2; side++) {
      List<List<Integer>> fs = new ArrayList<>(side == 0 ? posF : negF);
      if (cap.size() >= 3) fs.add(cap);
      // keep the vertices the faces use
      java.util.Map<Integer, Integer> idx = new java.util.LinkedHashMap<>();
      List<int[]> faces = new ArrayList<>();
      for (List<Integer> f : fs) {
        // a face may lie in the cut plane entirely (then it is the cap): skip faces whose vertices are all on it
        boolean allZero = true;
        for (int i : f) if (sv.get(i) != 0) allZero = false;
        if (allZero && f != cap) continue;
        int[] g = new int[f.size()];
        for (int k = 0; k < g.length; k++) g[k] = idx.computeIfAbsent(f.get(k), z -> idx.size());
        faces.add(g);
      }
      if (faces.size() < 4 || idx.size() < 4) continue;
      double[][] v = new double[idx.size()][];
      for (var e : idx.entrySet()) v[e.getValue()] = all[e.getKey()];
      out[side] = new Cell(v, faces.toArray(new int[0][]));
    }
    return out;
  }

  /** The convex polygon where g = 0 on a polyhedron (g affine on it). */
  private static double[][] cap(Cell c, double[] g) {
    List<double[]> pts = new ArrayList<>();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < g.length; i++) if (g[i] == 0) pts.add(c.v[i]);
    for (int[] face : c.faces) {
      int m = face.length;
      for (int k = 0; k < m; k++) {
        int i = face[k], j = face[(k + 1) % m];
        if (g[i] * g[j] < 0) {
          long key = Math.min(i, j) * 1_000_003L + Math.max(i, j);
          if (seen.add(key)) pts.add(lerp(c.v[i], c.v[j], g[i], g[j]));
        }
      }
    }
    double[][] all = pts.toArray(new double[0][]);
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < all.length; i++) idx.add(i);
    List<Integer> o = order(all, idx);
    if (o.size() < 3) return null;
    double[][] r = new double[o.size()][];
    for (int k = 0; k < r.length; k++) r[k] = all[o.get(k)];
    return r;
  }

  /** Coplanar points of a convex polygon in cyclic order, near-duplicates dropped. */
  static List<Integer> order(double[][] v, List<Integer> ids) {
    if (ids.size() < 3) return ids;
    double[] c = new double[3];
    for (int i : ids) for (int k = 0; k < 3; k++) c[k] += v[i][k] / ids.size();
    double[] nrm = null;
    double best = 0;
    for (int a = 0; a < ids.size(); a++) for (int b = a + 1; b < ids.size(); b++) {
      double[] x = sub(v[ids.get(a)], c), y = sub(v[ids.get(b)], c);
      double[] cr = cross(x, y);
      double nn = norm(cr);
      if (nn > best) { best = nn; nrm = cr; }
    }
    if (nrm == null || best == 0) return List.of();
    double[] u = null;
    for (int i : ids) { double[] x = sub(v[i], c); if (norm(x) > 0) { u = x; break; } }
    double[] w = cross(nrm, u);
    List<Integer> sorted = new ArrayList<>(ids);
    double[] uu = u, ww = w;
    sorted.sort((p, q) -> Double.compare(Math.atan2(dot(sub(v[p], c), ww), dot(sub(v[p], c), uu)), Math.atan2(dot(sub(v[q], c), ww), dot(sub(v[q], c), uu))));
    double scale = 0;
    for (int i : ids) scale = Math.max(scale, norm(sub(v[i], c)));
    List<Integer> out = new ArrayList<>();
    for (int i : sorted) {
      if (!out.isEmpty() && norm(sub(v[i], v[out.get(out.size() - 1)])) <= 1e-12 * scale) continue;
      out.add(i);
    }
    while (out.size() > 1 && norm(sub(v[out.get(0)], v[out.get(out.size() - 1)])) <= 1e-12 * scale) out.remove(out.size() - 1);
    return out;
  }

  /** The affine function a·x + c through the values at the cell's vertices (least squares): {a..., c}. */
  static double[] affine(double[][] v, double[] f, int d) {
    int n = v.length, m = d + 1;
    double[][] A = new double[m][m + 1];
    double[] ctr = new double[d];
    for (double[] p : v) for (int k = 0; k < d; k++) ctr[k] += p[k] / n;
    for (int i = 0; i < n; i++) {
      double[] row = new double[m];
      for (int k = 0; k < d; k++) row[k] = v[i][k] - ctr[k];
      row[d] = 1;
      for (int r = 0; r < m; r++) {
        for (int q = 0; q < m; q++) A[r][q] += row[r] * row[q];
        A[r][m] += row[r] * f[i];
      }
    }
    double[] sol = solve(A, m);
    double c = sol[d];
    for (int k = 0; k < d; k++) c -= sol[k] * ctr[k];
    sol[d] = c;
    return sol;
  }

  private static double[] solve(double[][] A, int m) {
    for (int col = 0; col < m; col++) {
      int piv = col;
      for (int r = col + 1; r < m; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
      double[] t = A[col]; A[col] = A[piv]; A[piv] = t;
      double p = A[col][col];
      if (p == 0) continue;
      for (int r = 0; r < m; r++) {
        if (r == col) continue;
        double f = A[r][col] / p;
        for (int q = col; q <= m; q++) A[r][q] -= f * A[col][q];
      }
    }
    double[] x = new double[m];
    for (int r = 0; r < m; r++) x[r] = A[r][r] == 0 ? 0 : A[r][m] / A[r][r];
    return x;
  }

  static double dist2(double[] a, double[] b) { double s = 0; for (int k = 0; k < a.length; k++) s += (a[k] - b[k]) * (a[k] - b[k]); return s; }
  static double[] sub(double[] a, double[] b) { double[] r = new double[a.length]; for (int k = 0; k < a.length; k++) r[k] = a[k] - b[k]; return r; }
  static double dot(double[] a, double[] b) { double s = 0; for (int k = 0; k < a.length; k++) s += a[k] * b[k]; return s; }
  static double norm(double[] a) { return Math.sqrt(dot(a, a)); }
  static double[] cross(double[] a, double[] b) { return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]}; }
}
