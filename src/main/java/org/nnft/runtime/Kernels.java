package org.nnft.runtime;

import static org.nnft.runtime.Builtins.def;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nnft.model.CompiledNet;
import org.nnft.model.Density;
import org.nnft.model.Lowering;
import org.nnft.model.NetV;
import org.nnft.model.TapeSym;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/**
 * kernel(net) and connected_exact(net, 4): closed forms of the correlators of one-hidden-layer
 * i.i.d.-neuron nets phi(x) = c(x) sum_i a_i g(w_i) act(w_i . x + b_i), by rules: moments of the
 * output weight, characteristic functions of the weight density (normal, Cauchy, Laplace,
 * uniform, uniform ball), averages over a uniform phase by product-to-sum, Gaussian
 * pre-activations (arc-cosine and arcsine kernels), Gaussian exponential moments. Symja does the
 * algebra. Where no rule applies the error says so and how to estimate the number instead.
 */
final class Kernels {
  private Kernels() {}

  static void register() {
    def("kernel", 1, 1, Set.of(), (s, a, n) -> kernel(s, a.get(0), 2), "kernel(net)");
    def("connected_exact", 2, 2, Set.of(), (s, a, n) -> {
      int order = Builtins.wholeNumber(Builtins.num(s, a, 1, "connected_exact"), s.arg(1), "the order");
      if (order != 2 && order != 4 && order != 6) throw new NnftException(s.arg(1), "connected_exact knows orders 2, 4 and 6 (odd orders vanish for a symmetric output weight); for order " + order + " estimate it with connected(sample(net, 1e6), ...).");
      return kernel(s, a.get(0), order);
    }, "connected_exact(net, 4) or connected_exact(net, 6)");
  }

  /** The recognised structure of a one-hidden-layer i.i.d.-neuron net. */
  record Form(NetV net, int width, int d, String act, Density a, Density w, int wParam, Density b, String bConst,
      String scale, String g) {}

  private static final Map<String, KernelV> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  static Value kernel(Func.CallSite s, Value v, int order) {
    if (!(v instanceof NetV net)) throw new NnftException(s.arg(0), "kernel needs a net, not " + v.kind() + ".");
    // the same net with the same values around it gives the same closed form
    StringBuilder key = new StringBuilder(order + "|" + System.identityHashCode(net.decl()) + "|" + net);
    for (String name : NetNames.freeNames(net.decl())) {
      Value g = net.overrides().containsKey(name) ? net.overrides().get(name) : s.interp().globals().lookup(name);
      key.append('|').append(name).append('=').append(g == null ? "?" : Printer.text(g));
    }
    KernelV hit = CACHE.get(key.toString());
    if (hit != null) return hit;
    KernelV made = make(s, net, order);
    if (CACHE.size() > 256) CACHE.clear();
    CACHE.put(key.toString(), made);
    return made;
  }

  private static KernelV make(Func.CallSite s, NetV net, int order) {
    Form f = form(s.interp(), net, s.arg(0));
    String how = "estimate it with " + (order == 2 ? "correlator(sample(" + net.name() + ", 1e6), x, y)" : "connected(sample(" + net.name() + ", 1e6), x1, x2, x3, x4)");
    if (order == 6) how = "estimate it with connected(sample(" + net.name() + ", 1e6), x1, ..., x6)";
    String expr = order == 2 ? twoPoint(f, 1, 2, how) : order == 4 ? fourPoint(f, how) : sixPoint(f, how);
    Symbolic sy = Symbolic.get();
    // Simplify tidies exponentials and powers quickly but can take seconds on the arc-cosine and
    // arcsine kernels; those are printed as evaluated, so the printed form never depends on timing
    boolean arc = f.act.equals("relu") || f.act.equals("erf") || expr.contains("ArcCos") || expr.contains("ArcSin");
    Object e = sy.apply(order == 2 && !arc ? "Simplify(" + expr + ")" : expr);
    return new KernelV(net.name(), order, f.d, e, order == 2 ? "kernel" : "connected_exact");
  }

  static Form form(Interpreter in, NetV net, Span span) {
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
      Node a = t.node(nd.in[0]), b = t.node(nd.in[1]);
      if (!b.paramDep) { scale.append(nd.fn.equals("*") ? "*(" : "/(").append(ts.scalar(nd.in[1])).append(")"); o = nd.in[0]; }
      else { scale.append("*(").append(ts.scalar(nd.in[0])).append(")"); o = nd.in[1]; }
    }
    Node out = t.node(core);
    Density aDen = null;
    int h;
    if (out.kind == Kind.DOT) {
      int p0 = out.in[0], p1 = out.in[1];
      if (t.node(p0).kind == Kind.PARAM && t.node(p0).size == 1 && !usesElsewhere(t, p0, core)) { aDen = one.params.get(t.node(p0).index).density(); h = p1; }
      else if (t.node(p1).kind == Kind.PARAM && t.node(p1).size == 1 && !usesElsewhere(t, p1, core)) { aDen = one.params.get(t.node(p1).index).density(); h = p0; }
      else throw new NnftException(span, no + ": its output is not dot(a, activation(...)) with a parameter a.");
    } else {
      h = out.in[0];
      aDen = new Density("fixed", 1, 0, span);
    }
    // h = act(pre) [*, / g(w)]
    String g = null;
    Node hn = t.node(h);
    int actNode = h;
    if (hn.kind == Kind.BINARY && (hn.fn.equals("*") || hn.fn.equals("/"))) {
      Node l = t.node(hn.in[0]), r = t.node(hn.in[1]);
      if (l.kind == Kind.UNARY && !r.inputDep) { actNode = hn.in[0]; g = hn.fn.equals("*") ? ts.scalar(hn.in[1]) : "1/(" + ts.scalar(hn.in[1]) + ")"; }
      else if (r.kind == Kind.UNARY && !l.inputDep && hn.fn.equals("*")) { actNode = hn.in[1]; g = ts.scalar(hn.in[0]); }
    }
    Node an = t.node(actNode);
    if (an.kind != Kind.UNARY) throw new NnftException(span, no + ": the rules need one activation function applied to w . x + b.");
    String act = an.fn;
    // pre = w . x [+ b]
    int pre = an.in[0];
    Node pn = t.node(pre);
    int wNode;
    Density bDen = null;
    String bConst = null;
    if (pn.kind == Kind.BINARY && pn.fn.equals("+")) {
      Node l = t.node(pn.in[0]), r = t.node(pn.in[1]);
      int lin = pn.in[0], bias = pn.in[1];
      if (!isLinear(t, lin)) { lin = pn.in[1]; bias = pn.in[0]; }
      if (!isLinear(t, lin)) throw new NnftException(span, no + ": the activation's argument is not w . x + b.");
      Node bn = t.node(bias);
      if (bn.kind == Kind.PARAM && bn.size == 1) bDen = one.params.get(bn.index).density();
      else if (bn.kind == Kind.CONST) bConst = TapeSym.num(bn.value[0]);
      else throw new NnftException(span, no + ": its bias is neither a parameter nor a constant.");
      wNode = linearParam(t, lin);
    } else if (isLinear(t, pre)) {
      wNode = linearParam(t, pre);
    } else {
      throw new NnftException(span, no + ": the activation's argument is not w . x + b.");
    }
    Node wn = t.node(wNode);
    Density wDen = one.params.get(wn.index).density();
    if (g != null && !g.matches(".*nnp" + wn.index + "x\\d+.*")) {
      // a factor that depends on no parameter is part of the scale
      scale.append("*(").append(g).append(")");
      g = null;
    }
    if (g != null && g.matches(".*nnp(?!" + wn.index + "x)\\d+x.*")) throw new NnftException(span, no + ": its neuron factor depends on parameters other than the weights.");
    return new Form(net, one.width, d, act, aDen, wDen, wn.index, bDen, bConst, scale.toString(), g);
  }

  private static boolean usesElsewhere(Tape t, int node, int except) {
    for (int i = 0; i < t.nodes.size(); i++) {
      if (i == except) continue;
      for (int j : t.node(i).in) if (j == node) return true;
    }
    return false;
  }

  /** w @ x or w * x with w a parameter row and x the input. */
  private static boolean isLinear(Tape t, int id) {
    Node n = t.node(id);
    if (n.kind == Kind.MATVEC) return t.node(n.in[0]).kind == Kind.PARAM && t.node(n.in[1]).kind == Kind.INPUT;
    if (n.kind == Kind.BINARY && n.fn.equals("*")) {
      Node a = t.node(n.in[0]), b = t.node(n.in[1]);
      return (a.kind == Kind.PARAM && b.kind == Kind.INPUT || b.kind == Kind.PARAM && a.kind == Kind.INPUT) && n.size == 1;
    }
    return false;
  }

  private static int linearParam(Tape t, int id) {
    Node n = t.node(id);
    if (t.node(n.in[0]).kind == Kind.PARAM) return n.in[0];
    return n.in[1];
  }

  /**
   * The quadratic part of the action in momentum space, S2 = 1/2 int dp/(2 pi)^d phi(-p) K(p) phi(p)
   * with K = 1/G~(p). For a Cos-type net G(x, y) = A E_w[cos(w.(x - y))] (uniform phase), so
   * G~(p) = A (2 pi)^d rho_sym(p) (g(p)^2): the Fourier transform of a characteristic function is
   * the density. Gaussian weights give K ~ exp(p^2 / (2 sigma^2)), the infinite-derivative kernel
   * exp(-del^2 / (2 sigma^2)); Cauchy weights give K ~ p^2 + m^2, a local free field.
   */
  static Value momentumAction(Func.CallSite s, NetV net, int order) {
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
    Density w = f.w;
    if (w.type().equals("normal") && w.a() == 0) {
      String s2 = TapeSym.num(w.b() * w.b());
      rho = "(2*Pi*" + s2 + ")^(-" + d + "/2)*Exp(-" + p + "^2/(2*" + s2 + "))";
    } else if (d == 1 && w.type().equals("cauchy") && w.a() == 0) {
      rho = TapeSym.num(w.b()) + "/(Pi*(" + p + "^2+" + TapeSym.num(w.b() * w.b()) + "))";
    } else if (d == 1 && w.type().equals("laplace") && w.a() == 0) {
      rho = "Exp(-Abs(" + p + ")/" + TapeSym.num(w.b()) + ")/(2*" + TapeSym.num(w.b()) + ")";
    } else if (d == 1 && (w.type().equals("uniform") && w.a() == -w.b() || w.type().equals("uniform_ball"))) {
      double L = w.type().equals("uniform") ? w.b() : w.a();
      rho = "UnitStep(" + TapeSym.num(L) + "-Abs(" + p + "))/" + TapeSym.num(2 * L);
    } else {
      throw new NnftException(s.arg(0), no + ": no density rule for weights " + w + " in d = " + d + ".");
    }
    String g2 = f.g == null ? "1" : "ReplaceAll((" + f.g + ")^2," + TapeSym.param(f.wParam, 0) + "->" + p + ")";
    String a2 = secondMoment(f.a, no);
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
    String a4 = fourthMoment(f.a, no);
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

  // ---------------- rules ----------------

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

  /** sum_j (coef_p1 x_p1 + ...)_j^2 for a signed combination of points. */
  static String[] combo(int d, int[] pts, int[] signs) {
    String[] r = new String[d];
    for (int j = 0; j < d; j++) {
      StringBuilder b = new StringBuilder("(");
      for (int k = 0; k < pts.length; k++) b.append(signs[k] < 0 ? "-" : "+").append(pt(pts[k], d)[j]);
      r[j] = b.append(")").toString();
    }
    return r;
  }

  static String sq(String[] v) {
    StringBuilder b = new StringBuilder("(0");
    for (String c : v) b.append("+").append(c).append("^2");
    return b.append(")").toString();
  }

  static String secondMoment(Density a, String no) {
    return switch (a.type()) {
      case "normal" -> TapeSym.num(a.a() * a.a() + a.b() * a.b());
      case "rademacher" -> "1";
      case "fixed" -> TapeSym.num(a.a() * a.a());
      case "uniform" -> TapeSym.num((a.a() * a.a() + a.a() * a.b() + a.b() * a.b()) / 3);
      case "laplace" -> TapeSym.num(a.a() * a.a() + 2 * a.b() * a.b());
      case "exponential" -> TapeSym.num(2 / (a.a() * a.a()));
      default -> throw new NnftException(null, no + ": its output weight (" + a + ") has no finite variance.");
    };
  }

  static String fourthMoment(Density a, String no) {
    boolean centered = switch (a.type()) {
      case "normal", "laplace" -> a.a() == 0;
      case "uniform" -> a.a() == -a.b();
      case "rademacher" -> true;
      default -> false;
    };
    if (!centered) throw new NnftException(null, no + ": the rules for the 4-pt function need a symmetric output weight with mean 0, not " + a + ".");
    return switch (a.type()) {
      case "normal" -> TapeSym.num(3 * Math.pow(a.b(), 4));
      case "laplace" -> TapeSym.num(24 * Math.pow(a.b(), 4));
      case "uniform" -> TapeSym.num(Math.pow(a.b(), 4) / 5);
      default -> "1";
    };
  }

  /** E_w[cos(w . v)] for the weight row density; v given by components. */
  static String charFn(Form f, String[] v, String no) {
    Density w = f.w;
    StringBuilder b = new StringBuilder("(1");
    switch (w.type()) {
      case "normal" -> {
        for (String c : v) b.append("*Cos(").append(TapeSym.num(w.a())).append("*").append(c).append(")");
        b.append("*Exp(-").append(TapeSym.num(w.b() * w.b())).append("*").append(sq(v)).append("/2)");
      }
      case "cauchy" -> { for (String c : v) b.append("*Cos(").append(TapeSym.num(w.a())).append("*").append(c).append(")*Exp(-").append(TapeSym.num(w.b())).append("*Abs(").append(c).append("))"); }
      case "laplace" -> { for (String c : v) b.append("*Cos(").append(TapeSym.num(w.a())).append("*").append(c).append(")/(1+").append(TapeSym.num(w.b() * w.b())).append("*").append(c).append("^2)"); }
      case "uniform" -> { for (String c : v) b.append("*(Sin(").append(TapeSym.num(w.b())).append("*").append(c).append(")-Sin(").append(TapeSym.num(w.a())).append("*").append(c).append("))/(").append(TapeSym.num(w.b() - w.a())).append("*").append(c).append(")"); }
      case "rademacher" -> { for (String c : v) b.append("*Cos(").append(c).append(")"); }
      case "fixed" -> { for (String c : v) b.append("*Cos(").append(TapeSym.num(w.a())).append("*").append(c).append(")"); }
      case "uniform_ball" -> {
        String lr = "(" + TapeSym.num(w.a()) + "*Sqrt(" + sq(v) + "))";
        int d = v.length;
        if (d == 1) b.append("*Sin(").append(lr).append(")/").append(lr);
        else if (d == 3) b.append("*3*(Sin(").append(lr).append(")-").append(lr).append("*Cos(").append(lr).append("))/").append(lr).append("^3");
        else b.append("*Gamma(").append(d).append("/2+1)*(2/").append(lr).append(")^(").append(d).append("/2)*BesselJ(").append(d).append("/2,").append(lr).append(")");
      }
      default -> throw new NnftException(null, no + ": no characteristic function is known for weights " + w + ".");
    }
    return b.append(")").toString();
  }

  static boolean uniformPhase(Form f) {
    if (f.b == null || !f.b.type().equals("uniform")) return false;
    double width = f.b.b() - f.b.a();
    double k = width / (2 * Math.PI);
    return Math.abs(k - Math.rint(k)) < 1e-12 && Math.rint(k) >= 1;
  }

  /** N E[a^2] c(x_p) c(x_q) E[g^2 act(u_p) act(u_q)]. */
  static String twoPoint(Form f, int p, int q, String how) {
    String no = "no closed form is known for the 2-pt function of " + f.net.name();
    String r = pairAverage(f, p, q, no + "; " + how);
    if (!f.scale.contains("nnxin")) {
      return "(" + folded(f.width + "*" + secondMoment(f.a, no) + "*(" + f.scale + ")^2") + "*" + r + ")";
    }
    return "(" + f.width + "*" + secondMoment(f.a, no) + "*(" + at(f.scale, p, f.d) + ")*(" + at(f.scale, q, f.d) + ")*" + r + ")";
  }

  /** A numeric prefactor as an exact fraction when it is one (2/3 rather than 0.66666666666666674). */
  static String folded(String code) {
    Object v = Symbolic.get().apply("N(" + code + ")");
    return TapeSym.num(Symbolic.get().toDouble(v));
  }

  /** E_{w,b}[g(w)^2 act(w.x_p + b) act(w.x_q + b)]. */
  static String pairAverage(Form f, int p, int q, String no) {
    int d = f.d;
    if (f.act.equals("cos") && uniformPhase(f)) {
      return "(1/2*" + cosAverage(f, combo(d, new int[] {p, q}, new int[] {1, -1}), 2, no) + ")";
    }
    if (f.g != null) throw new NnftException(null, no + ".");
    boolean gaussW = f.w.type().equals("normal") && f.w.a() == 0;
    boolean gaussB = f.b == null && (f.bConst == null || f.bConst.equals("0")) || f.b != null && f.b.type().equals("normal");
    if (f.act.equals("exp") && gaussW && gaussB) {
      String s2 = sq(combo(d, new int[] {p, q}, new int[] {1, 1}));
      double mb = f.b == null ? 0 : f.b.a(), sb = f.b == null ? 0 : f.b.b();
      return "Exp(" + TapeSym.num(f.w.b() * f.w.b()) + "*" + s2 + "/2+" + TapeSym.num(2 * mb + 2 * sb * sb) + ")";
    }
    if (gaussW && gaussB && (f.b == null || f.b.a() == 0)) {
      String kxy = gaussK(f, p, q), kxx = gaussK(f, p, p), kyy = gaussK(f, q, q);
      switch (f.act) {
        case "relu": {
          String c = "(" + kxy + ")/Sqrt((" + kxx + ")*(" + kyy + "))";
          return "(Sqrt((" + kxx + ")*(" + kyy + "))/(2*Pi)*(Sqrt(1-(" + c + ")^2)+(Pi-ArcCos(" + c + "))*(" + c + ")))";
        }
        case "erf":
          return "(2/Pi*ArcSin(2*(" + kxy + ")/Sqrt((1+2*(" + kxx + "))*(1+2*(" + kyy + ")))))";
        case "identity":
          return "(" + kxy + ")";
        default:
          break;
      }
    }
    throw new NnftException(null, no + ".");
  }

  /** sigma_w^2 x_p . x_q + sigma_b^2 for Gaussian weights and bias. */
  static String gaussK(Form f, int p, int q) {
    String[] a = pt(p, f.d), b = pt(q, f.d);
    StringBuilder s = new StringBuilder("(" + TapeSym.num(f.b == null ? 0 : f.b.b() * f.b.b()));
    for (int j = 0; j < f.d; j++) s.append("+").append(TapeSym.num(f.w.b() * f.w.b())).append("*").append(a[j]).append("*").append(b[j]);
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
    if (f.d == 1 && f.w.type().equals("uniform_ball")) {
      String L = TapeSym.num(f.w.a());
      return "(nnint(" + expr + ",{" + w + ",-" + L + "," + L + "})/(2*" + L + "))";
    }
    if (f.d == 1 && f.w.type().equals("uniform")) {
      return "(nnint(" + expr + ",{" + w + "," + TapeSym.num(f.w.a()) + "," + TapeSym.num(f.w.b()) + "})/" + TapeSym.num(f.w.b() - f.w.a()) + ")";
    }
    throw new NnftException(null, no + ".");
  }

  /**
   * The exact connected 6-pt function of a uniform-phase cos net: G_c6 = N c^6 kappa6(a h) with
   * kappa6 = E[a^6] m6 - E[a^4] E[a^2] sum_15 m4 m2 + 2 E[a^2]^3 sum_15 m2 m2 m2 (odd moments vanish).
   * E_b of six cosines keeps the 20 sign patterns with three + and three -, in 10 pairs, so
   * m6 = (1/32) sum_10 E_w[g^6 cos(w . (x1 + s2 x2 + ... + s6 x6))].
   */
  static String sixPoint(Form f, String how) {
    String no = "no closed form is known for the connected 6-pt function of " + f.net.name();
    if (!(f.act.equals("cos") && uniformPhase(f))) throw new NnftException(null, no + "; the rules need cos(w . x + b) with a uniform phase b; " + how + ".");
    if (f.scale.contains("nnxin")) throw new NnftException(null, no + ": its output scale depends on x; " + how + ".");
    int d = f.d;
    StringBuilder m6 = new StringBuilder("(1/32*(0");
    int[] six = {1, 2, 3, 4, 5, 6};
    for (int mask = 0; mask < 32; mask++) {
      int[] sg = new int[6];
      sg[0] = 1;
      int plus = 1;
      for (int k = 1; k < 6; k++) { sg[k] = (mask >> (k - 1) & 1) == 1 ? 1 : -1; if (sg[k] > 0) plus++; }
      if (plus != 3) continue;
      String[] v = combo(d, six, sg);
      m6.append("+").append(cosAverage(f, v, 6, no + "; " + how));
    }
    m6.append("))");
    // sums over the 15 ways to split six points into {4, 2} and into {2, 2, 2}
    StringBuilder s42 = new StringBuilder("(0"), s222 = new StringBuilder("(0");
    for (int i = 1; i <= 6; i++) for (int j = i + 1; j <= 6; j++) {
      int[] rest = new int[4];
      int o = 0;
      for (int k = 1; k <= 6; k++) if (k != i && k != j) rest[o++] = k;
      s42.append("+").append(pairAverage(f, i, j, no)).append("*").append(fourMoment(f, rest, no, how));
    }
    for (int j = 2; j <= 6; j++) {
      int[] rest = new int[4];
      int o = 0;
      for (int k = 2; k <= 6; k++) if (k != j) rest[o++] = k;
      // rest splits into three pairings
      int[][] pairings = {{rest[0], rest[1], rest[2], rest[3]}, {rest[0], rest[2], rest[1], rest[3]}, {rest[0], rest[3], rest[1], rest[2]}};
      for (int[] q : pairings) {
        s222.append("+").append(pairAverage(f, 1, j, no)).append("*").append(pairAverage(f, q[0], q[1], no)).append("*").append(pairAverage(f, q[2], q[3], no));
      }
    }
    s42.append(")");
    s222.append(")");
    String m2 = secondMoment(f.a, no), m4 = fourthMoment(f.a, no), a6 = sixthMoment(f.a, no);
    String c6 = "(" + f.scale + ")^6";
    return "(" + folded(f.width + "*" + c6 + "*" + a6) + "*" + m6 + "-" + folded(f.width + "*" + c6 + "*" + m4 + "*" + m2) + "*" + s42
        + "+" + folded("2*" + f.width + "*" + c6 + "*(" + m2 + ")^3") + "*" + s222 + ")";
  }

  /** E_b,w[h_p h_q h_r h_s] for a uniform-phase cos neuron (g^4 weighted when there is a factor): E_b of four cosines keeps three of its sign patterns. */
  private static String fourMoment(Form f, int[] q, String no, String how) {
    int d = f.d;
    int[][] signs = {{1, 1, -1, -1}, {1, -1, 1, -1}, {1, -1, -1, 1}};
    StringBuilder b = new StringBuilder("(1/8*(0");
    for (int[] sg : signs) {
      String[] v = combo(d, q, sg);
      b.append("+").append(cosAverage(f, v, 4, no + "; " + how));
    }
    return b.append("))").toString();
  }

  /**
   * E_w[g(w)^power cos(w . v)]: the weights' characteristic function, or with a neuron factor g a
   * one-dimensional integral over the weight (evaluated on call).
   */
  private static String cosAverage(Form f, String[] v, int power, String no) {
    if (f.g == null) return charFn(f, v, no);
    return weightIntegral(f, "(" + f.g + ")^" + power + "*Cos(" + dotW(f, v) + ")", no);
  }

  static String sixthMoment(Density a, String no) {
    fourthMoment(a, no); // the same symmetry requirement
    return switch (a.type()) {
      case "normal" -> TapeSym.num(15 * Math.pow(a.b(), 6));
      case "laplace" -> TapeSym.num(720 * Math.pow(a.b(), 6));
      case "uniform" -> TapeSym.num(Math.pow(a.b(), 6) / 7);
      default -> "1";
    };
  }

  static String fourPoint(Form f, String how) {
    String no = "no closed form is known for the connected 4-pt function of " + f.net.name();
    int d = f.d;
    if (f.g != null && !(f.act.equals("cos") && uniformPhase(f))) throw new NnftException(null, no + "; " + how + ".");
    String q4;
    if (f.act.equals("cos") && uniformPhase(f)) {
      // with a neuron factor g(w), as in the free scalar, E_w[g^4 cos(w . v)] stays an integral
      q4 = fourMoment(f, new int[] {1, 2, 3, 4}, no, how);
    } else if (f.act.equals("exp") && f.w.type().equals("normal") && f.w.a() == 0
        && (f.b == null || f.b.type().equals("normal"))) {
      String s2 = sq(combo(d, new int[] {1, 2, 3, 4}, new int[] {1, 1, 1, 1}));
      double mb = f.b == null ? 0 : f.b.a(), sb = f.b == null ? 0 : f.b.b();
      q4 = "Exp(" + TapeSym.num(f.w.b() * f.w.b()) + "*" + s2 + "/2+" + TapeSym.num(4 * mb + 8 * sb * sb) + ")";
    } else {
      throw new NnftException(null, no + "; " + how + ".");
    }
    String c = "(" + at(f.scale, 1, d) + ")*(" + at(f.scale, 2, d) + ")*(" + at(f.scale, 3, d) + ")*(" + at(f.scale, 4, d) + ")";
    String m2 = secondMoment(f.a, no), m4 = fourthMoment(f.a, no);
    if (!f.scale.contains("nnxin")) {
      String c4 = "(" + f.scale + ")^4";
      String r12 = pairAverage(f, 1, 2, no), r34 = pairAverage(f, 3, 4, no), r13 = pairAverage(f, 1, 3, no),
          r24 = pairAverage(f, 2, 4, no), r14 = pairAverage(f, 1, 4, no), r23 = pairAverage(f, 2, 3, no);
      return "(" + folded(f.width + "*" + c4 + "*" + m4) + "*" + q4 + "-" + folded(f.width + "*" + c4 + "*(" + m2 + ")^2")
          + "*(" + r12 + "*" + r34 + "+" + r13 + "*" + r24 + "+" + r14 + "*" + r23 + "))";
    }
    String r12 = pairAverage(f, 1, 2, no), r34 = pairAverage(f, 3, 4, no), r13 = pairAverage(f, 1, 3, no),
        r24 = pairAverage(f, 2, 4, no), r14 = pairAverage(f, 1, 4, no), r23 = pairAverage(f, 2, 3, no);
    return "(" + f.width + "*" + c + "*(" + m4 + "*" + q4 + "-(" + m2 + ")^2*(" + r12 + "*" + r34 + "+" + r13 + "*" + r24 + "+" + r14 + "*" + r23 + ")))";
  }

  /** A closed-form correlator: printable as a formula, callable at points. */
  static final class KernelV implements Func {
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
