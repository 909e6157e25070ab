package org.nnft.mcmc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.actions.ActionOnNets;
import org.nnft.actions.Actions;
import org.nnft.check.ArgType;
import org.nnft.check.SType;
import org.nnft.check.StaticCall;
import org.nnft.ensemble.Functional;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.nets.Lowering;
import org.nnft.report.Format;
import org.nnft.runtime.Builtin;
import org.nnft.runtime.Func;
import org.nnft.runtime.Interpreter;
import org.nnft.runtime.NetV;
import org.nnft.runtime.Registry;
import org.nnft.runtime.Session;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * Markov chains over network parameters weighted by e^{−S[φ_θ]} (the network path integral):
 * mcmc with nuts(), hmc(...) or metropolis(...); diagnostics of the chains; the diagnostics as
 * functions of any iterations × chains matrix (rhat, ess_bulk, ess_tail, mcse); draws; gap.
 */
public final class McmcLibrary implements Registry.Library {
  @Override public void register(Registry lib) {
    lib.add(Builtin.fn("mcmc", "mcmc(net, count, action = S, sampler = nuts(), chains = 4, warmup = 1000, seed = s, metric = \"diag\")")
        .arg("net", ArgType.DECLARED_NET).arg("count", ArgType.INTEGER)
        .named("action", ArgType.ACTION, "none: the declared density alone")
        .named("sampler", ArgType.RECORD, "nuts()")
        .named("chains", ArgType.INTEGER, "4")
        .named("warmup", ArgType.INTEGER, "1000")
        .named("seed", ArgType.INTEGER, "the session seed")
        .named("metric", ArgType.STRING, "\"diag\"; or \"dense\", \"unit\", \"free\" (the Hessian of the action's quadratic part)")
        .returns(ArgType.ENSEMBLE).costly()
        .does("Markov chains of networks with parameter density P(theta) exp(-S[net]): count kept draws per chain after warm-up")
        .typed(McmcLibrary::mcmcType).impl(McmcLibrary::mcmc));
    lib.add(Builtin.fn("nuts", "nuts(max_depth = 10, delta = 0.8)").named("max_depth", ArgType.INTEGER, "10").named("delta", ArgType.NUMBER, "0.8")
        .returns(ArgType.RECORD).does("the no-U-turn sampler (Stan's multinomial NUTS), its step size adapted to the acceptance delta")
        .impl((s, a, n) -> sampler(s, n, "nuts")));
    lib.add(Builtin.fn("hmc", "hmc(eps = ..., steps = 16, jitter = 0.1, delta = 0.8)").named("eps", ArgType.NUMBER, "adapted in warm-up")
        .named("steps", ArgType.INTEGER, "16").named("jitter", ArgType.NUMBER, "0.1").named("delta", ArgType.NUMBER, "0.8")
        .returns(ArgType.RECORD).does("Hamiltonian Monte Carlo with a fixed number of leapfrog steps and a jittered step size")
        .impl((s, a, n) -> sampler(s, n, "hmc")));
    lib.add(Builtin.fn("metropolis", "metropolis(scale = ...)").named("scale", ArgType.NUMBER, "adapted in warm-up to acceptance 0.234")
        .returns(ArgType.RECORD).does("random-walk Metropolis with Gaussian proposals shaped by the metric")
        .impl((s, a, n) -> sampler(s, n, "metropolis")));
    lib.add(Builtin.fn("diagnostics", "diagnostics(C)").arg("C", ArgType.ENSEMBLE).returns(ArgType.RECORD).observable()
        .does("the chains' diagnostics: R-hat and bulk/tail ESS of every parameter (the worst shown), acceptance, step size, divergences, tree depth")
        .impl((s, a, n) -> diagnostics(s, a.get(0))));
    lib.add(Builtin.fn("draws", "draws(C, x1, ..., xn)").arg("C", ArgType.ENSEMBLE).rest("x", ArgType.POINT, 1, 6).returns(ArgType.MATRIX).observable()
        .does("phi(x1) ... phi(xn) for every kept draw (the summand of correlator(C, x1, ..., xn)): a matrix of iterations x chains").impl(McmcLibrary::draws));
    for (String f : new String[] {"rhat", "ess_bulk", "ess_tail", "mcse"}) {
      String what = switch (f) {
        case "rhat" -> "rank-normalised split R-hat (the larger of bulk and tail), as the posterior package computes it";
        case "ess_bulk" -> "the bulk effective sample size (rank-normalised split chains), as the posterior package computes it";
        case "ess_tail" -> "the tail effective sample size (of the 5% and 95% quantile indicators), as the posterior package computes it";
        default -> "the Monte Carlo standard error of the mean, sd / sqrt(ESS of the mean), as the posterior package computes it";
      };
      lib.add(Builtin.fn(f, f + "(X) for X a matrix of iterations x chains").arg("X", ArgType.MATRIX).returns(ArgType.NUMBER).does(what)
          .impl((s, a, n) -> matrixDiagnostic(s, a.get(0), f)));
    }
    lib.add(Builtin.fn("gap", "gap(C, at = t0 or [t0, ...], taus = [...], fit = [a, b])").arg("C", ArgType.ENSEMBLE).named("at", ArgType.NUMBERS, "required; several start times average the correlator over them")
        .named("taus", ArgType.VECTOR, "required").named("fit", ArgType.VECTOR, "from tau = 1 to where G is 5 errors above 0")
        .returns(ArgType.RECORD).observable()
        .does("E1 - E0 from the exponential decay of the connected <x(t0) x(t0 + tau)>, with its error and the fitted range")
        .impl(Gap::gap));
  }

  static SType mcmcType(StaticCall c) {
    Double count = c.constant(1);
    if (count != null && (count != Math.rint(count) || count < 4 || count > 1e8)) {
      throw new NnftException(c.argSpan(1), "the number of draws per chain is a whole number from 4 to 1e8, not " + Format.num(count, 6) + ".");
    }
    if (!(c.arg(0) instanceof SType.NetT nt)) return new SType.EnsT(null);
    return new SType.EnsT(new SType.NetT(nt.name(), nt.decl(), nt.overrides(), c.inputDimension().apply(nt), nt.matrixInput()));
  }

  private static Value sampler(Func.CallSite s, Map<String, Value> n, String method) {
    Interpreter in = s.interp();
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("method", new Values.Str(method));
    for (var e : n.entrySet()) {
      double v = in.number(e.getValue(), s.named(e.getKey()), e.getKey());
      switch (e.getKey()) {
        case "max_depth" -> { if (v != Math.rint(v) || v < 1 || v > 20) throw new NnftException(s.named("max_depth"), "max_depth is a whole number from 1 to 20."); }
        case "delta" -> { if (!(v > 0 && v < 1)) throw new NnftException(s.named("delta"), "delta, the target acceptance, is between 0 and 1."); }
        case "eps", "scale" -> { if (!(v > 0 && Double.isFinite(v))) throw new NnftException(s.named(e.getKey()), e.getKey() + " is a positive step, not " + Interpreter.fmt(v) + "."); }
        case "steps" -> { if (v != Math.rint(v) || v < 1 || v > 10000) throw new NnftException(s.named("steps"), "steps is a whole number of leapfrog steps from 1 to 10000."); }
        case "jitter" -> { if (!(v >= 0 && v < 1)) throw new NnftException(s.named("jitter"), "jitter is a fraction of the step size from 0 to below 1."); }
        default -> throw new NnftException(s.named(e.getKey()), method + " has no setting " + e.getKey() + ".");
      }
      f.put(e.getKey(), Tensor.scalar(v));
    }
    return new Values.Record("sampler", f);
  }

  private static double num(Values.Record r, String k, double dflt) {
    Value v = r.fields().get(k);
    return v instanceof Tensor t && t.isScalar() ? t.value() : dflt;
  }

  private static Value mcmc(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Interpreter in = s.interp();
    if (!(a.get(0) instanceof NetV net)) throw new NnftException(s.arg(0), "mcmc needs a net first, not " + a.get(0).kind() + ".");
    double c = in.number(a.get(1), s.arg(1), "the number of draws");
    if (c != Math.rint(c) || c < 4 || c > 1e8) throw new NnftException(s.arg(1), "the number of draws per chain is a whole number from 4 to 1e8, not " + Interpreter.fmt(c) + ".");
    int chains = (int) whole(in, n, "chains", 4, 1, 256, s);
    int warmup = (int) whole(in, n, "warmup", 1000, 0, 1e8, s);
    long seed = n.containsKey("seed") ? (long) whole(in, n, "seed", 0, -9.007199254740992E15, 9.007199254740992E15, s) : in.session().seed();
    String metric = "diag";
    if (n.containsKey("metric")) {
      if (!(n.get("metric") instanceof Values.Str m) || !List.of("diag", "dense", "unit", "free").contains(m.value())) {
        throw new NnftException(s.named("metric"), "metric is \"diag\", \"dense\", \"unit\" or \"free\".");
      }
      metric = m.value();
    }
    Chain.Settings set = Chain.Settings.nuts();
    if (n.containsKey("sampler")) {
      if (!(n.get("sampler") instanceof Values.Record r) || !r.type().equals("sampler")) {
        throw new NnftException(s.named("sampler"), "sampler is nuts(), hmc(...) or metropolis(...), not " + n.get("sampler").kind() + ".");
      }
      String m = ((Values.Str) r.fields().get("method")).value();
      set = new Chain.Settings(m, num(r, "eps", 0), (int) num(r, "steps", 16), num(r, "jitter", 0.1), (int) num(r, "max_depth", 10),
          num(r, "delta", 0.8), metric, num(r, "scale", 0));
    } else {
      set = new Chain.Settings("nuts", 0, 0, 0, 10, 0.8, metric, 0);
    }
    McmcV v = new McmcV(net, s.span(), seed, chains, (int) c, warmup, set);
    if (in.planning()) return v;
    CompiledNet cn;
    try {
      cn = Lowering.lower(in, net);
    } catch (NnftException e) {
      throw e.at(s.span());
    }
    v.compiled = cn;
    // every parameter must be continuous
    for (CompiledNet.Param p : cn.params) {
      Density.Support sup = p.density().support();
      if (sup.kind() == Density.Support.Kind.POINTS) {
        throw new NnftException(s.arg(0), "mcmc moves continuous parameters; " + p.name() + " ~ " + p.density() + " takes discrete values. Sample it with sample(...), or give it a continuous density.");
      }
      if (sup.kind() == Density.Support.Kind.BALL) {
        throw new NnftException(s.arg(0), "mcmc cannot move " + p.name() + " ~ " + p.density() + " yet (a ball has no unconstraining transform here); use normal or uniform entries.");
      }
    }
    List<Functional.Integral> act = null;
    if (n.containsKey("action")) {
      if (!(n.get("action") instanceof Actions.ActionV av)) throw new NnftException(s.named("action"), "action is an action with limits, integral(t, a, b, L), not " + n.get("action").kind() + ".");
      if (Actions.coordinates(av).size() > 1) throw new NnftException(s.named("action"), "mcmc takes actions over one coordinate for now; this one integrates over a box in " + String.join(", ", Actions.coordinates(av)) + ". Reweight with sample(" + net.name() + ", n, log_weight = -S(" + net.name() + ")) instead.");
      if (in.inputDim(net) != 1) throw new NnftException(s.arg(0), "the action integrates over " + av.var() + " in R^1, but net " + net.name() + " takes points in R^" + in.inputDim(net) + ".");
      act = ActionOnNets.integral(av, s.named("action")).integrals();
    }
    CompiledNet.Param flat = cn.improper();
    if (flat != null && act == null) {
      throw new NnftException(s.span(), "parameter " + flat.name() + " has the improper density flat(): give an action, mcmc(" + net.name() + ", n, action = S), so that the chains have a density to sample.");
    }
    if (metric.equals("free") && act == null) throw new NnftException(s.named("metric"), "metric = \"free\" is the Hessian of an action's quadratic part: give an action.");
    v.spec = new Target.Spec(cn, act);
    Session.Progress progress = in.session().startProgress(net.name(), (long) chains * (warmup + (int) c));
    try {
      v.result = Run.run(v.spec, set, chains, warmup, (int) c, seed, in.session().threads(), in.session()::isCancelled, progress,
          in.session().options().engine);
    } catch (java.util.concurrent.CancellationException e) {
      throw new Session.Cancelled();
    } catch (IllegalArgumentException e) {
      if (metric.equals("free")) {
        throw new NnftException(s.named("metric"), "the action's quadratic part is not positive definite in the parameters of " + net.name() + ", so it cannot be the metric; use metric = \"diag\" or \"dense\".");
      }
      throw new NnftException(s.span(), "mcmc failed: " + e.getMessage() + ".");
    } catch (IllegalStateException e) {
      throw new NnftException(s.span(), "mcmc could not start: " + e.getMessage() + "; check that the action is finite for the nets the density allows.");
    } catch (NnftException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      progress.close();
    }
    Summary sum = Summary.of(v);
    String w = sum.problem();
    if (w != null) in.session().warn(w, s.span());
    return v;
  }

  private static double whole(Interpreter in, Map<String, Value> n, String k, double dflt, double lo, double hi, Func.CallSite s) {
    if (!n.containsKey(k)) return dflt;
    double v = in.number(n.get(k), s.named(k), k);
    if (v != Math.rint(v) || v < lo || v > hi) throw new NnftException(s.named(k), k + " is a whole number from " + Interpreter.fmt(lo) + " to " + Interpreter.fmt(hi) + ", not " + Interpreter.fmt(v) + ".");
    return v;
  }

  static McmcV chains(Func.CallSite s, Value v, int arg) {
    if (!(v instanceof McmcV m)) throw new NnftException(s.arg(arg), "this needs Markov chains (from mcmc(...)), not " + v.kind() + ".");
    return m;
  }

  private static Value diagnostics(Func.CallSite s, Value v) {
    McmcV m = chains(s, v, 0);
    if (s.interp().planning()) return Values.Unknown.INSTANCE;
    return Summary.of(m).record();
  }

  private static Value draws(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    McmcV m = chains(s, a.get(0), 0);
    if (s.interp().planning()) return Values.Unknown.INSTANCE;
    int k = a.size() - 1;
    double[][] pts = new double[k][];
    for (int j = 0; j < k; j++) {
      Tensor t = s.interp().tensorArg(a.get(j + 1), s.arg(j + 1), "draws");
      if (t.size() != m.compiled.inDim) throw new NnftException(s.arg(j + 1), "net " + m.net.name() + " takes points in R^" + m.compiled.inDim + ", not " + t.kind() + ".");
      pts[j] = t.data.clone();
    }
    double[][] vals = m.values(pts);
    double[] d = new double[m.count * m.chains];
    for (int i = 0; i < m.count; i++) {
      for (int c = 0; c < m.chains; c++) {
        double prod = 1;
        for (int j = 0; j < k; j++) prod *= vals[c][i * k + j];
        d[i * m.chains + c] = prod;
      }
    }
    return new Tensor(d, null, new int[] {m.count, m.chains}, null);
  }

  private static Value matrixDiagnostic(Func.CallSite s, Value v, String f) {
    Tensor t = s.interp().tensorArg(v, s.arg(0), f);
    if (t.rank() != 2) throw new NnftException(s.arg(0), f + " takes a matrix of iterations x chains (one column per chain), not " + t.kind() + ".");
    int iters = t.shape[0], ch = t.shape[1];
    if (iters < 3) throw new NnftException(s.arg(0), f + " needs at least 3 iterations per chain; this matrix has " + iters + ".");
    double[][] x = new double[ch][iters];
    for (int i = 0; i < iters; i++) for (int c = 0; c < ch; c++) x[c][i] = t.data[i * ch + c];
    double r = switch (f) {
      case "rhat" -> Diagnostics.rhat(x);
      case "ess_bulk" -> Diagnostics.essBulk(x);
      case "ess_tail" -> Diagnostics.essTail(x);
      default -> Diagnostics.mcseMean(x);
    };
    if (Double.isNaN(r)) {
      throw new NnftException(s.arg(0), f + " is not defined for these draws (it needs at least 3 iterations in each half chain, finite values, and not all of them equal).");
    }
    return Tensor.scalar(r);
  }

  static Span span(McmcV m) { return m.span; }
}
