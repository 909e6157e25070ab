package org.nnft.polytope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.check.ArgType;
import org.nnft.model.CompiledNet;
import org.nnft.runtime.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** polytope(net, level = 1), dual(P), level_set(net, level = 1). */
final class Polytopes {
  private Polytopes() {}

  /** Relative precision of the vertices: points closer than this (times the box) are one point. */
  static final double SNAP = 1e-8;

  static void register(Registry lib) {
    lib.add(Builtin.fn("polytope", "polytope(fitted, level = 1, bound = 4)").arg("net", ArgType.ANY).named("level", ArgType.NUMBER, "1")
        .named("bound", ArgType.NUMBER, "4: the level set is sought in the box [-bound, bound]^d").named("max_regions", ArgType.INTEGER, "200000")
        .costly().returns(ArgType.RECORD).does("the exact level set {f = level} of a piecewise-linear net on R^2 or R^3: vertices, edges, faces, f-vector, convexity, symmetry, regularity, distance to the unit sphere").impl(Polytopes::polytope));
    lib.add(Builtin.fn("dual", "dual(P)").arg("P", ArgType.RECORD).returns(ArgType.RECORD)
        .does("the polar dual {y : x·y ≤ 1 for all x in P} of a convex polytope containing the origin").impl(Polytopes::dual));
    LevelSets.register(lib);
  }

  /** A net with fixed parameters: a fitted net, or a declared net all of whose parameters are fixed. */
  record Fixed(String name, CompiledNet cn, double[] theta, FittedV fitted) {}

  static Fixed fixed(Func.CallSite s, Value v, String what) {
    if (v instanceof FittedV f) return new Fixed(f.name(), f.compiled(), f.theta(), f);
    if (v instanceof NetV net) {
      CompiledNet cn = org.nnft.nets.Lowering.lower(s.interp(), net);
      if (cn.parameterCount() == 0) return new Fixed(net.name(), cn, new double[0], null);
      throw new NnftException(s.arg(0), what + " needs one function, not a random net: train it with fit(" + net.name() + ", ...) or give fixed weights (W[N, d] = [...]).");
    }
    throw new NnftException(s.arg(0), what + " takes a fitted net (from fit) or a net with fixed weights, not " + v.kind() + ".");
  }

  static Value polytope(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Fixed fx = fixed(s, a.get(0), "polytope");
    CompiledNet cn = fx.cn();
    int d = cn.inDim;
    if (cn.outDim != 1) throw new NnftException(s.arg(0), "polytope needs a net with one output; " + fx.name() + " has " + cn.outDim + ".");
    if (d != 2 && d != 3) throw new NnftException(s.arg(0), "polytope draws level sets in R^2 or R^3, but " + fx.name() + " takes points of R^" + d + ".");
    String why = Extract.notPiecewiseLinear(cn.tape);
    if (why != null) throw new NnftException(s.arg(0), fx.name() + " is not piecewise linear (" + why + "): its level set is curved; use level_set(" + fx.name() + ", level = ...) for smooth nets.");
    double level = Builtins.named(s, n, "level", 1, "polytope");
    double box = Builtins.named(s, n, "bound", 4, "polytope");
    if (!(box > 0) || Double.isInfinite(box)) throw new NnftException(s.named("bound"), "bound must be a positive number.");
    int maxRegions = Builtins.wholeNumber(Builtins.named(s, n, "max_regions", 200000, "polytope"), s.named("max_regions"), "max_regions");
    Extract.Result r;
    try {
      r = Extract.run(cn.tape, fx.theta(), d, level, box, maxRegions);
    } catch (IllegalArgumentException ex) {
      throw new NnftException(s.span(), "the net has " + ex.getMessage() + " in the box; raise max_regions or shrink bound.");
    }
    if (r.pieces().isEmpty()) throw new NnftException(s.span(), "the level set {" + fx.name() + " = " + Interpreter.fmt(level) + "} is empty in the box [-" + Interpreter.fmt(box) + ", " + Interpreter.fmt(box) + "]^" + d + ".");
    if (r.reachesBox()) throw new NnftException(s.span(), "the level set {" + fx.name() + " = " + Interpreter.fmt(level) + "} reaches the edge of the box [-" + Interpreter.fmt(box) + ", " + Interpreter.fmt(box) + "]^" + d + ": it is unbounded or larger than the box (give a larger bound = ...).");
    String title = "polytope {" + fx.name() + " = " + Interpreter.fmt(level) + "} in R^" + d;
    return d == 2 ? assemble2(r, box, title) : assemble3(r, box, title);
  }

  /** Points that are the same up to the snapping distance get one id. */
  static final class Snapper {
    final double eps;
    final int d;
    final List<double[]> pts = new ArrayList<>();
    final Map<String, List<Integer>> grid = new HashMap<>();

    Snapper(double eps, int d) { this.eps = eps; this.d = d; }

    int id(double[] x) {
      long[] c = new long[d];
      for (int k = 0; k < d; k++) c[k] = (long) Math.floor(x[k] / eps);
      int total = 1;
      for (int k = 0; k < d; k++) total *= 3;
      for (int m = 0; m < total; m++) {
        StringBuilder key = new StringBuilder();
        int mm = m;
        for (int k = 0; k < d; k++) { key.append(c[k] + (mm % 3) - 1).append(','); mm /= 3; }
        List<Integer> l = grid.get(key.toString());
        if (l != null) for (int i : l) if (Extract.dist2(pts.get(i), x) <= eps * eps) return i;
      }
      int id = pts.size();
      pts.add(x.clone());
      StringBuilder key = new StringBuilder();
      for (int k = 0; k < d; k++) key.append(c[k]).append(',');
      grid.computeIfAbsent(key.toString(), z -> new ArrayList<>()).add(id);
      return id;
    }
  }

  static int find(int[] p, int i) { while (p[i] != i) { p[i] = p[p[i]]; i = p[i]; } return i; }
  static void union(int[] p, int a, int b) { a = find(p, a); b = find(p, b); if (a != b) p[Math.max(a, b)] = Math.min(a, b); }

  /** Unit normal n = a/|a| and offset h = (level - c)/|a| of each piece's plane n·x = h. */
  private static double[][] planes(List<Extract.Piece> ps, double level, double[] h) {
    double[][] n = new double[ps.size()][];
    for (int i = 0; i < ps.size(); i++) {
      Extract.Piece p = ps.get(i);
      double an = Extract.norm(p.a());
      n[i] = p.a().clone();
      for (int k = 0; k < n[i].length; k++) n[i][k] /= an;
      // the offset from the piece itself (it lies on the plane): more accurate than (level - c)/|a|
      double s = 0;
      for (double[] x : p.pts()) s += Extract.dot(n[i], x);
      h[i] = s / p.pts().length;
    }
    return n;
  }

  private static boolean coplanar(double[] n1, double h1, double[] n2, double h2, double tol) {
    return Math.sqrt(Extract.dist2(n1, n2)) <= 1e-6 && Math.abs(h1 - h2) <= tol;
  }

  private static Poly assemble2(Extract.Result r, double box, String title) {
    List<Extract.Piece> ps = r.pieces();
    double eps = SNAP * box;
    Snapper sn = new Snapper(eps, 2);
    int m = ps.size();
    int[][] seg = new int[m][2];
    double[] h = new double[m];
    double[][] nrm = planes(ps, 0, h);
    for (int i = 0; i < m; i++) { seg[i][0] = sn.id(ps.get(i).pts()[0]); seg[i][1] = sn.id(ps.get(i).pts()[1]); }
    int np = sn.pts.size();
    List<List<Integer>> at = new ArrayList<>();
    for (int i = 0; i < np; i++) at.add(new ArrayList<>());
    for (int i = 0; i < m; i++) { at.get(seg[i][0]).add(i); at.get(seg[i][1]).add(i); }
    // merge collinear segments through a point where only they meet
    int[] grp = new int[m], comp = new int[m];
    for (int i = 0; i < m; i++) { grp[i] = i; comp[i] = i; }
    boolean closed = true;
    for (int p = 0; p < np; p++) {
      List<Integer> l = at.get(p);
      if (l.size() != 2) closed = false;
      for (int x = 0; x < l.size(); x++) for (int y = x + 1; y < l.size(); y++) {
        union(comp, l.get(x), l.get(y));
        int i = l.get(x), j = l.get(y);
        if (l.size() == 2 && coplanar(nrm[i], h[i], nrm[j], h[j], 100 * eps)) union(grp, i, j);
      }
    }
    // vertices: points where segments of different edges meet, or ends
    Map<Integer, Integer> vid = new LinkedHashMap<>();
    for (int p = 0; p < np; p++) {
      List<Integer> l = at.get(p);
      boolean corner = l.size() != 2 || find(grp, l.get(0)) != find(grp, l.get(1));
      if (corner) vid.put(p, vid.size());
    }
    // each edge group: the segments of one straight edge; its ends are its vertices
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < m; i++) groups.computeIfAbsent(find(grp, i), z -> new ArrayList<>()).add(i);
    List<int[]> edges = new ArrayList<>();
    List<double[]> en = new ArrayList<>();
    List<Double> eh = new ArrayList<>();
    for (var g : groups.values()) {
      Map<Integer, Integer> cnt = new HashMap<>();
      for (int i : g) { cnt.merge(seg[i][0], 1, Integer::sum); cnt.merge(seg[i][1], 1, Integer::sum); }
      List<Integer> ends = new ArrayList<>();
      for (var e : cnt.entrySet()) if (e.getValue() == 1) ends.add(e.getKey());
      if (ends.size() != 2) continue; // a closed loop of collinear segments cannot happen
      ends.sort(null);
      edges.add(new int[] {vid.get(ends.get(0)), vid.get(ends.get(1))});
      en.add(nrm[g.get(0)]);
      eh.add(h[g.get(0)]);
    }
    double[][] verts = new double[vid.size()][];
    for (var e : vid.entrySet()) verts[e.getValue()] = sn.pts.get(e.getKey());
    List<double[][]> pieces = new ArrayList<>();
    for (Extract.Piece p : ps) pieces.add(p.pts());
    double[] off = new double[eh.size()];
    for (int i = 0; i < off.length; i++) off[i] = eh.get(i);
    return new Poly(2, title, verts, edges.toArray(new int[0][]), null, en.toArray(new double[0][]), off, pieces, countRoots(comp), closed, r.regions(), eps);
  }

  private static int countRoots(int[] p) { int c = 0; for (int i = 0; i < p.length; i++) if (find(p, i) == i) c++; return c; }

  private static Poly assemble3(Extract.Result r, double box, String title) {
    List<Extract.Piece> ps = r.pieces();
    double eps = SNAP * box;
    Snapper sn = new Snapper(eps, 3);
    int m = ps.size();
    int[][] ids = new int[m][];
    double[] h = new double[m];
    double[][] nrm = planes(ps, 0, h);
    for (int i = 0; i < m; i++) {
      double[][] pts = ps.get(i).pts();
      ids[i] = new int[pts.length];
      for (int k = 0; k < pts.length; k++) ids[i][k] = sn.id(pts[k]);
    }
    int np = sn.pts.size();
    List<List<Integer>> at = new ArrayList<>();
    for (int i = 0; i < np; i++) at.add(new ArrayList<>());
    for (int i = 0; i < m; i++) for (int p : ids[i]) if (!at.get(p).contains(i)) at.get(p).add(i);
    int[] grp = new int[m], comp = new int[m];
    for (int i = 0; i < m; i++) { grp[i] = i; comp[i] = i; }
    for (int p = 0; p < np; p++) {
      List<Integer> l = at.get(p);
      for (int x = 0; x < l.size(); x++) for (int y = x + 1; y < l.size(); y++) {
        int i = l.get(x), j = l.get(y);
        union(comp, i, j);
        if (coplanar(nrm[i], h[i], nrm[j], h[j], 100 * eps)) union(grp, i, j);
      }
    }
    // faces: groups of coplanar pieces
    Map<Integer, Integer> fid = new LinkedHashMap<>();
    for (int i = 0; i < m; i++) fid.computeIfAbsent(find(grp, i), z -> fid.size());
    int nf = fid.size();
    // vertices: points on pieces of at least three faces
    Map<Integer, Integer> vid = new LinkedHashMap<>();
    List<java.util.Set<Integer>> facesAt = new ArrayList<>();
    for (int p = 0; p < np; p++) {
      java.util.Set<Integer> fs = new java.util.TreeSet<>();
      for (int i : at.get(p)) fs.add(fid.get(find(grp, i)));
      if (fs.size() >= 3) { vid.put(p, vid.size()); facesAt.add(fs); }
    }
    double[][] verts = new double[vid.size()][];
    for (var e : vid.entrySet()) verts[e.getValue()] = sn.pts.get(e.getKey());
    List<List<Integer>> faceVerts = new ArrayList<>();
    for (int f = 0; f < nf; f++) faceVerts.add(new ArrayList<>());
    for (int v = 0; v < facesAt.size(); v++) for (int f : facesAt.get(v)) faceVerts.get(f).add(v);
    double[][] fn = new double[nf][];
    double[] fh = new double[nf];
    for (int i = 0; i < m; i++) { int f = fid.get(find(grp, i)); if (fn[f] == null) { fn[f] = nrm[i]; fh[f] = h[i]; } }
    int[][] faces = new int[nf][];
    for (int f = 0; f < nf; f++) {
      List<Integer> o = Extract.order(verts, faceVerts.get(f));
      faces[f] = o.stream().mapToInt(Integer::intValue).toArray();
    }
    // edges: pairs of faces sharing two or more vertices (the two farthest apart)
    List<int[]> edges = new ArrayList<>();
    boolean closed = true;
    java.util.TreeMap<Long, List<Integer>> sharedBy = new java.util.TreeMap<>();
    for (int v = 0; v < facesAt.size(); v++) {
      Integer[] fs = facesAt.get(v).toArray(new Integer[0]);
      for (int x = 0; x < fs.length; x++) for (int y = x + 1; y < fs.length; y++) sharedBy.computeIfAbsent((long) fs[x] * nf + fs[y], z -> new ArrayList<>()).add(v);
    }
    for (var en : sharedBy.entrySet()) {
      List<Integer> shared = en.getValue();
      if (shared.size() < 2) continue;
      int f = (int) (en.getKey() / nf), g = (int) (en.getKey() % nf);
      int bi = shared.get(0), bj = shared.get(1);
      double best = -1;
      for (int x = 0; x < shared.size(); x++) for (int y = x + 1; y < shared.size(); y++) {
        double dd = Extract.dist2(verts[shared.get(x)], verts[shared.get(y)]);
        if (dd > best) { best = dd; bi = shared.get(x); bj = shared.get(y); }
      }
      edges.add(new int[] {Math.min(bi, bj), Math.max(bi, bj), f, g});
    }
    // closed: every side of every face is an edge shared with another face
    java.util.Set<Long> ek = new java.util.HashSet<>();
    for (int[] e : edges) ek.add(e[0] * 1_000_003L + e[1]);
    for (int[] f : faces) {
      if (f.length < 3) { closed = false; continue; }
      for (int k = 0; k < f.length; k++) {
        int a = f[k], b = f[(k + 1) % f.length];
        if (!ek.contains(Math.min(a, b) * 1_000_003L + Math.max(a, b))) closed = false;
      }
    }
    List<double[][]> pieces = new ArrayList<>();
    for (Extract.Piece p : ps) pieces.add(p.pts());
    return new Poly(3, title, verts, edges.toArray(new int[0][]), faces, fn, fh, pieces, countRoots(comp), closed, r.regions(), eps);
  }

  /** The convex hull of a polygon's vertices (Andrew's monotone chain), as a polygon with outward edge normals. */
  static Poly hull2(Poly p) {
    double[][] v = p.vertices.clone();
    java.util.Arrays.sort(v, (x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(x[1], y[1]));
    int n = v.length, k = 0;
    double[][] h = new double[2 * n][];
    for (int i = 0; i < n; i++) {
      while (k >= 2 && crossZ(h[k - 2], h[k - 1], v[i]) <= 0) k--;
      h[k++] = v[i];
    }
    for (int i = n - 2, t = k + 1; i >= 0; i--) {
      while (k >= t && crossZ(h[k - 2], h[k - 1], v[i]) <= 0) k--;
      h[k++] = v[i];
    }
    int m = k - 1; // counter-clockwise, last point repeats the first
    double[][] hv = java.util.Arrays.copyOf(h, m);
    int[][] edges = new int[m][];
    double[][] nrm = new double[m][];
    double[] off = new double[m];
    List<double[][]> pieces = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      int j = (i + 1) % m;
      edges[i] = new int[] {i, j};
      double dx = hv[j][0] - hv[i][0], dy = hv[j][1] - hv[i][1], l = Math.hypot(dx, dy);
      nrm[i] = new double[] {dy / l, -dx / l}; // outward for a counter-clockwise polygon
      off[i] = nrm[i][0] * hv[i][0] + nrm[i][1] * hv[i][1];
      pieces.add(new double[][] {hv[i], hv[j]});
    }
    return new Poly(2, "convex hull of " + p.title, hv, edges, null, nrm, off, pieces, 1, true, 0, p.tolerance);
  }

  private static double crossZ(double[] o, double[] a, double[] b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); }

  static Value dual(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof Poly p0)) throw new NnftException(s.arg(0), "dual takes a polytope from polytope(...), not " + a.get(0).kind() + ".");
    Poly p = p0;
    if (!p.convex && p.dim == 2 && p.closed) {
      // the polar of any set is the polar of its convex hull (with the origin)
      p = hull2(p);
      s.interp().session().warn("the polygon is not convex; dual gives the polar of its convex hull (" + p.vertices.length + " of its " + p0.vertices.length + " vertices).", s.span());
    }
    if (!p.convex) throw new NnftException(s.arg(0), "dual needs a closed convex polytope; this one is " + (p.closed ? "" : "open and ") + "not convex" + (p.dim == 3 ? " (the convex hull of a non-convex polyhedron is not computed yet)." : "."));
    if (!p.containsOrigin) throw new NnftException(s.arg(0), "the polar dual needs the origin strictly inside the polytope, and it is not.");
    int d = p.dim;
    int nf = p.normals.length;
    // dual vertex i: the pole n_i / h_i of face (or edge, in R^2) i
    double[][] dv = new double[nf][];
    for (int i = 0; i < nf; i++) { dv[i] = p.normals[i].clone(); for (int k = 0; k < d; k++) dv[i][k] /= p.offsets[i]; }
    int V = p.vertices.length;
    double[][] dn = new double[V][];
    double[] dh = new double[V];
    for (int v = 0; v < V; v++) {
      double r = Extract.norm(p.vertices[v]);
      dn[v] = p.vertices[v].clone();
      for (int k = 0; k < d; k++) dn[v][k] /= r;
      dh[v] = 1 / r;
    }
    List<double[][]> pieces = new ArrayList<>();
    String title = "polar dual of " + p.title;
    if (d == 2) {
      // P's edge i is the dual vertex i; P's vertex v, between edges i and j, is the dual edge (i, j)
      List<List<Integer>> at = new ArrayList<>();
      for (int v = 0; v < V; v++) at.add(new ArrayList<>());
      for (int e = 0; e < p.edges.length; e++) { at.get(p.edges[e][0]).add(e); at.get(p.edges[e][1]).add(e); }
      int[][] edges = new int[V][];
      for (int v = 0; v < V; v++) {
        edges[v] = new int[] {at.get(v).get(0), at.get(v).get(1)};
        pieces.add(new double[][] {dv[edges[v][0]], dv[edges[v][1]]});
      }
      return new Poly(2, title, dv, edges, null, dn, dh, pieces, 1, true, 0, p.tolerance);
    }
    // R^3: P's face i is the dual vertex i, P's vertex v the dual face of the faces around v, P's edge (f, g) the dual edge
    List<List<Integer>> around = new ArrayList<>();
    for (int v = 0; v < V; v++) around.add(new ArrayList<>());
    for (int f = 0; f < nf; f++) for (int v : p.faces[f]) around.get(v).add(f);
    int[][] faces = new int[V][];
    for (int v = 0; v < V; v++) {
      faces[v] = Extract.order(dv, around.get(v)).stream().mapToInt(Integer::intValue).toArray();
      double[][] poly = new double[faces[v].length][];
      for (int k = 0; k < poly.length; k++) poly[k] = dv[faces[v][k]];
      pieces.add(poly);
    }
    int[][] edges = new int[p.edges.length][];
    for (int e = 0; e < edges.length; e++) {
      int f = p.edges[e][2], g = p.edges[e][3];
      edges[e] = new int[] {Math.min(f, g), Math.max(f, g), p.edges[e][0], p.edges[e][1]};
    }
    return new Poly(3, title, dv, edges, faces, dn, dh, pieces, 1, true, 0, p.tolerance);
  }
}
