package org.nnft.polytope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;

/**
 * Exact extraction against references worked out by hand (SCIENCE.md, "Neural polytopes"): the
 * support function of a zonotope, regular polygons from units at equal angles, the cross-polytope
 * and the cube, the cuboctahedron, a deep net computing the max norm. Vertices are computed by the
 * code by interpolation in double precision; the tolerance 1e-9 is far above that rounding (1e-15)
 * and far below any geometric feature here (≥ 0.1).
 */
class PolytopeTest {
  static final double TOL = 1e-9;

  private static Poly poly(Nnft s, String name) { return (Poly) s.value(name); }

  private static double[] fv(Poly p) { return p.fVector(); }

  /** Σ_i max(0, u_i·x): the net written out by hand, independent of the tape. */
  private static double sumRelu(double[][] u, double[] x) {
    double f = 0;
    for (double[] w : u) { double z = 0; for (int k = 0; k < x.length; k++) z += w[k] * x[k]; f += Math.max(0, z); }
    return f;
  }

  private static String rows(double[][] u) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < u.length; i++) {
      if (i > 0) b.append(", ");
      b.append('[');
      for (int k = 0; k < u[i].length; k++) { if (k > 0) b.append(", "); b.append(Double.toString(u[i][k])); }
      b.append(']');
    }
    return b.append(']').toString();
  }

  private static double[][] angles(int n) {
    double[][] u = new double[n][];
    for (int i = 0; i < n; i++) u[i] = new double[] {Math.cos(2 * Math.PI * i / n), Math.sin(2 * Math.PI * i / n)};
    return u;
  }

  /**
   * N bias-free units at angles 2πi/N, equal output weights: the level set {f = 1} has its
   * vertices on the crease lines u_i·x = 0; antipodal units (even N) share them, so there are 2N
   * crease directions for odd N and N for even N, all equivalent under the rotation by 2π/N: a
   * regular polygon with 2N (odd N) or N (even N) vertices, interior angles 180(1 - 2/M) degrees.
   */
  @Test
  void unitsAtEqualAnglesGiveRegularPolygons() {
    for (int n = 3; n <= 8; n++) {
      double[][] u = angles(n);
      Nnft s = Nnft.session();
      s.eval("net h(x: R^2) { W[" + n + ", 2] = " + rows(u) + "\n return sum(relu(W @ x)) }\nlet P = polytope(h, level = 1)");
      Poly p = poly(s, "P");
      int m = n % 2 == 1 ? 2 * n : n;
      assertArrayEquals(new double[] {m, m}, fv(p), "N = " + n);
      assertTrue(p.closed && p.convex && p.symmetric, "N = " + n);
      assertEquals(0, p.euler());
      for (double[] v : p.vertices) {
        assertEquals(1, sumRelu(u, v), TOL, "f = 1 at every vertex");
        boolean onCrease = false;
        for (double[] w : u) if (Math.abs(w[0] * v[0] + w[1] * v[1]) < TOL) onCrease = true;
        assertTrue(onCrease, "every vertex lies on a crease line");
      }
      assertEquals(0, (p.maxEdge - p.minEdge) / p.meanEdge, TOL, "equal edges, N = " + n);
      for (double a : p.angles()) assertEquals(180.0 * (1 - 2.0 / m), a, 1e-7, "equal angles, N = " + n);
    }
  }

  /**
   * Σ|u_i·x| = Σ ReLU(u_i·x) + ReLU(-u_i·x) is the support function of the zonotope Z = Σ[-u_i, u_i],
   * so {f ≤ 1} is the polar of Z and dual(P) = Z: the support function of dual(P)'s vertices, max_y
   * c·y, must be Σ|u_i·c| in every direction c.
   */
  @Test
  void dualOfAbsoluteValueNetIsTheZonotope() {
    double[][] u = {{1, 0.2, -0.3}, {-0.4, 1.1, 0.5}, {0.3, -0.2, 0.9}, {0.7, 0.6, 0.1}};
    Nnft s = Nnft.session();
    s.eval("net z(x: R^3) { W[4, 3] = " + rows(u) + "\n return sum(relu(W @ x)) + sum(relu(-W @ x)) }\nlet P = polytope(z)\nlet D = dual(P)");
    Poly p = poly(s, "P"), d = poly(s, "D");
    assertTrue(p.convex && p.containsOrigin && p.symmetric);
    assertEquals(2, p.euler());
    for (double[] v : p.vertices) {
      double f = 0;
      for (double[] w : u) f += Math.abs(w[0] * v[0] + w[1] * v[1] + w[2] * v[2]);
      assertEquals(1, f, TOL);
    }
    // a zonotope of k = 4 generators in general position in R^3: 2·C(k,2) = 12 parallelogram faces,
    // 2k(k-1) = 24 edges (2(k-1) parallel to each generator), 2·[C(k-1,0) + C(k-1,1) + C(k-1,2)] = 14 vertices
    assertArrayEquals(new double[] {14, 24, 12}, fv(d));
    assertArrayEquals(new double[] {12, 24, 14}, fv(p));
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int t = 0; t < 200; t++) {
      double[] c = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
      double h = 0;
      for (double[] w : u) h += Math.abs(w[0] * c[0] + w[1] * c[1] + w[2] * c[2]);
      double best = Double.NEGATIVE_INFINITY;
      for (double[] y : d.vertices) best = Math.max(best, c[0] * y[0] + c[1] * y[1] + c[2] * y[2]);
      assertEquals(h, best, 1e-8 * (1 + h));
    }
  }

  /** Units ±e_k: f = ‖x‖₁, {f = 1} the cross-polytope with vertices ±e_k, dual to the cube [-1, 1]^3. */
  @Test
  void crossPolytopeAndCube() {
    Nnft s = Nnft.session();
    s.eval("net o(x: R^3) { W[6, 3] = [[1,0,0],[-1,0,0],[0,1,0],[0,-1,0],[0,0,1],[0,0,-1]]\n return sum(relu(W @ x)) }\nlet P = polytope(o)\nlet D = dual(P)");
    Poly p = poly(s, "P"), d = poly(s, "D");
    assertArrayEquals(new double[] {6, 12, 8}, fv(p));
    assertArrayEquals(new double[] {8, 12, 6}, fv(d));
    assertEquals(2, p.euler());
    assertEquals(2, d.euler());
    for (double[] v : p.vertices) {
      double l1 = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]), linf = Math.max(Math.abs(v[0]), Math.max(Math.abs(v[1]), Math.abs(v[2])));
      assertEquals(1, l1, TOL);
      assertEquals(1, linf, TOL, "a vertex of the cross-polytope is some ±e_k");
    }
    for (double[] y : d.vertices) for (double c : y) assertEquals(1, Math.abs(c), TOL, "the cube's vertices are (±1, ±1, ±1)");
    for (double a : p.angles()) assertEquals(Math.toDegrees(Math.acos(-1.0 / 3)), a, 1e-7, "the octahedron's dihedral angle");
    for (double a : d.angles()) assertEquals(90, a, 1e-7);
    assertEquals(1 - 1 / Math.sqrt(3), p.hausdorff, 1e-3, "the faces' centres are at 1/√3 (sampled part of the distance)");
  }

  /**
   * The four units (±1, ±1, ±1) of even parity: a cuboctahedron, f-vector (12, 24, 14), all edges as
   * long as the circumradius.
   */
  @Test
  void evenParityUnitsGiveACuboctahedron() {
    Nnft s = Nnft.session();
    s.eval("net c(x: R^3) { W[4, 3] = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]\n return sum(relu(W @ x)) }\nlet P = polytope(c)");
    Poly p = poly(s, "P");
    assertArrayEquals(new double[] {12, 24, 14}, fv(p));
    assertEquals(2, p.euler());
    assertTrue(p.convex && p.closed);
    double r = p.maxRadius;
    for (double[] v : p.vertices) assertEquals(r, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), TOL);
    assertEquals(r, p.minEdge, TOL);
    assertEquals(r, p.maxEdge, TOL);
  }

  /**
   * A two-layer net computing max(|x|, |y|) = |y| + ReLU(|x| - |y|): {f = 1} is the square with
   * vertices (±1, ±1). The kink of the second layer (|x| = |y|) runs through the corners, and the
   * sides cross the first layer's creases: the pieces of each side must merge into one edge.
   */
  @Test
  void deepNetMaxNormGivesTheSquare() {
    Nnft s = Nnft.session();
    s.eval("net m(x: R^2) { W[4, 2] = [[1, 0], [-1, 0], [0, 1], [0, -1]]; a[4] = [1, 1, -1, -1]; c[4] = [0, 0, 1, 1]\n"
        + " return relu(dot(a, relu(W @ x))) + dot(c, relu(W @ x)) }\nlet P = polytope(m)");
    Poly p = poly(s, "P");
    assertArrayEquals(new double[] {4, 4}, fv(p));
    for (double[] v : p.vertices) { assertEquals(1, Math.abs(v[0]), TOL); assertEquals(1, Math.abs(v[1]), TOL); }
    assertEquals(Math.sqrt(2) - 1, p.hausdorff, 1e-12);
  }

  /** max(|x| + |y|, |z|) = |z| + ReLU(|x| + |y| - |z|): {f = 1} is the prism over the square |x| + |y| ≤ 1 (8, 12, 6). */
  @Test
  void deepNetIn3DGivesThePrism() {
    Nnft s = Nnft.session();
    s.eval("net m(x: R^3) { W[6, 3] = [[1,0,0],[-1,0,0],[0,1,0],[0,-1,0],[0,0,1],[0,0,-1]]; a[6] = [1, 1, 1, 1, -1, -1]; c[6] = [0, 0, 0, 0, 1, 1]\n"
        + " return relu(dot(a, relu(W @ x))) + dot(c, relu(W @ x)) }\nlet P = polytope(m)");
    Poly p = poly(s, "P");
    assertArrayEquals(new double[] {8, 12, 6}, fv(p));
    assertEquals(2, p.euler());
    for (double[] v : p.vertices) { assertEquals(1, Math.abs(v[0]) + Math.abs(v[1]), TOL); assertEquals(1, Math.abs(v[2]), TOL); }
  }

  /**
   * ||x| - 2| + |y| + |z| = 1 is two octahedra of radius 1 centred at (±2, 0, 0): two components,
   * f-vector 2 × (6, 12, 8), Euler characteristic 2 + 2 = 4; and ||x|_1 - 2| = 1 in the plane is two
   * nested squares, whose inner corners are reflex (270°) seen from the annulus {f ≤ 1}.
   */
  @Test
  void disconnectedLevelSets() {
    Nnft s = Nnft.session();
    s.eval("net two(x: R^3) { return abs(abs(x[0]) - 2) + abs(x[1]) + abs(x[2]) }\nlet T = polytope(two)\n"
        + "net ann(x: R^2) { W[4, 2] = [[1, 0], [-1, 0], [0, 1], [0, -1]]; return abs(sum(relu(W @ x)) - 2) }\nlet A = polytope(ann)");
    Poly t = poly(s, "T"), a = poly(s, "A");
    assertArrayEquals(new double[] {12, 24, 16}, fv(t));
    assertEquals(2, t.components);
    assertEquals(4, t.euler());
    assertFalse(t.convex);
    for (double[] v : t.vertices) assertEquals(1, Math.abs(Math.abs(v[0]) - 2) + Math.abs(v[1]) + Math.abs(v[2]), TOL);
    assertArrayEquals(new double[] {8, 8}, fv(a));
    assertEquals(2, a.components);
    int reflex = 0;
    for (double ang : a.angles()) if (Math.abs(ang - 270) < 1e-7) reflex++; else assertEquals(90, ang, 1e-7);
    assertEquals(4, reflex);
  }

  /** A polygon away from the origin is convex but has no polar dual. */
  @Test
  void offCentrePolygonDoesNotContainTheOrigin() {
    Nnft s = Nnft.session();
    s.eval("net h(x: R^2) { W[4, 2] = [[1, 0], [-1, 0], [0, 1], [0, -1]]; b[4] = [-2, 2, 0, 0]\n return sum(relu(W @ x + b)) }\nlet P = polytope(h)");
    Poly p = poly(s, "P");
    assertTrue(p.convex);
    assertFalse(p.containsOrigin);
    assertArrayEquals(new double[] {4, 4}, fv(p));
  }

  /** {x·x / 4 = 1}: the circle of radius 2, curvature 1/2; {x·x = 2.25} in R^3: the sphere of radius 1.5, mean curvature 2/3. */
  @Test
  void smoothLevelSetsOfQuadraticsAreCirclesAndSpheres() {
    Nnft s = Nnft.session();
    s.eval("net q(x: R^2) { return dot(x, x) / 4 }\nlet L = level_set(q, level = 1)\nnet q3(x: R^3) { return dot(x, x) }\nlet S = level_set(q3, level = 2.25, grid = 24)");
    LevelSets.Mesh l = (LevelSets.Mesh) s.value("L"), sp = (LevelSets.Mesh) s.value("S");
    for (int i = 0; i < l.v.length; i++) {
      assertEquals(2, Math.hypot(l.v[i][0], l.v[i][1]), 1e-12);
      assertEquals(0.5, l.kappa[i], 1e-6, "curvature from central differences of the exact gradient");
    }
    for (int i = 0; i < sp.v.length; i++) {
      assertEquals(1.5, Math.sqrt(sp.v[i][0] * sp.v[i][0] + sp.v[i][1] * sp.v[i][1] + sp.v[i][2] * sp.v[i][2]), 1e-12);
      assertEquals(2.0 / 3, sp.kappa[i], 1e-6);
    }
    assertTrue(l.cells.length > 100);
  }

  /** A linear net fitted to an affine target by L-BFGS and Adam recovers its coefficients (least squares has one minimum). */
  @Test
  void fitRecoversAnAffineTarget() {
    Nnft s = Nnft.session();
    s.eval("net lin(x: R^2) { w[2] ~ normal(0, 1); c ~ normal(0, 1)\n return dot(w, x) + c }\n"
        + "let A = fit(lin, target = 3 * x[0] - 2 * x[1] + 0.5, data = ball(2, count = 256), optimizer = lbfgs(steps = 100), seed = 2)\n"
        + "let B = fit(lin, target = 3 * x[0] - 2 * x[1] + 0.5, data = ball(2, count = 256), optimizer = adam(lr = 0.05, steps = 3000), seed = 2)");
    FittedV a = (FittedV) s.value("A"), b = (FittedV) s.value("B");
    assertArrayEquals(new double[] {3, -2, 0.5}, a.theta(), 1e-8);
    assertArrayEquals(new double[] {3, -2, 0.5}, b.theta(), 1e-4);
    assertTrue(a.losses()[a.losses().length - 1] < 1e-16);
  }

  /** The same seed gives the same bits, at one thread or two; another seed gives other parameters. */
  @Test
  void fitIsDeterministic() {
    String code = "net r(x: R^2) { W[6, 2] ~ normal(0, 1); b[6] ~ normal(0, 0.1); v[6] ~ normal(0, 1); c ~ normal(0, 0.1)\n return dot(v, relu(W @ x + b)) + c }\n"
        + "let F = fit(r, target = norm(x), data = ball(2, radius = 1.5, count = 512), optimizer = adam(lr = 0.01, steps = 300), seed = SEED)";
    double[][] th = new double[3][];
    for (int k = 0; k < 3; k++) {
      Nnft s = Nnft.session().setThreads(k == 1 ? 2 : 1);
      s.eval(code.replace("SEED", k == 2 ? "8" : "7"));
      th[k] = ((FittedV) s.value("F")).theta();
    }
    for (int i = 0; i < th[0].length; i++) assertEquals(Double.doubleToRawLongBits(th[0][i]), Double.doubleToRawLongBits(th[1][i]));
    assertFalse(java.util.Arrays.equals(th[0], th[2]));
  }

  /** Biases near -100 keep every unit off on the ball of radius 1 (|W x| ≤ 2 there with these weights): all 6 are dead. */
  @Test
  void deadUnitsAreCounted() {
    Nnft s = Nnft.session();
    s.eval("net r(x: R^2) { W[6, 2] ~ uniform(-1, 1); b[6] ~ normal(-100, 0.01); v[6] ~ normal(0, 1); c ~ normal(0, 0.1)\n return dot(v, relu(W @ x + b)) + c }\n"
        + "let F = fit(r, target = norm(x), data = ball(2, count = 128), optimizer = adam(lr = 0.001, steps = 10), seed = 1)\nlet d = F.dead_units");
    assertEquals(6, s.number("d"));
    Value v = s.value("F");
    assertEquals(6, ((FittedV) v).units());
  }

  /** The fitted net of LANGUAGE.md section 7, called at points, matches the polytope it draws: f = 1 at its vertices. */
  @Test
  void fittedNetIsAFunctionAndItsPolytopeIsOnTheLevel() {
    Nnft s = Nnft.session();
    s.eval("net r(x: R^2) { W[6, 2] ~ normal(0, 1); b[6] ~ normal(0, 0.1); v[6] ~ normal(0, 1); c ~ normal(0, 0.1)\n return dot(v, relu(W @ x + b)) + c }\n"
        + "let F = fit(r, target = norm(x), data = ball(2, radius = 1.5, count = 1024), optimizer = adam(lr = 0.01, steps = 1500), seed = 7)\nlet P = polytope(F)\nlet y = F(P.vertices)");
    Tensor y = (Tensor) s.value("y");
    for (double v : y.data) assertEquals(1, v, 1e-9);
    Poly p = poly(s, "P");
    assertTrue(p.hausdorff < 0.2, "a fit of |x| stays near the unit circle");
    assertTrue(!(s.value("y") instanceof Values.ListV));
    // the polar {y : v·y ≤ 1 for every vertex v} (also for a non-convex polygon, through its hull):
    // every dual vertex is feasible and tight for at least two vertices of P
    s.eval("let D = dual(P)");
    Poly d = poly(s, "D");
    for (double[] w : d.vertices) {
      int tight = 0;
      double most = Double.NEGATIVE_INFINITY;
      for (double[] v : p.vertices) {
        double t = v[0] * w[0] + v[1] * w[1];
        most = Math.max(most, t);
        if (Math.abs(t - 1) < 1e-9) tight++;
      }
      assertEquals(1, most, 1e-9);
      assertTrue(tight >= 2);
    }
  }
}
