package org.nnft.polytope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnft.runtime.*;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * A polygon (R^2) or polyhedral surface (R^3): vertices, edges, faces with their planes n·x = h
 * (n the outward unit normal of the region {f ≤ level}), and the pieces of surface it was built
 * from (for distances). Its combinatorics and geometry are computed once.
 */
public final class Poly implements Members, Drawable, JsonValue {
  final int dim;
  final String title;
  final double[][] vertices;
  final int[][] edges;
  /** R^3: the vertex cycle of each face; R^2: the edges are the faces. */
  final int[][] faces;
  final double[][] normals;
  final double[] offsets;
  final List<double[][]> pieces;
  final int components;
  final boolean closed;
  final int regions;
  final double tolerance;
  // derived
  final boolean convex, symmetric, containsOrigin;
  final double convexityDefect;
  final double minEdge, maxEdge, meanEdge, minAngle, maxAngle, hausdorff, minRadius, maxRadius;

  Poly(int dim, String title, double[][] vertices, int[][] edges, int[][] faces, double[][] normals, double[] offsets,
      List<double[][]> pieces, int components, boolean closed, int regions, double tolerance) {
    this.dim = dim; this.title = title; this.vertices = vertices; this.edges = edges; this.faces = faces;
    this.normals = normals; this.offsets = offsets; this.pieces = pieces; this.components = components;
    this.closed = closed; this.regions = regions; this.tolerance = tolerance;
    double scale = 1;
    for (double[] v : vertices) scale = Math.max(scale, Extract.norm(v));
    double tol = Math.max(tolerance, 1e-12) * 100 * scale;
    double defect = 0;
    for (int f = 0; f < normals.length; f++) for (double[] v : vertices) defect = Math.max(defect, Extract.dot(normals[f], v) - offsets[f]);
    convexityDefect = defect;
    convex = components == 1 && closed && defect <= tol;
    boolean cv = convex;
    boolean co = cv;
    for (double h : offsets) if (!(h > tol)) co = false;
    containsOrigin = co;
    // central symmetry about the centroid of the vertices
    double[] c = new double[dim];
    for (double[] v : vertices) for (int k = 0; k < dim; k++) c[k] += v[k] / vertices.length;
    boolean sym = vertices.length > 0;
    for (double[] v : vertices) {
      double[] m = new double[dim];
      for (int k = 0; k < dim; k++) m[k] = 2 * c[k] - v[k];
      boolean found = false;
      for (double[] w : vertices) if (Math.sqrt(Extract.dist2(m, w)) <= tol * 10) { found = true; break; }
      if (!found) { sym = false; break; }
    }
    symmetric = sym;
    double lo = Double.POSITIVE_INFINITY, hi = 0, sum = 0;
    for (int[] e : edges) {
      double l = Math.sqrt(Extract.dist2(vertices[e[0]], vertices[e[1]]));
      lo = Math.min(lo, l); hi = Math.max(hi, l); sum += l;
    }
    minEdge = edges.length == 0 ? 0 : lo; maxEdge = hi; meanEdge = edges.length == 0 ? 0 : sum / edges.length;
    double[] ang = angles();
    double alo = Double.POSITIVE_INFINITY, ahi = 0;
    for (double a : ang) { alo = Math.min(alo, a); ahi = Math.max(ahi, a); }
    minAngle = ang.length == 0 ? 0 : alo; maxAngle = ahi;
    // distances to the unit sphere: |x| over the surface ranges over [minRadius, maxRadius]
    double rmax = 0, rmin = Double.POSITIVE_INFINITY;
    for (double[][] p : pieces) {
      for (double[] x : p) rmax = Math.max(rmax, Extract.norm(x));
      rmin = Math.min(rmin, distToPiece(new double[dim], p));
    }
    minRadius = rmin; maxRadius = rmax;
    double h1 = Math.max(Math.abs(rmax - 1), Math.abs(rmin - 1));
    // sup over the sphere of the distance to the surface, on a fine set of directions
    double h2 = 0;
    int m = dim == 2 ? 3600 : 4000;
    // each piece's bounding ball: |u - centre| - radius bounds the distance from below, so only the
    // pieces that could be nearer than the best so far are measured exactly
    int np = pieces.size();
    double[][] ctr = new double[np][dim];
    double[] rad = new double[np], lb = new double[np];
    for (int i = 0; i < np; i++) {
      double[][] q = pieces.get(i);
      for (double[] x : q) for (int k = 0; k < dim; k++) ctr[i][k] += x[k] / q.length;
      for (double[] x : q) rad[i] = Math.max(rad[i], Math.sqrt(Extract.dist2(x, ctr[i])));
    }
    for (int i = 0; i < m; i++) {
      double[] u;
      if (dim == 2) { double t = 2 * Math.PI * i / m; u = new double[] {Math.cos(t), Math.sin(t)}; }
      else {
        double z = 1 - (2.0 * i + 1) / m, r = Math.sqrt(1 - z * z), t = i * Math.PI * (3 - Math.sqrt(5));
        u = new double[] {r * Math.cos(t), r * Math.sin(t), z};
      }
      int first = 0;
      for (int j = 0; j < np; j++) {
        lb[j] = Math.sqrt(Extract.dist2(u, ctr[j])) - rad[j];
        if (lb[j] < lb[first]) first = j;
      }
      double best = np == 0 ? 0 : distToPiece(u, pieces.get(first));
      for (int j = 0; j < np; j++) if (lb[j] < best && j != first) best = Math.min(best, distToPiece(u, pieces.get(j)));
      h2 = Math.max(h2, best);
    }
    hausdorff = Math.max(h1, h2);
  }

  /**
   * Interior angles at the vertices (R^2) or dihedral angles at the edges (R^3), in degrees, measured
   * inside {f ≤ level}: above 180° at a reflex vertex or edge.
   */
  double[] angles() {
    List<Double> out = new ArrayList<>();
    double scale = 1;
    for (double[] v : vertices) scale = Math.max(scale, Extract.norm(v));
    double tol = Math.max(tolerance, 1e-12) * 100 * scale;
    if (dim == 2) {
      Map<Integer, List<Integer>> at = new HashMap<>();
      for (int e = 0; e < edges.length; e++) { at.computeIfAbsent(edges[e][0], k -> new ArrayList<>()).add(e); at.computeIfAbsent(edges[e][1], k -> new ArrayList<>()).add(e); }
      for (var en : at.entrySet()) {
        if (en.getValue().size() != 2) continue;
        int e1 = en.getValue().get(0), e2 = en.getValue().get(1);
        int w = edges[e2][0] == en.getKey() ? edges[e2][1] : edges[e2][0];
        double turn = Math.toDegrees(Math.acos(clamp(Extract.dot(normals[e1], normals[e2]))));
        boolean reflex = Extract.dot(normals[e1], vertices[w]) > offsets[e1] + tol;
        out.add(reflex ? 180 + turn : 180 - turn);
      }
    } else {
      for (int[] e : edges) {
        if (e.length < 4) continue;
        double turn = Math.toDegrees(Math.acos(clamp(Extract.dot(normals[e[2]], normals[e[3]]))));
        boolean reflex = false;
        if (faces != null && e[3] < faces.length) for (int w : faces[e[3]]) if (Extract.dot(normals[e[2]], vertices[w]) > offsets[e[2]] + tol) reflex = true;
        out.add(reflex ? 180 + turn : 180 - turn);
      }
    }
    double[] r = new double[out.size()];
    for (int i = 0; i < r.length; i++) r[i] = out.get(i);
    return r;
  }

  private static double clamp(double x) { return Math.max(-1, Math.min(1, x)); }

  /** Distance from x to a segment (2 points) or a convex polygon (≥ 3 points in R^3). */
  static double distToPiece(double[] x, double[][] p) {
    if (p.length == 2) return distToSegment(x, p[0], p[1]);
    double[] a = p[0];
    double[] n = null;
    for (int i = 1; i + 1 < p.length && n == null; i++) {
      double[] c = Extract.cross(Extract.sub(p[i], a), Extract.sub(p[i + 1], a));
      if (Extract.norm(c) > 0) n = c;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < p.length; i++) best = Math.min(best, distToSegment(x, p[i], p[(i + 1) % p.length]));
    if (n == null) return best;
    double nn = Extract.norm(n);
    for (int k = 0; k < 3; k++) n[k] /= nn;
    double h = Extract.dot(Extract.sub(x, a), n);
    double[] q = new double[3];
    for (int k = 0; k < 3; k++) q[k] = x[k] - h * n[k];
    // inside when q is on the same side of every edge
    boolean in = true;
    double sign = 0;
    for (int i = 0; i < p.length && in; i++) {
      double s = Extract.dot(Extract.cross(Extract.sub(p[(i + 1) % p.length], p[i]), Extract.sub(q, p[i])), n);
      if (Math.abs(s) < 1e-15) continue;
      if (sign == 0) sign = Math.signum(s);
      else if (Math.signum(s) != sign) in = false;
    }
    return in ? Math.min(best, Math.abs(h)) : best;
  }

  static double distToSegment(double[] x, double[] a, double[] b) {
    double[] ab = Extract.sub(b, a), ax = Extract.sub(x, a);
    double l = Extract.dot(ab, ab);
    double t = l == 0 ? 0 : Math.max(0, Math.min(1, Extract.dot(ax, ab) / l));
    double s = 0;
    for (int k = 0; k < x.length; k++) { double d = a[k] + t * ab[k] - x[k]; s += d * d; }
    return Math.sqrt(s);
  }

  int faceCount() { return dim == 2 ? edges.length : faces.length; }

  double[] fVector() {
    return dim == 2 ? new double[] {vertices.length, edges.length} : new double[] {vertices.length, edges.length, faces.length};
  }

  int euler() { return dim == 2 ? vertices.length - edges.length : vertices.length - edges.length + faces.length; }

  /** The name of a closed polytope for the title; several components or an open one keep a count-based name. */
  String shapeName() {
    if (closed && components == 1) return species(false);
    return dim == 2 ? vertices.length + "-gon" : "polyhedron";
  }

  /** Edge lengths equal to 1e-6 of the mean and angles equal to 1e-4 degrees: regular up to rounding. */
  static final double REGULAR_EDGE = 1e-6, REGULAR_ANGLE = 1e-4;

  private static final String[] POLYGONS = {null, null, null, "triangle", "quadrilateral", "pentagon", "hexagon", "heptagon", "octagon"};

  /** Convex, with all edges and all (interior or dihedral) angles equal. */
  private boolean equilateral() {
    return convex && edges.length > 0 && maxEdge - minEdge <= REGULAR_EDGE * meanEdge && maxAngle - minAngle <= REGULAR_ANGLE;
  }

  /**
   * A regular polygon, or a regular polyhedron: convex, all edges and angles equal and, in R^3, all
   * faces with one number of sides and all vertices with one degree (so the cuboctahedron, with
   * equal edges and dihedral angles, is not).
   */
  boolean regular() {
    if (!equilateral()) return false;
    if (dim == 2) return true;
    int[] degree = degrees();
    for (int d : degree) if (d != degree[0]) return false;
    for (int[] f : faces) if (f.length != faces[0].length) return false;
    return true;
  }

  private int[] degrees() {
    int[] degree = new int[vertices.length];
    for (int[] ed : edges) { degree[ed[0]]++; degree[ed[1]]++; }
    return degree;
  }

  /**
   * A short name: what the f-vector, the face sizes, the vertex degrees and the regularity settle
   * without doubt. Polygons: "hexagon", "regular 10-gon", "square". Polyhedra: "tetrahedron",
   * "hexahedron" (six quadrilaterals, three at every vertex), "octahedron", "icosahedron",
   * "dodecahedron", each "regular" when its edges and dihedral angles are all equal (the regular
   * hexahedron is the "cube", one with right dihedral angles a "cuboid"), "cuboctahedron" (8 triangles
   * and 6 quadrilaterals, four at every vertex, every edge between a triangle and a quadrilateral:
   * what 4 crease planes in general position cut; "Archimedean cuboctahedron" when its edges and
   * dihedral angles are equal) and the dual of the Archimedean one, the "rhombic
   * dodecahedron" (12 rhombi, 8 vertices of degree 3 and 6 of degree 4, equal edges and dihedral
   * angles); otherwise
   * "polyhedron (V, E, F)". An open curve or surface, or several, is named by its counts.
   */
  String species() { return species(true); }

  private String species(boolean counts) {
    int v = vertices.length, e = edges.length;
    String fv = " (" + v + ", " + e + (dim == 3 ? ", " + faces.length : "") + ")";
    if (!closed || components != 1) {
      String what = dim == 2 ? "curve" : "surface";
      return (closed ? components + " closed " + what + "s" : components == 1 ? "open " + what : components + " " + what + "s, open") + fv;
    }
    boolean reg = regular();
    if (dim == 2) {
      if (v == 4 && reg) return "square";
      String name = v < POLYGONS.length && POLYGONS[v] != null ? POLYGONS[v] : v + "-gon";
      return reg ? "regular " + name : name;
    }
    int f = faces.length;
    int[] degree = degrees();
    int[] sides = new int[8];
    for (int[] fc : faces) sides[Math.min(fc.length, 7)]++;
    boolean deg3 = true, deg4 = true, deg5 = true;
    for (int d : degree) { deg3 &= d == 3; deg4 &= d == 4; deg5 &= d == 5; }
    String reg_ = reg ? "regular " : "";
    if (v == 4 && e == 6 && f == 4) return reg_ + "tetrahedron";
    if (v == 8 && e == 12 && f == 6 && sides[4] == 6 && deg3) {
      if (reg) return "cube";
      if (convex && Math.abs(minAngle - 90) <= REGULAR_ANGLE && Math.abs(maxAngle - 90) <= REGULAR_ANGLE) return "cuboid";
      return "hexahedron";
    }
    if (v == 6 && e == 12 && f == 8 && sides[3] == 8 && deg4) return reg_ + "octahedron";
    if (v == 12 && e == 30 && f == 20 && sides[3] == 20 && deg5) return reg_ + "icosahedron";
    if (v == 20 && e == 30 && f == 12 && sides[5] == 12 && deg3) return reg_ + "dodecahedron";
    // the dual of the hand-set cuboctahedron: equal edges and dihedral angles fix it among the
    // solids with its face and vertex counts
    boolean eq = equilateral();
    int d3 = 0, d4 = 0;
    for (int d : degree) { if (d == 3) d3++; if (d == 4) d4++; }
    if (v == 12 && e == 24 && f == 14 && sides[3] == 8 && sides[4] == 6 && deg4) {
      // every edge between a triangle and a quadrilateral: the cuboctahedron's combinatorics (the
      // triangular orthobicupola has the same counts but triangle-triangle edges)
      boolean alternate = true;
      for (int[] ed : edges) alternate &= ed.length >= 4 && faces[ed[2]].length + faces[ed[3]].length == 7;
      if (alternate) return eq ? "Archimedean cuboctahedron" : "cuboctahedron";
    }
    if (v == 14 && e == 24 && f == 12 && sides[4] == 12 && d3 == 8 && d4 == 6 && eq) return "rhombic dodecahedron";
    return counts ? "polyhedron" + fv : "polyhedron";
  }

  @Override public String kind() { return "a polytope"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.Other(org.nnft.check.ArgType.RECORD); }

  Tensor vertexMatrix() {
    double[] d = new double[vertices.length * dim];
    for (int i = 0; i < vertices.length; i++) System.arraycopy(vertices[i], 0, d, i * dim, dim);
    return new Tensor(d, null, new int[] {vertices.length, dim}, null);
  }

  @Override public Value member(String name, Span span) {
    return switch (name) {
      case "f_vector" -> Tensor.vector(fVector());
      case "vertices" -> vertexMatrix();
      case "edges" -> {
        double[] d = new double[edges.length * 2];
        for (int i = 0; i < edges.length; i++) { d[2 * i] = edges[i][0]; d[2 * i + 1] = edges[i][1]; }
        yield new Tensor(d, null, new int[] {edges.length, 2}, null);
      }
      case "faces" -> {
        List<Value> fs = new ArrayList<>();
        if (dim == 3) for (int[] f : faces) { double[] d = new double[f.length]; for (int k = 0; k < f.length; k++) d[k] = f[k]; fs.add(Tensor.vector(d)); }
        else for (int[] e : edges) fs.add(Tensor.vector(new double[] {e[0], e[1]}));
        yield new Values.ListV(fs);
      }
      case "normals" -> {
        double[] d = new double[normals.length * dim];
        for (int i = 0; i < normals.length; i++) System.arraycopy(normals[i], 0, d, i * dim, dim);
        yield new Tensor(d, null, new int[] {normals.length, dim}, null);
      }
      case "offsets" -> Tensor.vector(offsets.clone());
      case "closed" -> new Values.Bool(closed);
      case "convex" -> new Values.Bool(convex);
      case "centrally_symmetric" -> new Values.Bool(symmetric);
      case "contains_origin" -> new Values.Bool(containsOrigin);
      case "components" -> Tensor.scalar(components);
      case "euler" -> Tensor.scalar(euler());
      case "dim" -> Tensor.scalar(dim);
      case "edge_lengths" -> {
        double[] d = new double[edges.length];
        for (int i = 0; i < edges.length; i++) d[i] = Math.sqrt(Extract.dist2(vertices[edges[i][0]], vertices[edges[i][1]]));
        yield Tensor.vector(d);
      }
      case "edge_spread" -> Tensor.scalar(meanEdge == 0 ? 0 : (maxEdge - minEdge) / meanEdge);
      case "angles" -> Tensor.vector(angles());
      case "angle_spread" -> Tensor.scalar(maxAngle - minAngle);
      case "hausdorff" -> Tensor.scalar(hausdorff);
      case "radii" -> Tensor.vector(new double[] {minRadius, maxRadius});
      case "regions" -> Tensor.scalar(regions);
      case "convexity_defect" -> Tensor.scalar(convexityDefect);
      case "tolerance" -> Tensor.scalar(tolerance);
      case "species" -> new Values.Str(species());
      case "regular" -> new Values.Bool(regular());
      default -> throw new NnftException(span, "a polytope has f_vector, vertices, edges, faces, normals, offsets, closed, convex, centrally_symmetric, contains_origin, components, euler, dim, edge_lengths, edge_spread, angles, angle_spread, hausdorff, radii, regions, convexity_defect, tolerance, species and regular, not '" + name + "'.");
    };
  }

  @Override public String toString() {
    String f = Printer.text(Tensor.vector(fVector()));
    StringBuilder b = new StringBuilder();
    b.append(title).append(": ").append(closed ? "a closed " : "an open ").append(convex ? "convex " : "non-convex ").append(shapeName());
    if (!convex && closed && components == 1) {
      int reflex = 0;
      for (double a : angles()) if (a > 180) reflex++;
      b.append(" (").append(reflex).append(dim == 2 ? " reflex vertices" : " reflex edges").append("; a vertex lies ").append(Interpreter.fmt(convexityDefect)).append(" beyond a face's ").append(dim == 2 ? "line)" : "plane)");
    }
    if (components != 1) b.append(" in ").append(components).append(" components");
    b.append("\n  f-vector ").append(f).append(", Euler characteristic ").append(euler());
    b.append(", centrally symmetric: ").append(symmetric ? "yes" : "no");
    b.append("\n  edge lengths ").append(Interpreter.fmt(minEdge)).append(" to ").append(Interpreter.fmt(maxEdge))
        .append(" (spread ").append(Interpreter.fmt(meanEdge == 0 ? 0 : (maxEdge - minEdge) / meanEdge)).append(" of the mean), ")
        .append(dim == 2 ? "angles " : "dihedral angles ").append(Interpreter.fmt(minAngle)).append("° to ").append(Interpreter.fmt(maxAngle)).append("°");
    b.append("\n  |x| from ").append(Interpreter.fmt(minRadius)).append(" to ").append(Interpreter.fmt(maxRadius))
        .append("; Hausdorff distance to the unit ").append(dim == 2 ? "circle " : "sphere ").append(Interpreter.fmt(hausdorff));
    if (regions > 0) b.append("\n  ").append(regions).append(" linear regions walked; vertices exact to rounding, points within ").append(Interpreter.fmt(tolerance)).append(" taken as one");
    return b.toString();
  }

  /** The vertex cycles of a polygon's components (R^2), following its edges. */
  List<int[]> cycles() {
    List<int[]> out = new ArrayList<>();
    Map<Integer, List<Integer>> at = new HashMap<>();
    for (int[] e : edges) { at.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]); at.computeIfAbsent(e[1], k -> new ArrayList<>()).add(e[0]); }
    boolean[] seen = new boolean[vertices.length];
    for (int s0 = 0; s0 < vertices.length; s0++) {
      if (seen[s0] || !at.containsKey(s0)) continue;
      List<Integer> c = new ArrayList<>();
      int prev = -1, cur = s0;
      while (cur >= 0 && !seen[cur]) {
        seen[cur] = true;
        c.add(cur);
        int next = -1;
        for (int w : at.get(cur)) if (w != prev && !seen[w]) { next = w; break; }
        prev = cur;
        cur = next;
      }
      out.add(c.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  private List<int[]> faceCycles() { return dim == 2 ? cycles() : java.util.Arrays.asList(faces); }

  @Override public void draw(java.awt.Graphics2D g, int width, int height, String titled) {
    List<double[][]> polys = new ArrayList<>();
    if (dim == 2) for (int[] e : edges) polys.add(new double[][] {vertices[e[0]], vertices[e[1]]});
    else for (int[] f : faces) { double[][] q = new double[f.length][]; for (int k = 0; k < f.length; k++) q[k] = vertices[f[k]]; polys.add(q); }
    String caption = "f-vector " + Printer.text(Tensor.vector(fVector())) + (convex ? ", convex" : ", non-convex") + (symmetric ? ", centrally symmetric" : "")
        + "; Hausdorff distance to the unit " + (dim == 2 ? "circle " : "sphere ") + Interpreter.fmt(hausdorff);
    double[][] marks = vertices;
    if (dim == 3) { // the vertices of faces turned toward the viewer
      List<double[]> vis = new ArrayList<>();
      boolean[] on = new boolean[vertices.length];
      for (int f = 0; f < faces.length; f++) if (Extract.dot(normals[f], Render.VIEW) > 1e-9) for (int v : faces[f]) on[v] = true;
      for (int v = 0; v < vertices.length; v++) if (on[v]) vis.add(vertices[v]);
      marks = vis.toArray(new double[0][]);
    }
    Render.draw(g, width, height, titled == null ? title : titled, caption, dim, polys, marks, maxRadius);
  }

  @Override public List<String> exportFormats() { return List.of(".off", ".obj"); }

  @Override public void export(java.nio.file.Path file, String ext) throws java.io.IOException {
    StringBuilder b = new StringBuilder();
    List<int[]> fs = faceCycles();
    java.util.function.Function<double[], String> xyz = v -> fmt(v[0]) + " " + fmt(v[1]) + " " + (dim == 3 ? fmt(v[2]) : "0");
    if (ext.equals(".off")) {
      b.append("OFF\n").append(vertices.length).append(' ').append(fs.size()).append(' ').append(edges.length).append('\n');
      for (double[] v : vertices) b.append(xyz.apply(v)).append('\n');
      for (int[] f : fs) { b.append(f.length); for (int i : f) b.append(' ').append(i); b.append('\n'); }
    } else {
      b.append("# ").append(title).append('\n');
      for (double[] v : vertices) b.append("v ").append(xyz.apply(v)).append('\n');
      for (int[] f : fs) { b.append('f'); for (int i : f) b.append(' ').append(i + 1); b.append('\n'); }
    }
    java.nio.file.Files.writeString(file, b.toString());
  }

  private static String fmt(double x) { return Double.toString(x == 0 ? 0.0 : x); }

  @Override public Object json() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("type", "polytope");
    m.put("title", title);
    m.put("dim", dim);
    m.put("f_vector", fVector());
    m.put("euler", euler());
    m.put("species", species());
    m.put("closed", closed);
    m.put("convex", convex);
    m.put("centrally_symmetric", symmetric);
    m.put("contains_origin", containsOrigin);
    m.put("components", components);
    m.put("hausdorff", hausdorff);
    m.put("tolerance", tolerance);
    List<Object> vs = new ArrayList<>();
    for (double[] v : vertices) vs.add(v.clone());
    m.put("vertices", vs);
    List<Object> es = new ArrayList<>();
    for (int[] e : edges) es.add(new int[] {e[0], e[1]});
    m.put("edges", es);
    List<Object> f = new ArrayList<>();
    for (int[] c : faceCycles()) f.add(c.clone());
    m.put("faces", f);
    return m;
  }
}
