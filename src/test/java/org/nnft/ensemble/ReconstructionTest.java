package org.nnft.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Reconstruction} against formulas derived by hand (one variable), exact contact/tree
 * vertices built by brute force on n points, and a numerically integrated two-site φ⁴ theory.
 */
class ReconstructionTest {

  // ---------------------------------------------------------------------------------------------
  // 1. one variable

  /** Tree-level local phi^4 in one dimension: G(x) = e^{-|x|}/2, G_c4 = -int dz prod G(x_i - z). */
  @Test
  void clusterTestCallsTreeLevelPhi4LocalAndTheCosNetNonLocal() {
    double[] pts = {-3, -2, -1, 0, 1, 2, 3};
    int n = pts.length;
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) g[i][j] = Math.exp(-Math.abs(pts[i] - pts[j])) / 2;
    double[] c4 = new double[n * n * n * n];
    double h = 1e-3;
    for (int a = 0, k = 0; a < n; a++) for (int b = 0; b < n; b++) for (int c = 0; c < n; c++) for (int d = 0; d < n; d++, k++) {
      double s = 0;
      for (double z = -25; z <= 25; z += h) {
        s += Math.exp(-Math.abs(pts[a] - z) - Math.abs(pts[b] - z) - Math.abs(pts[c] - z) - Math.abs(pts[d] - z)) / 16;
      }
      c4[k] = -s * h;
    }
    Reconstruction.Cluster local = Reconstruction.cluster(g, c4, null, pts);
    assertEquals("local", local.verdict(), local.toString());
    assertEquals(6, local.separation());
    // Cos-net (sigma0 = sigma1 = 1, N = 10) from SCIENCE.md on the same points
    double[] xs = {-1, -2.0 / 3, -1.0 / 3, 0, 1.0 / 3, 2.0 / 3, 1};
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) g[i][j] = Math.exp(-sq(xs[i] - xs[j]) / 2) / 2;
    for (int a = 0, k = 0; a < n; a++) for (int b = 0; b < n; b++) for (int c = 0; c < n; c++) for (int d = 0; d < n; d++, k++) {
      double x1 = xs[a], x2 = xs[b], x3 = xs[c], x4 = xs[d];
      c4[k] = (0.375 * (e(x1 + x2 - x3 - x4) + e(x1 - x2 + x3 - x4) + e(x1 - x2 - x3 + x4))
          - 0.25 * (e(x1 - x2) * e(x3 - x4) + e(x1 - x3) * e(x2 - x4) + e(x1 - x4) * e(x2 - x3))) / 10;
    }
    Reconstruction.Cluster cos = Reconstruction.cluster(g, c4, null, xs);
    assertEquals("non-local", cos.verdict(), cos.toString());
    // two pairs 2 apart: (3/4 + 3/8 e^-8 - 1/4 - 1/2 e^-4) / (3/8)
    assertEquals((0.5 + 0.375 * Math.exp(-8) - 0.5 * Math.exp(-4)) / 0.375, cos.r4(), 1e-12);
    // the same points narrowed to a fifth: too little separation to tell
    for (int i = 0; i < n; i++) xs[i] /= 5;
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) g[i][j] = Math.exp(-sq(xs[i] - xs[j]) / 2) / 2;
    assertTrue(Reconstruction.cluster(g, c4, null, xs).verdict().startsWith("undetermined"));
  }

  private static double sq(double v) { return v * v; }

  private static double e(double v) { return Math.exp(-v * v / 2); }

  @Test
  void oneVariableMatchesClosedForms() {
    double g = 1.7;
    double k4 = 0.3;
    double k6 = 0.2;
    var r = Reconstruction.of(new double[][] {{g}}, new double[] {k4}, null, new double[] {k6}, null, 6);
    double lambda = -k4 / Math.pow(g, 4);
    double delta = k4 / (2 * Math.pow(g, 3));
    assertEquals(1 / g, r.ginv()[0][0], 1e-15);
    assertEquals(lambda, r.quartic()[0], 1e-15);
    assertEquals(delta, r.shift()[0][0], 1e-15);
    assertEquals(1 / g + delta, r.quadratic()[0][0], 1e-15);
    assertEquals(-k4 / (8 * g * g), r.constant(), 1e-15);
    assertEquals(1.0, r.conditionNumber(), 1e-15);
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    assertNull(r.quarticErr());
    // first-order perturbation theory with S = ½Qφ² + λφ⁴/24, Q = 1/G + δ:
    // ⟨φ²⟩ = 1/Q − (λ/24)(⟨φ⁶⟩₀ − ⟨φ²⟩₀⟨φ⁴⟩₀) = 1/Q − (λ/24)(15 − 3)G³ ≈ G − δG² − λG³/2 = G
    double phi2 = g - r.shift()[0][0] * g * g - r.quartic()[0] * g * g * g / 2;
    assertEquals(g, phi2, 1e-12);
    // SCIENCE.md: g6 = −(κ6 − 10 κ4²/G)/G⁶
    assertEquals(-(k6 - 10 * k4 * k4 / g) / Math.pow(g, 6), r.sextic()[0], 1e-14);
  }

  @Test
  void orderFourHasNoSextic() {
    var r = Reconstruction.of(new double[][] {{2}}, new double[] {0.1}, null, null, null, 4);
    assertNull(r.sextic());
  }

  // ---------------------------------------------------------------------------------------------
  // 2. exact contact vertices on n points

  @Test
  void contactQuarticVertexIsRecoveredOnTheDiagonal() {
    int n = 3;
    double lambda0 = 0.02;
    double[][] g = randomSpd(n, new Random(11));
    double[] c4 = contact(g, 4, -lambda0);
    double[] err = new double[c4.length];
    var r = Reconstruction.of(g, c4, err, null, null, 4);
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < n; c++) {
          for (int d = 0; d < n; d++) {
            double expect = (a == b && b == c && c == d) ? lambda0 : 0;
            assertEquals(expect, r.quartic()[idx(n, a, b, c, d)], 1e-11, "λ at " + a + b + c + d);
          }
        }
      }
    }
    // tadpole: a local (λ0/4!)φ_x⁴ shifts the quadratic vertex by −(λ0/2) G_xx δ_xy relative to G⁻¹,
    // the constant is (λ0/8) Σ_x G_xx², and Q G = 1 + O(λ0)
    double constant = 0;
    for (int x = 0; x < n; x++) {
      constant += lambda0 / 8 * g[x][x] * g[x][x];
      for (int y = 0; y < n; y++) {
        double expect = x == y ? -lambda0 / 2 * g[x][x] : 0;
        assertEquals(expect, r.shift()[x][y], 1e-11);
        assertEquals(r.ginv()[x][y] + r.shift()[x][y], r.quadratic()[x][y], 1e-14);
      }
    }
    assertEquals(constant, r.constant(), 1e-11);
    assertArrayEquals(new double[c4.length], r.quarticErr(), 0);
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
  }

  @Test
  void treeLevelSixPointIsExplainedByExchangeAndContact() {
    int n = 3;
    double lambda0 = 0.4;
    double g0 = 0.9;
    double[][] g = randomSpd(n, new Random(5));
    double[] c4 = contact(g, 4, -lambda0);
    // tree-level G_c6 of S = ½φG⁻¹φ + (λ0/4!)Σφ⁴ + (g0/6!)Σφ⁶:
    //   −g0 Σ_x Π G_x· + λ0² Σ_{10 splits} Σ_xy G_xp G_xq G_xr G_xy G_ys G_yt G_yu
    // the 10 splits are enumerated here as all 720 leg orders divided by 3!·3!·2 = 72.
    double[] c6 = contact(g, 6, -g0);
    double[] onlyExchange = new double[c6.length];
    List<int[]> perms = permutations(6);
    int[] d = new int[6];
    for (int i = 0; i < c6.length; i++) {
      digits(i, n, d);
      double sum = 0;
      for (int[] p : perms) {
        for (int x = 0; x < n; x++) {
          double left = g[x][d[p[0]]] * g[x][d[p[1]]] * g[x][d[p[2]]];
          for (int y = 0; y < n; y++) {
            sum += left * g[x][y] * g[y][d[p[3]]] * g[y][d[p[4]]] * g[y][d[p[5]]];
          }
        }
      }
      double ex = lambda0 * lambda0 * sum / 72;
      onlyExchange[i] = ex;
      c6[i] += ex;
    }
    var r = Reconstruction.of(g, c4, null, c6, null, 6);
    var pure = Reconstruction.of(g, c4, null, onlyExchange, null, 6);
    for (int i = 0; i < c6.length; i++) {
      digits(i, n, d);
      boolean diag = d[0] == d[1] && d[1] == d[2] && d[2] == d[3] && d[3] == d[4] && d[4] == d[5];
      assertEquals(diag ? g0 : 0, r.sextic()[i], 1e-9, "g6 at " + i);
      assertEquals(0, pure.sextic()[i], 1e-9, "pure exchange leaves no sextic at " + i);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. symmetry, warnings, errors

  @Test
  void outputsAreSymmetricUnderIndexPermutations() {
    int n = 3;
    Random rnd = new Random(3);
    double[][] g = randomSpd(n, rnd);
    double[] c4 = bruteSymmetrise(randomTensor(n, 4, rnd), n, 4);
    double[] c6 = bruteSymmetrise(randomTensor(n, 6, rnd), n, 6);
    double[] err = bruteSymmetrise(absRandomTensor(n, 4, rnd), n, 4);
    var r = Reconstruction.of(g, c4, err, c6, null, 6);
    assertTrue(r.warnings().stream().noneMatch(w -> w.contains("symmetric")), r.warnings().toString());
    assertSymmetric(r.quartic(), n, 4, 1e-12);
    assertSymmetric(r.quarticErr(), n, 4, 1e-12);
    assertSymmetric(r.sextic(), n, 6, 1e-11);
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        assertEquals(r.shift()[a][b], r.shift()[b][a], 1e-14);
        assertEquals(r.quadratic()[a][b], r.quadratic()[b][a], 1e-14);
        assertEquals(r.ginv()[a][b], r.ginv()[b][a], 0);
      }
    }
  }

  @Test
  void asymmetricFourPointIsSymmetrisedWithAWarning() {
    int n = 2;
    Random rnd = new Random(9);
    double[][] g = randomSpd(n, rnd);
    double[] c4 = randomTensor(n, 4, rnd);
    var r = Reconstruction.of(g, c4, null, null, null, 4);
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not fully symmetric")));
    var s = Reconstruction.of(g, bruteSymmetrise(c4, n, 4), null, null, null, 4);
    assertArrayEquals(s.quartic(), r.quartic(), 1e-12);
    assertEquals(s.constant(), r.constant(), 1e-12);
  }

  @Test
  void illConditionedGWarns() {
    double[] x = {0, 1e-5, 1};
    double[][] g = new double[3][3];
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        g[a][b] = Math.exp(-(x[a] - x[b]) * (x[a] - x[b]) / 2);
      }
    }
    var r = Reconstruction.of(g, contact(g, 4, -0.1), null, null, null, 4);
    assertTrue(r.conditionNumber() > 1e8, "cond = " + r.conditionNumber());
    assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("G is ill-conditioned (cond = ")),
        r.warnings().toString());
    // a well-separated set is fine
    double[][] ok = {{1, 0.2}, {0.2, 1}};
    var q = Reconstruction.of(ok, contact(ok, 4, -0.1), null, null, null, 4);
    assertEquals(1.2 / 0.8, q.conditionNumber(), 1e-12);
    assertTrue(q.warnings().isEmpty(), q.warnings().toString());
  }

  @Test
  void singularOrIndefiniteGAndBadInput() {
    double[][] singular = {{1, 1}, {1, 1}};
    assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.of(singular, new double[16], null, null, null, 4));
    double[][] indefinite = {{1, 2}, {2, 1}};
    var r = Reconstruction.of(indefinite, new double[16], null, null, null, 4);
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not positive definite")));
    double[][] g = {{1}};
    assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.of(g, new double[] {0.1}, null, null, null, 6)); // order 6 without c6
    assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.of(g, new double[] {0.1}, null, null, null, 5));
    assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.of(g, new double[2], null, null, null, 4));
    assertThrows(IllegalArgumentException.class,
        () -> Reconstruction.of(g, new double[] {Double.NaN}, null, null, null, 4));
  }

  @Test
  void errorsPropagateLinearly() {
    int n = 3;
    Random rnd = new Random(21);
    double[][] g = randomSpd(n, rnd);
    double[] c4 = bruteSymmetrise(randomTensor(n, 4, rnd), n, 4);
    double[] err = bruteSymmetrise(absRandomTensor(n, 4, rnd), n, 4);
    double[] err2 = err.clone();
    for (int i = 0; i < err2.length; i++) {
      err2[i] *= 2;
    }
    var r1 = Reconstruction.of(g, c4, err, null, null, 4);
    var r2 = Reconstruction.of(g, c4, err2, null, null, 4);
    for (int i = 0; i < err.length; i++) {
      assertEquals(2 * r1.quarticErr()[i], r2.quarticErr()[i], 1e-12 * Math.abs(r2.quarticErr()[i]));
    }
    // the bound Σ |∂λ/∂c4| err, checked at one entry by brute force, and it dominates the actual change
    // of λ when c4 moves by ±err
    double[][] gi = r1.ginv();
    int a = 0, b = 1, c = 1, d = 2;
    double bound = 0;
    double[] moved = c4.clone();
    for (int e = 0; e < n; e++) {
      for (int f = 0; f < n; f++) {
        for (int h = 0; h < n; h++) {
          for (int k = 0; k < n; k++) {
            double coef = gi[e][a] * gi[f][b] * gi[h][c] * gi[k][d];
            bound += Math.abs(coef) * err[idx(n, e, f, h, k)];
          }
        }
      }
    }
    assertEquals(bound, r1.quarticErr()[idx(n, a, b, c, d)], 1e-12 * bound);
    for (int i = 0; i < moved.length; i++) {
      moved[i] += (rnd.nextBoolean() ? 1 : -1) * err[i];
    }
    var rm = Reconstruction.of(g, moved, null, null, null, 4);
    for (int i = 0; i < c4.length; i++) {
      assertTrue(Math.abs(rm.quartic()[i] - r1.quartic()[i]) <= r1.quarticErr()[i] * (1 + 1e-12));
    }
    // one variable: err(λ) = err(κ4)/G⁴
    var one = Reconstruction.of(new double[][] {{2}}, new double[] {0.1}, new double[] {0.01},
        null, null, 4);
    assertEquals(0.01 / 16, one.quarticErr()[0], 1e-16);
  }

  // ---------------------------------------------------------------------------------------------
  // numerically integrated two-site φ⁴ theory: errors are second order in the coupling

  @Test
  void twoSitePhi4IsRecoveredToSecondOrder() {
    double[][] k = {{1.2, -0.3}, {-0.3, 0.9}};
    // the error ratios for λ0 → λ0/2 approach 4 (second order) and 8 for the sextic (third order):
    // measured 3.45, 3.67, 3.82, 3.90 and 5.66, 6.49, 7.12, 7.52 for λ0 = 0.08 → 0.005
    double[] e1 = twoSiteErrors(k, 0.01);
    double[] e2 = twoSiteErrors(k, 0.005);
    // e = {quartic error, quadratic error, log-normalisation error, sextic size}
    for (int i = 0; i < 3; i++) {
      double ratio = e1[i] / e2[i];
      assertTrue(ratio > 3.6 && ratio < 4.4, "second order: component " + i + " ratio " + ratio);
      assertTrue(e1[i] < 0.05 * 0.01, "small: component " + i + " = " + e1[i]);
    }
    double ratio6 = e1[3] / e2[3];
    assertTrue(ratio6 > 7 && ratio6 < 9, "sextic is third order: ratio " + ratio6);
  }

  /** {max|λ_rec − λ0 δ|, max|Q − K|, |log Z − (½ log det 2πG + constant)|, max|g6|}. */
  private static double[] twoSiteErrors(double[][] k, double lambda0) {
    double h = 0.04;
    int m = 300; // grid −12..12
    double[][] mom = new double[7][7];
    double z = 0;
    for (int i = -m; i <= m; i++) {
      double x = i * h;
      for (int j = -m; j <= m; j++) {
        double y = j * h;
        double s = 0.5 * (k[0][0] * x * x + 2 * k[0][1] * x * y + k[1][1] * y * y)
            + lambda0 / 24 * (x * x * x * x + y * y * y * y);
        double w = Math.exp(-s);
        z += w;
        double px = 1;
        for (int p = 0; p <= 6; p++) {
          double py = px;
          for (int q = 0; p + q <= 6; q++) {
            mom[p][q] += w * py;
            py *= y;
          }
          px *= x;
        }
      }
    }
    for (double[] row : mom) {
      for (int q = 0; q < row.length; q++) {
        row[q] /= z;
      }
    }
    double logZ = Math.log(z * h * h);
    int n = 2;
    double[][] g = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        g[a][b] = moment(mom, a, b);
      }
    }
    double[] c4 = new double[16];
    int[] d = new int[6];
    for (int i = 0; i < 16; i++) {
      digits4(i, n, d);
      c4[i] = moment(mom, d[0], d[1], d[2], d[3])
          - moment(mom, d[0], d[1]) * moment(mom, d[2], d[3])
          - moment(mom, d[0], d[2]) * moment(mom, d[1], d[3])
          - moment(mom, d[0], d[3]) * moment(mom, d[1], d[2]);
    }
    double[] c6 = new double[64];
    List<int[][]> pairings = pairings6();
    for (int i = 0; i < 64; i++) {
      digits(i, n, d);
      double v = moment(mom, d);
      for (int p = 0; p < 6; p++) {
        for (int q = p + 1; q < 6; q++) {
          int[] rest = new int[4];
          for (int l = 0, r = 0; l < 6; l++) {
            if (l != p && l != q) {
              rest[r++] = d[l];
            }
          }
          v -= moment(mom, d[p], d[q]) * moment(mom, rest);
        }
      }
      for (int[][] pr : pairings) {
        v += 2 * moment(mom, d[pr[0][0]], d[pr[0][1]]) * moment(mom, d[pr[1][0]], d[pr[1][1]])
            * moment(mom, d[pr[2][0]], d[pr[2][1]]);
      }
      c6[i] = v;
    }
    var r = Reconstruction.of(g, c4, null, c6, null, 6);
    double eq = 0;
    for (int i = 0; i < 16; i++) {
      digits4(i, n, d);
      double expect = (d[0] == d[1] && d[1] == d[2] && d[2] == d[3]) ? lambda0 : 0;
      eq = Math.max(eq, Math.abs(r.quartic()[i] - expect));
    }
    double e2 = 0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        e2 = Math.max(e2, Math.abs(r.quadratic()[a][b] - k[a][b]));
      }
    }
    double det = g[0][0] * g[1][1] - g[0][1] * g[1][0];
    double ez = Math.abs(logZ - (0.5 * Math.log(4 * Math.PI * Math.PI * det) + r.constant()));
    double e6 = 0;
    for (double v : r.sextic()) {
      e6 = Math.max(e6, Math.abs(v));
    }
    return new double[] {eq, e2, ez, e6};
  }

  private static double moment(double[][] mom, int... idx) {
    int ones = 0;
    for (int i : idx) {
      ones += i;
    }
    return mom[idx.length - ones][ones];
  }

  private static List<int[][]> pairings6() {
    List<int[][]> out = new ArrayList<>();
    for (int[] p : permutations(6)) {
      if (p[0] < p[1] && p[2] < p[3] && p[4] < p[5] && p[0] < p[2] && p[2] < p[4]) {
        out.add(new int[][] {{p[0], p[1]}, {p[2], p[3]}, {p[4], p[5]}});
      }
    }
    assertEquals(15, out.size());
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // 4. locality

  @Test
  void localityBinsAndVerdicts() {
    double[] x = {0, 1, 2};
    int n = 3;
    double[] contactVertex = new double[81];
    double[] constant = new double[81];
    double[] decaying = new double[81];
    int[] d = new int[6];
    for (int i = 0; i < 81; i++) {
      digits4(i, n, d);
      double spread = Math.max(Math.max(x[d[0]], x[d[1]]), Math.max(x[d[2]], x[d[3]]))
          - Math.min(Math.min(x[d[0]], x[d[1]]), Math.min(x[d[2]], x[d[3]]));
      contactVertex[i] = (d[0] == d[1] && d[1] == d[2] && d[2] == d[3]) ? 0.5 : 0;
      constant[i] = -0.3;
      decaying[i] = Math.exp(-spread / 0.5);
    }
    var loc = Reconstruction.locality(contactVertex, x);
    assertArrayEquals(new double[] {0, 1, 2}, loc.spread(), 1e-12);
    // spread 2: tuples containing both 0 and 2: 81 − 2·16 + 1 = 50; spread 0: 3; spread 1: 28
    assertArrayEquals(new int[] {3, 28, 50}, loc.count());
    assertArrayEquals(new double[] {0.5, 0, 0}, loc.meanAbs(), 1e-15);
    assertEquals("local", Reconstruction.localityVerdict(loc));
    assertEquals("non-local", Reconstruction.localityVerdict(constant, x));
    assertEquals(1.0, Reconstruction.locality(constant, x).farToNearRatio(), 1e-15);
    assertEquals("local", Reconstruction.localityVerdict(decaying, x)); // e^{-4} ≈ 1.8%
    for (int i = 0; i < 81; i++) {
      decaying[i] = Math.pow(decaying[i], 0.5); // e^{-2} ≈ 13.5%
    }
    assertEquals("non-local", Reconstruction.localityVerdict(decaying, x));
    assertEquals("local", Reconstruction.localityVerdict(new double[81], x));
    // binned: zero-spread bin plus two equal-width bins over (0, 2]
    var binned = Reconstruction.locality(contactVertex, x, 2);
    assertArrayEquals(new int[] {3, 28, 50}, binned.count());
    var one = Reconstruction.locality(contactVertex, x, 1);
    assertArrayEquals(new int[] {3, 78}, one.count());
    assertEquals((28 * 1 + 50 * 2) / 78.0, one.spread()[1], 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Reconstruction.locality(new double[16], x));
  }

  @Test
  void reconstructedContactVertexIsLocalOnALine() {
    double[] x = {0, 0.5, 1, 1.5, 2};
    int n = x.length;
    double[][] g = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        g[a][b] = Math.exp(-Math.abs(x[a] - x[b])); // Ornstein-Uhlenbeck kernel
      }
    }
    var r = Reconstruction.of(g, contact(g, 4, -0.2), null, null, null, 4);
    var loc = Reconstruction.locality(r.quartic(), x);
    assertEquals(5, loc.spread().length);
    assertEquals(0.2, loc.meanAbs()[0], 1e-10);
    assertEquals("local", Reconstruction.localityVerdict(loc));
    assertNull(r.quarticErr());
  }

  // ---------------------------------------------------------------------------------------------
  // helpers (independent of the code under test)

  private static int idx(int n, int a, int b, int c, int d) {
    return ((a * n + b) * n + c) * n + d;
  }

  private static void digits(int i, int n, int[] d) {
    for (int l = 5; l >= 0; l--) {
      d[l] = i % n;
      i /= n;
    }
  }

  private static void digits4(int i, int n, int[] d) {
    for (int l = 3; l >= 0; l--) {
      d[l] = i % n;
      i /= n;
    }
  }

  private static int[] digitsOf(int i, int n, int rank) {
    int[] d = new int[rank];
    for (int l = rank - 1; l >= 0; l--) {
      d[l] = i % n;
      i /= n;
    }
    return d;
  }

  private static int flat(int[] d, int n) {
    int i = 0;
    for (int v : d) {
      i = i * n + v;
    }
    return i;
  }

  /** coef · Σ_x Π_legs G_{x, i_leg}: an exact local vertex with external propagators. */
  private static double[] contact(double[][] g, int rank, double coef) {
    int n = g.length;
    int size = (int) Math.pow(n, rank);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      int[] d = digitsOf(i, n, rank);
      double sum = 0;
      for (int x = 0; x < n; x++) {
        double p = 1;
        for (int v : d) {
          p *= g[x][v];
        }
        sum += p;
      }
      out[i] = coef * sum;
    }
    return out;
  }

  private static double[][] randomSpd(int n, Random rnd) {
    double[][] a = new double[n][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextGaussian();
      }
    }
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? 0.5 : 0;
        for (int k = 0; k < n; k++) {
          s += a[i][k] * a[j][k];
        }
        g[i][j] = s;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        g[i][j] = g[j][i];
      }
    }
    return g;
  }

  private static double[] randomTensor(int n, int rank, Random rnd) {
    double[] t = new double[(int) Math.pow(n, rank)];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextGaussian();
    }
    return t;
  }

  private static double[] absRandomTensor(int n, int rank, Random rnd) {
    double[] t = randomTensor(n, rank, rnd);
    for (int i = 0; i < t.length; i++) {
      t[i] = Math.abs(t[i]);
    }
    return t;
  }

  private static List<int[]> permutations(int r) {
    List<int[]> out = new ArrayList<>();
    permute(new int[r], new boolean[r], 0, out);
    return out;
  }

  private static void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
    if (pos == cur.length) {
      out.add(cur.clone());
      return;
    }
    for (int v = 0; v < cur.length; v++) {
      if (!used[v]) {
        used[v] = true;
        cur[pos] = v;
        permute(cur, used, pos + 1, out);
        used[v] = false;
      }
    }
  }

  private static double[] bruteSymmetrise(double[] t, int n, int rank) {
    List<int[]> perms = permutations(rank);
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      int[] d = digitsOf(i, n, rank);
      int[] pd = new int[rank];
      double s = 0;
      for (int[] p : perms) {
        for (int l = 0; l < rank; l++) {
          pd[l] = d[p[l]];
        }
        s += t[flat(pd, n)];
      }
      out[i] = s / perms.size();
    }
    return out;
  }

  private static void assertSymmetric(double[] t, int n, int rank, double tol) {
    double scale = 0;
    for (double v : t) {
      scale = Math.max(scale, Math.abs(v));
    }
    List<int[]> perms = permutations(rank);
    int[] pd = new int[rank];
    for (int i = 0; i < t.length; i++) {
      int[] d = digitsOf(i, n, rank);
      for (int[] p : perms) {
        for (int l = 0; l < rank; l++) {
          pd[l] = d[p[l]];
        }
        assertEquals(t[i], t[flat(pd, n)], tol * scale);
      }
    }
  }
}
