package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;

import java.util.ArrayList;
import java.util.List;
import org.nnft.gauge.Attention;
import org.nnft.gauge.FeedForward;
import org.nnft.gauge.OrbitDim;
import org.nnft.gauge.TapeJacobian;
import org.nnft.model.CompiledNet;
import org.nnft.model.Lowering;
import org.nnft.model.NetV;
import org.nnft.numeric.Kernel;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.syntax.NnftException;

/** orbit_dim(net), attention(...): counting the continuous parameter redundancies of a net. */
final class GaugeNets {
  private GaugeNets() {}

  /** Multi-head self-attention without biases (section 6). */
  record AttentionV(String name, int dModel, int dK, int dV, int heads) implements Value {
    @Override public String kind() { return "an attention layer"; }
    @Override public String toString() { return "attention(d_model = " + dModel + ", d_k = " + dK + ", d_v = " + dV + ", heads = " + heads + ")"; }
    AttentionV named(String n) { return new AttentionV(n, dModel, dK, dV, heads); }
  }

  static void register() {
    def("attention", 0, 0, Builtins.names("d_model", "d_k", "d_v", "heads"), (s, a, n) -> {
      int dm = (int) Builtins.named(s, n, "d_model", 4, "attention"), dk = (int) Builtins.named(s, n, "d_k", 2, "attention");
      int dv = (int) Builtins.named(s, n, "d_v", 2, "attention"), h = (int) Builtins.named(s, n, "heads", 1, "attention");
      if (dm < 1 || dk < 1 || dv < 1 || h < 1) throw new NnftException(s.span(), "attention needs positive d_model, d_k, d_v and heads.");
      return new AttentionV(null, dm, dk, dv, h);
    }, "attention(d_model = 4, d_k = 3, d_v = 2, heads = 1)");
    def("orbit_dim", 1, 1, Builtins.names(), (s, a, n) -> orbitDim(s, a.get(0)), "orbit_dim(net)");
    def("balance", 1, 1, Builtins.names(), (s, a, n) -> balance(s, a.get(0)), "balance(net)");
  }

  static Value orbitDim(Func.CallSite s, Value v) {
    long seed = s.interp().session().seed();
    OrbitDim.Result r;
    if (v instanceof AttentionV at) {
      r = OrbitDim.of(Attention.random(at.dModel(), at.dK(), at.dV(), at.heads(), seed), seed);
    } else if (v instanceof NetV net) {
      FeedForward ff = null;
      try {
        ff = feedForward(s, net, seed, true);
      } catch (NnftException | IllegalArgumentException notFeedForward) {
        // not of the feed-forward form (or an activation that form does not know): the Jacobian of its tape
      }
      try {
        r = ff != null ? OrbitDim.of(ff, seed) : declared(s, net, seed);
      } catch (IllegalArgumentException tooLarge) {
        throw new NnftException(s.arg(0), tooLarge.getMessage().replaceAll("\\.$", "") + ".");
      }
    } else {
      throw new NnftException(s.arg(0), "orbit_dim needs a net, not " + v.kind() + ".");
    }
    String note = r.parameters() + " parameters, Jacobian rank " + r.rank() + " (" + r.rankAtSecondPoint() + " at a second point), "
        + "SVD tolerance " + org.nnft.report.Format.num(r.tolerance()) + ", gap " + org.nnft.report.Format.num(r.gap());
    if (r.rank() != r.rankAtSecondPoint()) note += "; the two points disagree: the count is not reliable";
    return new Tensor(new double[] {r.orbitDim()}, null, new int[0], note);
  }

  /**
   * orbit_dim of a net that is not of the feed-forward form: exact Jacobians of its lowered tape
   * ({@link TapeJacobian}), parameters drawn from the net's own densities.
   */
  private static OrbitDim.Result declared(Func.CallSite s, NetV net, long seed) {
    CompiledNet cn = Lowering.lower(s.interp(), net);
    int p = cn.parameterCount();
    if (p > OrbitDim.MAX_PARAMETERS) {
      throw new NnftException(s.arg(0), "orbit_dim handles at most " + OrbitDim.MAX_PARAMETERS + " parameters; " + net.name() + " has " + p + ".");
    }
    if (p == 0) throw new NnftException(s.arg(0), "orbit_dim needs a net with random parameters; " + net.name() + " has none.");
    Kernel k = new Kernel(cn.tape, 1);
    CompiledNet.Drawer dr = cn.drawer(k);
    TapeJacobian.ParameterDraw draw = (rng, theta) -> {
      dr.draw(rng);
      int o = 0;
      for (CompiledNet.Param q : cn.params) { // declaration order = tape order
        System.arraycopy(k.paramBuffer(q.node()), 0, theta, o, q.size());
        o += q.size();
      }
    };
    try {
      return TapeJacobian.orbitDim(cn.tape, draw, seed);
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
    if (!(v instanceof NetV net)) throw new NnftException(s.arg(0), "balance needs a net, not " + v.kind() + ".");
    FeedForward a = feedForward(s, net, seed, false);
    if (!a.act().equals("relu")) throw new NnftException(s.arg(0), "balance fixes the rescaling gauge of ReLU nets; " + net.name() + " uses " + a.act() + ".");
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
    return new Values.Record("balance", f);
  }

  /**
   * A feed-forward net read off the lowered tape: layers W @ h + b, each hidden layer with an
   * element-wise activation, the same in every layer unless {@code mixed}.
   */
  static FeedForward feedForward(Func.CallSite s, NetV net, long seed, boolean mixed) {
    CompiledNet cn = Lowering.lower(s.interp(), net);
    Tape t = cn.tape;
    String no = "orbit_dim counts the redundancies of feed-forward nets (layers W @ h + b with one activation) and attention; " + net.name() + " is not of that form";
    List<Integer> widths = new ArrayList<>();
    List<Boolean> biases = new ArrayList<>();
    List<String> acts = new ArrayList<>();
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
      if (nd.kind == Kind.BINARY && nd.fn.equals("+") && t.node(nd.in[1]).kind == Kind.PARAM) { lin = nd.in[0]; bias = true; }
      else lin = o;
      Node ln = t.node(lin);
      int h;
      if ((ln.kind == Kind.MATVEC || ln.kind == Kind.DOT) && t.node(ln.in[0]).kind == Kind.PARAM) h = ln.in[1];
      else if (ln.kind == Kind.DOT && t.node(ln.in[1]).kind == Kind.PARAM) h = ln.in[0];
      else throw new NnftException(s.arg(0), no + ".");
      widths.add(0, ln.size);
      biases.add(0, bias);
      Node hn = t.node(h);
      if (hn.kind == Kind.INPUT) { widths.add(0, hn.size); break; }
      if (hn.kind != Kind.UNARY) throw new NnftException(s.arg(0), no + ".");
      if (!mixed && !acts.isEmpty() && !acts.get(0).equals(hn.fn)) throw new NnftException(s.arg(0), no + ": it mixes activations " + hn.fn + " and " + acts.get(0) + ".");
      acts.add(0, hn.fn);
      o = hn.in[0];
    }
    // the biases the net has, layer by layer (a bias-free layer must not gain bias parameters)
    boolean[] b = new boolean[biases.size()];
    for (int l = 0; l < b.length; l++) b[l] = biases.get(l);
    int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
    FeedForward ff = FeedForward.random(w, acts.isEmpty() ? "identity" : acts.get(0), b, seed);
    return acts.isEmpty() ? ff : new FeedForward(ff.widths(), ff.act(), ff.W(), ff.b(), acts.toArray(new String[0]));
  }
}
