package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Reconstruction;
import org.nnft.ensemble.Request;
import org.nnft.model.NetV;
import org.nnft.runtime.Values.Unknown;
import org.nnft.syntax.NnftException;

/**
 * reconstruct(E, points, order), action_of(net, points, order) and locality(A): the Edgeworth
 * reconstruction of the action on a point set from sampled or exact connected correlators.
 */
final class Reconstructions {
  private Reconstructions() {}

  static void register() {
    def("reconstruct", 1, 1, Builtins.names("points", "order"), (s, a, n) -> reconstruct(s, a, n), "reconstruct(E, points = linspace(-1, 1, 7), order = 4)");
    def("action_of", 1, 1, Builtins.names("points", "order"), (s, a, n) -> actionOf(s, a, n), "action_of(net, points = linspace(-1, 1, 7), order = 4)");
    def("locality", 1, 1, Builtins.names(), (s, a, n) -> locality(s, a.get(0)), "locality(A)");
  }

  private static double[] points(Func.CallSite s, Map<String, Value> n) {
    Value pv = n.get("points");
    if (pv == null) throw new NnftException(s.span(), "give the points to reconstruct on, e.g. points = linspace(-1, 1, 7).");
    Tensor t = s.interp().tensorArg(pv, s.named("points"), "points");
    if (t.rank() != 1 || t.size() < 1 || t.size() > 12) throw new NnftException(s.named("points"), "points must be a vector of 1 to 12 numbers (points in R^1).");
    return t.data.clone();
  }

  private static int order(Func.CallSite s, Map<String, Value> n) {
    double o = n.containsKey("order") ? s.interp().number(n.get("order"), s.named("order"), "order") : 4;
    if (o != 4 && o != 6) throw new NnftException(s.named("order"), "order is 4 or 6, not " + Interpreter.fmt(o) + ".");
    return (int) o;
  }

  /** All sorted index tuples of length k over n points. */
  static List<int[]> multisets(int n, int k) {
    List<int[]> out = new ArrayList<>();
    int[] idx = new int[k];
    while (true) {
      out.add(idx.clone());
      int j = k - 1;
      while (j >= 0 && idx[j] == n - 1) j--;
      if (j < 0) break;
      idx[j]++;
      for (int i = j + 1; i < k; i++) idx[i] = idx[j];
    }
    return out;
  }

  /** Fills a full symmetric n^k tensor from values at sorted index tuples. */
  static double[] symmetric(int n, int k, List<int[]> sorted, double[] vals) {
    Map<String, Double> byKey = new LinkedHashMap<>();
    for (int i = 0; i < sorted.size(); i++) byKey.put(Arrays.toString(sorted.get(i)), vals[i]);
    int total = (int) Math.pow(n, k);
    double[] out = new double[total];
    int[] idx = new int[k];
    for (int f = 0; f < total; f++) {
      int r = f;
      for (int j = k - 1; j >= 0; j--) { idx[j] = r % n; r /= n; }
      int[] s = idx.clone();
      Arrays.sort(s);
      out[f] = byKey.get(Arrays.toString(s));
    }
    return out;
  }

  private static Value reconstruct(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof EnsembleV e)) throw new NnftException(s.arg(0), "reconstruct needs an ensemble from sample(...), not " + a.get(0).kind() + ".");
    double[] pts = points(s, n);
    int order = order(s, n);
    int np = pts.length;
    List<Request> reqs = new ArrayList<>();
    List<int[]> two = multisets(np, 2), four = multisets(np, 4), six = order == 6 ? multisets(np, 6) : List.of();
    for (int[] m : two) reqs.add(new Request(true, pts(pts, m)));
    for (int[] m : four) reqs.add(new Request(true, pts(pts, m)));
    for (int[] m : six) reqs.add(new Request(true, pts(pts, m)));
    Interpreter in = s.interp();
    if (in.planning()) {
      in.session().plan(e.key(), reqs);
      return Unknown.INSTANCE;
    }
    List<Estimate> est = e.estimate(in, reqs);
    double[] g2 = new double[two.size()], g2e = new double[two.size()], c4 = new double[four.size()], c4e = new double[four.size()];
    double[] c6 = new double[six.size()], c6e = new double[six.size()];
    int k = 0;
    for (int i = 0; i < g2.length; i++) { g2[i] = est.get(k).value(); g2e[i] = est.get(k++).error(); }
    double relG = 0;
    for (int i = 0; i < g2.length; i++) if (g2[i] != 0) relG = Math.max(relG, Math.abs(g2e[i] / g2[i]));
    final double rel = relG;
    for (int i = 0; i < c4.length; i++) { c4[i] = est.get(k).value(); c4e[i] = est.get(k++).error(); }
    for (int i = 0; i < c6.length; i++) { c6[i] = est.get(k).value(); c6e[i] = est.get(k++).error(); }
    // jackknife over the batches: G^-1 and the amputated quartic vertex for each leave-one-out
    // replica, so their errors include the correlations between the estimated correlators
    double[][] jq = null, jg = null;
    boolean replicas = est.stream().allMatch(x -> x.jack() != null);
    if (replicas) {
      int nb = est.get(0).jack().length;
      jq = new double[nb][];
      jg = new double[nb][];
      try {
        for (int b = 0; b < nb; b++) {
          double[] g2b = new double[g2.length], c4b = new double[c4.length];
          for (int i = 0; i < g2.length; i++) g2b[i] = est.get(i).jack()[b];
          for (int i = 0; i < c4.length; i++) c4b[i] = est.get(g2.length + i).jack()[b];
          double[] gf = symmetric(np, 2, two, g2b);
          double[][] Gb = new double[np][np];
          for (int i = 0; i < np; i++) System.arraycopy(gf, i * np, Gb[i], 0, np);
          Reconstruction.Result rb = Reconstruction.of(Gb, symmetric(np, 4, four, c4b), null, null, null, 4);
          jq[b] = rb.quartic();
          double[] gi = new double[np * np];
          for (int i = 0; i < np; i++) System.arraycopy(rb.ginv()[i], 0, gi, i * np, np);
          jg[b] = gi;
        }
      } catch (IllegalArgumentException singular) {
        jq = null;
        jg = null;
      }
    }
    Value res = result(s, pts, order, g2, c4, c4e, c6, c6e, est.get(0).note(), jq == null ? null : jackErrors(jq));
    double cond = ((Tensor) ((Values.Record) res).fields().get("condition")).value();
    Tensor gi = (Tensor) ((Values.Record) res).fields().get("ginv");
    double num = 0, den = 0;
    if (jg != null) {
      double[] ge = jackErrors(jg);
      for (int i = 0; i < ge.length; i++) { num += ge[i] * ge[i]; den += gi.data[i] * gi.data[i]; }
    } else {
      // first-order bound from the errors of G: |G^-1| |dG| |G^-1|
      double[] ge = symmetric(np, 2, two, g2e);
      for (int i = 0; i < np; i++) for (int j = 0; j < np; j++) {
        double bound = 0;
        for (int a2 = 0; a2 < np; a2++) for (int b2 = 0; b2 < np; b2++) bound += Math.abs(gi.data[i * np + a2]) * ge[a2 * np + b2] * Math.abs(gi.data[b2 * np + j]);
        num += bound * bound;
        den += gi.data[i * np + j] * gi.data[i * np + j];
      }
    }
    double ginvRel = Math.sqrt(num / den);
    if (ginvRel > 0.25) {
      s.interp().session().warn("G has condition number " + Interpreter.fmt(cond) + " on these points, and with its estimated errors (up to "
          + Interpreter.fmt(rel) + " relative) G^-1 is uncertain by " + Interpreter.fmt(ginvRel) + " of its size: G^-1 and everything amputated by it are not resolved; use fewer or wider-spaced points, or more samples", s.span());
    }
    return res;
  }

  private static double[][] pts(double[] pts, int[] m) {
    double[][] r = new double[m.length][];
    for (int i = 0; i < m.length; i++) r[i] = new double[] {pts[m[i]]};
    return r;
  }

  private static Value actionOf(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof NetV net)) throw new NnftException(s.arg(0), "action_of needs a net, not " + a.get(0).kind() + ".");
    if (!n.containsKey("points")) {
      int ord = n.containsKey("order") ? (int) s.interp().number(n.get("order"), s.named("order"), "order") : 2;
      return Kernels.momentumAction(s, net, ord);
    }
    double[] pts = points(s, n);
    int order = order(s, n);
    Func kernel = (Func) Kernels.kernel(s, net, 2), c4f = (Func) Kernels.kernel(s, net, 4);
    int np = pts.length;
    List<int[]> two = multisets(np, 2), four = multisets(np, 4);
    double[] g2 = new double[two.size()], c4 = new double[four.size()];
    for (int i = 0; i < g2.length; i++) g2[i] = evalAt(s, kernel, pts, two.get(i));
    for (int i = 0; i < c4.length; i++) c4[i] = evalAt(s, c4f, pts, four.get(i));
    double[] c6 = null;
    if (order == 6) {
      Func c6f = (Func) Kernels.kernel(s, net, 6);
      List<int[]> six = multisets(np, 6);
      c6 = new double[six.size()];
      for (int i = 0; i < c6.length; i++) c6[i] = evalAt(s, c6f, pts, six.get(i));
    }
    return result(s, pts, order, g2, c4, null, c6, null, "exact correlators of " + net.name(), null);
  }

  private static double evalAt(Func.CallSite s, Func f, double[] pts, int[] m) {
    List<Value> args = new ArrayList<>();
    for (int i : m) args.add(Tensor.scalar(pts[i]));
    Value v = f.call(s, args, Map.of());
    return s.interp().number(v, s.span(), "a correlator");
  }

  /** Jackknife errors, entry by entry, of replicas r[batch][entry]. */
  static double[] jackErrors(double[][] r) {
    int nb = r.length, n = r[0].length;
    double[] out = new double[n], col = new double[nb];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < nb; b++) col[b] = r[b][i];
      out[i] = Tensor.jackError(col);
    }
    return out;
  }

  private static Value result(Func.CallSite s, double[] pts, int order, double[] g2, double[] c4, double[] c4e,
      double[] c6, double[] c6e, String note, double[] quarticErr) {
    int np = pts.length;
    double[] gFull = symmetric(np, 2, multisets(np, 2), g2);
    double[][] G = new double[np][np];
    for (int i = 0; i < np; i++) System.arraycopy(gFull, i * np, G[i], 0, np);
    double[] c4Full = symmetric(np, 4, multisets(np, 4), c4);
    double[] c4eFull = c4e == null ? null : symmetric(np, 4, multisets(np, 4), c4e);
    double[] c6Full = order == 6 ? symmetric(np, 6, multisets(np, 6), c6) : null;
    Reconstruction.Result r;
    try {
      r = Reconstruction.of(G, c4Full, c4eFull, c6Full, null, order);
    } catch (IllegalArgumentException ex) {
      throw new NnftException(s.span(), "cannot reconstruct: " + ex.getMessage().replaceAll("\\.$", "") + ".");
    }
    for (String w : r.warnings()) s.interp().session().warn(w, s.span());
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("points", Tensor.vector(pts));
    f.put("quadratic", Tensor.matrix(r.quadratic()));
    f.put("ginv", Tensor.matrix(r.ginv()));
    f.put("shift", Tensor.matrix(r.shift()));
    int[] s4 = {np, np, np, np};
    f.put("quartic", new Tensor(r.quartic(), quarticErr != null ? quarticErr : r.quarticErr(), s4, note));
    if (r.sextic() != null) f.put("sextic", new Tensor(r.sextic(), null, new int[] {np, np, np, np, np, np}, note));
    f.put("constant", Tensor.scalar(r.constant()));
    f.put("G", Tensor.matrix(G));
    f.put("connected4", new Tensor(c4Full, c4eFull, s4, note));
    f.put("condition", Tensor.scalar(r.conditionNumber()));
    return new Values.Record("reconstruction", f);
  }

  private static Value locality(Func.CallSite s, Value v) {
    if (!(v instanceof Values.Record r) || !r.type().equals("reconstruction")) {
      throw new NnftException(s.arg(0), "locality needs a reconstruction from reconstruct(...) or action_of(...), not " + v.kind() + ".");
    }
    Tensor q = (Tensor) r.fields().get("quartic");
    Tensor p = (Tensor) r.fields().get("points");
    Reconstruction.Locality loc = Reconstruction.locality(q.data, p.data, Math.min(6, Math.max(2, p.size() - 1)));
    double cond = ((Tensor) r.fields().get("condition")).value();
    String verdict = Reconstruction.localityVerdict(loc);
    String method = "the amputated quartic vertex, from near to far spread of its points";
    String unresolved = null;
    if (cond > 1e6) {
      unresolved = "G is ill-conditioned on these points (condition number " + Interpreter.fmt(cond) + "), so the amputated vertex shows the grid, not the theory";
    } else if (q.err != null) {
      double size = 0, noise = 0;
      for (int i = 0; i < q.data.length; i++) { size += Math.abs(q.data[i]); noise += q.err[i]; }
      if (size < 3 * noise) unresolved = "the amputated vertex is not resolved above its errors";
    }
    Tensor gT = (Tensor) r.fields().get("G"), c4 = (Tensor) r.fields().get("connected4");
    double[][] g = new double[p.size()][p.size()];
    for (int i = 0; i < g.length; i++) System.arraycopy(gT.data, i * g.length, g[i], 0, g.length);
    Reconstruction.Cluster cl = Reconstruction.cluster(g, c4.data, c4.err, p.data);
    if (unresolved != null) {
      method = "the cluster test on the connected 4-pt function (" + unresolved + ")";
      verdict = cl.verdict().startsWith("undetermined") ? "undetermined: " + unresolved + ", and " + cl.verdict().substring("undetermined: ".length()) : cl.verdict();
    }
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("verdict", new Values.Str(verdict));
    f.put("spread", Tensor.vector(loc.spread()));
    f.put("vertex", Tensor.vector(loc.meanAbs()));
    f.put("far_to_near", Tensor.scalar(loc.farToNearRatio()));
    f.put("method", new Values.Str(method));
    f.put("cluster", new Values.Str("two pairs " + Interpreter.fmt(cl.separation()) + " apart: G_c4 falls to " + Interpreter.fmt(cl.r4())
        + (cl.r4Err() > 0 ? " ± " + Interpreter.fmt(cl.r4Err()) : "") + " of its coincident value, two propagators to " + Interpreter.fmt(cl.r2())));
    return new Values.Record("locality", f);
  }
}
