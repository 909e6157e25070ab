package org.nnft.actions;

import org.nnft.sampling.EnsembleV;
import org.nnft.kernels.Kernels;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Reconstruction;
import org.nnft.ensemble.Request;
import org.nnft.runtime.Values.Unknown;
import org.nnft.syntax.NnftException;

/**
 * reconstruct(E, points, order), action_of(net, points, order) and locality(A): the Edgeworth
 * reconstruction of the action on a point set from sampled or exact connected correlators.
 */
public final class Reconstructions {
  private Reconstructions() {}

  static void register(Registry lib) {
    lib.add(Builtin.fn("reconstruct", "reconstruct(E, points = linspace(-1, 1, 7), order = 4)").arg("E", ArgType.ENSEMBLE).named("points", ArgType.VECTOR, null).named("order", ArgType.INTEGER, "4").returns(ArgType.RECORD).does("the Edgeworth reconstruction of the action on a point set from sampled correlators").observable().impl((s, a, n) -> reconstruct(s, a, n)));
    lib.add(Builtin.fn("action_of", "action_of(net, points = linspace(-1, 1, 7), order = 4)").arg("net", ArgType.DECLARED_NET).named("points", ArgType.VECTOR, "none: the action in momentum space").named("order", ArgType.INTEGER, "4 (2 without points)").costly().returns(ArgType.RECORD).does("the action from exact correlators, on points or in momentum space").impl((s, a, n) -> actionOf(s, a, n)));
    lib.add(Builtin.fn("locality", "locality(A)").arg("A", ArgType.RECORD).returns(ArgType.RECORD).does("whether the reconstructed quartic vertex decays with separation").impl((s, a, n) -> locality(s, a.get(0))));
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
    int n2 = two.size(), n4 = four.size(), n6 = six.size();
    double[] g2 = new double[n2], g2e = new double[n2], c4 = new double[n4], c4e = new double[n4], c6 = new double[n6];
    double tail = Double.NaN;
    for (int i = 0; i < est.size(); i++) tail = Tensor.tail(tail, est.get(i).tailK());
    for (int i = 0; i < n2; i++) { g2[i] = est.get(i).value(); g2e[i] = est.get(i).error(); }
    for (int i = 0; i < n4; i++) { c4[i] = est.get(n2 + i).value(); c4e[i] = est.get(n2 + i).error(); }
    for (int i = 0; i < n6; i++) c6[i] = est.get(n2 + n4 + i).value();
    double relG = 0;
    for (int i = 0; i < n2; i++) if (g2[i] != 0) relG = Math.max(relG, Math.abs(g2e[i] / g2[i]));
    Reconstruction.Result full = solve(s, np, order, g2, c4, c4e, c6);
    // every field is a function of sampled correlators: the same reconstruction on each
    // leave-one-batch-out replica gives its jackknife error, correlations included, and the
    // replicas let later arithmetic with other estimates of this seed combine correctly
    Map<String, double[][]> jack = null;
    boolean replicas = est.stream().allMatch(x -> x.jack() != null);
    String unresolved = null;
    if (replicas) {
      int nb = est.get(0).jack().length;
      jack = new LinkedHashMap<>();
      try {
        for (int b = 0; b < nb; b++) {
          double[] g2b = new double[n2], c4b = new double[n4], c6b = new double[n6];
          for (int i = 0; i < n2; i++) g2b[i] = est.get(i).jack()[b];
          for (int i = 0; i < n4; i++) c4b[i] = est.get(n2 + i).jack()[b];
          for (int i = 0; i < n6; i++) c6b[i] = est.get(n2 + n4 + i).jack()[b];
          Map<String, double[]> f = fields(np, order, g2b, c4b, c6b, Reconstruction.of(matrix(np, g2b), symmetric(np, 4, four, c4b), null,
              order == 6 ? symmetric(np, 6, six, c6b) : null, null, order));
          for (var x : f.entrySet()) {
            double[][] r = jack.computeIfAbsent(x.getKey(), key -> new double[x.getValue().length][nb]);
            for (int i = 0; i < r.length; i++) r[i][b] = x.getValue()[i];
          }
        }
      } catch (IllegalArgumentException singular) {
        jack = null;
        unresolved = "G is singular on a leave-one-batch-out replica, so no field of the reconstruction has an error";
      }
    } else {
      unresolved = "the correlators have no batch replicas, so no field of the reconstruction has an error";
    }
    Value res = result(s, pts, order, g2, c4, c6, full, est.get(0).note(), jack, e.source(), tail);
    if (unresolved != null) s.interp().session().warn(unresolved, s.span());
    Values.Record rec = (Values.Record) res;
    double cond = ((Tensor) rec.fields().get("condition")).value();
    Tensor gi = (Tensor) rec.fields().get("ginv");
    double num = 0, den = 0;
    for (int i = 0; i < gi.size(); i++) {
      double ge = gi.err == null ? Double.POSITIVE_INFINITY : gi.err[i];
      num += ge * ge;
      den += gi.data[i] * gi.data[i];
    }
    double ginvRel = Math.sqrt(num / den);
    if (ginvRel > 0.25) {
      s.interp().session().warn("G has condition number " + Interpreter.fmt(cond) + " on these points, and with its estimated errors (up to "
          + Interpreter.fmt(relG) + " relative) G^-1 is uncertain by " + Interpreter.fmt(ginvRel) + " of its size: G^-1 and everything amputated by it are not resolved; use fewer or wider-spaced points, or more samples", s.span());
    }
    return res;
  }

  private static double[][] matrix(int np, double[] g2) {
    double[] gf = symmetric(np, 2, multisets(np, 2), g2);
    double[][] g = new double[np][np];
    for (int i = 0; i < np; i++) System.arraycopy(gf, i * np, g[i], 0, np);
    return g;
  }

  /** The reconstruction from correlators at sorted index tuples; a singular G is a plain error. */
  private static Reconstruction.Result solve(Func.CallSite s, int np, int order, double[] g2, double[] c4, double[] c4e, double[] c6) {
    try {
      return Reconstruction.of(matrix(np, g2), symmetric(np, 4, multisets(np, 4), c4), c4e == null ? null : symmetric(np, 4, multisets(np, 4), c4e),
          order == 6 ? symmetric(np, 6, multisets(np, 6), c6) : null, null, order);
    } catch (IllegalArgumentException ex) {
      throw new NnftException(s.span(), "cannot reconstruct: " + ex.getMessage().replaceAll("\\.$", "") + ".");
    }
  }

  /** The numeric fields of a reconstruction, flattened, by name. */
  private static Map<String, double[]> fields(int np, int order, double[] g2, double[] c4, double[] c6, Reconstruction.Result r) {
    Map<String, double[]> f = new LinkedHashMap<>();
    f.put("quadratic", flat(r.quadratic()));
    f.put("ginv", flat(r.ginv()));
    f.put("shift", flat(r.shift()));
    f.put("quartic", r.quartic());
    if (r.sextic() != null) f.put("sextic", r.sextic());
    f.put("constant", new double[] {r.constant()});
    f.put("G", symmetric(np, 2, multisets(np, 2), g2));
    f.put("connected4", symmetric(np, 4, multisets(np, 4), c4));
    f.put("condition", new double[] {r.conditionNumber()});
    return f;
  }

  private static double[] flat(double[][] m) {
    int n = m.length;
    double[] out = new double[n * n];
    for (int i = 0; i < n; i++) System.arraycopy(m[i], 0, out, i * n, n);
    return out;
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
    if (!Kernels.oddCorrelatorsVanish(Kernels.form(s.interp(), net, s.arg(0)))) {
      throw new NnftException(s.arg(0), "action_of reconstructs actions whose odd connected correlators vanish, but " + net.name()
          + " has an output weight with a mean or asymmetric shape and no uniform phase, so its 1- and 3-pt functions do not vanish.");
    }
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
    return result(s, pts, order, g2, c4, c6, solve(s, np, order, g2, c4, null, c6), "exact correlators of " + net.name(), null, null, Double.NaN);
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

  /**
   * The reconstruction as a record of tensors; with replicas (reps: field -> [entry][batch]) every
   * sampled field carries its jackknife error and its replicas under the ensemble's random source.
   */
  private static Value result(Func.CallSite s, double[] pts, int order, double[] g2, double[] c4, double[] c6,
      Reconstruction.Result r, String note, Map<String, double[][]> reps, String source, double tail) {
    int np = pts.length;
    for (String w : r.warnings()) s.interp().session().warn(w, s.span());
    Map<String, double[]> vals = fields(np, order, g2, c4, c6, r);
    Map<String, int[]> shapes = Map.of("quadratic", new int[] {np, np}, "ginv", new int[] {np, np}, "shift", new int[] {np, np},
        "quartic", new int[] {np, np, np, np}, "sextic", new int[] {np, np, np, np, np, np}, "constant", new int[0],
        "G", new int[] {np, np}, "connected4", new int[] {np, np, np, np}, "condition", new int[0]);
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("points", Tensor.vector(pts));
    for (var x : vals.entrySet()) {
      double[] v = x.getValue();
      int[] shape = shapes.get(x.getKey());
      if (reps == null && source == null) {
        // exact correlators: exact fields
        f.put(x.getKey(), new Tensor(v, null, shape, Set.of("quartic", "sextic", "connected4").contains(x.getKey()) ? note : null));
        continue;
      }
      double[][] rr = reps == null ? null : reps.get(x.getKey());
      double[] err = new double[v.length];
      if (rr == null) java.util.Arrays.fill(err, Double.NaN);
      else for (int i = 0; i < v.length; i++) err[i] = Tensor.jackError(rr[i]);
      // replicas of very large fields (the sextic vertex on many points) give errors but are not kept
      boolean keep = rr != null && (long) v.length * rr[0].length <= 2_000_000L;
      f.put(x.getKey(), new Tensor(v, err, shape, note, keep ? rr : null, keep ? source : null, tail));
    }
    Map<String, Value> ordered = new LinkedHashMap<>();
    for (String k : List.of("points", "quadratic", "ginv", "shift", "quartic", "sextic", "constant", "G", "connected4", "condition")) {
      if (f.containsKey(k)) ordered.put(k, f.get(k));
    }
    return new Values.Record("reconstruction", ordered);
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
