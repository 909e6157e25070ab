package org.nnft.ensemble;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;

/**
 * Dense symmetric-tensor helpers for {@link Reconstruction}. A rank-r tensor on n points is a flat array
 * of n^r entries, row-major: T(i_1..i_r) = t[((i_1·n + i_2)·n + ...)·n + i_r].
 */
final class ReconstructTensors {

  private ReconstructTensors() {}

  /**
   * Contracts every leg with M: out(j_1..j_r) = Σ_{i_1..i_r} t(i_1..i_r) M[i_1][j_1] ... M[i_r][j_r],
   * one leg at a time (r·n^(r+1) multiply-adds).
   */
  static double[] amputate(double[] t, int n, int rank, double[][] m) {
    double[] cur = t;
    for (int k = 0; k < rank; k++) {
      cur = contractLeg(cur, n, rank, k, m);
    }
    return cur;
  }

  /** out(.., j at leg k, ..) = Σ_i t(.., i at leg k, ..) M[i][j]. */
  static double[] contractLeg(double[] t, int n, int rank, int k, double[][] m) {
    int s = Reconstruction.pow(n, rank - 1 - k);
    int hiCount = Reconstruction.pow(n, k);
    double[] out = new double[t.length];
    for (int hi = 0; hi < hiCount; hi++) {
      int blk = hi * n;
      for (int i = 0; i < n; i++) {
        int src = (blk + i) * s;
        double[] mi = m[i];
        for (int j = 0; j < n; j++) {
          double w = mi[j];
          if (w == 0) {
            continue;
          }
          int dst = (blk + j) * s;
          for (int lo = 0; lo < s; lo++) {
            out[dst + lo] += w * t[src + lo];
          }
        }
      }
    }
    return out;
  }

  /** The tensor with axes k and l exchanged. */
  static double[] swapAxes(double[] t, int n, int rank, int k, int l) {
    if (k == l) {
      return t.clone();
    }
    int sk = Reconstruction.pow(n, rank - 1 - k);
    int sl = Reconstruction.pow(n, rank - 1 - l);
    double[] out = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      int dk = (i / sk) % n;
      int dl = (i / sl) % n;
      out[i + (dl - dk) * sk + (dk - dl) * sl] = t[i];
    }
    return out;
  }

  /**
   * max over adjacent transpositions (which generate the symmetric group) of max|t − t∘swap|, relative
   * to max|t|; 0 for a fully symmetric (or zero) tensor.
   */
  static double asymmetry(double[] t, int n, int rank) {
    double scale = 0;
    for (double x : t) {
      scale = Math.max(scale, Math.abs(x));
    }
    if (scale == 0) {
      return 0;
    }
    double dev = 0;
    for (int k = 0; k + 1 < rank; k++) {
      int sk = Reconstruction.pow(n, rank - 1 - k);
      int sl = sk / n;
      for (int i = 0; i < t.length; i++) {
        int dk = (i / sk) % n;
        int dl = (i / sl) % n;
        if (dk < dl) {
          int j = i + (dl - dk) * sk + (dk - dl) * sl;
          dev = Math.max(dev, Math.abs(t[i] - t[j]));
        }
      }
    }
    return dev / scale;
  }

  /**
   * The average of t over all permutations of its axes, built as
   * Sym_m = (1/m) Σ_{j=1..m} (j m)·Sym_{m−1} (S_m is the union of the cosets (j m)S_{m−1}), so it costs
   * about r²/2 passes instead of r!.
   */
  static double[] symmetrise(double[] t, int n, int rank) {
    double[] cur = t.clone();
    for (int m = 2; m <= rank; m++) {
      double[] acc = cur.clone();
      for (int j = 1; j < m; j++) {
        double[] sw = swapAxes(cur, n, rank, j - 1, m - 1);
        for (int i = 0; i < acc.length; i++) {
          acc[i] += sw[i];
        }
      }
      for (int i = 0; i < acc.length; i++) {
        acc[i] /= m;
      }
      cur = acc;
    }
    return cur;
  }

  /** A·P·A for symmetric A. */
  static double[][] sandwich(double[][] a, double[][] p) {
    int n = a.length;
    double[][] ap = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double w = a[i][k];
        for (int j = 0; j < n; j++) {
          ap[i][j] += w * p[k][j];
        }
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double w = ap[i][k];
        for (int j = 0; j < n; j++) {
          out[i][j] += w * a[k][j];
        }
      }
    }
    return out;
  }

  static double spectralNorm(double[][] a) {
    int n = a.length;
    DMatrixRMaj m = new DMatrixRMaj(a);
    double max = 0;
    for (double s : SingularOps_DDRM.singularValues(m)) {
      max = Math.max(max, s);
    }
    return n == 0 ? 0 : max;
  }

  /**
   * The amputated exchange term of the sextic vertex: given M = amp(G_c4) (rank 4, fully symmetric) and
   * G, returns E(i1..i6) = Σ over the 10 splits of {i1..i6} into two unordered triples {p,q,r}|{s,t,u}
   * of Σ_ef M(p,q,r,e) G_ef M(f,s,t,u) (= amputation of G_c4 G⁻¹ G_c4 on the six external legs).
   */
  static double[] exchange(double[] amp4, int n, DMatrixRMaj g) {
    int n3 = n * n * n;
    DMatrixRMaj mm = DMatrixRMaj.wrap(n3, n, amp4); // rows (p,q,r), column e
    DMatrixRMaj mg = new DMatrixRMaj(n3, n);
    CommonOps_DDRM.mult(mm, g, mg);
    DMatrixRMaj x = new DMatrixRMaj(n3, n3);
    CommonOps_DDRM.multTransB(mg, mm, x); // X[(pqr),(stu)] = Σ_ef M(pqr e) G_ef M(stu f)
    double[] xd = x.data;
    // the 10 splits: leg 0 with legs (p, q) from 1..5 vs the remaining three
    int[][] first = new int[10][];
    int[][] second = new int[10][];
    int s = 0;
    for (int p = 1; p < 6; p++) {
      for (int q = p + 1; q < 6; q++) {
        first[s] = new int[] {0, p, q};
        int[] rest = new int[3];
        for (int l = 1, r = 0; l < 6; l++) {
          if (l != p && l != q) {
            rest[r++] = l;
          }
        }
        second[s] = rest;
        s++;
      }
    }
    int n6 = n3 * n3;
    double[] out = new double[n6];
    int[] d = new int[6];
    for (int i = 0; i < n6; i++) {
      int rem = i;
      for (int l = 5; l >= 0; l--) {
        d[l] = rem % n;
        rem /= n;
      }
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        int[] f = first[k];
        int[] r = second[k];
        int row = (d[f[0]] * n + d[f[1]]) * n + d[f[2]];
        int col = (d[r[0]] * n + d[r[1]]) * n + d[r[2]];
        sum += xd[row * n3 + col];
      }
      out[i] = sum;
    }
    return out;
  }
}
