package org.nnft.gauge;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import org.nnft.check.SType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnft.gauge.Attention;
import org.nnft.gauge.FeedForward;
import org.nnft.gauge.OrbitDim;
import org.nnft.gauge.TapeOrbit;
import org.nnft.model.CompiledNet;
import org.nnft.nets.Lowering;
import org.nnft.polytope.FittedV;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.BinOp;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.syntax.NnftException;

/** orbit_dim(net), attention(...): counting the continuous parameter redundancies of a net. */
public final class GaugeNets {
  private GaugeNets() {}

  /** Multi-head self-attention without biases (section 6). */
  record AttentionV(String name, int dModel, int dK, int dV, int heads) implements Named {
    @Override public String kind() { return "an attention layer"; }
    @Override public String toString() { return "attention(d_model = " + dModel + ", d_k = " + dK + ", d_v = " + dV + ", heads = " + heads + ")"; }
    public AttentionV named(String n) { return new AttentionV(n, dModel, dK, dV, heads); }
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("attention", "attention(d_model = 4, d_k = 3, d_v = 2, heads = 1)").named("d_model", ArgType.INTEGER, null).named("d_k", ArgType.INTEGER, null).named("d_v", ArgType.INTEGER, null).named("heads", ArgType.INTEGER, "1").returns(ArgType.NET).does("an attention layer with random weights").typed(c -> new SType.NetT(null, null, java.util.Map.of(), null, true)).impl((s, a, n) -> {
      int dm = Builtins.namedSize(s, n, "d_model", 4, "attention"), dk = Builtins.namedSize(s, n, "d_k", 2, "attention");
      int dv = Builtins.namedSize(s, n, "d_v", 2, "attention"), h = Builtins.namedSize(s, n, "heads", 1, "attention");
      // W_Q, W_K and W_V and W_O per head: heads x d_model x (2 d_k + 2 d_v) weights
      org.nnft.runtime.Sizes.entries(s.span(), "this attention layer's weights", h, dm, 2L * dk + 2L * dv);
      return new AttentionV(null, dm, dk, dv, h);
    }));
    lib.add(Builtin.fn("orbit_dim", "orbit_dim(net), orbit_dim(net, at = \"draw\", draws = 200)").arg("net", ArgType.NET).named("at", ArgType.STRING, "\"generic\"").named("draws", ArgType.INTEGER, "200").named("seed", ArgType.INTEGER, "the session seed").costly().returns(ArgType.NUMBERS).does("the dimension of the gauge orbit: parameters minus the Jacobian rank").impl((s, a, n) -> decomposing(s, () -> orbitDimCall(s, a, n))));
    lib.add(Builtin.fn("balance", "balance(net)").arg("net", ArgType.NET).costly().returns(ArgType.RECORD).does("the least-norm point of the gauge orbit").impl((s, a, n) -> decomposing(s, () -> balance(s, a.get(0)))));
  }

  static final int DEFAULT_DRAWS = 200, MAX_DRAWS = 100_000;

  /**
   * A decomposition (SVD, eigenvalues) that fails on this net's numbers (parameters so large that
   * the Jacobian overflows, say) is a statement about the input, not a bug: an error on the call.
   */
  static Value decomposing(Func.CallSite s, java.util.function.Supplier<Value> work) {
    try {
      return work.get();
    } catch (OrbitDim.TooLarge e) {
      throw new NnftException(s.span(), e.getMessage() + "; use a smaller net.");
    } catch (ArithmeticException e) {
      throw new NnftException(s.span(), "the linear algebra behind this failed at the net's parameters (" + e.getMessage()
          + "): its numbers are too large, too small or not finite for it; use parameters of moderate size.");
    }
  }

  private static Value orbitDimCall(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Value at = n.get("at");
    String where = "generic";
    if (at != null) {
      if (!(at instanceof Values.Str str) || !(str.value().equals("generic") || str.value().equals("draw"))) {
        throw new NnftException(s.named("at"), "at is \"generic\" (the orbit at a generic parameter point) or \"draw\" (its distribution over"
            + " draws from the net's densities), not " + (at instanceof Values.Str str ? "\"" + str.value() + "\"" : at.kind()) + ".");
      }
      where = str.value();
    }
    if (where.equals("generic")) {
      for (String k : new String[] {"draws", "seed"}) {
        if (n.containsKey(k)) throw new NnftException(s.named(k), k + " = ... belongs to orbit_dim(net, at = \"draw\", ...); the generic count takes no " + k + ".");
      }
      return orbitDim(s, a.get(0));
    }
    double dv = Builtins.named(s, n, "draws", DEFAULT_DRAWS, "orbit_dim");
    int draws = Builtins.wholeNumber(dv, s.named("draws"), "draws");
    if (draws < 1 || draws > MAX_DRAWS) throw new NnftException(s.named("draws"), "draws must be between 1 and " + MAX_DRAWS + ", not " + draws + ".");
    double sv = Builtins.named(s, n, "seed", s.interp().session().seed(), "orbit_dim");
    long seed = Builtins.wholeNumber(sv, s.named("seed"), "seed");
    return orbitDimDraws(s, a.get(0), draws, seed);
  }

  /**
   * The distribution of the orbit dimension over draws from the net's own densities (feed-forward
   * nets): how often hidden units never switch (dead or always on), and the histogram of orbit
   * dimensions next to the generic one.
   */
  static Value orbitDimDraws(Func.CallSite s, Value v, int draws, long seed) {
    if (v instanceof FittedV fv) throw new NnftException(s.arg(0), fv.name() + " is a fitted net, one point of parameter space; orbit_dim(" + fv.name() + ") counts its orbit there, and orbit_dim(" + fv.name() + ", at = \"draw\") the orbits of draws from the declared densities.");
    if (!(v instanceof NetV net)) {
      throw new NnftException(s.arg(0), "orbit_dim(net, at = \"draw\") needs a feed-forward net from net or mlp(...), not " + v.kind()
          + (v instanceof AttentionV ? " (attention is smooth: almost every draw has the generic orbit)" : "") + ".");
    }
    Layout lay;
    try {
      lay = layout(s, net, s.interp().session().seed(), true);
    } catch (NnftException | IllegalArgumentException e) {
      throw new NnftException(s.arg(0), "orbit_dim(net, at = \"draw\") needs a feed-forward net (layers W @ h + b with an element-wise activation"
          + " each); " + net.name() + " is not of that form.");
    }
    FeedForward ff = lay.net();
    if (ff.parameterCount() > OrbitDim.MAX_PARAMETERS) {
      throw new NnftException(s.arg(0), "orbit_dim handles at most " + OrbitDim.MAX_PARAMETERS + " parameters; " + net.name() + " has " + ff.parameterCount() + ".");
    }
    OrbitDim.Result generic = OrbitDim.of(ff, s.interp().session().seed());
    CompiledNet cn = Lowering.lower(s.interp(), net);
    if (cn.improper() != null) {
      throw new NnftException(s.arg(0), "orbit_dim(net, at = \"draw\") draws from the net's densities, and " + cn.improper().name()
          + " ~ " + cn.improper().density() + " is improper (nothing to draw from); orbit_dim(net) gives the generic orbit.");
    }
    // the parameters of every draw, in draw order, from the net's own densities
    OrbitDim.LayerDraw density = (rng, W, b) -> {
      Forward k = new Forward(cn.tape, 1);
      cn.drawer(k).draw(rng);
      for (int l = 0; l < W.length; l++) {
        System.arraycopy(k.paramBuffer(lay.weights()[l]), 0, W[l], 0, W[l].length);
        if (b != null && b[l] != null) System.arraycopy(k.paramBuffer(lay.biases()[l]), 0, b[l], 0, b[l].length);
      }
    };
    List<OrbitDim.Draw> ds = OrbitDim.draws(ff, density, draws, seed, s.interp().session().threads());
    java.util.TreeMap<Integer, Integer> hist = new java.util.TreeMap<>();
    int degenerate = 0, dead = 0, on = 0, atGeneric = 0, larger = 0;
    double mean = 0, mean2 = 0;
    for (OrbitDim.Draw d : ds) {
      hist.merge(d.orbitDim(), 1, Integer::sum);
      if (d.degenerate()) degenerate++;
      if (d.dead() > 0) dead++;
      if (d.alwaysOn() > 0) on++;
      if (d.orbitDim() == generic.orbitDim()) atGeneric++;
      if (d.orbitDim() > generic.orbitDim()) larger++;
      mean += d.orbitDim();
      mean2 += (double) d.orbitDim() * d.orbitDim();
    }
    mean /= draws;
    double var = draws > 1 ? Math.max(0, (mean2 - draws * mean * mean) / (draws - 1)) : 0;
    double[] dims = new double[hist.size()], counts = new double[hist.size()];
    int i = 0;
    for (Map.Entry<Integer, Integer> e : hist.entrySet()) {
      dims[i] = e.getKey();
      counts[i++] = e.getValue();
    }
    Map<String, Value> f = new java.util.LinkedHashMap<>();
    f.put("generic", Tensor.scalar(generic.orbitDim()));
    f.put("draws", Tensor.scalar(draws));
    f.put("orbit_dims", Tensor.vector(dims));
    f.put("counts", Tensor.vector(counts));
    f.put("mean", Tensor.measured(mean, Math.sqrt(var / draws), "mean over draws"));
    f.put("fraction_generic", fraction(atGeneric, draws));
    f.put("fraction_larger", fraction(larger, draws));
    f.put("fraction_dead_or_always_on", fraction(degenerate, draws));
    f.put("fraction_dead", fraction(dead, draws));
    f.put("fraction_always_on", fraction(on, draws));
    f.put("note", new Values.Str(draws + " draws from the densities of " + net.name() + " (seed " + seed + "); per draw, P minus the Jacobian rank over"
        + " inputs at the scale of its kinks (Gaussian, and a point in every linear piece of random whole lines); a unit is dead (always on)"
        + " when no input switches it on (off); generic = the orbit where every unit switches and no parameter is inert"));
    return new Values.Record("orbit distribution", f);
  }

  /** k of n as an estimate with its binomial standard error. */
  private static Tensor fraction(int k, int n) {
    double p = (double) k / n;
    return Tensor.measured(p, Math.sqrt(p * (1 - p) / n), "binomial, " + n + " draws");
  }

  static Value orbitDim(Func.CallSite s, Value v) {
    long seed = s.interp().session().seed();
    OrbitDim.Result r;
    boolean kinks = false;
    if (v instanceof AttentionV at) {
      r = OrbitDim.of(Attention.random(at.dModel(), at.dK(), at.dV(), at.heads(), seed), seed);
    } else if (v instanceof NetV net) {
      FeedForward ff = null;
      try {
        ff = feedForward(s, net, seed, true);
      } catch (NnftException | IllegalArgumentException notFeedForward) {
        // not of the feed-forward form (or an activation that form does not know): the Jacobian of its tape
      }
      kinks = ff != null && ff.anyPiecewiseLinear();
      try {
        r = ff != null ? OrbitDim.of(ff, seed) : declared(s, net, seed);
      } catch (IllegalArgumentException tooLarge) {
        throw new NnftException(s.arg(0), tooLarge.getMessage().replaceAll("\\.$", "") + ".");
      }
    } else if (v instanceof FittedV fv) {
      // at the trained parameters: the feed-forward form if it has one, else the Jacobian of its tape
      Layout lay = fittedLayout(s, fv, true);
      try {
        r = lay != null ? OrbitDim.of(trained(lay, fv), seed) : TapeOrbit.orbitDim(fv.compiled().tape, (rng, theta) -> System.arraycopy(fv.theta(), 0, theta, 0, theta.length), seed);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new NnftException(s.arg(0), "orbit_dim of " + fv.name() + ": " + e.getMessage().replaceAll("\\.$", "") + ".");
      }
    } else {
      throw new NnftException(s.arg(0), "orbit_dim needs a net, not " + v.kind() + ".");
    }
    String note = r.parameters() + " parameters, Jacobian rank " + r.rank() + " (" + r.rankAtSecondPoint() + " at a second point), "
        + "SVD tolerance " + org.nnft.report.Format.num(r.tolerance()) + ", gap " + org.nnft.report.Format.num(r.gap());
    if (v instanceof FittedV) note += "; at the trained parameters of the fitted net (dead or always-on units enlarge the orbit)";
    else if (r.rank() != r.rankAtSecondPoint()) note += "; the two points disagree: the count is not reliable";
    if (v instanceof NetV && kinks) {
      // piecewise-linear activations: the count is the generic (smallest) orbit, not that of every draw
      note += "; at a generic point (every hidden unit switches, no parameter is inert): draws from the net's densities may have dead or"
          + " always-on units and larger orbits, see orbit_dim(net, at = \"draw\")";
    }
    return new Tensor(new double[] {r.orbitDim()}, null, new int[0], note);
  }

  /**
   * orbit_dim of a net that is not of the feed-forward form: exact Jacobians of its lowered tape
   * ({@link TapeOrbit}), parameters drawn from the net's own densities.
   */
  private static OrbitDim.Result declared(Func.CallSite s, NetV net, long seed) {
    CompiledNet cn = Lowering.lower(s.interp(), net);
    int p = cn.parameterCount();
    if (p > OrbitDim.MAX_PARAMETERS) {
      throw new NnftException(s.arg(0), "orbit_dim handles at most " + OrbitDim.MAX_PARAMETERS + " parameters; " + net.name() + " has " + p + ".");
    }
    if (p == 0) throw new NnftException(s.arg(0), "orbit_dim needs a net with random parameters; " + net.name() + " has none.");
    Forward k = new Forward(cn.tape, 1);
    CompiledNet.Drawer dr = cn.drawer(k);
    TapeOrbit.ParameterDraw draw = (rng, theta) -> {
      dr.draw(rng);
      int o = 0;
      for (CompiledNet.Param q : cn.params) { // declaration order = tape order
        System.arraycopy(k.paramBuffer(q.node()), 0, theta, o, q.size());
        o += q.size();
      }
    };
    try {
      return TapeOrbit.orbitDim(cn.tape, draw, seed);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new NnftException(s.arg(0), "orbit_dim of " + net.name() + ": " + e.getMessage() + ".");
    }
  }

  /**
   * Gauge fixing at a parameter point drawn with the session seed: the least-norm point of the
   * ReLU rescaling orbit (balanced incoming and outgoing norms per unit), or the balanced-Gram
   * representative of attention; the function is unchanged and the norm does not grow.
   */
  static Value balance(Func.CallSite s, Value v) {
    long seed = s.interp().session().seed();
    java.util.Map<String, Value> f = new java.util.LinkedHashMap<>();
    if (v instanceof AttentionV at) {
      Attention a = Attention.random(at.dModel(), at.dK(), at.dV(), at.heads(), seed);
      Attention b = org.nnft.gauge.Balance.balance(a);
      double change = 0;
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
      for (int k = 0; k < 8; k++) {
        double[][] x = new double[3][at.dModel()];
        for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = r.nextGaussian();
        double[][] y0 = a.eval(x), y1 = b.eval(x);
        for (int i = 0; i < y0.length; i++) for (int j = 0; j < y0[i].length; j++) change = Math.max(change, Math.abs(y0[i][j] - y1[i][j]));
      }
      f.put("norm_before", Tensor.scalar(Math.sqrt(org.nnft.gauge.Balance.normSquared(a))));
      f.put("norm_after", Tensor.scalar(Math.sqrt(org.nnft.gauge.Balance.normSquared(b))));
      f.put("max_function_change", Tensor.scalar(change));
      f.put("gauge", new Values.Str("balanced Gram matrices: W_Q'^T W_Q' = W_K'^T W_K' and W_V'^T W_V' = W_O' W_O'^T per head"));
      return new Values.Record("balance", f);
    }
    FittedV fitted = v instanceof FittedV fv ? fv : null;
    Layout flay = null;
    FeedForward a;
    String name;
    if (fitted != null) {
      flay = fittedLayout(s, fitted, false);
      name = fitted.name();
      if (flay == null) throw new NnftException(s.arg(0), "balance fixes the rescaling gauge of feed-forward ReLU nets (layers W @ h + b); " + name + " is not of that form.");
      a = trained(flay, fitted);
    } else {
      if (!(v instanceof NetV net)) throw new NnftException(s.arg(0), "balance needs a net, not " + v.kind() + ".");
      a = feedForward(s, net, seed, false);
      name = net.name();
    }
    if (!a.act().equals("relu")) throw new NnftException(s.arg(0), "balance fixes the rescaling gauge of ReLU nets; " + name + " uses " + a.act() + ".");
    FeedForward b = org.nnft.gauge.Balance.balance(a);
    double change = 0;
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int k = 0; k < 64; k++) {
      double[] x = new double[a.inputDim()];
      for (int j = 0; j < x.length; j++) x[j] = 2 * r.nextGaussian();
      double[] y0 = a.eval(x), y1 = b.eval(x);
      for (int j = 0; j < y0.length; j++) change = Math.max(change, Math.abs(y0[j] - y1[j]));
    }
    f.put("norm_before", Tensor.scalar(Math.sqrt(org.nnft.gauge.Balance.normSquared(a))));
    f.put("norm_after", Tensor.scalar(Math.sqrt(org.nnft.gauge.Balance.normSquared(b))));
    f.put("imbalance_before", Tensor.scalar(org.nnft.gauge.Balance.imbalance(a)));
    f.put("imbalance_after", Tensor.scalar(org.nnft.gauge.Balance.imbalance(b)));
    f.put("max_function_change", Tensor.scalar(change));
    f.put("gauge", new Values.Str("least-norm point of the rescaling orbit: incoming and outgoing norms equal for every hidden unit"));
    if (fitted != null) f.put("net", fitted.withTheta(thetaOf(flay, fitted, b)));
    return new Values.Record("balance", f);
  }

  /**
   * A feed-forward net read off the lowered tape: layers W @ h + b, each hidden layer with an
   * element-wise activation, the same in every layer unless {@code mixed}.
   */
  static FeedForward feedForward(Func.CallSite s, NetV net, long seed, boolean mixed) {
    return layout(s, net, seed, mixed).net();
  }

  /** A feed-forward net with the tape nodes of its weights and biases (-1 where a layer has none). */
  record Layout(FeedForward net, int[] weights, int[] biases) {}

  static Layout layout(Func.CallSite s, NetV net, long seed, boolean mixed) {
    return layout(s, net.name(), Lowering.lower(s.interp(), net), seed, mixed);
  }

  static Layout layout(Func.CallSite s, String name, CompiledNet cn, long seed, boolean mixed) {
    Tape t = cn.tape;
    String no = "orbit_dim counts the redundancies of feed-forward nets (layers W @ h + b with one activation) and attention; " + name + " is not of that form";
    List<Integer> widths = new ArrayList<>();
    List<Boolean> biases = new ArrayList<>();
    List<String> acts = new ArrayList<>();
    List<Integer> wIds = new ArrayList<>(), bIds = new ArrayList<>();
    int o = t.output;
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    while (true) {
      Node nd = t.node(o);
      for (int i : nd.in) {
        // a parameter shared by two layers (tied weights) is not an independent feed-forward layer
        if (t.node(i).kind == Kind.PARAM && !seen.add(i)) throw new NnftException(s.arg(0), no + ": it ties parameters across layers.");
      }
      int lin;
      boolean bias = false;
      if (nd.kind == Kind.BINARY && nd.op == BinOp.ADD && t.node(nd.in[1]).kind == Kind.PARAM) { lin = nd.in[0]; bias = true; }
      else lin = o;
      Node ln = t.node(lin);
      int h;
      if ((ln.kind == Kind.MATVEC || ln.kind == Kind.DOT) && t.node(ln.in[0]).kind == Kind.PARAM) { h = ln.in[1]; wIds.add(0, ln.in[0]); }
      else if (ln.kind == Kind.DOT && t.node(ln.in[1]).kind == Kind.PARAM) { h = ln.in[0]; wIds.add(0, ln.in[1]); }
      else throw new NnftException(s.arg(0), no + ".");
      bIds.add(0, bias ? nd.in[1] : -1);
      widths.add(0, ln.size);
      biases.add(0, bias);
      Node hn = t.node(h);
      if (hn.kind == Kind.INPUT) { widths.add(0, hn.size); break; }
      if (hn.kind != Kind.UNARY) throw new NnftException(s.arg(0), no + ".");
      if (!mixed && !acts.isEmpty() && !acts.get(0).equals(hn.fn.text())) throw new NnftException(s.arg(0), no + ": it mixes activations " + hn.fn.text() + " and " + acts.get(0) + ".");
      acts.add(0, hn.fn.text());
      o = hn.in[0];
    }
    // the biases the net has, layer by layer (a bias-free layer must not gain bias parameters)
    boolean[] b = new boolean[biases.size()];
    for (int l = 0; l < b.length; l++) b[l] = biases.get(l);
    int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
    FeedForward ff = FeedForward.random(w, acts.isEmpty() ? "identity" : acts.get(0), b, seed);
    if (!acts.isEmpty()) ff = new FeedForward(ff.widths(), ff.act(), ff.W(), ff.b(), acts.toArray(new String[0]));
    return new Layout(ff, wIds.stream().mapToInt(Integer::intValue).toArray(), bIds.stream().mapToInt(Integer::intValue).toArray());
  }
  /** The feed-forward form of a fitted net at its trained parameters (null when it is not of that form). */
  static Layout fittedLayout(Func.CallSite s, FittedV fv, boolean mixed) {
    try {
      return layout(s, fv.name(), fv.compiled(), 0, mixed);
    } catch (NnftException | IllegalArgumentException notFeedForward) {
      return null;
    }
  }

  static FeedForward trained(Layout lay, FittedV fv) {
    FeedForward ff = lay.net();
    double[][] W = new double[ff.W().length][], b = new double[ff.W().length][];
    for (int l = 0; l < W.length; l++) {
      W[l] = java.util.Arrays.copyOfRange(fv.theta(), fv.offset(lay.weights()[l]), fv.offset(lay.weights()[l]) + ff.W()[l].length);
      if (lay.biases()[l] >= 0) b[l] = java.util.Arrays.copyOfRange(fv.theta(), fv.offset(lay.biases()[l]), fv.offset(lay.biases()[l]) + ff.b()[l].length);
      else b[l] = ff.b()[l];
    }
    return new FeedForward(ff.widths(), ff.act(), W, b, ff.acts());
  }

  /** fv's parameters with the weights and biases of ff written back. */
  static double[] thetaOf(Layout lay, FittedV fv, FeedForward ff) {
    double[] t = fv.theta().clone();
    for (int l = 0; l < ff.W().length; l++) {
      System.arraycopy(ff.W()[l], 0, t, fv.offset(lay.weights()[l]), ff.W()[l].length);
      if (lay.biases()[l] >= 0) System.arraycopy(ff.b()[l], 0, t, fv.offset(lay.biases()[l]), ff.b()[l].length);
    }
    return t;
  }
}
