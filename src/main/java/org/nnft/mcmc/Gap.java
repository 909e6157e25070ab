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
    double t0 = in.number(n.get("at"), s.named("at"), "at");
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
    int k = tau.length;
    double[][] pts = new double[k + 1][];
    pts[0] = new double[] {t0};
    for (int i = 0; i < k; i++) pts[i + 1] = new double[] {t0 + tau[i]};
    double[][] vals = m.values(pts);
    int chains = m.chains, count = m.count, nb = m.blocks(), len = count / nb, np = k + 1;
    int rows = chains * nb;
    // block sums of x0, x_tau, x0 x_tau
    double[][] s0 = new double[rows][1], s1 = new double[rows][k], s01 = new double[rows][k];
    double[] cnt = new double[rows];
    for (int c = 0; c < chains; c++) {
      for (int i = 0; i < count; i++) {
        int row = c * nb + Math.min(i / Math.max(1, len), nb - 1);
        double x0 = vals[c][i * np];
        cnt[row]++;
        s0[row][0] += x0;
        for (int j = 0; j < k; j++) {
          double x = vals[c][i * np + j + 1];
          s1[row][j] += x;
          s01[row][j] += x0 * x;
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
    f.put("correlator", new Tensor(g, ge, new int[] {k}, "connected <x(t0) x(t0 + tau)>"));
    f.put("note", new Values.Str("weighted least squares of log G over the range (errors of different taus treated as independent in chi2_dof; the gap's error is the blocked jackknife of the whole fit)"));
    return new Values.Record("gap", f);
  }

  /** The connected correlator at each tau, leaving block `leave` out (-1: none). */
  private static double[] corr(double[][] s0, double[][] s1, double[][] s01, double[] cnt, int leave, int k) {
    double n = 0, a = 0;
    double[] b = new double[k], ab = new double[k];
    for (int r = 0; r < cnt.length; r++) {
      if (r == leave) continue;
      n += cnt[r];
      a += s0[r][0];
      for (int j = 0; j < k; j++) { b[j] += s1[r][j]; ab[j] += s01[r][j]; }
    }
    double[] g = new double[k];
    for (int j = 0; j < k; j++) g[j] = ab[j] / n - (a / n) * (b[j] / n);
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
