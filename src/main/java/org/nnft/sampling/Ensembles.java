package org.nnft.sampling;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import org.nnft.check.Rules;
import org.nnft.check.SType;
import org.nnft.check.StaticCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Request;
import org.nnft.ensemble.Runner;
import org.nnft.runtime.Values.Unknown;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** sample, correlator, connected. */
public final class Ensembles {
  private Ensembles() {}

  /** sample's static type: the count and seed checked when constant, the net with its input dimension here. */
  static SType sampleType(StaticCall c) {
    Double count = c.constant(1);
    if (count != null) Rules.sampleCount(count, c.argSpan(1));
    Double seed = c.constant("seed");
    if (seed != null && seed != Math.rint(seed)) throw new NnftException(c.namedSpans().get("seed"), org.nnft.check.Errors.seedNotWhole() + ".");
    if (!(c.arg(0) instanceof SType.NetT nt)) return new SType.EnsT(null);
    return new SType.EnsT(new SType.NetT(nt.name(), nt.decl(), nt.overrides(), c.inputDimension().apply(nt), nt.matrixInput()));
  }

  /** correlator's and connected's static type: each point checked against the net's input dimension. */
  static SType pointsType(StaticCall c) {
    if (c.arg(0) instanceof SType.EnsT e && e.net() != null && e.net().inDim() != null && !e.net().matrixInput()) {
      for (int i = 1; i < c.positional().size(); i++) Rules.point(e.net().name(), e.net().inDim(), c.arg(i), c.argSpan(i));
    }
    return SType.NUMBERS;
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("sample", "sample(net, count, seed = s, estimator = \"auto\")").arg("net", ArgType.DECLARED_NET).arg("count", ArgType.INTEGER).named("seed", ArgType.INTEGER, "the session seed").named("estimator", ArgType.STRING, "\"auto\"").returns(ArgType.ENSEMBLE).does("an ensemble of networks with random parameters (sampled when an observable needs it)").typed(Ensembles::sampleType).impl(Ensembles::sample));
    lib.add(Builtin.fn("correlator", "correlator(E, x1, x2, ...) with up to 12 points").arg("E", ArgType.ENSEMBLE).rest("x", ArgType.POINT, 1, 12).returns(ArgType.NUMBERS).does("the full moment E[phi(x1) ... phi(xn)], with its error").observable().typed(Ensembles::pointsType).impl((s, a, n) -> observable(s, a, false)));
    lib.add(Builtin.fn("connected", "connected(E, x1, ..., xn) with n from 2 to 6").arg("E", ArgType.ENSEMBLE).rest("x", ArgType.POINT, 2, 6).returns(ArgType.NUMBERS).does("the connected correlator (joint cumulant), with its error").observable().typed(Ensembles::pointsType).impl((s, a, n) -> observable(s, a, true)));
  }

  private static Value sample(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof NetV net)) throw new NnftException(s.arg(0), "sample needs a net first, not " + a.get(0).kind() + ".");
    double c = s.interp().number(a.get(1), s.arg(1), "the number of samples");
    org.nnft.check.Rules.sampleCount(c, s.arg(1));
    long seed = s.interp().session().seed();
    if (n.containsKey("seed")) {
      double sd = s.interp().number(n.get("seed"), s.named("seed"), "seed");
      if (sd != Math.rint(sd)) throw new NnftException(s.named("seed"), org.nnft.check.Errors.seedNotWhole() + ".");
      seed = (long) sd;
    }
    String est = "auto";
    if (n.containsKey("estimator")) {
      if (!(n.get("estimator") instanceof Values.Str str) || !Set.of("auto", "networks", "iid").contains(str.value())) {
        throw new NnftException(s.named("estimator"), "estimator is \"auto\", \"networks\" or \"iid\".");
      }
      est = str.value();
    }
    EnsembleV ens = new EnsembleV(net, (long) c, seed, est, s.span());
    if (!s.interp().planning()) ens.compiled(s.interp()); // lower now: a bad net fails at this statement
    return ens;
  }

  private static Value observable(Func.CallSite s, List<Value> a, boolean connected) {
    String f = connected ? "connected" : "correlator";
    if (!(a.get(0) instanceof EnsembleV e)) throw new NnftException(s.arg(0), f + " needs an ensemble first (from sample(...)), not " + a.get(0).kind() + ".");
    int order = a.size() - 1;
    if (connected && (order < 2 || order > 6)) throw new NnftException(s.span(), "connected correlators are available for 2 to 6 points, not " + order + ".");
    Interpreter in = s.interp();
    // the input dimension: from the declared type, evaluated like the net would
    int d = in.planning() ? inputDim(in, e, s.span()) : e.compiled(in).inDim;
    int[] inShape = inputShape(in, e);
    List<double[][]> pointSets = new ArrayList<>();
    List<Integer> gridShape = new ArrayList<>();
    for (int i = 1; i < a.size(); i++) {
      if (inShape != null && a.get(i) instanceof Values.ListV l) {
        // a list of matrices for a net over matrices: a grid of points
        double[][] ps = new double[l.items().size()][];
        for (int k = 0; k < ps.length; k++) {
          Tensor m = in.tensorArg(l.items().get(k), s.arg(i), f);
          if (m.rank() != 2 || m.shape[0] != inShape[0] || m.shape[1] != inShape[1]) {
            throw new NnftException(s.arg(i), "net " + e.net.name() + " takes " + inShape[0] + "x" + inShape[1] + " matrices; entry " + k + " of this list is " + m.kind() + ".");
          }
          ps[k] = m.data.clone();
          for (double x : ps[k]) if (!Double.isFinite(x)) throw new NnftException(s.arg(i), "a point must have finite coordinates.");
        }
        if (ps.length == 0) throw new NnftException(s.arg(i), "there are no points to evaluate at.");
        gridShape.add(ps.length);
        pointSets.add(ps);
        continue;
      }
      Tensor t = in.tensorArg(a.get(i), s.arg(i), f);
      double[][] ps;
      if (d == 1) {
        if (t.rank() > 1) throw new NnftException(s.arg(i), org.nnft.check.Rules.pointsInR1(e.net.name(), t.kind()));
        ps = new double[t.size()][];
        for (int k = 0; k < ps.length; k++) ps[k] = new double[] {t.data[k]};
        if (t.rank() == 1) gridShape.add(ps.length);
      } else if (inShape != null) {
        // a matrix input: one point is a rows x cols matrix, a list of them is a grid
        int rows = inShape[0], cols = inShape[1];
        if (t.rank() == 2 && t.shape[0] == rows && t.shape[1] == cols || t.rank() == 1 && t.size() == d) ps = new double[][] {t.data.clone()};
        else if (t.rank() == 3 && t.shape[1] == rows && t.shape[2] == cols) {
          ps = new double[t.shape[0]][d];
          for (int k = 0; k < ps.length; k++) System.arraycopy(t.data, k * d, ps[k], 0, d);
          gridShape.add(ps.length);
        } else {
          throw new NnftException(s.arg(i), "net " + e.net.name() + " takes " + rows + "x" + cols + " matrices: give one, or a list of them, not " + t.kind() + ".");
        }
      } else {
        if (t.rank() == 1 && t.size() == d) ps = new double[][] {t.data.clone()};
        else if (t.rank() == 2 && t.shape[1] == d) {
          ps = new double[t.shape[0]][d];
          for (int k = 0; k < ps.length; k++) System.arraycopy(t.data, k * d, ps[k], 0, d);
          gridShape.add(ps.length);
        } else {
          throw new NnftException(s.arg(i), org.nnft.check.Rules.pointsInRd(e.net.name(), d, t.kind()));
        }
      }
      for (double[] p : ps) for (double x : p) if (!Double.isFinite(x)) throw new NnftException(s.arg(i), "a point must have finite coordinates.");
      pointSets.add(ps);
    }
    // all combinations, last argument fastest
    List<Request> reqs = new ArrayList<>();
    int total = 1;
    for (double[][] ps : pointSets) total *= ps.length;
    if (total == 0) throw new NnftException(s.span(), "there are no points to evaluate at.");
    if (total > 100_000) throw new NnftException(s.span(), "this asks for " + total + " correlators at once; use fewer points.");
    int[] idx = new int[pointSets.size()];
    for (int k = 0; k < total; k++) {
      double[][] pts = new double[pointSets.size()][];
      for (int j = 0; j < pts.length; j++) pts[j] = pointSets.get(j)[idx[j]];
      reqs.add(new Request(connected, pts));
      for (int j = idx.length - 1; j >= 0; j--) {
        if (++idx[j] < pointSets.get(j).length) break;
        idx[j] = 0;
      }
    }
    if (in.planning()) {
      in.session().plan(e.key(), reqs);
      return Unknown.INSTANCE;
    }
    List<Estimate> est;
    try {
      est = e.estimate(in, reqs);
    } catch (NnftException ex) {
      throw ex.at(s.span());
    }
    double[] v = new double[total], err = new double[total];
    double[][] jack = new double[total][];
    double tail = Double.NaN;
    for (int k = 0; k < total; k++) {
      v[k] = est.get(k).value();
      err[k] = est.get(k).error();
      jack[k] = est.get(k).jack();
      tail = Tensor.tail(tail, est.get(k).tailK());
    }
    if (tail > Runner.TAIL_LIMIT && e.warnedTails.add(f)) in.session().warn(heavyTails(tail), s.span());
    int[] shape = gridShape.stream().mapToInt(Integer::intValue).toArray();
    // replicas for correlated error propagation, except for very large grids (64 numbers an entry)
    boolean replicas = total <= 20_000 && java.util.Arrays.stream(jack).allMatch(j -> j != null);
    return new Tensor(v, err, shape, est.get(0).note(), replicas ? jack : null, e.source(), tail);
  }

  /** What a heavy tail means for an estimate, in one sentence. */
  static String heavyTails(double k) {
    return "heavy tails (Hill estimate of the tail shape k = " + org.nnft.report.Format.num(k, 3) + " > " + Interpreter.fmt(Runner.TAIL_LIMIT)
        + "): the error bar of this estimate cannot be trusted and more samples help slowly; an exact form (kernel, connected_exact) or parameters with lighter tails avoid it";
  }

  /** {rows, cols} for a net over matrices R^(rows, cols), else null. */
  static int[] inputShape(Interpreter in, EnsembleV e) {
    var t = e.net.decl().inType();
    if (t.cols() == null) return null;
    return new int[] {typeSize(in, e, t.dim()), typeSize(in, e, t.cols())};
  }

  static int inputDim(Interpreter in, EnsembleV e, Span s) {
    var t = e.net.decl().inType();
    if (t.dim() == null) return 1;
    int rows = typeSize(in, e, t.dim());
    return t.cols() == null ? rows : rows * typeSize(in, e, t.cols());
  }

  /** A size in the net's input type, evaluated like the net would (with its overrides). */
  private static int typeSize(Interpreter in, EnsembleV e, org.nnft.syntax.Ast.Expr size) {
    Env env = new Env(in.globals());
    for (var o : e.net.overrides().entrySet()) env.define(o.getKey(), o.getValue());
    return (int) in.number(in.eval(size, env), e.net.decl().inType().span(), "an input dimension");
  }
}
