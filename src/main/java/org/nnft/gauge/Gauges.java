package org.nnft.gauge;

import org.nnft.ode.Nodes;


import org.nnft.runtime.*;
import org.nnft.check.ArgType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnft.model.CompiledNet;
import org.nnft.nets.Lowering;
import org.nnft.numeric.Forward;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;
import org.nnft.report.Format;
import org.nnft.syntax.Ast;
import org.nnft.syntax.NnftException;

/**
 * invariant(net, gauge): is the network function unchanged by the declared transformation of its
 * parameters? Checked numerically at random parameters, inputs and group elements (the largest
 * deviation is reported; a failure gives a counterexample). symmetries(net): the group each hidden
 * layer's activation implies.
 */
public final class Gauges {
  private Gauges() {}

  static final int TRIALS = 8, POINTS = 16;
  static final double TOLERANCE = 1e-9;

  static void register(Registry lib) {
    lib.declaration(org.nnft.syntax.Ast.GaugeDecl.class, (in, st) -> {
      org.nnft.syntax.Ast.GaugeDecl g = (org.nnft.syntax.Ast.GaugeDecl) st;
      Value net = in.globals().lookup(g.net());
      if (!(net instanceof NetV nv)) throw new NnftException(g.netSpan(), g.net() + " is " + (net == null ? "not declared" : net.kind()) + ", not a net.");
      double size = g.group().dim() == null ? 1 : in.number(in.eval(g.group().dim(), in.globals()), g.group().span(), "a group's size");
      if (size > org.nnft.runtime.Sizes.limit()) {
        throw new NnftException(g.group().span(), "a group's size of " + org.nnft.runtime.Sizes.whole(size) + " is more than the limit of " + org.nnft.runtime.Sizes.limit() + ".");
      }
      int dim = (int) size;
      // a GL(n) element is an n x n matrix
      if (g.group().kind().equals("GL") && dim > 0) org.nnft.runtime.Sizes.entries(g.group().span(), "an element of GL(" + dim + ")", dim, dim);
      GaugeV gv = new GaugeV(g, nv, dim);
      in.globals().define(g.name(), gv);
      return gv;
    });
    lib.add(Builtin.fn("invariant", "invariant(net, gauge)").arg("net", ArgType.ANY).arg("gauge", ArgType.ANY).costly().returns(ArgType.RECORD).does("proves or refutes that a gauge leaves the net unchanged").impl((s, a, n) -> invariant(s, a.get(0), a.get(1))));
    lib.add(Builtin.fn("symmetries", "symmetries(net)").arg("net", ArgType.NET).costly().returns(ArgType.RECORD).does("the catalogue of the parameter symmetries").impl((s, a, n) -> GaugeNets.decomposing(s, () -> symmetries(s, a.get(0)))));
  }

  static Value invariant(Func.CallSite s, Value nv, Value gv) {
    if (nv instanceof Nodes.NodeV f) {
      if (!(gv instanceof Nodes.NodeV g)) throw new NnftException(s.arg(1), "compare a neural ODE with a transformed one, e.g. reparametrize(flow, h = ...), not " + gv.kind() + ".");
      if (f.dim() != g.dim() || f.time() != g.time()) throw new NnftException(s.arg(1), "the two flows live in different spaces or times.");
      return Nodes.invariant(s, f, g, s.interp().session().seed());
    }
    if (!(nv instanceof NetV net)) throw new NnftException(s.arg(0), "invariant needs a net first, not " + nv.kind() + ".");
    if (!(gv instanceof GaugeV g)) throw new NnftException(s.arg(1), "invariant needs a gauge transformation (gauge NAME(g: GROUP) on NET { ... }), not " + gv.kind() + ".");
    Interpreter in = s.interp();
    CompiledNet cn = Lowering.lower(in, net);
    if (cn.improper() != null) {
      throw new NnftException(s.arg(0), "invariant checks numerically at parameters drawn from the net's densities, and " + cn.improper().name()
          + " ~ " + cn.improper().density() + " is improper: give it a proper density such as normal(0, 1) to check the symmetry.");
    }
    Map<String, CompiledNet.Param> params = new LinkedHashMap<>();
    for (CompiledNet.Param p : cn.params) params.put(p.name(), p);
    for (Ast.GaugeRule r : g.decl().rules()) {
      if (!params.containsKey(r.param())) throw new NnftException(r.paramSpan(), org.nnft.check.Errors.noParameter(net.name(), r.param(), params.keySet()));
    }
    Forward k0 = new Forward(cn.tape, POINTS), k1 = new Forward(cn.tape, POINTS);
    int d = cn.inDim, out = cn.outDim;
    double worst = 0;
    String counter = null;
    Rng rng = Rng.forStream(20261122L, 7);
    CompiledNet.Drawer dr = cn.drawer(k0);
    for (int t = 0; t < TRIALS; t++) {
      dr.draw(rng);
      double[] xs = new double[POINTS * d];
      for (int i = 0; i < xs.length; i++) xs[i] = 2 * rng.normal();
      double[] y0 = new double[POINTS * out], y1 = new double[POINTS * out];
      k0.eval(xs, y0);
      // the transformed parameters
      Env env = new Env(in.globals());
      for (CompiledNet.Param p : cn.params) {
        double[] v = k0.paramBuffer(p.node()).clone();
        System.arraycopy(v, 0, k1.paramBuffer(p.node()), 0, v.length);
        env.define(p.name(), new Tensor(v, null, p.shape().clone(), null));
      }
      Value elem = element(g, rng);
      env.define(g.decl().element(), elem);
      for (Ast.GaugeRule r : g.decl().rules()) {
        CompiledNet.Param p = params.get(r.param());
        Tensor nt = in.tensorArg(in.eval(r.value(), env), r.value().span(), "a transformed parameter");
        if (nt.size() != p.size()) {
          throw new NnftException(r.value().span(), r.param() + " is " + Tensor.shapeText(p.shape()) + " but this gives " + nt.kind() + ".");
        }
        System.arraycopy(nt.data, 0, k1.paramBuffer(p.node()), 0, p.size());
      }
      k1.eval(xs, y1);
      for (int i = 0; i < y0.length; i++) {
        // each output entry on its own scale: one large component must not hide a change in another
        double dev = Math.abs(y1[i] - y0[i]) / Math.max(1, Math.abs(y0[i]));
        if (!(dev <= worst)) {
          worst = Double.isNaN(dev) ? Double.POSITIVE_INFINITY : dev;
          int p = i / out;
          double[] x = java.util.Arrays.copyOfRange(xs, p * d, p * d + d);
          counter = "at x = " + Printer.text(d == 1 ? Tensor.scalar(x[0]) : new Tensor(x, null, cn.tape.node(cn.tape.input).shape.clone(), null)) + " with " + g.decl().element() + " = "
              + Printer.text(elem) + " the output changes from " + Format.num(y0[i]) + " to " + Format.num(y1[i]);
        }
      }
    }
    Map<String, Value> f = new LinkedHashMap<>();
    boolean holds = worst <= TOLERANCE;
    String proof = holds ? prove(in, cn, g, params) : null;
    f.put("holds", new Values.Bool(holds));
    f.put("verdict", new Values.Str(!holds ? "fails" : proof != null ? "proved" : "holds numerically"));
    if (proof != null) f.put("proof", new Values.Str(proof));
    f.put("max_deviation", Tensor.scalar(worst));
    f.put("checked", new Values.Str(TRIALS + " random parameter points x " + POINTS + " inputs, random elements of " + g.groupText()));
    if (!holds) f.put("counterexample", new Values.Str(counter));
    return new Values.Record("invariance", f);
  }

  // ---------------- symbolic proof ----------------

  /** Components (Symja code) and shape of a symbolic tensor; element marks the group element. */
  record ST(String[] c, int[] shape, boolean element) {
    ST(String[] c, int[] shape) { this(c, shape, false); }
    int size() { return c.length; }
  }

  /** The net's tape as Symja code over the input components nnxin0, nnxin1, ... */
  private static org.nnft.model.TapeSym tapeSym(CompiledNet cn) {
    String[] xs = new String[cn.inDim];
    for (int j = 0; j < xs.length; j++) xs[j] = "nnxin" + j;
    return new org.nnft.model.TapeSym(cn.tape, xs);
  }

  /** The names a gauge rule can use: the net's parameters as symbols, and the group element. */
  private static Map<String, ST> proofEnv(CompiledNet cn, GaugeV g, String[] el, int[] elShape) {
    Map<String, ST> env = new LinkedHashMap<>();
    for (CompiledNet.Param p : cn.params) {
      String[] c = new String[p.size()];
      for (int j = 0; j < c.length; j++) c[j] = org.nnft.model.TapeSym.param(cn.params.indexOf(p), j);
      env.put(p.name(), new ST(c, p.shape()));
    }
    env.put(g.decl().element(), new ST(el, elShape, true));
    return env;
  }

  /**
   * Tries to prove f(T_g theta, x) = f(theta, x) identically with Symja: the network output with
   * symbolic parameters and inputs (relu written as (z + |z|)/2), the transformed parameters from
   * the rules, and Simplify of the difference under g_i &gt; 0 (R+), or for every sign pattern
   * (signs, n &lt;= 6). Returns a description of the proof, or null when none was found.
   */
  static String prove(Interpreter in, CompiledNet cn, GaugeV g, Map<String, CompiledNet.Param> params) {
    String kind = g.decl().group().kind();
    if (kind.equals("GL") || kind.equals("R") || kind.equals("S")) return proveAlgebraic(in, cn, g, params);
    if (!kind.equals("R+") && !kind.equals("signs")) return null;
    if (kind.equals("signs") && g.dim() > 6) return null;
    try {
      String[] out = tapeSym(cn).of(cn.tape.output);
      String[] el = new String[g.dim()];
      for (int j = 0; j < el.length; j++) el[j] = "nng" + j;
      Map<String, ST> env = proofEnv(cn, g, el, new int[] {g.dim()});
      StringBuilder rules = new StringBuilder("{");
      for (Ast.GaugeRule r : g.decl().rules()) {
        ST nt = sym(r.value(), env, in);
        CompiledNet.Param p = params.get(r.param());
        if (nt == null || nt.size() != p.size()) return null;
        for (int j = 0; j < nt.size(); j++) {
          if (rules.length() > 1) rules.append(",");
          rules.append(org.nnft.model.TapeSym.param(cn.params.indexOf(p), j)).append("->(").append(nt.c()[j]).append(")");
        }
      }
      rules.append("}");
      org.nnft.symbolic.Symbolic sy = org.nnft.symbolic.Symbolic.get();
      if (kind.equals("R+")) {
        StringBuilder assum = new StringBuilder();
        for (int j = 0; j < g.dim(); j++) assum.append(j > 0 ? "&&" : "").append("nng").append(j).append(">0");
        for (String o : out) {
          Object r = sy.apply("TimeConstrained(Simplify(ReplaceAll(" + o + "," + rules + ")-(" + o + ")," + assum + "),30,nnfail)");
          if (!sy.print(r).equals("0")) return null;
        }
        return "Symja: f(g.theta, x) - f(theta, x) simplifies to 0 for all " + g.decl().element() + "_i > 0, with relu(z) = (z + |z|)/2" + (out[0].contains("101/200") ? " and leaky_relu(z) = (101 z + 99 |z|)/200" : "");
      }
      for (int mask = 0; mask < (1 << g.dim()); mask++) {
        StringBuilder signs = new StringBuilder("{");
        for (int j = 0; j < g.dim(); j++) signs.append(j > 0 ? "," : "").append("nng").append(j).append("->").append((mask >> j & 1) == 1 ? "-1" : "1");
        signs.append("}");
        for (String o : out) {
          String diff = "ReplaceAll(ReplaceAll(" + o + "," + rules + ")," + signs + ")-(" + o + ")";
          Object r = sy.apply("TimeConstrained(Simplify(" + diff + "),30,nnfail)");
          // exponentials (sigmoid(-z) = 1 - sigmoid(z)) cancel over a common denominator
          if (!sy.print(r).equals("0")) r = sy.apply("TimeConstrained(Together(" + diff + "),30,nnfail)");
          if (!sy.print(r).equals("0")) return null;
        }
      }
      return "Symja: f(g.theta, x) - f(theta, x) simplifies to 0 for each of the " + (1 << g.dim()) + " sign patterns";
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** GL(n) proofs need the inverse of a symbolic n x n matrix: up to this n. */
  static final int MAX_GL_PROOF = 4;

  /** Node kinds whose transformed value is compared algebraically (polynomial and rational maps). */
  private static final Set<Tape.Kind> ALGEBRAIC = Set.of(Tape.Kind.BINARY, Tape.Kind.MATVEC, Tape.Kind.VECMAT, Tape.Kind.MATMAT,
      Tape.Kind.DOT, Tape.Kind.SUM, Tape.Kind.TRANSPOSE, Tape.Kind.INDEX, Tape.Kind.STACK);

  /**
   * The proof for GL(n) and R^n: walks the tape once with the original and once with the
   * transformed parameters (a symbolic group element, inverse(M) as adjugate over determinant) and,
   * at every linear-algebra node where the two differ, asks Symja whether the difference expands to
   * 0 (see {@link #cleared}); where it does, the transformed node is replaced by the original, so everything
   * downstream (softmax, activations) agrees identically. Proved when the outputs agree.
   */
  static String proveAlgebraic(Interpreter in, CompiledNet cn, GaugeV g, Map<String, CompiledNet.Param> params) {
    String kind = g.decl().group().kind();
    int n = g.dim();
    if (kind.equals("GL") && n > MAX_GL_PROOF) return null;
    if (kind.equals("S") && n > MAX_PERMUTATION_PROOF) return null;
    try {
      if (kind.equals("S")) {
        // every permutation matrix in turn: units relabelled, sums compared term by term
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        int count = 0;
        do {
          String[] el = new String[n * n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) el[i * n + j] = perm[i] == j ? "1" : "0";
          if (walk(in, cn, g, params, el, new int[] {n, n}) < 0) return null;
          count++;
        } while (nextPermutation(perm));
        return "for each of the " + count + " permutation matrices " + g.decl().element() + " in S_" + n
            + ", the transformed net equals the original node by node: units are relabelled and every sum agrees term by term";
      }
      String[] el = new String[kind.equals("GL") ? n * n : n];
      for (int j = 0; j < el.length; j++) el[j] = "nng" + j;
      int checked = walk(in, cn, g, params, el, kind.equals("GL") ? new int[] {n, n} : new int[] {n});
      if (checked < 0) return null;
      return "Symja: with a symbolic " + (kind.equals("GL") ? "matrix " + g.decl().element() + " in GL(" + n + ") (its inverse as adjugate over determinant)" : "vector " + g.decl().element() + " in R^" + n)
          + ", the transformed net equals the original node by node: " + checked + " matrix identit" + (checked == 1 ? "y" : "ies")
          + " (the difference, cleared of 1/det, expands to 0), after which every nonlinear node sees identical inputs";
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Permutation proofs enumerate S_n: up to this n (720 permutations). */
  static final int MAX_PERMUTATION_PROOF = 6;

  private static boolean nextPermutation(int[] a) {
    int i = a.length - 2;
    while (i >= 0 && a[i] >= a[i + 1]) i--;
    if (i < 0) return false;
    int j = a.length - 1;
    while (a[j] <= a[i]) j--;
    int t = a[i]; a[i] = a[j]; a[j] = t;
    for (int l = i + 1, r = a.length - 1; l < r; l++, r--) { t = a[l]; a[l] = a[r]; a[r] = t; }
    return true;
  }

  /**
   * One node-by-node comparison of the net with the transformed net for the group element with
   * the given components: the number of nodes shown equal by an identity, or -1 when the outputs
   * could not be shown equal. Nodes equal in both become opaque symbols; nodes whose components
   * are a permutation of the original's become the same opaque symbols, permuted.
   */
  private static int walk(Interpreter in, CompiledNet cn, GaugeV g, Map<String, CompiledNet.Param> params, String[] el, int[] elShape) {
    Tape t = cn.tape;
    org.nnft.model.TapeSym ts = tapeSym(cn);
    Map<String, ST> env = proofEnv(cn, g, el, elShape);
    Map<Integer, String[]> moved = new java.util.HashMap<>();
    for (Ast.GaugeRule r : g.decl().rules()) {
      ST nt = sym(r.value(), env, in);
      CompiledNet.Param p = params.get(r.param());
      if (nt == null || nt.size() != p.size()) return -1;
      moved.put(cn.params.indexOf(p), nt.c());
    }
    boolean symbolic = !g.decl().group().kind().equals("S");
    String det = detOf(g, env);
    org.nnft.symbolic.Symbolic sy = symbolic ? org.nnft.symbolic.Symbolic.get() : null;
    String[][] orig = new String[t.nodes.size()][], tr = new String[t.nodes.size()][];
    int checked = 0;
    for (int id = 0; id < t.nodes.size(); id++) {
      Tape.Node nd = t.node(id);
      boolean leaf = nd.kind == Tape.Kind.INPUT || nd.kind == Tape.Kind.PARAM || nd.kind == Tape.Kind.CONST;
      if (leaf) {
        orig[id] = ts.leaf(nd);
        tr[id] = nd.kind == Tape.Kind.PARAM && moved.containsKey(nd.index) ? moved.get(nd.index) : orig[id];
      } else {
        String[][] a = new String[nd.in.length][], b = new String[nd.in.length][];
        for (int i = 0; i < nd.in.length; i++) { a[i] = orig[nd.in[i]]; b[i] = tr[nd.in[i]]; }
        orig[id] = org.nnft.model.TapeSym.combine(nd, a);
        boolean sameInputs = true;
        for (int i = 0; i < nd.in.length; i++) sameInputs &= a[i] == b[i];
        tr[id] = sameInputs ? orig[id] : org.nnft.model.TapeSym.combine(nd, b);
      }
      if (tr[id] != orig[id] && java.util.Arrays.equals(tr[id], orig[id])) tr[id] = orig[id];
      if (tr[id] != orig[id] && (ALGEBRAIC.contains(nd.kind) || id == t.output)) {
        boolean same = true;
        for (int j = 0; j < orig[id].length && same; j++) {
          same = sameTerms(tr[id][j], orig[id][j]);
          if (!same && symbolic) {
            Object r = sy.apply("TimeConstrained(" + cleared("(" + tr[id][j] + ")-(" + orig[id][j] + ")", det) + ",30,nnfail)");
            same = sy.print(r).equals("0");
          }
        }
        if (same) { tr[id] = orig[id]; checked++; }
      }
      if (leaf && nd.kind != Tape.Kind.PARAM) continue;
      if (tr[id] == orig[id]) {
        if (leaf) continue;
        // the same in both nets: downstream, the node is an opaque symbol per component, so the
        // expressions compared stay small (an identity in free symbols holds for any values)
        String[] opaque = new String[orig[id].length];
        for (int j = 0; j < opaque.length; j++) opaque[j] = "nnk" + id + "x" + j;
        orig[id] = opaque;
        tr[id] = opaque;
      } else if (!leaf) {
        int[] perm = permutationOf(tr[id], orig[id]);
        if (perm != null) {
          String[] o = new String[orig[id].length], q = new String[o.length];
          for (int j = 0; j < o.length; j++) o[j] = "nnk" + id + "x" + j;
          for (int j = 0; j < o.length; j++) q[j] = o[perm[j]];
          orig[id] = o;
          tr[id] = q;
        }
      }
    }
    return tr[t.output] == orig[t.output] || java.util.Arrays.equals(tr[t.output], orig[t.output]) ? checked : -1;
  }

  /** p with a[j] = b[p[j]] for all j, or null when a is not a rearrangement of b. */
  static int[] permutationOf(String[] a, String[] b) {
    if (a.length != b.length) return null;
    Map<String, java.util.ArrayDeque<Integer>> where = new java.util.HashMap<>();
    for (int j = 0; j < b.length; j++) where.computeIfAbsent(b[j], k -> new java.util.ArrayDeque<>()).add(j);
    int[] p = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      java.util.ArrayDeque<Integer> q = where.get(a[j]);
      if (q == null || q.isEmpty()) return null;
      p[j] = q.poll();
    }
    return p;
  }

  /** Two sums of products equal term by term (the same terms in any order). */
  static boolean sameTerms(String a, String b) {
    if (a.equals(b)) return true;
    List<String> x = topLevelTerms(a), y = topLevelTerms(b);
    if (x == null || y == null || x.size() != y.size()) return false;
    java.util.Collections.sort(x);
    java.util.Collections.sort(y);
    return x.equals(y);
  }

  /** The top-level + separated terms (null when a top-level - makes the split ambiguous). */
  private static List<String> topLevelTerms(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0, from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (depth == 0 && c == '-' && i > 0) return null;
      else if (depth == 0 && c == '+') { out.add(s.substring(from, i)); from = i + 1; }
    }
    out.add(s.substring(from));
    return out;
  }

  /** The determinant of the symbolic group element (GL), or null. */
  private static String detOf(GaugeV g, Map<String, ST> env) {
    if (!g.decl().group().kind().equals("GL")) return null;
    ST m = env.get(g.decl().element());
    return det(m.c(), g.dim(), allRows(g.dim()), allRows(g.dim()));
  }

  /**
   * Symja code that is 0 exactly when the difference vanishes: the inverse's 1/det is the symbol
   * nndetinv, so the expanded difference is a polynomial sum_k c_k nndetinv^k; multiplied through
   * by det^K this is sum_k c_k det^(K - k), a polynomial whose expansion must be 0. Only
   * polynomial expansion, no rational normal forms (Together is far slower).
   */
  static String cleared(String diff, String det) {
    if (det == null || !diff.contains("nndetinv")) return "Expand(" + diff + ")";
    return "Module({nnc=CoefficientList(Expand(" + diff + "),nndetinv),nnk},nnk=Length(nnc)-1;Expand(Sum(nnc[[j+1]]*(" + det + ")^(nnk-j),{j,0,nnk})))";
  }

  /** The inverse of a symbolic n x n matrix (row-major components): adjugate times nndetinv = 1/det. */
  static String[] inverse(String[] m, int n) {
    String det = det(m, n, allRows(n), allRows(n));
    String[] r = new String[n * n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
      // inv[i][j] = (-1)^(i+j) minor(j, i) / det
      String minor = n == 1 ? "1" : det(m, n, without(allRows(n), j), without(allRows(n), i));
      r[i * n + j] = ((i + j) % 2 == 0 ? "" : "-") + "(" + minor + ")*nndetinv";
    }
    return r;
  }

  private static int[] allRows(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  private static int[] without(int[] a, int k) {
    int[] r = new int[a.length - 1];
    for (int i = 0, o = 0; i < a.length; i++) if (i != k) r[o++] = a[i];
    return r;
  }

  /** Laplace expansion along the first of the given rows. */
  private static String det(String[] m, int n, int[] rows, int[] cols) {
    if (rows.length == 1) return "(" + m[rows[0] * n + cols[0]] + ")";
    StringBuilder s = new StringBuilder("(");
    for (int k = 0; k < cols.length; k++) {
      s.append(k % 2 == 0 ? "+" : "-").append("(").append(m[rows[0] * n + cols[k]]).append(")*")
          .append(det(m, n, without(rows, 0), without(cols, k)));
    }
    return s.append(")").toString();
  }

  /** u * v with the literal 0 and 1 folded away (a permutation matrix relabels, it does not multiply). */
  static String times(String u, String v) {
    if (u.equals("0") || v.equals("0")) return "0";
    if (u.equals("1")) return v;
    if (v.equals("1")) return u;
    return "(" + u + ")*(" + v + ")";
  }

  /** A sum without its zero terms: "0", the single term itself, or the parenthesised sum. */
  static String plus(List<String> terms) {
    List<String> kept = new ArrayList<>();
    for (String t : terms) if (!t.equals("0")) kept.add(t);
    if (kept.isEmpty()) return "0";
    if (kept.size() == 1) return kept.get(0);
    return "(" + String.join("+", kept) + ")";
  }

  /** Whether e names the group element, or its transpose. */
  private static boolean isElement(Ast.Expr e, Map<String, ST> env) {
    if (e instanceof Ast.Name n) return env.containsKey(n.name()) && env.get(n.name()).element();
    if (e instanceof Ast.Call c && "transpose".equals(c.calleeName()) && c.args().size() == 1) return isElement(c.args().get(0).value(), env);
    return false;
  }

  /** A rule's right-hand side with symbolic parameters; null when it uses something unsupported. */
  static ST sym(Ast.Expr e, Map<String, ST> env, Interpreter in) {
    if (e instanceof Ast.Num n) return new ST(new String[] {org.nnft.model.TapeSym.num(n.value())}, new int[0]);
    if (e instanceof Ast.Name n) {
      ST v = env.get(n.name());
      if (v != null) return v;
      Value gv = in.globals().lookup(n.name());
      if (gv == null) gv = Builtins.lookup(n.name());
      if (gv instanceof Tensor t && t.err == null) {
        String[] c = new String[t.size()];
        for (int i = 0; i < c.length; i++) c[i] = org.nnft.model.TapeSym.num(t.data[i]);
        return new ST(c, t.shape.clone());
      }
      return null;
    }
    if (e instanceof Ast.Unary u && u.op() == Ast.UnOp.NEG) {
      ST a = sym(u.operand(), env, in);
      if (a == null) return null;
      String[] c = new String[a.size()];
      for (int i = 0; i < c.length; i++) c[i] = "(-(" + a.c()[i] + "))";
      return new ST(c, a.shape());
    }
    if (e instanceof Ast.Call c && c.calleeName() != null && c.args().size() == 1) {
      // the proof knows the built-ins; a user's own function of the same name is not them
      Value bound = in.globals().lookup(c.calleeName());
      if (bound != null && !(bound instanceof Builtin b && b.name().equals(c.calleeName()))) return null;
      ST a = sym(c.args().get(0).value(), env, in);
      if (a == null) return null;
      switch (c.calleeName()) {
        case "diag": {
          if (a.shape().length != 1) return null;
          int n = a.size();
          String[] m = new String[n * n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i * n + j] = i == j ? a.c()[i] : "0";
          return new ST(m, new int[] {n, n});
        }
        case "inverse": {
          // only the group element (or its transpose) is inverted symbolically: its 1/det is the
          // symbol nndetinv that the expansion clears
          if (!isElement(c.args().get(0).value(), env)) return null;
          if (a.shape().length != 2 || a.shape()[0] != a.shape()[1] || a.shape()[0] > MAX_GL_PROOF) return null;
          return new ST(inverse(a.c(), a.shape()[0]), a.shape());
        }
        case "transpose": {
          if (a.shape().length != 2) return a;
          int r = a.shape()[0], k = a.shape()[1];
          String[] m = new String[r * k];
          for (int i = 0; i < r; i++) for (int j = 0; j < k; j++) m[j * r + i] = a.c()[i * k + j];
          return new ST(m, new int[] {k, r});
        }
        default: return null;
      }
    }
    if (e instanceof Ast.Binary b) {
      ST x = sym(b.left(), env, in), y = sym(b.right(), env, in);
      if (x == null || y == null) return null;
      if (b.op() == Ast.BinOp.MATMUL) {
        int[] sx = x.shape(), sy = y.shape();
        if (sx.length == 2 && sy.length == 2 && sx[1] == sy[0]) {
          int r = sx[0], k = sx[1], n = sy[1];
          String[] m = new String[r * n];
          for (int i = 0; i < r; i++) for (int j = 0; j < n; j++) {
            List<String> terms = new ArrayList<>();
            for (int l = 0; l < k; l++) terms.add(times(x.c()[i * k + l], y.c()[l * n + j]));
            m[i * n + j] = plus(terms);
          }
          return new ST(m, new int[] {r, n});
        }
        if (sx.length == 2 && sy.length == 1 && sx[1] == sy[0]) {
          int r = sx[0], k = sx[1];
          String[] m = new String[r];
          for (int i = 0; i < r; i++) {
            List<String> terms = new ArrayList<>();
            for (int l = 0; l < k; l++) terms.add(times(x.c()[i * k + l], y.c()[l]));
            m[i] = plus(terms);
          }
          return new ST(m, new int[] {r});
        }
        return null;
      }
      if (!Set.of(Ast.BinOp.ADD, Ast.BinOp.SUB, Ast.BinOp.MUL, Ast.BinOp.DIV).contains(b.op())) return null;
      int n = Math.max(x.size(), y.size());
      if (x.size() != n && x.size() != 1 || y.size() != n && y.size() != 1) return null;
      String[] m = new String[n];
      for (int i = 0; i < n; i++) {
        String u = x.c()[x.size() == 1 ? 0 : i], v = y.c()[y.size() == 1 ? 0 : i];
        m[i] = b.op() == Ast.BinOp.MUL ? times(u, v) : "(" + u + ")" + b.op().symbol + "(" + v + ")";
      }
      return new ST(m, x.size() == n ? x.shape() : y.shape());
    }
    return null;
  }

  /** A random group element: a vector for R+, R and signs; a matrix for GL and S. */
  static Value element(GaugeV g, Rng rng) {
    int n = g.dim();
    switch (g.decl().group().kind()) {
      case "R+": {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.exp(0.7 * rng.normal());
        return Tensor.vector(v);
      }
      case "R": {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.normal();
        return Tensor.vector(v);
      }
      case "signs": {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble() < 0.5 ? -1 : 1;
        return Tensor.vector(v);
      }
      case "S": {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) { int j = rng.nextInt(i + 1); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][perm[i]] = 1;
        return Tensor.matrix(m);
      }
      default: {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = (i == j ? 1 : 0) + 0.5 * rng.normal() / Math.sqrt(n);
        // both components of GL(n): half the draws have det < 0 (a reflection)
        if (rng.nextDouble() < 0.5) for (int j = 0; j < n; j++) m[0][j] = -m[0][j];
        return Tensor.matrix(m);
      }
    }
  }

  /** The catalogue entry of a chain of linear maps. */
  private static String chainText(CompiledNet cn, org.nnft.gauge.LinearChains.Chain c) {
    List<String> names = new ArrayList<>();
    for (org.nnft.gauge.LinearChains.Link l : c.links()) names.add(cn.params.get(cn.tape.node(l.weight()).index).name());
    int k = c.links().size(), r = c.rank(), dim = c.fibre();
    int[] w = c.widths();
    boolean biases = false;
    for (boolean b : c.biases()) biases |= b;
    List<String> gl = new ArrayList<>();
    int glDim = 0, shifts = 0;
    for (int i = 1; i < k; i++) {
      gl.add("GL(" + w[i] + ")");
      glDim += w[i] * w[i];
      if (c.biases()[i - 1]) shifts += w[i];
    }
    String group = String.join(" × ", gl) + (shifts > 0 ? " ⋉ R^" + shifts : "");
    String what;
    if (c.bilinear()) {
      String a = names.get(0), b = names.get(k - 1);
      what = k == 2
          ? " on " + a + " and " + b + " (" + a + " -> " + a + " M, " + b + " -> " + b + " M^-T: only " + a + " " + b + "^T enters, as in attention scores)"
          : " on " + String.join(", ", names) + " (only the product enters, as in attention scores)";
    } else if (c.identities().isEmpty() && k == 2 && c.links().get(0).right()) {
      String a = names.get(0), b = names.get(1);
      what = " on " + a + " and " + b + " (" + a + " -> " + a + " N, " + b + " -> N^-1 " + b + ": only " + a + " " + b + " enters)";
    } else if (c.identities().isEmpty()) {
      what = " on " + String.join(", ", names) + " (only their product enters)";
    } else {
      int units = 0;
      for (int i = 1; i < k; i++) units += w[i];
      String between = names.size() == 2 ? names.get(0) + " and " + names.get(1)
          : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
      what = " (invertible mixing of the " + units + " linear units between " + between
          + (biases ? ", and biases traded into the next layer" : "") + ")";
    }
    StringBuilder widths = new StringBuilder();
    for (int i = 0; i < w.length; i++) widths.append(i == 0 ? "" : " -> ").append(w[i]);
    int naive = glDim + shifts;
    String orbit = dim != naive
        ? "; the product of the " + widths + " maps has rank " + r
            + ", so the orbit has dimension " + dim + " (parameters minus the dimension of the products" + (biases ? " and offsets" : "")
            + " it can make), not " + naive
        : "";
    return group + what + orbit;
  }

  /** The symmetry group each hidden layer's activation implies, with continuous dimensions. */
  static Value symmetries(Func.CallSite s, Value v) {
    if (v instanceof org.nnft.polytope.FittedV fv) v = fv.net(); // the symmetries of the architecture
    if (v instanceof GaugeNets.AttentionV at) {
      List<Value> groups = new ArrayList<>();
      for (int h = 0; h < at.heads(); h++) {
        groups.add(new Values.Str("GL(" + at.dK() + ") on head " + (h + 1) + "'s scores (W_Q -> W_Q M, W_K -> W_K M^-T)"));
        groups.add(new Values.Str("GL(" + at.dV() + ") on head " + (h + 1) + "'s values (W_V -> W_V N, W_O -> N^-1 W_O)"));
      }
      if (at.heads() > 1) groups.add(new Values.Str("S_" + at.heads() + " (permutations of the heads)"));
      Map<String, Value> f = new LinkedHashMap<>();
      f.put("groups", new Values.ListV(groups));
      // per head the products W_Q W_K^T (d_model -> d_k -> d_model) and W_V W_O (d_model -> d_v -> d_model):
      // d_k^2 + d_v^2 when d_k, d_v <= d_model, less when a product is rank-limited by d_model
      int dm = at.dModel();
      int perHead = org.nnft.gauge.LinearChains.fibre(new int[] {dm, at.dK(), dm}, new boolean[2])
          + org.nnft.gauge.LinearChains.fibre(new int[] {dm, at.dV(), dm}, new boolean[2]);
      if (perHead != at.dK() * at.dK() + at.dV() * at.dV()) {
        groups.add(new Values.Str("d_k or d_v exceeds d_model = " + dm + ": the products have rank " + dm + ", so each head's orbit has dimension " + perHead
            + ", not " + (at.dK() * at.dK() + at.dV() * at.dV())));
      }
      f.put("continuous_dim", Tensor.scalar(at.heads() * perHead));
      return new Values.Record("symmetries", f);
    }
    if (!(v instanceof NetV net)) throw new NnftException(s.arg(0), "symmetries needs a net, not " + v.kind() + ".");
    CompiledNet cn = Lowering.lower(s.interp(), net);
    Tape t = cn.tape;
    List<Value> groups = new ArrayList<>();
    int continuous = 0;
    // chains of linear maps (identity layers, products of parameter matrices, attention's W_Q W_K^T
    // and W_V W_O): one orbit per chain, of the dimension of the fibre of its product
    java.util.Set<Integer> inChains = new java.util.HashSet<>();
    for (org.nnft.gauge.LinearChains.Chain c : org.nnft.gauge.LinearChains.find(t)) {
      groups.add(new Values.Str(chainText(cn, c)));
      continuous += c.fibre();
      inChains.addAll(c.identities());
    }
    for (int id = 0; id < t.nodes.size(); id++) {
      Tape.Node nd = t.node(id);
      if (nd.kind != Tape.Kind.UNARY || !nd.paramDep || nd.shape.length != 1 || inChains.contains(id)) continue;
      int n = nd.size;
      String act = nd.fn.text();
      String grp;
      int dim;
      switch (act) {
        case "relu", "leaky_relu" -> { grp = "(R+)^" + n + " ⋊ S_" + n + " (rescaling and permutation of the " + n + " " + act + " units)"; dim = n; }
        case "abs" -> { grp = "(R+)^" + n + " × {±1}^" + n + " ⋊ S_" + n + " (rescaling, sign flips of the inputs and permutation of the " + n + " abs units)"; dim = n; }
        case "identity" -> { grp = "none from the " + n + " linear units: no weight matrix reads them alone, so nothing can undo a mixing"; dim = 0; }
        case "sigmoid" -> { grp = "{±1}^" + n + " ⋊ S_" + n + " (sigmoid(-z) = 1 - sigmoid(z): a flip with a shift of the output bias)"; dim = 0; }
        default -> {
          grp = nd.fn.odd() ? "{±1}^" + n + " ⋊ S_" + n + " (sign flips and permutations: " + act + " is odd)"
              : "S_" + n + " (permutations of the " + n + " " + act + " units)";
          dim = 0;
        }
      }
      groups.add(new Values.Str(grp));
      continuous += dim;
    }
    Map<String, Value> f = new LinkedHashMap<>();
    f.put("groups", new Values.ListV(groups));
    f.put("continuous_dim", Tensor.scalar(continuous));
    return new Values.Record("symmetries", f);
  }
}
