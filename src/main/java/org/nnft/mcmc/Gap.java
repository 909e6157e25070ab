package org.nnft.mcmc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.report.Format;
import org.nnft.runtime.Func;
import org.nnft.runtime.Interpreter;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;
import org.nnft.syntax.NnftException;

/**
 * E1 − E0 from Markov chains of paths: the connected G(τ) = ⟨x(t0) x(t0 + τ)⟩ − ⟨x(t0)⟩⟨x(t0 + τ)⟩
 * decays like e^{−(E1 − E0) τ} once excited states have died out; a weighted least-squares line
 * through log G over the fitted range gives the gap, and the blocked jackknife of the whole fit
 * its error.
 */
final class Gap {
  private Gap() {}

  static Value gap(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    McmcV m = McmcLibrary.chains(s, a.get(0), 0);
    Interpreter in = s.interp();
    if (!n.containsKey("at")) throw new NnftException(s.span(), "gap needs the time to start from, gap(C, at = t0, taus = [...]).");
    if (!n.containsKey("taus")) throw new NnftException(s.span(), "gap needs the separations, gap(C, at = t0, taus = linspace(0, 3, 31)).");
    Value atV = n.get("at");
    Tensor at0 = in.tensorArg(atV, s.named("at"), "at");
    if (at0.rank() > 1 || at0.size() < 1) throw new NnftException(s.named("at"), "at is a start time t0 or a vector of them, not " + at0.kind() + ".");
    double[] t0 = at0.data.clone();
    for (double v : t0) if (!Double.isFinite(v)) throw new NnftException(s.named("at"), "at must be finite start times.");
    Tensor taus = in.tensorArg(n.get("taus"), s.named("taus"), "taus");
    if (taus.rank() != 1 || taus.size() < 2) throw new NnftException(s.named("taus"), "taus is a vector of at least 2 separations, not " + taus.kind() + ".");
    double[] tau = taus.data.clone();
    for (int i = 0; i < tau.length; i++) {
      if (!Double.isFinite(tau[i]) || tau[i] < 0 || i > 0 && tau[i] <= tau[i - 1]) {
        throw new NnftException(s.named("taus"), "taus must be increasing and non-negative.");
      }
    }
    double fitLo = 1, fitHi = Double.POSITIVE_INFINITY;
    boolean userRange = n.containsKey("fit");
    if (userRange) {
      Tensor f = in.tensorArg(n.get("fit"), s.named("fit"), "fit");
      if (f.size() != 2 || !(f.data[0] < f.data[1])) throw new NnftException(s.named("fit"), "fit is the range [a, b] of separations to fit, with a < b.");
      fitLo = f.data[0];
      fitHi = f.data[1];
    }
    if (in.planning()) return Values.Unknown.INSTANCE;
    if (m.compiled.inDim != 1) throw new NnftException(s.arg(0), "gap reads paths x(t) of one variable; net " + m.net.name() + " takes points in R^" + m.compiled.inDim + ".");
    int k = tau.length, nt = t0.length;
    // the distinct times read: every t0 and every t0 + tau (a grid of starts shares most of them)
    List<double[]> pl = new java.util.ArrayList<>();
    Map<Double, Integer> index = new java.util.HashMap<>();
    int[] p0 = new int[nt];
    int[][] pt = new int[nt][k];
    for (int i = 0; i < nt; i++) {
      p0[i] = point(t0[i], pl, index);
      for (int j = 0; j < k; j++) pt[i][j] = point(t0[i] + tau[j], pl, index);
    }
    double[][] vals = m.values(pl.toArray(new double[0][]));
    int chains = m.chains, count = m.count, nb = m.blocks(), len = count / nb, np = pl.size();
    int rows = chains * nb;
    // block sums of x(t0_i), x(t0_i + tau_j) and their product, per start time
    double[][] s0 = new double[rows][nt], s1 = new double[rows][nt * k], s01 = new double[rows][nt * k];
    double[] cnt = new double[rows];
    for (int c = 0; c < chains; c++) {
      for (int it = 0; it < count; it++) {
        int row = c * nb + Math.min(it / Math.max(1, len), nb - 1);
        int base = it * np;
        cnt[row]++;
        for (int i = 0; i < nt; i++) {
          double x0 = vals[c][base + p0[i]];
          s0[row][i] += x0;
          for (int j = 0; j < k; j++) {
            double x = vals[c][base + pt[i][j]];
            s1[row][i * k + j] += x;
            s01[row][i * k + j] += x0 * x;
          }
        }
      }
    }
    double[] g = corr(s0, s1, s01, cnt, -1, k);
    double[][] gj = new double[rows][];
    for (int r = 0; r < rows; r++) gj[r] = corr(s0, s1, s01, cnt, r, k);
    double[] ge = new double[k];
    for (int j = 0; j < k; j++) ge[j] = jackErr(gj, j);
    // the fitted range: from fitLo while G stays 5 errors above 0
    int from = -1, to = -1;
    for (int j = 0; j < k; j++) {
      if (tau[j] < fitLo - 1e-12 || tau[j] > fitHi + 1e-12) continue;
      if (!(g[j] > 5 * ge[j])) { if (userRange) throw new NnftException(s.named("fit"), "G(" + Interpreter.fmt(tau[j]) + ") = " + Format.measured(g[j], ge[j]) + " is not clearly positive; fit a shorter range."); break; }
      if (from < 0) from = j;
      to = j;
    }
    if (from < 0 || to - from < 1) {
      throw new NnftException(s.span(), "fewer than 2 separations from tau = " + Interpreter.fmt(fitLo) + " have a correlator clearly above 0 (5 errors); give smaller taus, more draws, or fit = [a, b].");
    }
    double[] fit = line(tau, g, ge, from, to);
    double[] slopes = new double[rows];
    for (int r = 0; r < rows; r++) slopes[r] = -line(tau, gj[r], ge, from, to)[0];
    double gap = -fit[0];
    double avg = 0, ss = 0;
    for (double v : slopes) avg += v / rows;
    for (double v : slopes) ss += (v - avg) * (v - avg);
    double err = Math.sqrt((rows - 1.0) / rows * ss);
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("gap", new Tensor(new double[] {gap}, new double[] {err}, new int[0], "E1 - E0 from log G(tau), tau in [" + Interpreter.fmt(tau[from]) + ", " + Interpreter.fmt(tau[to]) + "]",
        new double[][] {slopes}, m.source(), Double.NaN));
    f.put("fit_from", Tensor.scalar(tau[from]));
    f.put("fit_to", Tensor.scalar(tau[to]));
    f.put("points", Tensor.scalar(to - from + 1));
    f.put("chi2_dof", Tensor.scalar(fit[1]));
    f.put("correlator", new Tensor(g, ge, new int[] {k}, nt == 1 ? "connected <x(t0) x(t0 + tau)>" : "connected <x(t0) x(t0 + tau)>, averaged over " + nt + " start times"));
    f.put("note", new Values.Str("weighted least squares of log G over the range (errors of different taus treated as independent in chi2_dof; the gap's error is the blocked jackknife of the whole fit)"));
    return new Values.Record("gap", f);
  }

  private static int point(double t, List<double[]> pl, Map<Double, Integer> index) {
    // times that differ by rounding only (3 + 0.1 k against 3.5 + 0.1 j) are one point
    double key = Math.rint(t * 1e9) / 1e9;
    return index.computeIfAbsent(key, u -> { pl.add(new double[] {t}); return pl.size() - 1; });
  }

  /**
   * The connected correlator at each tau, averaged over the start times, leaving block `leave`
   * out (-1: none): each start time is made connected with its own means before averaging.
   */
  private static double[] corr(double[][] s0, double[][] s1, double[][] s01, double[] cnt, int leave, int k) {
    int nt = s0[0].length;
    double n = 0;
    double[] a = new double[nt], b = new double[nt * k], ab = new double[nt * k];
    for (int r = 0; r < cnt.length; r++) {
      if (r == leave) continue;
      n += cnt[r];
      for (int i = 0; i < nt; i++) a[i] += s0[r][i];
      for (int q = 0; q < nt * k; q++) { b[q] += s1[r][q]; ab[q] += s01[r][q]; }
    }
    double[] g = new double[k];
    for (int i = 0; i < nt; i++) {
      for (int j = 0; j < k; j++) g[j] += (ab[i * k + j] / n - (a[i] / n) * (b[i * k + j] / n)) / nt;
    }
    return g;
  }

  private static double jackErr(double[][] rep, int j) {
    int r = rep.length;
    double avg = 0, ss = 0;
    for (double[] x : rep) avg += x[j] / r;
    for (double[] x : rep) ss += (x[j] - avg) * (x[j] - avg);
    return Math.sqrt((r - 1.0) / r * ss);
  }

  /** {slope, chi2/dof} of log g against tau over [from, to], weights from the errors of g. */
  private static double[] line(double[] tau, double[] g, double[] ge, int from, int to) {
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int j = from; j <= to; j++) {
      double y = Math.log(g[j]), sig = ge[j] / g[j], w = 1 / (sig * sig);
      sw += w;
      sx += w * tau[j];
      sy += w * y;
      sxx += w * tau[j] * tau[j];
      sxy += w * tau[j] * y;
    }
    double det = sw * sxx - sx * sx;
    double slope = (sw * sxy - sx * sy) / det, icpt = (sxx * sy - sx * sxy) / det;
    double chi = 0;
    for (int j = from; j <= to; j++) {
      double y = Math.log(g[j]), sig = ge[j] / g[j];
      double d = (y - icpt - slope * tau[j]) / sig;
      chi += d * d;
    }
    int dof = to - from - 1;
    return new double[] {slope, dof > 0 ? chi / dof : Double.NaN};
  }
}
