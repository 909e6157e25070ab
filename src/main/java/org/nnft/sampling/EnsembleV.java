package org.nnft.sampling;

import org.nnft.runtime.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnft.ensemble.Estimate;
import org.nnft.ensemble.Request;
import org.nnft.ensemble.Runner;
import org.nnft.model.CompiledNet;
import org.nnft.nets.Lowering;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * An ensemble: a net, a count and a seed. Nothing is sampled until an observable needs it; then
 * every observable the script asks of this ensemble (found by the planning pass) is computed in
 * one pass and cached.
 */
public final class EnsembleV implements Draws, Members {
  final NetV net;
  final long count;
  final long seed;
  final String estimator; // auto, networks, iid
  final Span span;
  private CompiledNet compiled;
  private final Map<String, Estimate> cache = new HashMap<>();
  /** Per request of a weighted ensemble: the change of the estimate when the quadrature's points double. */
  final Map<String, double[]> shifts = new HashMap<>();
  private String usedEstimator;
  /** The observables (correlator, connected) already warned about heavy tails: one warning each. */
  final java.util.Set<String> warnedTails = new java.util.HashSet<>();

  /** The log-weight of each network (null: unweighted), and whether the call gave one (known while planning too). */
  final org.nnft.ensemble.Functional logWeight;
  final boolean weighted;
  /** After a weighted pass: the weights' diagnostics. */
  Runner.Weights weights;

  EnsembleV(NetV net, long count, long seed, String estimator, Span span) { this(net, count, seed, estimator, span, null, false); }

  EnsembleV(NetV net, long count, long seed, String estimator, Span span, org.nnft.ensemble.Functional logWeight, boolean weighted) {
    this.net = net;
    this.count = count;
    this.seed = seed;
    this.estimator = estimator;
    this.span = span;
    this.logWeight = logWeight;
    this.weighted = weighted;
  }

  @Override public NetV net() { return net; }

  @Override public int inputDim(Interpreter in) { return compiled(in).inDim; }

  @Override public java.util.Set<String> warned() { return warnedTails; }

  /** Identifies the same ensemble in the planning pass and the real run. */
  public String key() {
    var sp = net.decl().span();
    StringBuilder b = new StringBuilder(net.decl().name()).append('@').append(sp.file()).append(':')
        .append(sp.line()).append(':').append(sp.column());
    for (var e : net.overrides().entrySet()) b.append('|').append(e.getKey()).append('=').append(Printer.key(e.getValue()));
    if (weighted) b.append("|weighted@").append(span.line()).append(':').append(span.column());
    return b + "|" + count + "|" + seed + "|" + estimator;
  }

  /**
   * The random source of this ensemble's estimates: every ensemble drawn with one seed uses the
   * same chunk streams, so their estimates are correlated batch by batch.
   */
  public String source() { return "seed " + seed; }

  @Override public String kind() { return "an ensemble"; }

  @Override public org.nnft.check.SType staticType() { return new org.nnft.check.SType.EnsT(null); }

  @Override public String toString() {
    return "ensemble of " + count + " samples of " + net + " (seed " + seed + (usedEstimator != null ? ", " + usedEstimator : "") + ")";
  }

  CompiledNet compiled(Interpreter in) {
    if (compiled == null) {
      try {
        compiled = Lowering.lower(in, net);
      } catch (NnftException e) {
        if (!net.overrides().isEmpty() && !net.name().equals("mlp")) {
          throw new NnftException(e.kind(), e.span(), e.getMessage().replaceAll("\\.$", "") + " (in " + net + ").");
        }
        throw e.at(span);
      }
      CompiledNet.Param flat = compiled.improper();
      if (flat != null) {
        CompiledNet c = compiled;
        compiled = null;
        throw new NnftException(span, "sample cannot draw net " + c.name + ": its parameter " + flat.name() + " has the density " + flat.density()
            + ", which is improper (no normalisation, nothing to draw from); flat() is usable only in mcmc, where an action weighs the parameters.");
      }
      usedEstimator = weighted ? "weighted networks" : !estimator.equals("networks") && compiled.neuron != null ? "iid neurons" : "networks";
      if (weighted && estimator.equals("iid")) {
        throw new NnftException(span, "estimator = \"iid\" does not apply to a weighted ensemble: the weight couples the neurons, so the networks are weighed one by one (estimator = \"auto\" or \"networks\").");
      }
      if (estimator.equals("iid") && compiled.neuron == null) {
        throw new NnftException(span, "estimator = \"iid\" needs a net whose output is a sum of N i.i.d. neuron terms, such as dot(W1, cos(W0 @ x + b0)); " + net.name() + " is not of that form.");
      }
    }
    return compiled;
  }

  Runner.Mode mode(Interpreter in) {
    CompiledNet c = compiled(in);
    return !weighted && !estimator.equals("networks") && c.neuron != null ? Runner.Mode.NEURONS : Runner.Mode.NETWORKS;
  }

  /** Estimates for the requests, running one pass for all that are not cached yet. */
  public List<Estimate> estimate(Interpreter in, List<Request> wanted) {
    List<Request> todo = new ArrayList<>();
    Map<String, Request> seen = new LinkedHashMap<>();
    for (Request r : wanted) if (!cache.containsKey(r.key())) seen.put(r.key(), r);
    if (!seen.isEmpty()) {
      for (Request r : in.session().plannedRequests(key())) if (!cache.containsKey(r.key())) seen.putIfAbsent(r.key(), r);
      todo.addAll(seen.values());
      CompiledNet c = compiled(in);
      for (Request r : todo) {
        for (double[] p : r.points()) {
          if (p.length != c.inDim) {
            throw new NnftException(null, "net " + net.name() + " takes points in R^" + c.inDim + ", but a point here has " + p.length + " coordinate" + (p.length == 1 ? "" : "s") + ".");
          }
        }
      }
      if (c.outDim != 1) throw new NnftException(null, "correlators need a net with one output; " + net.name() + " has " + c.outDim + ".");
      Runner.Mode mode = mode(in);
      Runner runner = new Runner(c, mode, count, seed, in.session().threads(), todo);
      runner.logWeight = logWeight;
      runner.engine = in.session().options().engine;
      Session.Progress progress = in.session().startProgress(net.name(), count);
      long[] last = {0};
      runner.progress = d -> {
        last[0] = d;
        progress.update(d);
      };
      runner.note = text -> progress.update(last[0], text);
      runner.cancelled = in.session()::isCancelled;
      List<Estimate> res;
      try {
        res = runner.run();
        in.session().countPass();
      } catch (java.util.concurrent.CancellationException e) {
        throw new Session.Cancelled();
      } catch (ArithmeticException e) {
        throw new NnftException(span, e.getMessage() + "; a weight must be a positive finite number for every network (a log-weight finite or -inf).");
      } finally {
        progress.close();
      }
      for (int i = 0; i < todo.size(); i++) cache.put(todo.get(i).key(), res.get(i));
      if (weighted) {
        weights = runner.weights;
        for (int i = 0; i < todo.size(); i++) shifts.put(todo.get(i).key(), new double[] {weights.quadratureShift()[i], weights.quadratureError()[i]});
      }
      usedEstimator = weighted ? "weighted networks" : mode == Runner.Mode.NEURONS ? "iid neurons" : "networks";
    }
    List<Estimate> out = new ArrayList<>();
    for (Request r : wanted) out.add(cache.get(r.key()));
    return out;
  }

  @Override public Value member(String name, Span s) {
    return switch (name) {
      case "count" -> Tensor.scalar(count);
      case "seed" -> Tensor.scalar(seed);
      case "estimator" -> new Values.Str(usedEstimator != null ? usedEstimator : weighted ? "weighted networks" : estimator);
      default -> throw new NnftException(s, "an ensemble has no part '" + name + "'; it has count, seed and estimator.");
    };
  }
}
