package org.nnft.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Numeric core of {@code reconstruct(E, points, order)}: the Edgeworth reconstruction of an action from
 * the connected correlators of an ensemble, evaluated on a discrete point set x_1..x_n (so every integral
 * of SCIENCE.md "Actions from connected correlators (Edgeworth)" becomes a sum over the points, and
 * G⁻¹ is the matrix inverse of G_ab = G(x_a, x_b)).
 *
 * <h2>Conventions</h2>
 * Indices a, b, ... run over the points; tensors of rank r are flattened row-major,
 * T(i_1..i_r) = t[((i_1·n + i_2)·n + ...)·n + i_r]. The reconstructed action is
 * <pre>
 *   S[φ] = constant + ½ Σ_ab Q_ab φ_a φ_b + (1/4!) Σ_abcd λ_abcd φ_a φ_b φ_c φ_d
 *                                         [+ (1/6!) Σ_abcdef g6_abcdef φ_a ... φ_f   at order 6]
 * </pre>
 * normalised so that the field density is P[φ] = exp(−S[φ]) / sqrt(det(2πG)), i.e. the constant is the
 * correction to the Gaussian normalisation (−log P[0] = ½ log det(2πG) + constant). The couplings are
 * <ul>
 *   <li>λ_abcd = −Σ_efgh G_c4(e,f,g,h) G⁻¹_ea G⁻¹_fb G⁻¹_gc G⁻¹_hd  (−G_c4 amputated on every leg);</li>
 *   <li>Q = G⁻¹ + shift, shift_cd = ½ Σ_abef G_c4(a,b,e,f) G⁻¹_ab G⁻¹_ec G⁻¹_fd.
 *       Derivation: SCIENCE.md's quadratic term is (1/4) Σ G_c4(a,b,e,f) G⁻¹_ab [G⁻¹φ]_e [G⁻¹φ]_f
 *       = (1/4) Σ_cd φ_c φ_d Σ_abef G_c4(a,b,e,f) G⁻¹_ab G⁻¹_ec G⁻¹_fd, and writing it as
 *       ½ Σ_cd shift_cd φ_c φ_d gives the factor ½ (one variable: δ = κ4/(2G³));</li>
 *   <li>constant = −(1/8) Σ_abcd G_c4(a,b,c,d) G⁻¹_ab G⁻¹_cd (one variable: −κ4/(8G²));</li>
 *   <li>order 6 only: g6 = −amp[G_c6 − X], amputated by G⁻¹ on all six external legs, with the exchange
 *       term X(i1..i6) = Σ over the 10 ways to split {i1..i6} into two unordered triples {p,q,r}|{s,t,u}
 *       of Σ_ef G_c4(p,q,r,e) G⁻¹_ef G_c4(f,s,t,u). Derivation: at tree level an action with quartic λ and
 *       sextic g6 has G_c6 = [−g6 + Σ_10 λ_pqre G_ef λ_fstu] with every external leg dressed by G; the two
 *       quartic vertices are joined by one propagator G and there are C(6,3)/2 = 10 ways to choose which
 *       three external legs sit on the first vertex. Substituting λ = −amp(G_c4) turns the internal
 *       G⁻¹·G·G⁻¹ into one G⁻¹ between un-amputated G_c4's, hence "internal lines are G⁻¹". In one
 *       variable X = 10 κ4²/G and g6 = −(κ6 − 10 κ4²/G)/G⁶, as in SCIENCE.md.</li>
 * </ul>
 * Everything is first order in the cumulants (O(G_c4²), O(G_c6) corrections to Q, λ and the constant are
 * not included); order 6 adds only the leading sextic vertex. G is taken as exact (its statistical error
 * is not propagated).
 *
 * <h2>Errors</h2>
 * λ is linear in G_c4, so its error is propagated linearly (first order) as the conservative bound
 * err(λ_abcd) = Σ_efgh err(G_c4(e,f,g,h)) |G⁻¹_ea| |G⁻¹_fb| |G⁻¹_gc| |G⁻¹_hd|, valid whatever the
 * correlations between the c4 entries are (the permuted copies of one entry are the same estimate, so they
 * are fully correlated; the bound is exact for them). It scales linearly with c4err.
 */
public final class Reconstruction {

  /** Condition number of G above which a warning is issued. */
  public static final double ILL_CONDITIONED = 1e8;

  /** Far-to-near ratio of mean |λ| below which a vertex is "local" ({@link #localityVerdict}). */
  public static final double LOCALITY_THRESHOLD = 0.05;

  private Reconstruction() {}

  /**
   * The reconstructed action (see the class javadoc for the conventions).
   *
   * @param quadratic the quadratic vertex Q = G⁻¹ + shift (n×n)
   * @param ginv G⁻¹ (n×n)
   * @param shift the first-order quadratic shift alone (n×n)
   * @param quartic λ_abcd = −G_c4 amputated by G⁻¹ on every leg (n⁴, row-major)
   * @param quarticErr its error, propagated linearly from c4err (n⁴), or null when c4err is null
   * @param sextic at order 6, g6 = −amp(G_c6 − exchange) (n⁶), else null
   * @param constant the field-independent term −(1/8) Σ G_c4(a,b,c,d) G⁻¹_ab G⁻¹_cd
   * @param conditionNumber the 2-norm condition number of G
   * @param warnings human-readable warnings (ill-conditioned G, non-positive G, asymmetric input, ...)
   */
  public record Result(
      double[][] quadratic,
      double[][] ginv,
      double[][] shift,
      double[] quartic,
      double[] quarticErr,
      double[] sextic,
      double constant,
      double conditionNumber,
      List<String> warnings) {}

  /**
   * Reconstructs the action from the 2-, 4- (and at order 6 the 6-) point connected correlators on n points.
   *
   * @param G the two-point function G_ab (n×n, symmetric; it is symmetrised)
   * @param c4 the connected four-point function, n⁴ entries row-major, fully symmetric (it is
   *     symmetrised, with a warning, if it is not)
   * @param c4err standard errors of c4 (n⁴) or null
   * @param c6 the connected six-point function (n⁶) — required at order 6, ignored at order 4
   * @param c6err standard errors of c6 (n⁶) or null; shape-checked only (the result has no sextic error)
   * @param order 4 or 6
   * @throws IllegalArgumentException on bad shapes, non-finite input, a singular G, or order 6 without c6
   */
  public static Result of(
      double[][] G, double[] c4, double[] c4err, double[] c6, double[] c6err, int order) {
    if (order != 4 && order != 6) {
      throw new IllegalArgumentException("reconstruct: order must be 4 or 6, got " + order);
    }
    if (G == null || G.length == 0) {
      throw new IllegalArgumentException("reconstruct: the two-point function G is empty");
    }
    int n = G.length;
    for (double[] row : G) {
      if (row == null || row.length != n) {
        throw new IllegalArgumentException("reconstruct: G must be square (" + n + "×" + n + ")");
      }
      requireFinite(row, "G");
    }
    int n4 = pow(n, 4);
    requireShape(c4, n4, "c4", n, 4, false);
    requireShape(c4err, n4, "c4err", n, 4, true);
    if (order == 6) {
      if (c6 == null) {
        throw new IllegalArgumentException("reconstruct: order 6 needs the connected six-point function");
      }
      requireShape(c6, pow(n, 6), "c6", n, 6, false);
      requireShape(c6err, pow(n, 6), "c6err", n, 6, true);
    }
    List<String> warnings = new ArrayList<>();

    // ---- G: symmetrise, condition number, positivity, inverse ----
    double gScale = 0;
    double asym = 0;
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        gScale = Math.max(gScale, Math.abs(G[a][b]));
        asym = Math.max(asym, Math.abs(G[a][b] - G[b][a]));
      }
    }
    if (asym > 1e-10 * gScale) {
      warnings.add(String.format(Locale.ROOT,
          "G is not symmetric (max |G_ab − G_ba| = %.3g); its symmetric part was used", asym));
    }
    DMatrixRMaj g = new DMatrixRMaj(n, n);
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        g.set(a, b, 0.5 * (G[a][b] + G[b][a]));
      }
    }
    double[] sv = SingularOps_DDRM.singularValues(g.copy());
    double smax = 0;
    double smin = Double.POSITIVE_INFINITY;
    for (double s : sv) {
      smax = Math.max(smax, s);
      smin = Math.min(smin, s);
    }
    double cond = smax / smin;
    if (!(smax > 0) || !Double.isFinite(cond) || cond > 1 / Math.ulp(1.0)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "reconstruct: G is singular (cond = %.3g); the points are not independent — remove"
              + " coincident points", cond));
    }
    if (cond > ILL_CONDITIONED) {
      warnings.add(String.format(Locale.ROOT,
          "G is ill-conditioned (cond = %.3g): G⁻¹ amplifies the statistical noise of the"
              + " correlators by up to that factor on every amputated leg; use fewer or more widely"
              + " spaced points", cond));
    }
    double minEig = minEigenvalue(g);
    if (!(minEig > 0)) {
      warnings.add(String.format(Locale.ROOT,
          "G is not positive definite (smallest eigenvalue %.3g): it is not a covariance, and the"
              + " reconstructed quadratic form is not a Gaussian", minEig));
    }
    DMatrixRMaj gi = new DMatrixRMaj(n, n);
    if (!CommonOps_DDRM.invert(g.copy(), gi)) {
      throw new IllegalArgumentException("reconstruct: G could not be inverted");
    }
    double[][] ginv = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        ginv[a][b] = 0.5 * (gi.get(a, b) + gi.get(b, a));
      }
    }

    // ---- c4: symmetry ----
    double[] c4s = symmetric(c4, n, 4, "four", warnings);
    double kurt = 0;
    for (int a = 0; a < n; a++) {
      double gaa = g.get(a, a);
      if (gaa > 0) {
        kurt = Math.max(kurt, Math.abs(c4s[((a * n + a) * n + a) * n + a]) / (gaa * gaa));
      }
    }
    if (kurt > 1) {
      warnings.add(String.format(Locale.ROOT,
          "the excess kurtosis G_c4(x,x,x,x)/G(x,x)² reaches %.3g: the first-order (Edgeworth)"
              + " reconstruction is not controlled", kurt));
    }

    // ---- quartic ----
    double[] amp4 = ReconstructTensors.amputate(c4s, n, 4, ginv);
    double[] quartic = new double[n4];
    for (int i = 0; i < n4; i++) {
      quartic[i] = -amp4[i];
    }
    double[] quarticErr = null;
    if (c4err != null) {
      double[][] absInv = new double[n][n];
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          absInv[a][b] = Math.abs(ginv[a][b]);
        }
      }
      quarticErr = ReconstructTensors.amputate(c4err, n, 4, absInv);
    }

    // ---- shift and constant: P_ef = Σ_ab G_c4(a,b,e,f) G⁻¹_ab ----
    int n2 = n * n;
    double[][] p = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        double w = ginv[a][b];
        if (w == 0) {
          continue;
        }
        int base = (a * n + b) * n2;
        for (int e = 0; e < n; e++) {
          double[] pe = p[e];
          int off = base + e * n;
          for (int f = 0; f < n; f++) {
            pe[f] += w * c4s[off + f];
          }
        }
      }
    }
    double constant = 0;
    for (int e = 0; e < n; e++) {
      for (int f = 0; f < n; f++) {
        constant += p[e][f] * ginv[e][f];
      }
    }
    constant *= -0.125;
    double[][] gpg = ReconstructTensors.sandwich(ginv, p); // G⁻¹ P G⁻¹
    double[][] shift = new double[n][n];
    double[][] quadratic = new double[n][n];
    for (int c = 0; c < n; c++) {
      for (int d = 0; d < n; d++) {
        shift[c][d] = 0.25 * (gpg[c][d] + gpg[d][c]); // ½ × (symmetric part of G⁻¹ P G⁻¹)
      }
    }
    for (int c = 0; c < n; c++) {
      for (int d = 0; d < n; d++) {
        quadratic[c][d] = ginv[c][d] + shift[c][d];
      }
    }
    double shiftNorm = ReconstructTensors.spectralNorm(shift);
    double ginvNorm = 1 / smin;
    if (shiftNorm > 0.5 * ginvNorm) {
      warnings.add(String.format(Locale.ROOT,
          "the first-order quadratic shift is comparable to G⁻¹ (‖shift‖/‖G⁻¹‖ = %.3g): the"
              + " expansion in the connected four-point function is not controlled",
          shiftNorm / ginvNorm));
    }

    // ---- sextic ----
    double[] sextic = null;
    if (order == 6) {
      double[] c6s = symmetric(c6, n, 6, "six", warnings);
      double[] amp6 = ReconstructTensors.amputate(c6s, n, 6, ginv);
      double[] exchange = ReconstructTensors.exchange(amp4, n, g);
      sextic = new double[amp6.length];
      for (int i = 0; i < sextic.length; i++) {
        sextic[i] = exchange[i] - amp6[i];
      }
    }
    return new Result(quadratic, ginv, shift, quartic, quarticErr, sextic, constant, cond,
        List.copyOf(warnings));
  }

  // ------------------------------------------------------------------------------------------------
  // Locality of the quartic vertex on a 1-d point set

  /**
   * The quartic vertex binned by the spread of its four points.
   *
   * @param spread the representative spread max(x) − min(x) of each bin (ascending)
   * @param meanAbs the mean |λ_abcd| over the index tuples (a,b,c,d) in the bin
   * @param count the number of index tuples in the bin
   */
  public record Locality(double[] spread, double[] meanAbs, int[] count) {
    /** mean|λ| in the largest-spread bin divided by mean|λ| in the smallest-spread bin. */
    public double farToNearRatio() {
      int last = meanAbs.length - 1;
      if (meanAbs[0] == 0) {
        return meanAbs[last] == 0 ? 0 : Double.POSITIVE_INFINITY;
      }
      return meanAbs[last] / meanAbs[0];
    }
  }

  /**
   * Mean |λ_abcd| grouped by the distinct values of the spread s = max(x_a,x_b,x_c,x_d) −
   * min(x_a,x_b,x_c,x_d) (values closer than 10⁻⁹ of the point range are merged). The first bin is
   * spread 0 (the diagonal a=b=c=d) when the points are distinct.
   *
   * @param quartic λ (n⁴, row-major) with n = points.length
   * @param points the 1-d positions x_1..x_n
   */
  public static Locality locality(double[] quartic, double[] points) {
    return locality(quartic, points, 0);
  }

  /**
   * As {@link #locality(double[], double[])}, but with {@code nbins > 0} the spreads are binned: the first
   * bin holds exactly-zero spread (within 10⁻⁹ of the range), the others split (0, max spread] into
   * nbins equal-width intervals; the representative spread of a bin is the mean spread of its tuples.
   * Empty bins are dropped. {@code nbins = 0} groups by distinct spreads.
   */
  public static Locality locality(double[] quartic, double[] points, int nbins) {
    if (points == null || points.length == 0) {
      throw new IllegalArgumentException("locality: no points");
    }
    int n = points.length;
    if (quartic == null || quartic.length != pow(n, 4)) {
      throw new IllegalArgumentException(
          "locality: the quartic vertex must have n⁴ = " + pow(n, 4) + " entries for " + n + " points");
    }
    if (nbins < 0) {
      throw new IllegalArgumentException("locality: nbins must be ≥ 0");
    }
    double lo = Arrays.stream(points).min().getAsDouble();
    double hi = Arrays.stream(points).max().getAsDouble();
    double tol = 1e-9 * Math.max(hi - lo, Double.MIN_NORMAL);
    int n4 = quartic.length;
    double[] spreads = new double[n4];
    for (int a = 0, i = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < n; c++) {
          for (int d = 0; d < n; d++, i++) {
            double mx = Math.max(Math.max(points[a], points[b]), Math.max(points[c], points[d]));
            double mn = Math.min(Math.min(points[a], points[b]), Math.min(points[c], points[d]));
            spreads[i] = mx - mn;
          }
        }
      }
    }
    int[] bin = new int[n4];
    int nb;
    if (nbins == 0) {
      double[] sorted = spreads.clone();
      Arrays.sort(sorted);
      double[] edges = new double[n4]; // start of each group
      nb = 0;
      for (double s : sorted) {
        if (nb == 0 || s - edges[nb - 1] > tol) {
          edges[nb++] = s;
        }
      }
      double[] starts = Arrays.copyOf(edges, nb);
      for (int i = 0; i < n4; i++) {
        int k = Arrays.binarySearch(starts, spreads[i]);
        bin[i] = k >= 0 ? k : -k - 2;
      }
    } else {
      double smax = Arrays.stream(spreads).max().getAsDouble();
      nb = nbins + 1;
      for (int i = 0; i < n4; i++) {
        double s = spreads[i];
        if (s <= tol || smax <= tol) {
          bin[i] = 0;
        } else {
          bin[i] = 1 + Math.min(nbins - 1, (int) Math.floor(nbins * (s / smax) * (1 - 1e-12)));
        }
      }
    }
    double[] sum = new double[nb];
    double[] ssum = new double[nb];
    int[] cnt = new int[nb];
    for (int i = 0; i < n4; i++) {
      sum[bin[i]] += Math.abs(quartic[i]);
      ssum[bin[i]] += spreads[i];
      cnt[bin[i]]++;
    }
    int kept = 0;
    for (int k = 0; k < nb; k++) {
      if (cnt[k] > 0) {
        kept++;
      }
    }
    double[] sp = new double[kept];
    double[] mean = new double[kept];
    int[] count = new int[kept];
    for (int k = 0, j = 0; k < nb; k++) {
      if (cnt[k] > 0) {
        sp[j] = ssum[k] / cnt[k];
        mean[j] = sum[k] / cnt[k];
        count[j] = cnt[k];
        j++;
      }
    }
    return new Locality(sp, mean, count);
  }

  /** c itself, or its symmetric part (with a warning) when it is not symmetric under permutations. */
  private static double[] symmetric(double[] c, int n, int k, String name, List<String> warnings) {
    double asym = ReconstructTensors.asymmetry(c, n, k);
    if (!(asym > 1e-8)) return c;
    warnings.add(String.format(Locale.ROOT,
        "the %s-point function is not fully symmetric (relative deviation %.3g); its symmetric part was used", name, asym));
    return ReconstructTensors.symmetrise(c, n, k);
  }

  /**
   * The cluster test of locality, which needs no G⁻¹: put two points at each of the two most
   * separated sites i, j (distance r) and compare the connected 4-pt function there with its
   * coincident values, R4 = |G_c4(i,j,i,j)| / sqrt(|G_c4(i,i,i,i) G_c4(j,j,j,j)|), against the fall
   * of two propagators, R2 = G_ij² / (G_ii G_jj). A local vertex joins the clusters through
   * propagators, so R4 falls like R2 up to powers of r; a vertex that does not decay keeps R4 of
   * order one. The verdict is non-local when R4 exceeds 2 sqrt(R2) (twice the fall of a single
   * propagator) by 3σ, local when it is 3σ below sqrt(R2) (tree-level local φ⁴ with exponential G
   * has R4 = R2 (1 + ln(1/R2)), below sqrt(R2) for R2 &lt; 0.05), undetermined in between, and
   * needs R2 &lt; {@link #CLUSTER_MAX_R2}.
   *
   * @param c4err the errors of G_c4 (n⁴), or null for exact values
   */
  public record Cluster(String verdict, double separation, double r4, double r4Err, double r2) {}

  /** R2 must fall below this for the test to separate local from non-local. */
  public static final double CLUSTER_MAX_R2 = 0.05;

  public static Cluster cluster(double[][] g, double[] c4, double[] c4err, double[] points) {
    int n = points.length;
    int bi = 0, bj = 0;
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (Math.abs(points[i] - points[j]) > Math.abs(points[bi] - points[bj])) { bi = i; bj = j; }
    double r = Math.abs(points[bi] - points[bj]);
    int iiii = ((bi * n + bi) * n + bi) * n + bi, jjjj = ((bj * n + bj) * n + bj) * n + bj, ijij = ((bi * n + bj) * n + bi) * n + bj;
    double norm = Math.sqrt(Math.abs(c4[iiii] * c4[jjjj]));
    double r2 = g[bi][bj] * g[bi][bj] / (g[bi][bi] * g[bj][bj]);
    if (r == 0 || norm == 0) return new Cluster("undetermined: the points do not separate, or the 4-pt function vanishes where they meet", r, Double.NaN, Double.NaN, r2);
    double r4 = Math.abs(c4[ijij]) / norm;
    double err = c4err == null ? 0 : r4 * Math.hypot(c4err[ijij] / Math.max(Math.abs(c4[ijij]), Double.MIN_NORMAL),
        0.5 * Math.hypot(c4err[iiii] / Math.abs(c4[iiii]), c4err[jjjj] / Math.abs(c4[jjjj])));
    String v;
    double bar = Math.sqrt(r2);
    if (r2 > CLUSTER_MAX_R2) v = "undetermined: the points span too little of a correlation length (G falls only to " + fmt(bar) + " of its value across them); use wider-spaced points";
    else if (r4 - 3 * err > 2 * bar) v = "non-local";
    else if (r4 + 3 * err < bar) v = "local";
    else v = "undetermined: the 4-pt function of separated clusters falls neither clearly like the propagators nor clearly slower (or is not resolved above its errors)";
    return new Cluster(v, r, r4, err, r2);
  }

  private static String fmt(double v) { return String.format(java.util.Locale.ROOT, "%.3g", v); }

  /**
   * The locality rule: returns "local" when the mean |λ| in the largest-spread bin is below
   * {@link #LOCALITY_THRESHOLD} (5%) of the mean |λ| in the smallest-spread bin (spread 0, the diagonal,
   * for distinct points), else "non-local". A vertex that vanishes identically is "local". With a
   * single bin (one point) the rule compares the bin with itself and gives "non-local" unless the
   * vertex vanishes.
   */
  public static String localityVerdict(Locality locality) {
    double[] m = locality.meanAbs();
    double near = m[0];
    double far = m[m.length - 1];
    boolean local = (near == 0 && far == 0) || far < LOCALITY_THRESHOLD * near;
    return local ? "local" : "non-local";
  }

  /** {@link #localityVerdict(Locality)} of {@link #locality(double[], double[])}. */
  public static String localityVerdict(double[] quartic, double[] points) {
    return localityVerdict(locality(quartic, points));
  }

  // ------------------------------------------------------------------------------------------------

  private static double minEigenvalue(DMatrixRMaj g) {
    int n = g.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
    if (!eig.decompose(g.copy())) {
      return Double.NaN;
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      Complex_F64 v = eig.getEigenvalue(i);
      min = Math.min(min, v.real);
    }
    return min;
  }

  static int pow(int n, int k) {
    long r = 1;
    for (int i = 0; i < k; i++) {
      r *= n;
      if (r > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("reconstruct: " + n + "^" + k + " entries is too many");
      }
    }
    return (int) r;
  }

  private static void requireFinite(double[] v, String what) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("reconstruct: " + what + " contains a non-finite value");
      }
    }
  }

  private static void requireShape(
      double[] v, int len, String what, int n, int rank, boolean nullable) {
    if (v == null) {
      if (nullable) {
        return;
      }
      throw new IllegalArgumentException("reconstruct: " + what + " is missing");
    }
    if (v.length != len) {
      throw new IllegalArgumentException("reconstruct: " + what + " must have n^" + rank + " = " + len
          + " entries for n = " + n + " points, got " + v.length);
    }
    requireFinite(v, what);
  }
}
