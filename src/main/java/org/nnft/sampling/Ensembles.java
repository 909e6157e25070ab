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

  /** ess(Q): the weights of a weighted ensemble, sampled with its other observables. */
  private static Value ess(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    if (!(a.get(0) instanceof EnsembleV e)) throw new NnftException(s.arg(0), "ess needs an ensemble (from sample(...)), not " + a.get(0).kind() + ".");
    Interpreter in = s.interp();
    int d = in.planning() ? inputDim(in, e, s.span()) : e.compiled(in).inDim;
    List<Request> probe = List.of(new Request(false, new double[][] {new double[Math.max(1, d)]}));
    if (in.planning()) {
      in.session().plan(e.key(), probe);
      return Unknown.INSTANCE;
    }
    Map<String, Value> f = new java.util.LinkedHashMap<>();
    if (!e.weighted) {
      f.put("ess", Tensor.scalar(e.count));
      f.put("networks", Tensor.scalar(e.count));
      f.put("fraction", Tensor.scalar(1));
      f.put("note", new Values.Str("unweighted: every network counts fully"));
      return new Values.Record("weights", f);
    }
    e.estimate(in, probe);
    Runner.Weights w = e.weights;
    f.put("ess", Tensor.scalar(w.ess()));
    f.put("networks", Tensor.scalar(w.networks()));
    f.put("fraction", Tensor.scalar(w.ess() / w.networks()));
    f.put("pareto_k", Tensor.scalar(w.khat()));
    f.put("quadrature_check", Tensor.scalar(w.maxLogWeightChange()));
    boolean bad = w.khat() > Runner.TAIL_LIMIT || w.ess() < MIN_ESS;
    f.put("reliable", new Values.Bool(!bad));
    f.put("note", new Values.Str("Kish's effective sample size (sum w)^2 / sum w^2; Pareto k of the " + org.nnft.ensemble.Psis.tail(w.networks())
        + " largest weights (PSIS; above 0.7 unreliable); quadrature_check: the largest change of a log-weight when the integrals' points double, on "
        + w.checked() + " networks"));
    if (bad && e.warnedTails.add("weights")) in.session().warn(weightProblem(w), s.span());
    return new Values.Record("weights", f);
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("ess", "ess(Q)").arg("Q", ArgType.ENSEMBLE).returns(ArgType.ANY).observable().does("the weights of an ensemble: Kish's effective sample size and the Pareto k of the largest weights").impl(Ensembles::ess));
    lib.add(Builtin.fn("sample", "sample(net, count, seed = s, estimator = \"auto\")").arg("net", ArgType.DECLARED_NET).arg("count", ArgType.INTEGER).named("seed", ArgType.INTEGER, "the session seed").named("estimator", ArgType.STRING, "\"auto\"").named("weight", ArgType.ANY, "none: a positive function of the network, such as exp(-c * net(0)^2)").named("log_weight", ArgType.ANY, "none: the log of the weight, such as -S(net) for an action S").returns(ArgType.ENSEMBLE).does("an ensemble of networks with random parameters (sampled when an observable needs it)").typed(Ensembles::sampleType).impl(Ensembles::sample));
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
    boolean weighted = n.containsKey("weight") || n.containsKey("log_weight");
    if (n.containsKey("weight") && n.containsKey("log_weight")) throw new NnftException(s.named("log_weight"), "give weight or log_weight, not both.");
    org.nnft.ensemble.Functional lw = null;
    if (weighted && !s.interp().planning()) {
      String arg = n.containsKey("weight") ? "weight" : "log_weight";
      Value w = n.get(arg);
      if (w instanceof RandomV r) {
        if (!RandomV.sameNet(r.net(), net)) {
          throw new NnftException(s.named(arg), "this " + arg + " is a function of " + r.net() + ", but the ensemble samples " + net + "; weigh the net that is sampled.");
        }
        lw = arg.equals("weight") ? new org.nnft.ensemble.Functional.Unary(org.nnft.numeric.Elementwise.LOG, r.functional()) : r.functional();
      } else if (w instanceof Tensor t && t.isScalar() && t.err == null) {
        double v = arg.equals("weight") ? Math.log(t.value()) : t.value();
        if (!(v > Double.NEGATIVE_INFINITY && v < Double.POSITIVE_INFINITY)) throw new NnftException(s.named(arg), "a constant " + arg + " must be " + (arg.equals("weight") ? "positive and finite" : "finite") + ".");
        lw = new org.nnft.ensemble.Functional.Const(v);
      } else {
        throw new NnftException(s.named(arg), arg + " is a function of the network, such as -S(" + net.name() + ") or -c * " + net.name() + "(0)^2, not " + w.kind() + ".");
      }
      if (est.equals("iid")) throw new NnftException(s.named("estimator"), "estimator = \"iid\" does not apply to a weighted ensemble: the weight couples the neurons, so the networks are weighed one by one.");
    }
    EnsembleV ens = new EnsembleV(net, (long) c, seed, est, s.span(), lw, weighted);
    if (!s.interp().planning()) ens.compiled(s.interp()); // lower now: a bad net fails at this statement
    return ens;
  }

  /** The most correlators (point combinations) one call asks for. */
  static final int MAX_CORRELATORS = 100_000;

  private static Value observable(Func.CallSite s, List<Value> a, boolean connected) {
    String f = connected ? "connected" : "correlator";
    if (!(a.get(0) instanceof Draws e)) throw new NnftException(s.arg(0), f + " needs an ensemble first (from sample(...) or mcmc(...)), not " + a.get(0).kind() + ".");
    int order = a.size() - 1;
    if (connected && (order < 2 || order > 6)) throw new NnftException(s.span(), "connected correlators are available for 2 to 6 points, not " + order + ".");
    Interpreter in = s.interp();
    // the input dimension: from the declared type, evaluated like the net would
    int d = in.planning() ? inputDim(in, e, s.span()) : e.inputDim(in);
    int[] inShape = inputShape(in, e);
    List<double[][]> pointSets = new ArrayList<>();
    List<Integer> gridShape = new ArrayList<>();
    for (int i = 1; i < a.size(); i++) {
      if (inShape != null && a.get(i) instanceof Values.ListV l) {
        // a list of matrices for a net over matrices: a grid of points
        if (l.items().size() > MAX_CORRELATORS) {
          throw new NnftException(s.arg(i), "this is " + l.items().size() + " points, more than the limit of " + MAX_CORRELATORS + " correlators in one call; use fewer points.");
        }
        double[][] ps = new double[l.items().size()][];
        for (int k = 0; k < ps.length; k++) {
          Tensor m = in.tensorArg(l.items().get(k), s.arg(i), f);
          if (m.rank() != 2 || m.shape[0] != inShape[0] || m.shape[1] != inShape[1]) {
            throw new NnftException(s.arg(i), "net " + e.net().name() + " takes " + inShape[0] + "x" + inShape[1] + " matrices; entry " + k + " of this list is " + m.kind() + ".");
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
      if (t.size() / Math.max(1, d) > MAX_CORRELATORS) {
        throw new NnftException(s.arg(i), "this is " + t.size() / Math.max(1, d) + " points, more than the limit of " + MAX_CORRELATORS + " correlators in one call; use fewer points.");
      }
      double[][] ps;
      if (d == 1) {
        if (t.rank() > 1) throw new NnftException(s.arg(i), org.nnft.check.Rules.pointsInR1(e.net().name(), t.kind()));
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
          throw new NnftException(s.arg(i), "net " + e.net().name() + " takes " + rows + "x" + cols + " matrices: give one, or a list of them, not " + t.kind() + ".");
        }
      } else {
        if (t.rank() == 1 && t.size() == d) ps = new double[][] {t.data.clone()};
        else if (t.rank() == 2 && t.shape[1] == d) {
          ps = new double[t.shape[0]][d];
          for (int k = 0; k < ps.length; k++) System.arraycopy(t.data, k * d, ps[k], 0, d);
          gridShape.add(ps.length);
        } else {
          throw new NnftException(s.arg(i), org.nnft.check.Rules.pointsInRd(e.net().name(), d, t.kind()));
        }
      }
      for (double[] p : ps) for (double x : p) if (!Double.isFinite(x)) throw new NnftException(s.arg(i), "a point must have finite coordinates.");
      pointSets.add(ps);
    }
    // all combinations, last argument fastest
    List<Request> reqs = new ArrayList<>();
    long all = 1;
    for (double[][] ps : pointSets) all = Math.min(all * ps.length, Long.MAX_VALUE / (MAX_CORRELATORS + 1));
    if (all == 0) throw new NnftException(s.span(), "there are no points to evaluate at.");
    if (all > MAX_CORRELATORS) throw new NnftException(s.span(), "this asks for " + all + " correlators at once, more than the limit of " + MAX_CORRELATORS + "; use fewer points.");
    int total = (int) all;
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
    if (e instanceof EnsembleV ev && ev.weighted) weightWarnings(in, ev, reqs, est, s.span());
    else if (tail > Runner.TAIL_LIMIT && e.warned().add(f)) in.session().warn(heavyTails(tail), s.span());
    int[] shape = gridShape.stream().mapToInt(Integer::intValue).toArray();
    // replicas for correlated error propagation, except for very large grids (64 numbers an entry)
    boolean replicas = total <= 20_000 && java.util.Arrays.stream(jack).allMatch(j -> j != null);
    return new Tensor(v, err, shape, est.get(0).note(), replicas ? jack : null, e.source(), tail);
  }

  /** The diagnostics of a weighted ensemble's estimates: bad weights once per ensemble, a coarse quadrature once per observable. */
  static void weightWarnings(Interpreter in, EnsembleV e, List<Request> reqs, List<Estimate> est, Span at) {
    Runner.Weights w = e.weights;
    if (w == null) return;
    if ((w.khat() > Runner.TAIL_LIMIT || w.ess() < MIN_ESS) && e.warnedTails.add("weights")) in.session().warn(weightProblem(w), at);
    for (int k = 0; k < reqs.size(); k++) {
      double[] d = e.shifts.get(reqs.get(k).key());
      double err = est.get(k).error();
      // the change is itself estimated: warn when it exceeds a tenth of the error beyond doubt (2 of its own errors)
      if (d != null && Math.abs(d[0]) - 2 * d[1] > 0.1 * err && e.warnedTails.add("quadrature")) {
        in.session().warn("the quadrature is too coarse: doubling its points changes this estimate by " + org.nnft.report.Format.measured(d[0], d[1])
            + " (measured on " + w.checked() + " networks), more than a tenth of its error " + org.nnft.report.Format.num(err, 3)
            + "; give the integral more points, integral(t, a, b, L, points = M)", at);
      }
    }
  }

  /** Below this effective sample size the weights leave too few networks to trust. */
  static final double MIN_ESS = 300;

  static String weightProblem(Runner.Weights w) {
    return "the weights are too uneven to trust this estimate: effective sample size " + org.nnft.report.Format.num(w.ess(), 4) + " of " + w.networks()
        + " networks, Pareto k of the largest weights " + org.nnft.report.Format.num(w.khat(), 3)
        + " (above 0.7 or an ESS below " + (int) MIN_ESS + " is unreliable); a weaker deformation, more samples, or mcmc with the same action, which samples the deformed density directly, avoid it";
  }

  /** What a heavy tail means for an estimate, in one sentence. */
  static String heavyTails(double k) {
    return "heavy tails (Hill estimate of the tail shape k = " + org.nnft.report.Format.num(k, 3) + " > " + Interpreter.fmt(Runner.TAIL_LIMIT)
        + "): the error bar of this estimate cannot be trusted and more samples help slowly; an exact form (kernel, connected_exact) or parameters with lighter tails avoid it";
  }

  /** {rows, cols} for a net over matrices R^(rows, cols), else null. */
  static int[] inputShape(Interpreter in, Draws e) {
    var t = e.net().decl().inType();
    if (t.cols() == null) return null;
    return new int[] {typeSize(in, e, t.dim()), typeSize(in, e, t.cols())};
  }

  static int inputDim(Interpreter in, Draws e, Span s) {
    var t = e.net().decl().inType();
    if (t.dim() == null) return 1;
    int rows = typeSize(in, e, t.dim());
    return t.cols() == null ? rows : rows * typeSize(in, e, t.cols());
  }

  /** A size in the net's input type, evaluated like the net would (with its overrides). */
  private static int typeSize(Interpreter in, Draws e, org.nnft.syntax.Ast.Expr size) {
    Env env = new Env(in.globals());
    for (var o : e.net().overrides().entrySet()) env.define(o.getKey(), o.getValue());
    return (int) in.number(in.eval(size, env), e.net().decl().inType().span(), "an input dimension");
  }
}
