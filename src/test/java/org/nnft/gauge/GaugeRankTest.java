package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;

/** The rank machinery on matrices of known singular values, on all three paths. */
class GaugeRankTest {

  /** {@code U diag(s) Vᵀ} with random orthonormal {@code U} ({@code m × s.length}) and {@code V} ({@code n × s.length}). */
  static double[][] withSpectrum(int m, int n, double[] s, long seed) {
    SimpleMatrix U = orthonormal(m, s.length, seed), V = orthonormal(n, s.length, seed + 1);
    SimpleMatrix A = U.mult(SimpleMatrix.diag(s)).mult(V.transpose());
    double[][] out = new double[m][n];
    for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) out[i][j] = A.get(i, j);
    return out;
  }

  static SimpleMatrix orthonormal(int m, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    DMatrixRMaj G = new DMatrixRMaj(m, k);
    for (int i = 0; i < G.data.length; i++) G.data[i] = rng.nextGaussian();
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(m, k);
    qr.decompose(G);
    return SimpleMatrix.wrap(qr.getQ(null, true));
  }

  static double[] logSpaced(int r, double smallest) {
    double[] s = new double[r];
    for (int i = 0; i < r; i++) s[i] = Math.pow(smallest, i / (double) (r - 1));
    return s;
  }

  static GaugeRank.Info rank(double[][] A, long seed) {
    return GaugeRank.rank(A.length, A[0].length, sink -> {
      for (double[] row : A) sink.accept(row.clone());
    }, seed);
  }

  @Test
  void directPathCountsSingularValuesAboveTheStatedTolerance() {
    double[] s = logSpaced(45, 1e-6);
    double[][] A = withSpectrum(200, 60, s, 3);
    GaugeRank.Info info = rank(A, 1);
    assertEquals(45, info.rank(), info.method());
    assertEquals("svd", info.method());
    assertEquals(1.0, info.sigmaMax(), 1e-12);
    assertEquals(200 * Math.ulp(1.0) * info.sigmaMax() * 1e3, info.tolerance(), 1e-25);
    assertEquals(1e-6, info.sigmaR(), 1e-15);
    assertTrue(info.sigmaR1() < 1e-13 && info.gap() > 1e7, "σ_{r+1} = " + info.sigmaR1());
  }

  @Test
  void sketchAndRankRevealingQrFindTheRankOfAWideProblem() {
    double[] s = logSpaced(560, 1e-5);
    double[][] A = withSpectrum(2400, 600, s, 5);
    GaugeRank.Info info = rank(A, 2);
    assertEquals(560, info.rank(), info.method());
    assertTrue(info.method().startsWith("sparse sketch") && info.method().contains("rank-revealing QR"), info.method());
    assertEquals(2400 * Math.ulp(1.0) * info.sigmaMax() * 1e3, info.tolerance(), 1e-22);
    assertTrue(info.gap() > 1e6, "gap " + info.gap());
  }

  @Test
  void rankRevealingQrWithoutSketch() {
    double[] s = logSpaced(500, 1e-6);
    double[][] A = withSpectrum(560, 520, s, 7);
    GaugeRank.Info info = rank(A, 3);
    assertEquals(500, info.rank(), info.method());
    assertTrue(info.method().startsWith("rank-revealing QR"), info.method());
    // σ_r is estimated by inverse iteration on the augmented triangle: close to the true 1e-6
    assertEquals(1e-6, info.sigmaR(), 1e-8);
  }

  @Test
  void inconclusiveCertificateFallsBackToTheSvd() {
    double tol = 560 * Math.ulp(1.0) * 1e3; // σ_max = 1
    double[] s = logSpaced(500, 1e-6);
    s[499] = 1.5 * tol; // above tol, but within the certificate's margin of 2
    double[][] A = withSpectrum(560, 520, s, 9);
    GaugeRank.Info info = rank(A, 4);
    assertEquals(500, info.rank(), info.method());
    assertTrue(info.method().startsWith("svd of R"), info.method());
    s[499] = 0.5 * tol; // below tol: not counted
    info = rank(withSpectrum(560, 520, s, 9), 4);
    assertEquals(499, info.rank(), info.method());
  }
}
