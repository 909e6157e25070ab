package org.nnft.polytope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnft.check.ArgType;
import org.nnft.model.CompiledNet;
import org.nnft.nets.Lowering;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Reverse;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;
import org.nnft.runtime.*;
import org.nnft.symbolic.ClosureCompiler;
import org.nnft.symbolic.Compiled;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** fit(net, target = ..., data = ..., optimizer = ..., seed = ...) and its data and optimizer specifications. */
final class Fit {
  private Fit() {}

  /** Where the training points come from: drawn with the fit's seed. */
  record DataSpec(String shape, int dim, double radius, int count) implements Value {
    @Override public String kind() { return "a data specification"; }
    @Override public String toString() { return shape + "(" + dim + ", radius = " + Interpreter.fmt(radius) + ", count = " + count + ")"; }
  }

  /** An optimizer and its settings. */
  record OptSpec(String method, double lr, int steps, int memory) implements Value {
    @Override public String kind() { return "an optimizer"; }
    @Override public String toString() {
      return method.equals("adam") ? "adam(lr = " + Interpreter.fmt(lr) + ", steps = " + steps + ")" : "lbfgs(steps = " + steps + ", memory = " + memory + ")";
    }
  }

  static void register(Registry lib) {
    lib.add(Builtin.fn("ball", "ball(2, radius = 1.5, count = 4096)").arg("d", ArgType.INTEGER).named("radius", ArgType.NUMBER, "1").named("count", ArgType.INTEGER, "4096")
        .returns(ArgType.ANY).does("training points drawn uniformly in the ball of R^d (with the seed of fit)").impl((s, a, n) -> data(s, a, n, "ball")));
    lib.add(Builtin.fn("sphere", "sphere(3, count = 2048)").arg("d", ArgType.INTEGER).named("radius", ArgType.NUMBER, "1").named("count", ArgType.INTEGER, "4096")
        .returns(ArgType.ANY).does("training points drawn uniformly on the sphere of R^d (with the seed of fit)").impl((s, a, n) -> data(s, a, n, "sphere")));
    lib.add(Builtin.fn("adam", "adam(lr = 0.01, steps = 4000)").named("lr", ArgType.NUMBER, "0.01").named("steps", ArgType.INTEGER, "2000")
        .returns(ArgType.ANY).does("the Adam optimizer (full batch, beta1 = 0.9, beta2 = 0.999) for fit").impl((s, a, n) -> optimizer(s, n, "adam")));
    lib.add(Builtin.fn("lbfgs", "lbfgs(steps = 500, memory = 10)").named("steps", ArgType.INTEGER, "500").named("memory", ArgType.INTEGER, "10")
        .returns(ArgType.ANY).does("the L-BFGS optimizer (full batch, backtracking line search) for fit").impl((s, a, n) -> optimizer(s, n, "lbfgs")));
    lib.add(Builtin.fn("fit", "fit(net, target = norm(x), data = ball(2, radius = 1.5, count = 4096), loss = \"mse\", optimizer = adam(lr = 0.01, steps = 4000), seed = 7)")
        .arg("net", ArgType.DECLARED_NET).binding("target", ArgType.EXPR, "required", "x").named("data", ArgType.ANY, "ball(d, radius = 1.5, count = 4096)")
        .named("loss", ArgType.STRING, "\"mse\"").named("optimizer", ArgType.ANY, "adam(lr = 0.01, steps = 2000)").named("seed", ArgType.INTEGER, "the session's seed")
        .costly().returns(ArgType.FITTED).does("the net trained toward target(x) on the data: a net with fixed parameters, its loss curve and dead units").impl(Fit::fit));
  }

  private static Value data(Func.CallSite s, List<Value> a, Map<String, Value> n, String shape) {
    int d = Builtins.wholeNumber(Builtins.num(s, a, 0, shape), s.arg(0), "the dimension");
    if (d < 1) throw new NnftException(s.arg(0), shape + " needs a dimension of at least 1.");
    double r = Builtins.named(s, n, "radius", 1, shape);
    if (!(r > 0) || Double.isInfinite(r)) throw new NnftException(s.named("radius"), "the radius must be a positive number.");
    int c = Builtins.wholeNumber(Builtins.named(s, n, "count", 4096, shape), s.named("count"), "count");
    if (c < 1) throw new NnftException(s.named("count"), "count must be at least 1.");
    // the points are held together: count times dimension numbers
    org.nnft.runtime.Sizes.entries(s.span(), "the data of " + shape + "(...)", c, d);
    return new DataSpec(shape, d, r, c);
  }

  private static Value optimizer(Func.CallSite s, Map<String, Value> n, String m) {
    if (m.equals("adam")) {
      double lr = Builtins.named(s, n, "lr", 0.01, "adam");
      if (!(lr > 0) || Double.isInfinite(lr)) throw new NnftException(s.named("lr"), "the learning rate lr must be a positive number, not " + Interpreter.fmt(lr) + ".");
      // the loss curve keeps one number per step
      int steps = org.nnft.runtime.Sizes.count(Builtins.named(s, n, "steps", 2000, "adam"), s.named("steps"), "steps");
      if (steps < 1) throw new NnftException(s.named("steps"), "steps must be at least 1.");
      return new OptSpec("adam", lr, steps, 0);
    }
    int steps = org.nnft.runtime.Sizes.count(Builtins.named(s, n, "steps", 500, "lbfgs"), s.named("steps"), "steps");
    if (steps < 1) throw new NnftException(s.named("steps"), "steps must be at least 1.");
    int mem = Builtins.wholeNumber(Builtins.named(s, n, "memory", 10, "lbfgs"), s.named("memory"), "memory");
    if (mem < 1) throw new NnftException(s.named("memory"), "memory must be at least 1.");
    return new OptSpec("lbfgs", 0, steps, mem);
  }

  static Value fit(Func.CallSite s, List<Value> a, Map<String, Value> n) {
    Interpreter in = s.interp();
    if (!(a.get(0) instanceof NetV net)) throw new NnftException(s.arg(0), "fit trains a net declared with net NAME(x: R^d) { ... } or mlp(...), not " + a.get(0).kind() + ".");
    CompiledNet cn = Lowering.lower(in, net);
    if (cn.outDim != 1) throw new NnftException(s.arg(0), "fit trains a net with one output; " + net.name() + " has " + cn.outDim + ".");
    if (cn.parameterCount() == 0) throw new NnftException(s.arg(0), net.name() + " has no random parameters to train.");
    if (cn.improper() != null) throw new NnftException(s.arg(0), "fit draws the starting parameters from their densities, but " + cn.improper().name() + " has the improper density flat().");
    int d = cn.inDim;
    long seed = n.containsKey("seed") ? Builtins.wholeNumber(in.number(n.get("seed"), s.named("seed"), "seed"), s.named("seed"), "seed") : in.session().seed();
    Value lv = n.get("loss");
    if (lv != null && !(lv instanceof Values.Str str && str.value().equals("mse"))) throw new NnftException(s.named("loss"), "the loss is \"mse\" (mean squared error); no other loss is known yet.");
    OptSpec opt;
    Value ov = n.get("optimizer");
    if (ov == null) opt = new OptSpec("adam", 0.01, 2000, 0);
    else if (ov instanceof OptSpec o) opt = o;
    else throw new NnftException(s.named("optimizer"), "the optimizer is adam(lr = ..., steps = ...) or lbfgs(steps = ...), not " + ov.kind() + ".");
    // the points
    double[] xs;
    int count;
    Value dv = n.get("data");
    if (dv == null) dv = new DataSpec("ball", d, 1.5, 4096);
    if (dv instanceof DataSpec ds) {
      if (ds.dim() != d) throw new NnftException(s.named("data"), "the data live in R^" + ds.dim() + " but " + net.name() + " takes points of R^" + d + ".");
      count = ds.count();
      xs = draw(ds, Rng.forStream(seed, 1));
    } else if (dv instanceof Tensor t && t.rank() == 2 && t.shape[1] == d) {
      count = t.shape[0];
      xs = t.data.clone();
    } else if (dv instanceof Tensor t && d == 1 && t.rank() == 1) {
      count = t.size();
      xs = t.data.clone();
    } else {
      throw new NnftException(s.named("data"), "data is ball(d, radius = r, count = n), sphere(d, count = n) or a matrix with one point of R^" + d + " per row, not " + dv.kind() + ".");
    }
    for (double x : xs) if (!Double.isFinite(x)) throw new NnftException(s.named("data"), "the data points must be finite numbers.");
    // the targets
    Value tv = n.get("target");
    if (tv == null) throw new NnftException(s.span(), "give what to fit as target = ..., an expression in x such as target = norm(x).");
    double[] y = targets(tv, s.named("target"), d, xs, count);
    // start from the declared densities
    Reverse rev = new Reverse(cn.tape, count);
    Forward init = rev.forward();
    cn.drawer(init).draw(Rng.forStream(seed, 0));
    double[] theta = new double[cn.parameterCount()];
    init.getParameters(theta, 0);
    Objective obj = new Objective(rev, xs, y, count);
    double[] losses = opt.method().equals("adam") ? adam(obj, theta, opt) : lbfgs(obj, theta, opt);
    if (!Double.isFinite(losses[losses.length - 1])) throw new NnftException(s.named("optimizer"), "the training diverged (the loss is not finite); lower the learning rate.");
    int[] dead = deadUnits(cn, theta, xs, count);
    FittedV f = new FittedV(net.name(), net, cn, theta, losses, dead[0], dead[2], dead[1], opt.toString(), seed, count);
    if (dead[0] > 0) in.session().warn("dead ReLU units of " + net.name() + " after training: " + dead[0] + " of " + dead[1] + " (never active on the data).", s.span());
    if (dead[2] > 0) in.session().warn("ReLU units of " + net.name() + " always on after training: " + dead[2] + " of " + dead[1] + " (active at every data point, so linear there: they draw no crease).", s.span());
    return f;
  }

  static double[] draw(DataSpec ds, Rng rng) {
    int d = ds.dim(), c = ds.count();
    double[] xs = new double[c * d];
    double[] g = new double[d];
    for (int p = 0; p < c; p++) {
      double r2 = 0;
      do {
        r2 = 0;
        for (int k = 0; k < d; k++) { g[k] = rng.normal(); r2 += g[k] * g[k]; }
      } while (r2 == 0);
      double scale = ds.radius() / Math.sqrt(r2);
      if (ds.shape().equals("ball")) scale *= Math.pow(rng.nextDouble(), 1.0 / d);
      for (int k = 0; k < d; k++) xs[p * d + k] = g[k] * scale;
    }
    return xs;
  }

  /** target(x) at every point: a number, or an expression in x compiled once. */
  static double[] targets(Value tv, Span ts, int d, double[] xs, int count) {
    double[] y = new double[count];
    if (tv instanceof Tensor t && t.isScalar()) { java.util.Arrays.fill(y, t.value()); return y; }
    if (tv instanceof Tensor t && t.rank() == 1 && t.size() == count) return t.data.clone();
    if (!(tv instanceof Sym sym)) throw new NnftException(ts, "the target is an expression in x such as norm(x), not " + tv.kind() + ".");
    List<String> vars = new ArrayList<>();
    if (d == 1) vars.add("x");
    else for (int k = 0; k < d; k++) vars.add("x[" + k + "]");
    for (String v : Symbolic.get().freeSymbols(sym.expr())) {
      if (!vars.contains(v)) throw new NnftException(ts, "the target may use only " + (d == 1 ? "x" : "x[0] to x[" + (d - 1) + "]") + ", but it also uses " + v + ".");
    }
    Compiled c;
    try {
      c = ClosureCompiler.compile(sym.expr(), vars);
    } catch (Symbolic.SymbolicError | IllegalStateException ex) {
      throw new NnftException(ts, "the target cannot be evaluated numerically: " + ex.getMessage().replaceAll("\\.$", "") + ".");
    }
    double[] arg = new double[d];
    for (int p = 0; p < count; p++) {
      System.arraycopy(xs, p * d, arg, 0, d);
      y[p] = c.eval(arg);
      if (!Double.isFinite(y[p])) throw new NnftException(ts, "the target is not finite at the data point " + java.util.Arrays.toString(arg) + ".");
    }
    return y;
  }

  /**
   * The mean squared error and its gradient in θ: for a net whose tape is a layered perceptron, by
   * the batched kernel ({@link MlpBatch}: the same arithmetic, the same bits), else by the generic
   * reverse sweep point by point; a non-finite loss or gradient of the kernel is recomputed on the
   * generic path, which alone skips the products of zero adjoints.
   */
  static final class Objective {
    final Reverse rev;
    final double[] xs, y, seed;
    final int n;
    final MlpBatch fast;

    Objective(Reverse rev, double[] xs, double[] y, int n) { this(rev, xs, y, n, true); }

    /** With {@code batched} false, always the generic path. */
    Objective(Reverse rev, double[] xs, double[] y, int n, boolean batched) {
      this.rev = rev; this.xs = xs; this.y = y; this.n = n;
      this.seed = new double[n];
      this.fast = batched ? MlpBatch.of(rev.tape(), xs, y, n) : null;
    }

    /** The loss at θ, its gradient written into g. */
    double value(double[] theta, double[] g) {
      if (fast != null) {
        double loss = fast.value(theta, g);
        if (finite(loss, g)) return loss;
      }
      rev.setParameters(theta);
      rev.eval(xs, seed); // the values, then the seed overwrites them
      double loss = 0;
      for (int p = 0; p < n; p++) {
        double r = seed[p] - y[p];
        loss += r * r;
        seed[p] = 2 * r / n;
      }
      rev.gradientAfterEval(seed, g, null);
      return loss / n;
    }

    private static boolean finite(double loss, double[] g) {
      double s = loss;
      for (double v : g) s += v * 0; // NaN when any entry is infinite or NaN
      return Double.isFinite(s);
    }
  }

  static double[] adam(Objective obj, double[] theta, OptSpec o) {
    int m = theta.length, steps = o.steps();
    double b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = o.lr();
    double[] mo = new double[m], ve = new double[m], g = new double[m], losses = new double[steps + 1];
    double p1 = 1, p2 = 1;
    for (int t = 0; t < steps; t++) {
      if ((t & 15) == 0) org.nnft.runtime.Session.checkCurrent();
      losses[t] = obj.value(theta, g);
      if (!Double.isFinite(losses[t])) { java.util.Arrays.fill(losses, t, steps + 1, losses[t]); return losses; }
      p1 *= b1;
      p2 *= b2;
      for (int i = 0; i < m; i++) {
        mo[i] = b1 * mo[i] + (1 - b1) * g[i];
        ve[i] = b2 * ve[i] + (1 - b2) * g[i] * g[i];
        double mh = mo[i] / (1 - p1), vh = ve[i] / (1 - p2);
        theta[i] -= lr * mh / (Math.sqrt(vh) + eps);
      }
    }
    losses[steps] = obj.value(theta, g);
    return losses;
  }

  /** L-BFGS with the two-loop recursion and a backtracking (Armijo) line search. */
  static double[] lbfgs(Objective obj, double[] theta, OptSpec o) {
    int m = theta.length, mem = o.memory();
    double[][] S = new double[mem][], Y = new double[mem][];
    double[] rho = new double[mem];
    int stored = 0, head = 0;
    double[] g = new double[m], gNew = new double[m], dir = new double[m], xNew = new double[m], alpha = new double[mem];
    List<Double> losses = new ArrayList<>();
    double f = obj.value(theta, g);
    losses.add(f);
    for (int it = 0; it < o.steps(); it++) {
      org.nnft.runtime.Session.checkCurrent();
      // direction -H g
      for (int i = 0; i < m; i++) dir[i] = -g[i];
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(head - 1 - k, mem);
        alpha[j] = rho[j] * dot(S[j], dir);
        axpy(-alpha[j], Y[j], dir);
      }
      if (stored > 0) {
        int j = Math.floorMod(head - 1, mem);
        double gamma = dot(S[j], Y[j]) / dot(Y[j], Y[j]);
        for (int i = 0; i < m; i++) dir[i] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(head - 1 - k, mem);
        double beta = rho[j] * dot(Y[j], dir);
        axpy(alpha[j] - beta, S[j], dir);
      }
      double slope = dot(g, dir);
      if (!(slope < 0)) { // not a descent direction: restart from the gradient
        stored = 0;
        for (int i = 0; i < m; i++) dir[i] = -g[i];
        slope = dot(g, dir);
        if (slope == 0) break;
      }
      double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1, fNew = Double.NaN;
      boolean ok = false;
      for (int ls = 0; ls < 40; ls++) {
        for (int i = 0; i < m; i++) xNew[i] = theta[i] + step * dir[i];
        fNew = obj.value(xNew, gNew);
        if (Double.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) { ok = true; break; }
        step *= 0.5;
      }
      if (!ok) break;
      double[] sv = new double[m], yv = new double[m];
      for (int i = 0; i < m; i++) { sv[i] = xNew[i] - theta[i]; yv[i] = gNew[i] - g[i]; }
      double sy = dot(sv, yv);
      if (sy > 1e-12 * Math.sqrt(dot(sv, sv) * dot(yv, yv))) {
        S[head] = sv; Y[head] = yv; rho[head] = 1 / sy;
        head = (head + 1) % mem;
        stored = Math.min(stored + 1, mem);
      }
      System.arraycopy(xNew, 0, theta, 0, m);
      System.arraycopy(gNew, 0, g, 0, m);
      f = fNew;
      losses.add(f);
    }
    double[] out = new double[losses.size()];
    for (int i = 0; i < out.length; i++) out[i] = losses.get(i);
    return out;
  }

  private static double dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * b[i]; return s; }
  private static void axpy(double a, double[] x, double[] y) { for (int i = 0; i < x.length; i++) y[i] += a * x[i]; }

  /**
   * {dead ReLU units, all ReLU units, always-on units}: a unit is dead when its input is ≤ 0 at every
   * data point, always on when it is > 0 at every one (linear on the data: it draws no crease there).
   */
  static int[] deadUnits(CompiledNet cn, double[] theta, double[] xs, int count) {
    Forward f = new Forward(cn.tape, count, Forward.Mode.SCALAR);
    f.setParameters(theta, 0);
    f.eval(xs, new double[count * cn.outDim]);
    int dead = 0, all = 0, on = 0;
    for (int i = 0; i < cn.tape.nodes.size(); i++) {
      Tape.Node nd = cn.tape.node(i);
      if (nd.kind != Tape.Kind.UNARY || nd.fn != Elementwise.RELU || !nd.inputDep) continue;
      double[] v = f.value(nd.in[0]);
      int size = nd.size;
      for (int u = 0; u < size; u++) {
        all++;
        boolean alive = false, off = false;
        for (int p = 0; p < count && !(alive && off); p++) {
          if (v[p * size + u] > 0) alive = true;
          else off = true;
        }
        if (!alive) dead++;
        if (!off && count > 0) on++;
      }
    }
    return new int[] {dead, all, on};
  }
}
