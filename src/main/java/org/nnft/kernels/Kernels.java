package org.nnft.kernels;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nnft.ensemble.Partitions;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.nets.Lowering;
import org.nnft.model.TapeSym;
import org.nnft.numeric.Elementwise;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.BinOp;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * kernel(net), connected_exact(net, n) and the momentum-space action: closed forms of the
 * correlators of one-hidden-layer i.i.d.-neuron nets
 * phi(x) = c(x) sum_i a_i g(w_i) act(u_i(x)) with u = alpha w . x + beta b + gamma, by rules.
 *
 * <p>The neuron's moments M(S) = E[g^|S| prod_{k in S} act(u(x_k))] come from the characteristic
 * functions of the weight and bias densities (cos and sin: E[cos(w . v + c)] is the real part of
 * the product of every coordinate's characteristic function times e^{ic}, so a mean or an
 * asymmetric shape enters as a phase, in every dimension), from moment generating functions (exp)
 * and from Gaussian pre-activations (arc-cosine and arcsine kernels, the means of relu and erf).
 * The correlators follow by moment-cumulant relations: with the output weight's raw moments
 * E[a^k], the single term's joint cumulants times N are the connected correlators, and
 * {@code kernel(net)} is the full 2-pt function
 * E[phi(x) phi(y)] = c(x) c(y) (N E[a^2] M(xy) + N (N - 1) E[a]^2 M(x) M(y)), the quantity that
 * correlator(sample(net, ...), x, y) estimates. Symja does the algebra. Where no rule applies the
 * error says so and how to estimate the number instead.
 */
public final class Kernels {
  private Kernels() {}

  /** Orders of connected_exact; 0 stands for kernel(net), the full 2-pt function. */
  static final int FULL_TWO_POINT = 0;

  static void register(Registry lib) {
    lib.add(Builtin.fn("kernel", "kernel(net)").arg("net", ArgType.DECLARED_NET).costly().returns(ArgType.FUNCTION).does("the closed-form 2-pt function E[phi(x1) phi(x2)]").impl((s, a, n) -> kernel(s, a.get(0), FULL_TWO_POINT)));
    lib.add(Builtin.fn("connected_exact", "connected_exact(net, n)").arg("net", ArgType.DECLARED_NET).arg("order", ArgType.INTEGER).costly().returns(ArgType.FUNCTION).does("the closed-form connected n-pt function, n = 2 to 6").impl((s, a, n) -> {
      int order = Builtins.wholeNumber(Builtins.num(s, a, 1, "connected_exact"), s.arg(1), "the order");
      if (order < 2 || order > 6) throw new NnftException(s.arg(1), "connected_exact knows orders 2 to 6; for order " + order + " estimate it with connected(sample(net, 1e6), ...).");
      return kernel(s, a.get(0), order);
    }));
  }

  /**
   * The recognised structure of a one-hidden-layer i.i.d.-neuron net: output weight a, activation,
   * weight row w (parameter wParam), bias b (or null), the pre-activation's constants alpha, beta,
   * gamma, the output scale c(x) and the neuron factor g(w) (or null), as Symja code.
   */
  record Form(NetV net, int width, int d, String act, Density a, Density w, int wParam, Density b,
      double alpha, double beta, double gamma, String scale, String g) {}

  private static final Map<String, KernelV> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  public static Value kernel(Func.CallSite s, Value v, int order) {
    if (!(v instanceof NetV net)) throw new NnftException(s.arg(0), (order == FULL_TWO_POINT ? "kernel" : "connected_exact") + " needs a net, not " + v.kind() + ".");
    // the same net with the same values around it gives the same closed form
    StringBuilder key = new StringBuilder(order + "|" + System.identityHashCode(net.decl()) + "|" + net);
    for (String name : NetNames.freeNames(net.decl())) {
      Value g = net.overrides().containsKey(name) ? net.overrides().get(name) : s.interp().globals().lookup(name);
      key.append('|').append(name).append('=').append(g == null ? "?" : Printer.key(g));
    }
    KernelV hit = CACHE.get(key.toString());
    if (hit != null) return hit;
    KernelV made = make(s, net, order);
    if (CACHE.size() > 256) CACHE.clear();
    CACHE.put(key.toString(), made);
    return made;
  }

  private static String pointList(int n) {
    if (n > 4) return "x1, ..., x" + n;
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= n; i++) b.append(i > 1 ? ", " : "").append("x").append(i);
    return b.toString();
  }

  private static KernelV make(Func.CallSite s, NetV net, int order) {
    Form f = form(s.interp(), net, s.arg(0));
    int points = order == FULL_TWO_POINT ? 2 : order;
    String how = "estimate it with " + (order == FULL_TWO_POINT ? "correlator(sample(" + net.name() + ", 1e6), x, y)"
        : "connected(sample(" + net.name() + ", 1e6), " + pointList(points) + ")");
    String expr = order == FULL_TWO_POINT ? fullTwoPoint(f, how) : connected(f, order, how);
    Symbolic sy = Symbolic.get();
    // Simplify tidies exponentials and powers quickly but can take seconds on the arc-cosine and
    // arcsine kernels; those are printed as evaluated, so the printed form never depends on timing
    boolean arc = f.act.equals("relu") || f.act.equals("erf") || expr.contains("ArcCos") || expr.contains("ArcSin");
    Object e = sy.apply(points == 2 && !arc ? "Simplify(" + expr + ")" : expr);
    return new KernelV(net.name(), points, f.d, e, order == FULL_TWO_POINT ? "kernel" : "connected_exact");
  }

  public static Form form(Interpreter in, NetV net, Span span) {
    CompiledNet one;
    try {
      one = Lowering.neuronForm(in, net);
    } catch (NnftException e) {
      throw e.at(span);
    }
    String no = "no closed form is known for " + net.name();
    if (one == null) throw new NnftException(span, no + ": its output is not a sum of N i.i.d. neuron terms; estimate its correlators with sample(...).");
    Tape t = one.tape;
    int d = t.node(t.input).size;
    String[] xs = new String[d];
    for (int j = 0; j < d; j++) xs[j] = "nnxin" + j;
    TapeSym ts = new TapeSym(t, xs);
    // the scale chain c(x)
    StringBuilder scale = new StringBuilder("1");
    int o = t.output;
    int core = Lowering.unscaledOutput(t);
    while (o != core) {
      Node nd = t.node(o);
      if (nd.kind == Kind.UNARY) { scale.append("*(-1)"); o = nd.in[0]; continue; }
      Node b = t.node(nd.in[1]);
      if (!b.paramDep) { scale.append(nd.op == BinOp.MUL ? "*(" : "/(").append(ts.scalar(nd.in[1])).append(")"); o = nd.in[0]; }
      else { scale.append("*(").append(ts.scalar(nd.in[0])).append(")"); o = nd.in[1]; }
    }
    Node out = t.node(core);
    Density aDen;
    int h;
    if (out.kind == Kind.DOT || out.kind == Kind.BINARY && out.op == BinOp.MUL && one.width == 1 && out.size == 1) {
      // dot(a, h), or a * h for a single neuron with scalar parameters
      int p0 = out.in[0], p1 = out.in[1];
      if (scalarParam(t, p0) && !usesElsewhere(t, p0, core)) { aDen = one.params.get(t.node(p0).index).density(); h = p1; }
      else if (scalarParam(t, p1) && !usesElsewhere(t, p1, core)) { aDen = one.params.get(t.node(p1).index).density(); h = p0; }
      else throw new NnftException(span, no + ": its output is not dot(a, activation(...)) with a parameter a.");
    } else if (out.kind == Kind.SUM) {
      h = out.in[0];
      aDen = new Density.Fixed(1);
    } else {
      throw new NnftException(span, no + ": its output is not dot(a, activation(...)) with a parameter a.");
    }
    // h = [constants, functions of x alone and g(w) times] act(u)
    String g = null;
    int node = h;
    while (true) {
      Node hn = t.node(node);
      if (hn.kind == Kind.UNARY && hn.fn == Elementwise.NEG) { scale.append("*(-1)"); node = hn.in[0]; continue; }
      if (hn.kind == Kind.BINARY && (hn.op == BinOp.MUL || hn.op == BinOp.DIV)) {
        boolean div = hn.op == BinOp.DIV;
        Node l = t.node(hn.in[0]), r = t.node(hn.in[1]);
        if (!r.paramDep && r.size == 1) { scale.append(div ? "/(" : "*(").append(ts.scalar(hn.in[1])).append(")"); node = hn.in[0]; continue; }
        if (!div && !l.paramDep && l.size == 1) { scale.append("*(").append(ts.scalar(hn.in[0])).append(")"); node = hn.in[1]; continue; }
        if (g == null && !r.inputDep && r.size == 1 && t.node(hn.in[0]).kind == Kind.UNARY) { g = div ? "1/(" + ts.scalar(hn.in[1]) + ")" : ts.scalar(hn.in[1]); node = hn.in[0]; continue; }
        if (g == null && !div && !l.inputDep && l.size == 1 && t.node(hn.in[1]).kind == Kind.UNARY) { g = ts.scalar(hn.in[0]); node = hn.in[1]; continue; }
      }
      break;
    }
    Node an = t.node(node);
    if (an.kind != Kind.UNARY) throw new NnftException(span, no + ": the rules need one activation function applied to w . x + b.");
    String act = an.fn.text();
    Lin u = lin(t, an.in[0], d);
    if (u == null || u.w < 0 || u.alpha == 0) throw new NnftException(span, no + ": the activation's argument is not w . x + b (up to constant factors and offsets).");
    Node wn = t.node(u.w);
    Density wDen = one.params.get(wn.index).density();
    Density bDen = u.b < 0 ? null : one.params.get(t.node(u.b).index).density();
    double gamma = u.gamma;
    if (act.equals("sin")) { act = "cos"; gamma -= Math.PI / 2; } // sin(u) = cos(u - pi/2)
    if (g != null && g.matches(".*nnp(?!" + wn.index + "x)\\d+x.*")) throw new NnftException(span, no + ": its neuron factor depends on parameters other than the weights.");
    return new Form(net, one.width, d, act, aDen, wDen, wn.index, bDen, u.alpha, u.beta, gamma, scale.toString(), g);
  }

  private static boolean scalarParam(Tape t, int node) {
    return t.node(node).kind == Kind.PARAM && t.node(node).size == 1;
  }

  private static boolean usesElsewhere(Tape t, int node, int except) {
    for (int i = 0; i < t.nodes.size(); i++) {
      if (i == except) continue;
      for (int j : t.node(i).in) if (j == node) return true;
    }
    return false;
  }

  /**
   * A pre-activation u = alpha (w . x) + beta b + gamma read off the tape: w a weight row and b a
   * scalar parameter (tape nodes, -1 when absent), alpha, beta, gamma constants.
   */
  record Lin(double alpha, int w, double beta, int b, double gamma) {
    Lin times(double c) { return new Lin(alpha * c, w, beta * c, b, gamma * c); }
  }

  private static boolean constScalar(Node n) { return n.kind == Kind.CONST && n.size == 1; }

  static Lin lin(Tape t, int id, int d) {
    Node n = t.node(id);
    if (!n.paramDep && !n.inputDep) return constScalar(n) ? new Lin(0, -1, 0, -1, n.value[0]) : null;
    switch (n.kind) {
      case PARAM:
        return n.size == 1 ? new Lin(0, -1, 1, id, 0) : null;
      case UNARY: {
        if (n.fn != Elementwise.NEG && n.fn != Elementwise.IDENTITY) return null;
        Lin a = lin(t, n.in[0], d);
        return a == null ? null : n.fn == Elementwise.NEG ? a.times(-1) : a;
      }
      case MATVEC: {
        double[] m = scaledParam(t, n.in[0]);
        double xs = inputScale(t, n.in[1]);
        if (m == null || Double.isNaN(xs) || t.node((int) m[0]).size != d) return null;
        return new Lin(m[1] * xs, (int) m[0], 0, -1, 0);
      }
      case BINARY: {
        Node a = t.node(n.in[0]), b = t.node(n.in[1]);
        switch (n.op.symbol) {
          case "*": {
            if (constScalar(b)) { Lin l = lin(t, n.in[0], d); return l == null ? null : l.times(b.value[0]); }
            if (constScalar(a)) { Lin l = lin(t, n.in[1], d); return l == null ? null : l.times(a.value[0]); }
            if (d != 1 || n.size != 1) return null;
            // p * t with d = 1
            for (int k = 0; k < 2; k++) {
              double[] p = scaledParam(t, n.in[k]);
              double xs = inputScale(t, n.in[1 - k]);
              if (p != null && !Double.isNaN(xs) && t.node((int) p[0]).size == 1) return new Lin(p[1] * xs, (int) p[0], 0, -1, 0);
            }
            return null;
          }
          case "/": {
            if (!constScalar(b)) return null;
            Lin l = lin(t, n.in[0], d);
            return l == null ? null : l.times(1 / b.value[0]);
          }
          case "+", "-": {
            Lin x = lin(t, n.in[0], d), y = lin(t, n.in[1], d);
            if (x == null || y == null) return null;
            if (n.op == BinOp.SUB) y = y.times(-1);
            if (x.w >= 0 && y.w >= 0 || x.b >= 0 && y.b >= 0) return null;
            return new Lin(x.w >= 0 ? x.alpha : y.alpha, x.w >= 0 ? x.w : y.w, x.b >= 0 ? x.beta : y.beta, x.b >= 0 ? x.b : y.b, x.gamma + y.gamma);
          }
          default:
            return null;
        }
      }
      default:
        return null;
    }
  }

  /** A parameter times constants: {node, factor}, or null. */
  private static double[] scaledParam(Tape t, int id) {
    Node n = t.node(id);
    if (n.kind == Kind.PARAM) return new double[] {id, 1};
    if (n.kind == Kind.UNARY && n.fn == Elementwise.NEG) {
      double[] p = scaledParam(t, n.in[0]);
      return p == null ? null : new double[] {p[0], -p[1]};
    }
    if (n.kind == Kind.BINARY) {
      Node a = t.node(n.in[0]), b = t.node(n.in[1]);
      if ((n.op == BinOp.MUL || n.op == BinOp.DIV) && constScalar(b)) {
        double[] p = scaledParam(t, n.in[0]);
        return p == null ? null : new double[] {p[0], n.op == BinOp.MUL ? p[1] * b.value[0] : p[1] / b.value[0]};
      }
      if (n.op == BinOp.MUL && constScalar(a)) {
        double[] p = scaledParam(t, n.in[1]);
        return p == null ? null : new double[] {p[0], p[1] * a.value[0]};
      }
    }
    return null;
  }

  /** The input times constants: the factor, or NaN. */
  private static double inputScale(Tape t, int id) {
    Node n = t.node(id);
    if (n.kind == Kind.INPUT) return 1;
    if (n.kind == Kind.UNARY && n.fn == Elementwise.NEG) return -inputScale(t, n.in[0]);
    if (n.kind == Kind.BINARY) {
      Node a = t.node(n.in[0]), b = t.node(n.in[1]);
      if ((n.op == BinOp.MUL || n.op == BinOp.DIV) && constScalar(b)) {
        double s = inputScale(t, n.in[0]);
        return n.op == BinOp.MUL ? s * b.value[0] : s / b.value[0];
      }
      if (n.op == BinOp.MUL && constScalar(a)) return a.value[0] * inputScale(t, n.in[1]);
    }
    return Double.NaN;
  }

  /**
   * The quadratic part of the action in momentum space, S2 = 1/2 int dp/(2 pi)^d phi(-p) K(p) phi(p)
   * with K = 1/G~(p). For a Cos-type net G(x, y) = A E_w[cos(alpha w.(x - y))] (uniform phase), so
   * G~(p) = A (2 pi)^d rho_sym(p) g(p)^2 with rho_sym the symmetrised density of alpha w: the
   * Fourier transform of a characteristic function is the density. Gaussian weights give
   * K ~ exp(p^2 / (2 sigma^2)), the infinite-derivative kernel exp(-del^2 / (2 sigma^2)); Cauchy
   * weights give K ~ p^2 + m^2, a local free field.
   */
  public static Value momentumAction(Func.CallSite s, NetV net, int order) {
    if (order != 2 && order != 4) throw new NnftException(s.named("order"), "order is 2 or 4.");
    Form f = form(s.interp(), net, s.arg(0));
    String no = "no momentum-space form is known for " + net.name();
    if (!f.act.equals("cos") || !uniformPhase(f)) throw new NnftException(s.arg(0), no + ": the rules need cos(w . x + b) with a uniform phase b; give points = ... to reconstruct on a point set instead.");
    if (f.scale.contains("nnxin")) throw new NnftException(s.arg(0), no + ": its output scale depends on x.");
    Symbolic sy = Symbolic.get();
    String p = sy.internal("p");
    sy.symbol("p");
    int d = f.d;
    String rho;
    try {
      rho = rhoSym(f, p, no);
    } catch (NnftException e) {
      throw e.at(s.arg(0));
    }
    String g2 = f.g == null ? "1" : "ReplaceAll((" + f.g + ")^2," + TapeSym.param(f.wParam, 0) + "->" + p + "/(" + TapeSym.num(f.alpha) + "))";
    String a2;
    try {
      a2 = TapeSym.num(aMoment(f.a, 2, no));
    } catch (NnftException e) {
      throw e.at(s.arg(0));
    }
    String gp = "(" + folded(f.width + "*" + a2 + "*(" + f.scale + ")^2/2") + "*(2*Pi)^" + d + "*" + rho + "*" + g2 + ")";
    Object gt = sy.apply("Simplify(" + gp + ")");
    Object k = sy.apply("Simplify(1/(" + gp + "))");
    Map<String, Value> out = new java.util.LinkedHashMap<>();
    out.put("propagator", new Sym(gt));
    out.put("quadratic", new Sym(k));
    if (order == 4) quarticVertex(s, f, rho, g2, gp, out, no);
    return new Values.Record("momentum-space action", out);
  }

  /**
   * The symmetrised density (rho(p) + rho(-p))/2 of the pre-activation's weight alpha w at the
   * momentum p: for d = 1 any located density, in more dimensions centred normal rows (a function
   * of |p|).
   */
  static String rhoSym(Form f, String p, String no) {
    Density w = f.w;
    int d = f.d;
    double al = Math.abs(f.alpha);
    // the density of |alpha| w, as Symja code of q (the sign of alpha is symmetrised away)
    java.util.function.Function<String, String> dens;
    boolean symmetric;
    double m = f.alpha < 0 ? -1 : 1;
    if (w.family().equals("normal")) {
      if (d != 1 && w.a() != 0) throw fail(no, "weights with a mean in d = " + d + " have a density that is not a function of |p|");
      String s2 = TapeSym.num(al * al * w.b() * w.b());
      double mu = m * al * w.a();
      dens = q -> "(2*Pi*" + s2 + ")^(-" + d + "/2)*Exp(-" + shifted(q, mu) + "^2/(2*" + s2 + "))";
      symmetric = mu == 0;
    } else if (d != 1) {
      throw fail(no, "no density rule for weights " + w + " in d = " + d);
    } else {
      switch (w.family()) {
        case "cauchy" -> {
          double mu = m * al * w.a(), sc = al * w.b();
          dens = q -> TapeSym.num(sc) + "/(Pi*(" + shifted(q, mu) + "^2+" + TapeSym.num(sc * sc) + "))";
          symmetric = mu == 0;
        }
        case "laplace" -> {
          double mu = m * al * w.a(), sc = al * w.b();
          dens = q -> "Exp(-Abs(" + shifted(q, mu) + ")/" + TapeSym.num(sc) + ")/(2*" + TapeSym.num(sc) + ")";
          symmetric = mu == 0;
        }
        case "uniform" -> {
          double lo = Math.min(f.alpha * w.a(), f.alpha * w.b()), hi = Math.max(f.alpha * w.a(), f.alpha * w.b());
          symmetric = lo == -hi;
          dens = symmetric ? q -> "UnitStep(" + TapeSym.num(hi) + "-Abs(" + q + "))/" + TapeSym.num(2 * hi)
              : q -> "UnitStep(" + q + "-" + TapeSym.num(lo) + ")*UnitStep(" + TapeSym.num(hi) + "-" + q + ")/" + TapeSym.num(hi - lo);
        }
        case "exponential" -> {
          // alpha w has rate rate/|alpha| on the side of sign(alpha); symmetrised, the sign drops out
          double rate = w.a() / al;
          dens = q -> TapeSym.num(rate) + "*Exp(-" + TapeSym.num(rate) + "*" + q + ")*UnitStep(" + q + ")";
          symmetric = false;
        }
        case "uniform_ball" -> {
          double r = al * w.a();
          dens = q -> "UnitStep(" + TapeSym.num(r) + "-Abs(" + q + "))/" + TapeSym.num(2 * r);
          symmetric = true;
        }
        default -> throw fail(no, "no density rule for weights " + w + " in d = " + d);
      }
    }
    if (symmetric) return dens.apply(p);
    return "(1/2*(" + dens.apply(p) + "+" + dens.apply("(-" + p + ")") + "))";
  }

  private static String shifted(String q, double mu) {
    return mu == 0 ? q : "(" + q + "-" + TapeSym.num(mu) + ")";
  }

  /**
   * The quartic vertex V = -G~_c4 amputated by K = 1/G~ on every leg, in d = 1 with
   * S4 = 1/4! int prod dp_i/(2 pi) V(p1..p4) phi(p1)..phi(p4). For h = g(w) cos(w x + b) with a
   * uniform phase, E_b of four cosines leaves cos(w (x1 + x2 - x3 - x4)) and its two partners, whose
   * Fourier transform pins p1 = p2 = -p3 = -p4 (contact term, coefficient
   * -(2 pi)^4 (N E[a^4] s^4 / 8) rho g^4 K^4); the subtracted products of 2-pt functions give
   * +(2 pi)^2 K(p1) K(p3) / N on p1 + p2 = p3 + p4 = 0 and its partners.
   */
  private static void quarticVertex(Func.CallSite s, Form f, String rho, String g2, String gp, Map<String, Value> out, String no) {
    if (f.d != 1) throw new NnftException(s.arg(0), "the symbolic quartic vertex is written for fields on R^1; " + f.net.name() + " lives on R^" + f.d + "; give points = ... to reconstruct on a point set instead.");
    Symbolic sy = Symbolic.get();
    String p = sy.internal("p");
    String a4;
    try {
      a4 = TapeSym.num(aMoment(f.a, 4, no));
    } catch (NnftException e) {
      throw e.at(s.arg(0));
    }
    String s4 = "(" + f.scale + ")^4";
    String k = "(1/(" + gp + "))";
    String g4 = f.g == null ? "1" : "(" + g2 + ")^2";
    String contact = "Simplify(-(2*Pi)^4*(" + f.width + "*" + a4 + "*" + s4 + "/8)*" + rho + "*" + g4 + "*" + k + "^4)";
    Object c = sy.apply(contact);
    String[] q = new String[4];
    for (int i = 0; i < 4; i++) { sy.symbol("p" + (i + 1)); q[i] = sy.internal("p" + (i + 1)); }
    java.util.function.Function<String, String> at = v -> "ReplaceAll(#1," + p + "->" + v + ")";
    java.util.function.BiFunction<String, String, String> dd = (x, y) -> "DiracDelta(" + x + "+" + y + ")";
    String contactPart = at.apply(q[0]) + "*(DiracDelta(" + q[0] + "-" + q[1] + ")*" + dd.apply(q[0], q[2]) + "*" + dd.apply(q[0], q[3])
        + "+DiracDelta(" + q[0] + "-" + q[2] + ")*" + dd.apply(q[0], q[1]) + "*" + dd.apply(q[0], q[3])
        + "+DiracDelta(" + q[0] + "-" + q[3] + ")*" + dd.apply(q[0], q[1]) + "*" + dd.apply(q[0], q[2]) + ")";
    Object kk = sy.apply(k);
    java.util.function.Function<String, String> kat = v -> "ReplaceAll(#2," + p + "->" + v + ")";
    String exchange = "(2*Pi)^2/" + f.width + "*(" + kat.apply(q[0]) + "*" + kat.apply(q[2]) + "*" + dd.apply(q[0], q[1]) + "*" + dd.apply(q[2], q[3])
        + "+" + kat.apply(q[0]) + "*" + kat.apply(q[1]) + "*" + dd.apply(q[0], q[2]) + "*" + dd.apply(q[1], q[3])
        + "+" + kat.apply(q[0]) + "*" + kat.apply(q[1]) + "*" + dd.apply(q[0], q[3]) + "*" + dd.apply(q[1], q[2]) + ")";
    out.put("quartic", new Sym(sy.apply(contactPart + "+" + exchange, c, kk)));
    out.put("contact", new Sym(c));
    out.put("exchange", new Sym(sy.apply("(2*Pi)^2/" + f.width + "*ReplaceAll(#1," + p + "->" + q[0] + ")*ReplaceAll(#1," + p + "->" + q[2] + ")", kk)));
    out.put("support", new Values.Str("contact term on p1 = p2 = -p3 = -p4 and permutations (the uniform phase leaves cos(w (x1 + x2 - x3 - x4))), "
        + "exchange term on p1 + p2 = p3 + p4 = 0 and permutations: not a smooth function of the momenta on p1 + p2 + p3 + p4 = 0, so the vertex is non-local"));
  }

  // ---------------- correlators from the neuron's moments ----------------

  /** kernel(net): E[phi(x1) phi(x2)] = c c (N E[a^2] M(12) + N (N - 1) E[a]^2 M(1) M(2)). */
  static String fullTwoPoint(Form f, String how) {
    String no = "no closed form is known for the 2-pt function of " + f.net.name();
    Map<Double, List<String>> groups = new LinkedHashMap<>();
    double c2 = f.width * aMoment(f.a, 2, no);
    if (c2 != 0) {
      String m = neuronMoment(f, new int[] {1, 2}, no + "; " + how);
      if (!m.equals("0")) groups.computeIfAbsent(c2, c -> new ArrayList<>()).add(m);
    }
    double mean = aMoment(f.a, 1, no);
    double c11 = f.width * (f.width - 1.0) * mean * mean;
    if (c11 != 0) {
      String m1 = neuronMoment(f, new int[] {1}, no + "; " + how), m2 = neuronMoment(f, new int[] {2}, no + "; " + how);
      if (!m1.equals("0") && !m2.equals("0")) groups.computeIfAbsent(c11, c -> new ArrayList<>()).add(m1 + "*" + m2);
    }
    return assemble(f, 2, groups);
  }

  /**
   * connected_exact(net, n): N times the joint cumulant of the single term a c(x) h(x) at points
   * 1..n, kappa = sum over set partitions pi of (-1)^(|pi|-1) (|pi|-1)! prod_B E[a^|B|] M(B).
   */
  static String connected(Form f, int n, String how) {
    String no = "no closed form is known for the connected " + n + "-pt function of " + f.net.name();
    Map<Integer, String> moments = new HashMap<>();
    Map<Double, List<String>> groups = new LinkedHashMap<>();
    for (int[] part : Partitions.of((1 << n) - 1)) {
      double coef = f.width * Partitions.cumulantWeight(part.length);
      for (int block : part) coef *= aMoment(f.a, Integer.bitCount(block), no);
      if (coef == 0) continue;
      StringBuilder prod = new StringBuilder();
      boolean zero = false;
      for (int block : part) {
        String m = moments.get(block);
        if (m == null) {
          m = neuronMoment(f, positions(block), no + "; " + how);
          moments.put(block, m);
        }
        if (m.equals("0")) { zero = true; break; }
        prod.append(prod.length() > 0 ? "*" : "").append(m);
      }
      if (!zero) groups.computeIfAbsent(coef, c -> new ArrayList<>()).add(prod.toString());
    }
    return assemble(f, n, groups);
  }

  /** The points 1..n in a mask of positions 0..n-1. */
  private static int[] positions(int mask) {
    int[] r = new int[Integer.bitCount(mask)];
    int k = 0;
    for (int i = 0; i < 31; i++) if ((mask >> i & 1) == 1) r[k++] = i + 1;
    return r;
  }

  /** sum_groups coefficient * (sum of products), times c(x_1) ... c(x_n). */
  private static String assemble(Form f, int n, Map<Double, List<String>> groups) {
    boolean xDependent = f.scale.contains("nnxin");
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Double, List<String>> e : groups.entrySet()) {
      String coef = xDependent ? TapeSym.num(e.getKey()) : folded(TapeSym.num(e.getKey()) + "*(" + f.scale + ")^" + n);
      List<String> ps = e.getValue();
      b.append(b.length() > 0 ? "+" : "").append(coef).append("*").append(ps.size() == 1 ? ps.get(0) : "(" + String.join("+", ps) + ")");
    }
    if (b.length() == 0) return "0";
    if (!xDependent) return "(" + b + ")";
    StringBuilder c = new StringBuilder();
    for (int p = 1; p <= n; p++) c.append(p > 1 ? "*" : "").append("(").append(at(f.scale, p, f.d)).append(")");
    return "(" + c + "*(" + b + "))";
  }

  /**
   * Whether every odd correlator of the net vanishes: a symmetric output weight (its odd moments
   * 0), or cos with a uniform phase (every odd moment of the neuron 0).
   */
  public static boolean oddCorrelatorsVanish(Form f) {
    boolean symmetricA = switch (f.a.family()) {
      case "normal", "laplace", "cauchy" -> f.a.a() == 0;
      case "uniform" -> f.a.a() == -f.a.b();
      case "rademacher" -> true;
      case "fixed" -> f.a.a() == 0;
      default -> false;
    };
    return symmetricA || f.act.equals("cos") && uniformPhase(f);
  }

  /** "no closed form ...: reason; estimate it with ...." from a message that may end in how to estimate. */
  private static NnftException fail(String no, String reason) {
    int i = no.indexOf("; estimate");
    String head = i < 0 ? no : no.substring(0, i), tail = i < 0 ? "" : no.substring(i);
    return new NnftException(null, head + (reason == null ? "" : ": " + reason) + tail + ".");
  }

  /** E[a^k] of the output weight, exactly. */
  static double aMoment(Density a, int k, String no) {
    double mu = a.a(), s = a.b();
    switch (a.family()) {
      case "normal", "laplace": {
        // E[(mu + Y)^k] with E[Y^j] = (j-1)!! s^j (normal) or j! s^j (laplace) for even j
        double r = 0;
        for (int j = 0; j <= k; j += 2) {
          double yj = 1;
          for (int i = j - 1; i > 0; i -= a.family().equals("normal") ? 2 : 1) yj *= i;
          if (a.family().equals("laplace")) yj *= j;
          if (j == 0) yj = 1;
          r += binomial(k, j) * pow(mu, k - j) * yj * pow(s, j);
        }
        return r;
      }
      case "uniform":
        return (pow(s, k + 1) - pow(mu, k + 1)) / ((k + 1) * (s - mu));
      case "rademacher":
        return k % 2 == 0 ? 1 : 0;
      case "fixed":
        return pow(mu, k);
      case "exponential": {
        double r = 1;
        for (int i = 1; i <= k; i++) r *= i / mu;
        return r;
      }
      default:
        throw fail(no, "its output weight (" + a + ") has no finite " + (k == 2 ? "variance" : k == 1 ? "mean" : "moment of order " + k));
    }
  }

  private static double binomial(int n, int k) {
    double r = 1;
    for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
    return r;
  }

  private static double pow(double x, int k) {
    double r = 1;
    for (int i = 0; i < k; i++) r *= x;
    return r;
  }

  /** The point p's input components as Symja symbols. */
  static String[] pt(int p, int d) {
    String[] r = new String[d];
    for (int j = 0; j < d; j++) r[j] = "nnq" + p + "c" + (j + 1);
    return r;
  }

  static String at(String expr, int p, int d) {
    String[] c = pt(p, d);
    for (int j = 0; j < d; j++) expr = expr.replace("nnxin" + j, c[j]);
    return expr;
  }

  /** The components of a signed combination of points, sum_k signs_k x_{pts_k}. */
  static String[] combo(int d, int[] pts, int[] signs) {
    String[] r = new String[d];
    for (int j = 0; j < d; j++) {
      StringBuilder b = new StringBuilder("(");
      for (int k = 0; k < pts.length; k++) b.append(signs[k] < 0 ? "-" : "+").append(pt(pts[k], d)[j]);
      r[j] = b.append(")").toString();
    }
    return r;
  }

  /** alpha times each component. */
  private static String[] scaled(Form f, String[] v) {
    if (f.alpha == 1) return v;
    String[] r = new String[v.length];
    for (int j = 0; j < v.length; j++) r[j] = "(" + TapeSym.num(f.alpha) + "*" + v[j] + ")";
    return r;
  }

  static String sq(String[] v) {
    StringBuilder b = new StringBuilder("(0");
    for (String c : v) b.append("+(").append(c).append(")^2");
    return b.append(")").toString();
  }

  private static String sum(String[] v) {
    StringBuilder b = new StringBuilder("(0");
    for (String c : v) b.append("+").append(c);
    return b.append(")").toString();
  }

  /** A numeric prefactor as an exact fraction when it is one (2/3 rather than 0.66666666666666674). */
  static String folded(String code) {
    Object v = Symbolic.get().apply("N(" + code + ")");
    return TapeSym.num(Symbolic.get().toDouble(v));
  }

  /** M(S) = E_{w,b}[g^|S| prod_{k in S} act(u(x_k))] as Symja code, "0" when it vanishes. */
  static String neuronMoment(Form f, int[] pts, String no) {
    if (pts.length == 0) return "1";
    return switch (f.act) {
      case "cos" -> cosMoment(f, pts, no);
      case "exp" -> expMoment(f, pts, no);
      default -> gaussMoment(f, pts, no);
    };
  }

  /**
   * The phase b is uniform over whole periods of beta b, so E_b[cos(m beta b + c)] = 0 for every
   * whole m != 0.
   */
  static boolean uniformPhase(Form f) {
    if (f.b == null || !f.b.family().equals("uniform")) return false;
    double k = Math.abs(f.beta) * (f.b.b() - f.b.a()) / (2 * Math.PI);
    return Math.abs(k - Math.rint(k)) < 1e-12 && Math.rint(k) >= 1;
  }

  /**
   * prod_k cos(t_k) = 2^(1-n) sum over signs s with s_1 = +1 of cos(sum_k s_k t_k); with
   * t_k = alpha w . x_k + beta b + gamma the sign pattern's term is
   * E[cos(alpha w . V + m (beta b + gamma))], V = sum s_k x_k, m = sum s_k, and a uniform phase
   * keeps only the balanced patterns (m = 0).
   */
  private static String cosMoment(Form f, int[] pts, String no) {
    int n = pts.length;
    boolean uniform = uniformPhase(f);
    if (f.g != null && !uniform) throw fail(no, "the rules for a neuron factor g(w) need a uniform phase b");
    StringBuilder s = new StringBuilder();
    int[] sg = new int[n];
    sg[0] = 1;
    for (int mask = 0; mask < 1 << (n - 1); mask++) {
      int m = 1;
      for (int k = 1; k < n; k++) { sg[k] = (mask >> (k - 1) & 1) == 1 ? -1 : 1; m += sg[k]; }
      if (uniform && m != 0) continue;
      s.append(s.length() > 0 ? "+" : "").append(cosTerm(f, scaled(f, combo(f.d, pts, sg)), m, n, no));
    }
    if (s.length() == 0) return "0";
    return "(" + TapeSym.num(Math.pow(2, 1 - n)) + "*(" + s + "))";
  }

  /** E[g(w)^power cos(w . v + m (beta b + gamma))], v already scaled by alpha. */
  private static String cosTerm(Form f, String[] v, int m, int power, String no) {
    if (f.g != null) return weightIntegral(f, "(" + f.g + ")^" + power + "*Cos(" + dotW(f, v) + ")", no);
    String[] w = charFn(f.w, v, no);
    String r = w[0], th = w[1];
    if (m != 0) {
      if (f.b != null) {
        String[] b = charFn(f.b, new String[] {"(" + TapeSym.num(m * f.beta) + ")"}, no);
        r = r + "*" + b[0];
        th = th.equals("0") ? b[1] : b[1].equals("0") ? th : th + "+" + b[1];
      }
      if (f.gamma != 0) th = th.equals("0") ? TapeSym.num(m * f.gamma) : th + "+(" + TapeSym.num(m * f.gamma) + ")";
    }
    return th.equals("0") ? "(" + r + ")" : "(" + r + "*Cos(" + th + "))";
  }

  /**
   * The characteristic function E[exp(i t . w)] of a row of i.i.d. entries (uniform_ball: a row
   * uniform in the ball) at t, as {R, theta} with E[exp(i t . w)] = R e^{i theta} and R real.
   * Densities symmetric about a location mu have theta = mu sum_j t_j.
   */
  static String[] charFn(Density w, String[] t, String no) {
    StringBuilder r = new StringBuilder("(1");
    String loc = w.a() == 0 ? "0" : TapeSym.num(w.a()) + "*" + sum(t);
    switch (w.family()) {
      case "normal" -> r.append("*Exp(-").append(TapeSym.num(w.b() * w.b())).append("*").append(sq(t)).append("/2)");
      case "cauchy" -> { for (String c : t) r.append("*Exp(-").append(TapeSym.num(w.b())).append("*Abs(").append(c).append("))"); }
      case "laplace" -> { for (String c : t) r.append("/(1+").append(TapeSym.num(w.b() * w.b())).append("*(").append(c).append(")^2)"); }
      case "uniform" -> {
        double mid = (w.a() + w.b()) / 2, half = (w.b() - w.a()) / 2;
        for (String c : t) r.append("*Sinc(").append(TapeSym.num(half)).append("*").append(c).append(")");
        loc = mid == 0 ? "0" : TapeSym.num(mid) + "*" + sum(t);
      }
      case "rademacher" -> { for (String c : t) r.append("*Cos(").append(c).append(")"); loc = "0"; }
      case "fixed" -> { }
      case "exponential" -> {
        StringBuilder th = new StringBuilder("(0");
        String rate = TapeSym.num(w.a());
        for (String c : t) {
          r.append("*").append(rate).append("/Sqrt(").append(TapeSym.num(w.a() * w.a())).append("+(").append(c).append(")^2)");
          th.append("+ArcTan(").append(c).append("/").append(rate).append(")");
        }
        loc = th.append(")").toString();
      }
      case "uniform_ball" -> {
        String lr = "(" + TapeSym.num(w.a()) + "*Sqrt(" + sq(t) + "))";
        int d = t.length;
        if (d == 1) r.append("*Sinc(").append(lr).append(")");
        else if (d == 3) r.append("*3*(Sin(").append(lr).append(")-").append(lr).append("*Cos(").append(lr).append("))/").append(lr).append("^3");
        else r.append("*Gamma(").append(d).append("/2+1)*(2/").append(lr).append(")^(").append(d).append("/2)*BesselJ(").append(d).append("/2,").append(lr).append(")");
        loc = "0";
      }
      default -> throw fail(no, "no characteristic function is known for weights " + w);
    }
    return new String[] {r.append(")").toString(), loc};
  }

  /**
   * exp: E[exp(alpha w . S + n beta b + n gamma)] = M_w(alpha S) M_b(n beta) e^{n gamma} with S the
   * sum of the points, from the moment generating functions (finite everywhere for normal, fixed
   * and Rademacher weights).
   */
  private static String expMoment(Form f, int[] pts, String no) {
    if (f.g != null) throw fail(no, null);
    int n = pts.length;
    int[] ones = new int[n];
    java.util.Arrays.fill(ones, 1);
    String[] t = scaled(f, combo(f.d, pts, ones));
    Density w = f.w;
    StringBuilder e = new StringBuilder();
    String factor = "";
    switch (w.family()) {
      case "normal" -> {
        e.append(TapeSym.num(w.b() * w.b())).append("*").append(sq(t)).append("/2");
        if (w.a() != 0) e.append("+").append(TapeSym.num(w.a())).append("*").append(sum(t));
      }
      case "fixed" -> e.append(TapeSym.num(w.a())).append("*").append(sum(t));
      case "rademacher" -> { StringBuilder c = new StringBuilder(); for (String x : t) c.append("*Cosh(").append(x).append(")"); factor = c.toString(); }
      default -> throw fail(no, "the rules for exp need normal, fixed or rademacher weights, not " + w);
    }
    double k = n * f.gamma, mul = 1;
    if (f.b != null) {
      double tb = n * f.beta, mu = f.b.a(), s = f.b.b();
      switch (f.b.family()) {
        case "normal" -> k += tb * mu + tb * tb * s * s / 2;
        case "fixed" -> k += tb * mu;
        case "uniform" -> mul = (Math.exp(tb * s) - Math.exp(tb * mu)) / ((s - mu) * tb);
        case "rademacher" -> mul = Math.cosh(tb);
        default -> throw fail(no, "E[exp(t b)] at t = " + org.nnft.report.Format.num(tb) + " is not finite or not known for biases " + f.b);
      }
    }
    String exp = "Exp(" + (e.length() == 0 ? "0" : e) + (k != 0 ? "+" + TapeSym.num(k) : "") + ")";
    return "(" + (mul != 1 ? TapeSym.num(mul) + "*" : "") + exp + factor + ")";
  }

  /** Moments of act(u) for jointly Gaussian pre-activations (normal or fixed weights and biases). */
  private static String gaussMoment(Form f, int[] pts, String no) {
    if (f.g != null) throw fail(no, null);
    boolean gw = f.w.family().equals("normal") || f.w.family().equals("fixed");
    boolean gb = f.b == null || f.b.family().equals("normal") || f.b.family().equals("fixed");
    if (!gw || !gb) throw fail(no, "the rules for " + f.act + " need Gaussian (normal) weights and biases");
    double muW = f.alpha * f.w.a(), muB = (f.b == null ? 0 : f.beta * f.b.a()) + f.gamma;
    boolean centred = muW == 0 && muB == 0;
    int n = pts.length;
    if (centred && org.nnft.numeric.Elementwise.of(f.act).odd() && n % 2 == 1) return "0"; // odd activations: odd moments vanish
    if (n == 1) {
      String m = meanU(f, pts[0]), k = gaussK(f, pts[0], pts[0]);
      switch (f.act) {
        case "relu":
          if (centred) return "Sqrt(" + k + "/(2*Pi))";
          return "((" + m + ")*(1+Erf((" + m + ")/Sqrt(2*" + k + ")))/2+Sqrt(" + k + "/(2*Pi))*Exp(-(" + m + ")^2/(2*" + k + ")))";
        case "erf":
          return "Erf((" + m + ")/Sqrt(1+2*" + k + "))";
        case "identity":
          return m;
        default:
          throw fail(no, null);
      }
    }
    if (n == 2) {
      int p = pts[0], q = pts[1];
      String kxy = gaussK(f, p, q), kxx = gaussK(f, p, p), kyy = gaussK(f, q, q);
      if (f.act.equals("identity")) return centred ? kxy : "(" + kxy + "+" + meanU(f, p) + "*" + meanU(f, q) + ")";
      if (!centred && (f.act.equals("relu") || f.act.equals("erf"))) {
        throw fail(no, "the " + f.act + " kernel is known in closed form for pre-activations of mean 0, and this net's weights or biases have a mean");
      }
      switch (f.act) {
        case "relu": {
          String c = "(" + kxy + ")/Sqrt((" + kxx + ")*(" + kyy + "))";
          return "(Sqrt((" + kxx + ")*(" + kyy + "))/(2*Pi)*(Sqrt(1-(" + c + ")^2)+(Pi-ArcCos(" + c + "))*(" + c + ")))";
        }
        case "erf":
          return "(2/Pi*ArcSin(2*(" + kxy + ")/Sqrt((1+2*(" + kxx + "))*(1+2*(" + kyy + ")))))";
        default:
          throw fail(no, null);
      }
    }
    if (f.act.equals("identity") && centred) {
      // Isserlis: the sum over perfect matchings of products of covariances
      return isserlis(f, pts);
    }
    throw fail(no, null);
  }

  private static String isserlis(Form f, int[] pts) {
    if (pts.length == 0) return "1";
    StringBuilder b = new StringBuilder("(0");
    for (int j = 1; j < pts.length; j++) {
      int[] rest = new int[pts.length - 2];
      int o = 0;
      for (int k = 1; k < pts.length; k++) if (k != j) rest[o++] = pts[k];
      b.append("+").append(gaussK(f, pts[0], pts[j])).append("*").append(isserlis(f, rest));
    }
    return b.append(")").toString();
  }

  /** The mean of u(x_p): alpha mu_w sum_j x_pj + beta mu_b + gamma. */
  private static String meanU(Form f, int p) {
    double muW = f.alpha * f.w.a(), muB = (f.b == null ? 0 : f.beta * f.b.a()) + f.gamma;
    StringBuilder b = new StringBuilder("(" + TapeSym.num(muB));
    if (muW != 0) b.append("+").append(TapeSym.num(muW)).append("*").append(sum(pt(p, f.d)));
    return b.append(")").toString();
  }

  /** Cov(u(x_p), u(x_q)) = alpha^2 sigma_w^2 x_p . x_q + beta^2 sigma_b^2 for Gaussian weights and bias. */
  static String gaussK(Form f, int p, int q) {
    String[] a = pt(p, f.d), b = pt(q, f.d);
    double sb = f.b == null ? 0 : f.beta * f.b.b(), sw = f.alpha * f.w.b();
    StringBuilder s = new StringBuilder("(" + TapeSym.num(sb * sb));
    for (int j = 0; j < f.d; j++) s.append("+").append(TapeSym.num(sw * sw)).append("*").append(a[j]).append("*").append(b[j]);
    return s.append(")").toString();
  }

  static String dotW(Form f, String[] v) {
    StringBuilder b = new StringBuilder("(0");
    for (int j = 0; j < v.length; j++) b.append("+").append(TapeSym.param(f.wParam, j)).append("*").append(v[j]);
    return b.append(")").toString();
  }

  /** E_w[expr(w)] as an integral over the weight density (1-d uniform-type densities). */
  static String weightIntegral(Form f, String expr, String no) {
    String w = TapeSym.param(f.wParam, 0);
    if (f.d == 1 && f.w.family().equals("uniform_ball")) {
      String L = TapeSym.num(f.w.a());
      return "(nnint(" + expr + ",{" + w + ",-" + L + "," + L + "})/(2*" + L + "))";
    }
    if (f.d == 1 && f.w.family().equals("uniform")) {
      return "(nnint(" + expr + ",{" + w + "," + TapeSym.num(f.w.a()) + "," + TapeSym.num(f.w.b()) + "})/" + TapeSym.num(f.w.b() - f.w.a()) + ")";
    }
    throw fail(no, null);
  }

  static final class KernelV implements Func, org.nnft.runtime.Latex {
    final String net;
    final int order;
    final int d;
    final Object expr;
    final String fname;

    KernelV(String net, int order, int d, Object expr, String fname) {
      this.net = net;
      this.order = order;
      this.d = d;
      this.expr = expr;
      this.fname = fname;
    }

    @Override public String name() { return fname + "(" + net + ")"; }
    @Override public String kind() { return "a closed-form correlator"; }

    private static final Pattern VAR = Pattern.compile("nnq(\\d+)c(\\d+)");

    @Override public String toString() {
      String s = Symbolic.get().print(expr);
      Matcher m = VAR.matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) m.appendReplacement(b, d == 1 ? "x" + m.group(1) : "x" + m.group(1) + "[" + (Integer.parseInt(m.group(2)) - 1) + "]");
      m.appendTail(b);
      return b.toString().replaceAll("nnp\\d+x\\d+", "w").replace("nnint(", "integral(");
    }

    /** The closed form in LaTeX, its points as x_{1}, x_{2} (components x_{1,0}, ...). */
    @Override public String latex() {
      String s = Symbolic.get().tex(expr);
      if (s == null) return null;
      Matcher m = VAR.matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) m.appendReplacement(b, d == 1 ? "x_{" + m.group(1) + "}" : "x_{" + m.group(1) + "," + (Integer.parseInt(m.group(2)) - 1) + "}");
      m.appendTail(b);
      return b.toString().replaceAll("nnp\\d+x\\d+", "w");
    }

    private org.nnft.symbolic.Compiled compiled;
    private boolean notCompilable;

    /**
     * The closed form compiled once to a Java closure (checked against Symja at random points),
     * or null when it keeps an integral or a function the compiler does not know.
     */
    private org.nnft.symbolic.Compiled compiled() {
      if (compiled == null && !notCompilable) {
        Symbolic sy = Symbolic.get();
        if (sy.print(expr).contains("nnint")) { notCompilable = true; return null; }
        List<String> vars = new ArrayList<>();
        StringBuilder rules = new StringBuilder("{");
        for (int p = 1; p <= order; p++) {
          String[] comps = pt(p, d);
          for (int j = 0; j < d; j++) {
            String v = "nnkernelx" + p + "c" + j;
            vars.add(v);
            rules.append(rules.length() > 1 ? "," : "").append(comps[j]).append("->").append(sy.internal(v));
          }
        }
        try {
          compiled = org.nnft.symbolic.ClosureCompiler.compile(sy.apply("ReplaceAll(#1," + rules + "})", expr), vars);
        } catch (RuntimeException e) {
          notCompilable = true;
        }
      }
      return compiled;
    }

    /** The points' coordinates when every point is numeric and the closed form compiles, else null. */
    private double[] numericPoint(CallSite site, List<Value> args) {
      double[] xs = new double[order * d];
      for (int p = 0; p < order; p++) {
        if (!(args.get(p) instanceof Tensor t) || t.err != null) return null;
        if (t.size() != d) throw new NnftException(site.arg(p), name() + " takes points in R^" + d + ", not " + t.kind() + ".");
        System.arraycopy(t.data, 0, xs, p * d, d);
      }
      return compiled() == null ? null : xs;
    }

    @Override public Value call(CallSite site, List<Value> args, Map<String, Value> named) {
      if (args.size() != order) throw new NnftException(site.span(), name() + " takes " + order + " points, not " + args.size() + ".");
      // a vector of points (d = 1) or a matrix of points: the grid of values, as correlator does
      for (int p = 0; p < order; p++) {
        if (args.get(p) instanceof Tensor t && (d == 1 ? t.rank() == 1 : t.rank() == 2)) {
          List<Value> rows = new ArrayList<>();
          for (Value pt : Arith.iterate(t, site.arg(p))) {
            org.nnft.runtime.Session.checkCurrent();
            List<Value> one = new ArrayList<>(args);
            one.set(p, pt);
            rows.add(call(site, one, named));
          }
          return Arith.list(rows, site.arg(p));
        }
      }
      double[] xs = numericPoint(site, args);
      if (xs != null) return Tensor.scalar(compiled().eval(xs));
      StringBuilder rules = new StringBuilder("ReplaceAll(#1,{");
      List<Object> vals = new ArrayList<>();
      vals.add(expr);
      boolean symbolic = false;
      int k = 2;
      for (int p = 0; p < order; p++) {
        Value v = args.get(p);
        String[] comps = pt(p + 1, d);
        if (v instanceof Sym y && d == 1) {
          symbolic = true;
          rules.append(k > 2 ? "," : "").append(comps[0]).append("->#").append(k++);
          vals.add(y.expr());
          continue;
        }
        Tensor t = site.interp().tensorArg(v, site.arg(p), name());
        if (t.size() != d) throw new NnftException(site.arg(p), name() + " takes points in R^" + d + ", not " + t.kind() + ".");
        for (int j = 0; j < d; j++) {
          rules.append(k > 2 ? "," : "").append(comps[j]).append("->#").append(k++);
          vals.add(t.data[j]);
        }
      }
      rules.append("})");
      String code = symbolic ? rules.toString() : "N(ReplaceAll(" + rules + ",nnint->NIntegrate))";
      Object r = Symbolic.get().apply(code, vals.toArray());
      return Builtins.sym(r);
    }
  }
}
