package org.nnft.numeric;

import java.util.Arrays;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * Derivatives of a {@link Tape} at a batch of P input points, for one network at a time (its
 * parameters in the {@link #forward() forward evaluator}'s buffers, or set from θ):
 *
 * <ul>
 *   <li>{@link #gradient(double[], double[], double[], double[])}: for a scalar S of the outputs at
 *       all points, given {@code dS/dφ_k(x_p)}, the gradient {@code dS/dθ} (and {@code dS/dx_p}) in
 *       <em>one</em> reverse sweep over all points (adjoints of per-network nodes sum over points);
 *   <li>{@link #tangent}: forward mode along the input, {@code dφ(x_p + εu_p)/dε} at every point;
 *   <li>{@link #gradient(double[], double[], double[], double[], double[], double[])}: for S of the
 *       outputs and of their input tangents — an action {@code Σ_p w_p L(φ(t_p), φ'(t_p))} over
 *       quadrature points — {@code dS/dθ} in one sweep (reverse over the forward tangent: first and
 *       second derivatives of every operation);
 *   <li>{@link #jacobian}: {@code ∂φ_k(x)/∂θ} at one point, one sweep per output component.
 * </ul>
 *
 * <p>Values come from a {@link Forward} in {@link Forward.Mode#SCALAR} (the interpreter's arithmetic:
 * scalar element-wise functions, sums in order; within a few ulps of the sampler's). Non-smooth operations take
 * one-sided derivatives: relu-type functions the slope on the side the value was taken
 * ({@code x > 0} / {@code x ≤ 0}), sign and step 0, max and min pass the adjoint to the first entry
 * attaining them: exact away from the kinks. θ lists the parameters in tape order (parameter
 * number, then row-major). One thread at a time; buffers are allocated once.
 */
public final class Reverse {
  private final Tape tape;
  private final Node[] nodes;
  private final Forward fwd;
  private final int points, inDim, outSize, parameters, output, input;
  private final double[][] adj, tan, tadj;
  private final double[] out, unit, part = new double[5], scratch1, scratch2, scratch3;
  private boolean wantX, second;

  public Reverse(Tape tape, int points) {
    this.tape = tape;
    this.points = points;
    fwd = new Forward(tape, points, Forward.Mode.SCALAR);
    int n = tape.nodes.size();
    nodes = tape.nodes.toArray(new Node[0]);
    adj = new double[n][];
    tan = new double[n][];
    tadj = new double[n][];
    int max = 1;
    for (int i = 0; i < n; i++) {
      Node nd = nodes[i];
      max = Math.max(max, nd.size);
      if (nd.kind == Kind.CONST || !(nd.paramDep || nd.inputDep)) continue;
      int len = fwd.batched(i) ? nd.size * points : nd.size;
      adj[i] = new double[len];
      if (nd.inputDep) {
        tan[i] = new double[len];
        tadj[i] = new double[len];
      }
    }
    scratch1 = new double[max + 1];
    scratch2 = new double[max + 1];
    scratch3 = new double[max + 1];
    output = tape.output;
    input = tape.input;
    inDim = tape.inputSize();
    outSize = tape.outputSize();
    parameters = tape.parameterCount();
    out = new double[outSize * points];
    unit = new double[outSize];
  }

  /** The forward evaluator whose parameter buffers hold the network. */
  public Forward forward() { return fwd; }

  public Tape tape() { return tape; }
  public int points() { return points; }
  public int parameterCount() { return parameters; }
  public int inputSize() { return inDim; }
  public int outputSize() { return outSize; }

  /** Sets the network: {@code theta} in tape order, length {@link #parameterCount}. */
  public void setParameters(double[] theta) {
    if (theta.length != parameters) throw new IllegalArgumentException("expected " + parameters + " parameters, got " + theta.length);
    fwd.setParameters(theta, 0);
  }

  /** The outputs at the points {@code xs} ({@code points × outputSize}, point after point). */
  public void eval(double[] xs, double[] values) { fwd.eval(xs, values); }

  /**
   * One reverse sweep: with {@code seed[p*outSize + k] = dS/dφ_k(x_p)}, writes {@code dS/dθ} into
   * {@code gradTheta} (length {@link #parameterCount}, overwritten) and, when {@code gradX} is not
   * null, {@code dS/dx_p} into {@code gradX} ({@code points × inputSize}). Returns the outputs
   * (an internal array, valid until the next call).
   */
  public double[] gradient(double[] xs, double[] seed, double[] gradTheta, double[] gradX) {
    fwd.eval(xs, out);
    second = false;
    wantX = gradX != null;
    sweep(seed, null);
    collect(gradTheta, gradX);
    return out;
  }

  /**
   * As {@link #gradient(double[], double[], double[], double[])} at the points of the last
   * {@link #eval}, without evaluating the net again: for a seed that depends on the outputs (a
   * loss), eval, compute the seed, then this.
   */
  public void gradientAfterEval(double[] seed, double[] gradTheta, double[] gradX) {
    second = false;
    wantX = gradX != null;
    sweep(seed, null);
    collect(gradTheta, gradX);
  }

  /**
   * Forward mode along the input: {@code values} receives φ at the points and {@code tangents}
   * (same layout) {@code dφ(x_p + ε u_p)/dε} at ε = 0, with {@code u} laid out like {@code xs}
   * (for R^1 inputs, u = 1 gives dφ/dx).
   */
  public void tangent(double[] xs, double[] u, double[] values, double[] tangents) {
    fwd.eval(xs, values);
    tangents(u);
    copyOut(tan[output], tangents);
  }

  /**
   * For S of the outputs and of their tangents along {@code u} (see {@link #tangent}): with
   * {@code seedValue[p*outSize + k] = ∂S/∂φ_k(x_p)} and {@code seedTangent[...] = ∂S/∂φ̇_k(x_p)},
   * writes {@code dS/dθ} into {@code gradTheta} and, when not null, {@code dS/dx_p} into
   * {@code gradX} (the direction u held fixed), in one sweep. Seeds that depend on φ and φ̇ (as an
   * action's do) come from a {@link #tangent} call at the same parameters first.
   */
  public void gradient(double[] xs, double[] u, double[] seedValue, double[] seedTangent, double[] gradTheta, double[] gradX) {
    fwd.eval(xs, out);
    tangents(u);
    second = true;
    wantX = gradX != null;
    sweep(seedValue, seedTangent);
    collect(gradTheta, gradX);
  }

  /**
   * The outputs at one input {@code x} and {@code rows[k][j] = ∂φ_k/∂θ_j} ({@code outputSize ×
   * parameterCount}, overwritten); needs an instance for one point.
   */
  public double[] jacobian(double[] x, double[][] rows) {
    if (points != 1) throw new IllegalStateException("the Jacobian is taken at one point");
    if (x.length != inDim) throw new IllegalArgumentException("expected an input of size " + inDim + ", got " + x.length);
    fwd.eval(x, out);
    second = false;
    wantX = false;
    double[] seed = unit;
    for (int k = 0; k < outSize; k++) {
      Arrays.fill(seed, 0);
      seed[k] = 1;
      sweep(seed, null);
      collect(rows[k], null);
    }
    return out.clone();
  }

  // ---------------------------------------------------------------- plumbing

  private int off(int node, int p) { return fwd.batched(node) ? p * nodes[node].size : 0; }

  private double[] val(int node) { return fwd.value(node); }

  /** Whether the sweep needs the adjoint of this node. */
  private boolean needed(int node) {
    Node nd = nodes[node];
    return adj[node] != null && (nd.paramDep || wantX && nd.inputDep);
  }

  /** The value adjoint to accumulate into, or null. */
  private double[] ga(int node) { return needed(node) ? adj[node] : null; }

  /** The tangent adjoint to accumulate into, or null. */
  private double[] gt(int node) { return second && needed(node) ? tadj[node] : null; }

  /** The tangent of a node, or null when it is 0 (the node does not depend on the input). */
  private double[] tg(int node) { return tan[node]; }

  private void copyOut(double[] src, double[] dst) {
    if (src == null) { Arrays.fill(dst, 0, outSize * points, 0.0); return; }
    if (fwd.batched(output)) System.arraycopy(src, 0, dst, 0, outSize * points);
    else for (int p = 0; p < points; p++) System.arraycopy(src, 0, dst, p * outSize, outSize);
  }

  private void collect(double[] gradTheta, double[] gradX) {
    Arrays.fill(gradTheta, 0, parameters, 0.0);
    for (int k = 0, n = tape.parameters(); k < n; k++) {
      int node = tape.parameterNode(k);
      double[] a = adj[node];
      if (a != null) System.arraycopy(a, 0, gradTheta, tape.parameterOffset(k), a.length);
    }
    if (gradX != null) {
      if (input >= 0 && adj[input] != null) System.arraycopy(adj[input], 0, gradX, 0, inDim * points);
      else Arrays.fill(gradX, 0, inDim * points, 0.0);
    }
  }

  private void seed(double[] target, double[] seed) {
    if (target == null || seed == null) return;
    if (fwd.batched(output)) System.arraycopy(seed, 0, target, 0, outSize * points);
    else for (int p = 0; p < points; p++) for (int k = 0; k < outSize; k++) target[k] += seed[p * outSize + k];
  }

  private void sweep(double[] seedValue, double[] seedTangent) {
    // only the adjoints the sweep reads (for a gradient in θ alone, not those of nodes free of parameters)
    for (int i = 0; i < adj.length; i++) {
      if (adj[i] == null || !needed(i)) continue;
      Arrays.fill(adj[i], 0);
      if (second && tadj[i] != null) Arrays.fill(tadj[i], 0);
    }
    if (adj[output] == null) return; // the output is a constant
    seed(adj[output], seedValue);
    if (second) seed(tadj[output], seedTangent);
    for (int i = output; i >= 0; i--) {
      if (!needed(i) || nodes[i].kind == Kind.PARAM || nodes[i].kind == Kind.INPUT) continue;
      int reps = fwd.batched(i) ? points : 1;
      for (int p = 0; p < reps; p++) backward(i, p);
    }
  }

  // ---------------------------------------------------------------- tangents

  /** The points and direction of the last tangents: nodes free of parameters keep theirs while both stay the same. */
  private double[] tanXs, tanU;

  private void tangents(double[] u) {
    if (input < 0) return;
    double[] xs = fwd.value(input);
    int len = inDim * points;
    boolean keep = tanXs != null && Arrays.equals(tanXs, 0, len, xs, 0, len) && Arrays.equals(tanU, 0, len, u, 0, len);
    if (!keep) {
      tanXs = Arrays.copyOf(xs, len);
      tanU = Arrays.copyOf(u, len);
    }
    for (int i = 0; i <= output; i++) {
      Node nd = nodes[i];
      if (tan[i] == null) continue;
      if (keep && !nd.paramDep && nd.kind != Kind.INPUT) continue;
      if (nd.kind == Kind.INPUT) {
        System.arraycopy(u, 0, tan[i], 0, nd.size * points);
        continue;
      }
      for (int p = 0; p < points; p++) tangent(i, p);
    }
  }

  /** The tangent of node i (which depends on the input, so is batched) at point p. */
  private void tangent(int i, int p) {
    Node nd = nodes[i];
    double[] t = tan[i];
    int o = p * nd.size;
    int a0 = nd.in.length > 0 ? nd.in[0] : -1, a1 = nd.in.length > 1 ? nd.in[1] : -1;
    double[] ta = a0 >= 0 ? tg(a0) : null, tb = a1 >= 0 ? tg(a1) : null;
    int ao = a0 >= 0 ? off(a0, p) : 0, bo = a1 >= 0 ? off(a1, p) : 0;
    switch (nd.kind) {
      case UNARY -> {
        double[] a = val(a0);
        for (int j = 0; j < nd.size; j++) t[o + j] = nd.fn.d1(a[ao + j]) * ta[ao + j];
      }
      case BINARY -> {
        double[] a = val(a0), b = val(a1);
        int cols = nd.cols();
        double[] d = part;
        for (int j = 0; j < nd.size; j++) {
          int ja = ia(nd.mode, j, cols), jb = ib(nd.mode, j, cols);
          partials(nd.op, a[ao + ja], b[bo + jb], d);
          double s = 0;
          if (ta != null) s += d[0] * ta[ao + ja];
          if (tb != null) s += d[1] * tb[bo + jb];
          t[o + j] = s;
        }
      }
      case MATVEC, VECMAT, MATMAT, DOT -> {
        Arrays.fill(t, o, o + nd.size, 0.0);
        if (ta != null) bilinear(nd, ta, ao, val(a1), bo, t, o);
        if (tb != null) bilinear(nd, val(a0), ao, tb, bo, t, o);
      }
      case SUM -> {
        double s = 0;
        for (int j = 0; j < nodes[a0].size; j++) s += ta[ao + j];
        t[o] = s;
      }
      case PROD -> {
        double[] a = val(a0);
        int len = nodes[a0].size;
        double[] suf = scratch1;
        suf[len] = 1;
        for (int j = len - 1; j >= 0; j--) suf[j] = suf[j + 1] * a[ao + j];
        double pre = 1, s = 0;
        for (int j = 0; j < len; j++) {
          s += ta[ao + j] * pre * suf[j + 1];
          pre *= a[ao + j];
        }
        t[o] = s;
      }
      case NORM -> {
        double[] a = val(a0);
        double y = val(i)[off(i, p)], s = 0;
        if (y > 0) for (int j = 0; j < nodes[a0].size; j++) s += a[ao + j] * ta[ao + j];
        t[o] = y > 0 ? s / y : 0;
      }
      case MAX, MIN -> t[o] = ta[ao + argExtreme(a0, ao, val(i)[off(i, p)])];
      case INDEX -> System.arraycopy(ta, ao + nd.index, t, o, nd.size);
      case STACK -> {
        int q = o;
        for (int j : nd.in) {
          int len = nodes[j].size;
          double[] tj = tg(j);
          if (tj == null) Arrays.fill(t, q, q + len, 0.0);
          else System.arraycopy(tj, off(j, p), t, q, len);
          q += len;
        }
      }
      case TRANSPOSE -> {
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++) for (int y = 0; y < c; y++) t[o + y * r + x] = ta[ao + x * c + y];
      }
      case SOFTMAX -> {
        double[] s = val(i);
        int so = off(i, p), len = nd.lastDim();
        for (int r = 0; r < nd.size; r += len) {
          double dot = 0;
          for (int j = r; j < r + len; j++) dot += s[so + j] * ta[ao + j];
          for (int j = r; j < r + len; j++) t[o + j] = s[so + j] * (ta[ao + j] - dot);
        }
      }
      default -> throw new IllegalStateException("no tangent for a " + nd.kind + " node");
    }
  }

  /** The first entry of node a (at offset ao) equal to m: where max and min send their derivative. */
  private int argExtreme(int a, int ao, double m) {
    double[] v = val(a);
    for (int j = 0; j < nodes[a].size; j++) if (v[ao + j] == m) return j;
    return 0;
  }

  /** t += B(a, b) for the bilinear node kinds (matrix products and the dot product). */
  private void bilinear(Node nd, double[] a, int ao, double[] b, int bo, double[] t, int o) {
    switch (nd.kind) {
      case MATVEC -> {
        int k = nodes[nd.in[1]].size;
        for (int r = 0; r < nd.size; r++) {
          double s = 0;
          for (int j = 0; j < k; j++) s += a[ao + r * k + j] * b[bo + j];
          t[o + r] += s;
        }
      }
      case VECMAT -> {
        int cols = nd.size, k = nodes[nd.in[0]].size;
        for (int j = 0; j < k; j++) for (int c = 0; c < cols; c++) t[o + c] += a[ao + j] * b[bo + j * cols + c];
      }
      case MATMAT -> {
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[nd.in[0]].shape[1];
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double x = a[ao + r * k + j];
            for (int c = 0; c < cols; c++) t[o + r * cols + c] += x * b[bo + j * cols + c];
          }
      }
      case DOT -> {
        double s = 0;
        for (int j = 0; j < nodes[nd.in[0]].size; j++) s += a[ao + j] * b[bo + j];
        t[o] += s;
      }
      default -> throw new IllegalStateException(nd.kind + " is not bilinear");
    }
  }

  /**
   * The transposed bilinear map: with g the adjoint of B(a, b), {@code ga += ∂B/∂a^T g} (which reads
   * b) and {@code gb += ∂B/∂b^T g} (which reads a); a null target or partner is skipped.
   */
  private void bilinearBack(Node nd, double[] g, int go, double[] a, int ao, double[] b, int bo,
      double[] ga, int gao, double[] gb, int gbo) {
    boolean toA = ga != null && b != null, toB = gb != null && a != null;
    if (!toA && !toB) return;
    switch (nd.kind) {
      case MATVEC -> {
        int k = nodes[nd.in[1]].size;
        for (int r = 0; r < nd.size; r++) {
          double gr = g[go + r];
          if (gr == 0) continue;
          if (toA) for (int j = 0; j < k; j++) ga[gao + r * k + j] += gr * b[bo + j];
          if (toB) for (int j = 0; j < k; j++) gb[gbo + j] += gr * a[ao + r * k + j];
        }
      }
      case VECMAT -> {
        int cols = nd.size, k = nodes[nd.in[0]].size;
        for (int j = 0; j < k; j++)
          for (int c = 0; c < cols; c++) {
            if (toA) ga[gao + j] += g[go + c] * b[bo + j * cols + c];
            if (toB) gb[gbo + j * cols + c] += a[ao + j] * g[go + c];
          }
      }
      case MATMAT -> {
        int rows = nd.shape[0], cols = nd.shape[1], k = nodes[nd.in[0]].shape[1];
        for (int r = 0; r < rows; r++)
          for (int j = 0; j < k; j++) {
            double s = 0, x = toB ? a[ao + r * k + j] : 0;
            for (int c = 0; c < cols; c++) {
              double gc = g[go + r * cols + c];
              if (toA) s += gc * b[bo + j * cols + c];
              if (toB) gb[gbo + j * cols + c] += x * gc;
            }
            if (toA) ga[gao + r * k + j] += s;
          }
      }
      case DOT -> {
        double g0 = g[go];
        int len = nodes[nd.in[0]].size;
        if (toA) for (int j = 0; j < len; j++) ga[gao + j] += g0 * b[bo + j];
        if (toB) for (int j = 0; j < len; j++) gb[gbo + j] += g0 * a[ao + j];
      }
      default -> throw new IllegalStateException(nd.kind + " is not bilinear");
    }
  }

  /** Index into the first operand of a binary node for output entry j. */
  private static int ia(Tape.Broadcast mode, int j, int cols) {
    return switch (mode) {
      case A_SCALAR -> 0;
      case A_ROW -> j % cols;
      default -> j;
    };
  }

  private static int ib(Tape.Broadcast mode, int j, int cols) {
    return switch (mode) {
      case B_SCALAR -> 0;
      case B_ROW -> j % cols;
      default -> j;
    };
  }

  /**
   * The partial derivatives of x op y into d: {∂x, ∂y, ∂xx, ∂xy, ∂yy}. For {@code ^} the special
   * cases of {@link Tape#pow} (and a base of 0) are taken exactly.
   */
  static void partials(Tape.BinOp op, double x, double y, double[] d) {
    switch (op) {
      case ADD -> { d[0] = 1; d[1] = 1; d[2] = 0; d[3] = 0; d[4] = 0; }
      case SUB -> { d[0] = 1; d[1] = -1; d[2] = 0; d[3] = 0; d[4] = 0; }
      case MUL -> { d[0] = y; d[1] = x; d[2] = 0; d[3] = 1; d[4] = 0; }
      case DIV -> {
        double iy = 1 / y;
        d[0] = iy;
        d[1] = -x / (y * y);
        d[2] = 0;
        d[3] = -iy * iy;
        d[4] = 2 * x * iy * iy * iy;
      }
      case POW -> {
        d[0] = y == 2 ? 2 * x : y == 1 ? 1 : y == 0 ? 0 : y * Math.pow(x, y - 1);
        d[2] = y == 2 ? 2 : y == 1 || y == 0 ? 0 : y * (y - 1) * Math.pow(x, y - 2);
        if (x == 0) { d[1] = 0; d[3] = 0; d[4] = 0; }
        else {
          double l = Math.log(x), pw = Tape.pow(x, y);
          d[1] = pw * l;
          d[3] = Math.pow(x, y - 1) * (1 + y * l);
          d[4] = pw * l * l;
        }
      }
    }
  }

  // ---------------------------------------------------------------- backward

  /** Node i at point p: accumulates into the adjoints (and tangent adjoints) of its inputs. */
  private void backward(int i, int p) {
    Node nd = nodes[i];
    double[] g = adj[i], h = second ? tadj[i] : null; // h: adjoint of the tangent (null: none)
    int o = off(i, p);
    int a0 = nd.in.length > 0 ? nd.in[0] : -1, a1 = nd.in.length > 1 ? nd.in[1] : -1;
    int ao = a0 >= 0 ? off(a0, p) : 0, bo = a1 >= 0 ? off(a1, p) : 0;
    double[] gA = a0 >= 0 ? ga(a0) : null, gB = a1 >= 0 ? ga(a1) : null;
    double[] hA = a0 >= 0 ? gt(a0) : null, hB = a1 >= 0 ? gt(a1) : null;
    double[] tA = a0 >= 0 && h != null ? tg(a0) : null, tB = a1 >= 0 && h != null ? tg(a1) : null;
    switch (nd.kind) {
      case UNARY -> {
        double[] a = val(a0);
        Elementwise f = nd.fn;
        for (int j = 0; j < nd.size; j++) {
          double x = a[ao + j], gj = g[o + j], hj = h == null ? 0 : h[o + j];
          if (gj == 0 && hj == 0) continue;
          double f1 = f.d1(x);
          if (gA != null) gA[ao + j] += (gj != 0 ? gj * f1 : 0) + (hj != 0 && tA != null ? hj * f.d2(x) * tA[ao + j] : 0);
          if (hA != null) hA[ao + j] += hj * f1;
        }
      }
      case BINARY -> {
        double[] a = val(a0), b = val(a1);
        int cols = nd.cols();
        double[] d = part;
        for (int j = 0; j < nd.size; j++) {
          double gj = g[o + j], hj = h == null ? 0 : h[o + j];
          if (gj == 0 && hj == 0) continue;
          int ja = ia(nd.mode, j, cols), jb = ib(nd.mode, j, cols);
          partials(nd.op, a[ao + ja], b[bo + jb], d);
          // a partial that is not needed may be NaN (the log of a negative base for a constant exponent): skip it
          double tx = tA == null ? 0 : tA[ao + ja], ty = tB == null ? 0 : tB[bo + jb];
          boolean hasX = hj != 0 && tA != null, hasY = hj != 0 && tB != null;
          if (gA != null) gA[ao + ja] += (gj != 0 ? gj * d[0] : 0) + (hasX ? hj * d[2] * tx : 0) + (hasY ? hj * d[3] * ty : 0);
          if (gB != null) gB[bo + jb] += (gj != 0 ? gj * d[1] : 0) + (hasX ? hj * d[3] * tx : 0) + (hasY ? hj * d[4] * ty : 0);
          if (hA != null && hj != 0) hA[ao + ja] += hj * d[0];
          if (hB != null && hj != 0) hB[bo + jb] += hj * d[1];
        }
      }
      case MATVEC, VECMAT, MATMAT, DOT -> {
        double[] a = val(a0), b = val(a1);
        bilinearBack(nd, g, o, a, ao, b, bo, gA, ao, gB, bo);
        if (h != null) {
          // the tangent B(ȧ, b) + B(a, ḃ): its adjoint reaches the values through the partner's tangent
          bilinearBack(nd, h, o, tA, ao, tB, bo, gA, ao, gB, bo);
          bilinearBack(nd, h, o, a, ao, b, bo, hA, ao, hB, bo);
        }
      }
      case SUM -> {
        int len = nodes[a0].size;
        if (gA != null) for (int j = 0; j < len; j++) gA[ao + j] += g[o];
        if (hA != null) for (int j = 0; j < len; j++) hA[ao + j] += h[o];
      }
      case PROD -> prodBack(nd, a0, ao, g[o], h == null ? 0 : h[o], gA, hA, tA);
      case NORM -> {
        double[] a = val(a0);
        double y = val(i)[o];
        if (!(y > 0)) return;
        int len = nodes[a0].size;
        double at = 0;
        if (tA != null) for (int j = 0; j < len; j++) at += a[ao + j] * tA[ao + j];
        double g0 = g[o], h0 = h == null ? 0 : h[o];
        for (int j = 0; j < len; j++) {
          double aj = a[ao + j];
          if (gA != null) gA[ao + j] += g0 * aj / y + (tA != null ? h0 * (tA[ao + j] / y - aj * at / (y * y * y)) : 0);
          if (hA != null) hA[ao + j] += h0 * aj / y;
        }
      }
      case MAX, MIN -> {
        int j = argExtreme(a0, ao, val(i)[o]);
        if (gA != null) gA[ao + j] += g[o];
        if (hA != null) hA[ao + j] += h[o];
      }
      case INDEX -> {
        if (gA != null) for (int j = 0; j < nd.size; j++) gA[ao + nd.index + j] += g[o + j];
        if (hA != null) for (int j = 0; j < nd.size; j++) hA[ao + nd.index + j] += h[o + j];
      }
      case STACK -> {
        int q = o;
        for (int k : nd.in) {
          int len = nodes[k].size, ko = off(k, p);
          double[] gk = ga(k), hk = gt(k);
          if (gk != null) for (int t = 0; t < len; t++) gk[ko + t] += g[q + t];
          if (hk != null && h != null) for (int t = 0; t < len; t++) hk[ko + t] += h[q + t];
          q += len;
        }
      }
      case TRANSPOSE -> {
        int r = nd.shape[1], c = nd.shape[0];
        for (int x = 0; x < r; x++)
          for (int y = 0; y < c; y++) {
            if (gA != null) gA[ao + x * c + y] += g[o + y * r + x];
            if (hA != null) hA[ao + x * c + y] += h[o + y * r + x];
          }
      }
      case SOFTMAX -> {
        double[] s = val(i);
        int len = nd.lastDim();
        for (int r = 0; r < nd.size; r += len) {
          double gs = 0;
          for (int j = r; j < r + len; j++) gs += g[o + j] * s[o + j];
          if (gA != null) for (int j = r; j < r + len; j++) gA[ao + j] += s[o + j] * (g[o + j] - gs);
          if (h == null) continue;
          double hs = 0, st = 0;
          for (int j = r; j < r + len; j++) {
            hs += h[o + j] * s[o + j];
            if (tA != null) st += s[o + j] * tA[ao + j];
          }
          if (hA != null) for (int j = r; j < r + len; j++) hA[ao + j] += s[o + j] * (h[o + j] - hs);
          if (gA != null && tA != null) {
            // ṡ = s ⊙ (ȧ - s·ȧ); F = h·ṡ as a function of s, then back through s(a)
            double fs = 0;
            for (int j = r; j < r + len; j++) {
              double df = h[o + j] * tA[ao + j] - h[o + j] * st - hs * tA[ao + j];
              scratch1[j - r] = df;
              fs += df * s[o + j];
            }
            for (int j = r; j < r + len; j++) gA[ao + j] += s[o + j] * (scratch1[j - r] - fs);
          }
        }
      }
      default -> throw new IllegalStateException("cannot differentiate a " + nd.kind + " node");
    }
  }

  /** The product of the entries of node a: its adjoint (and, with tangents, the second-order terms). */
  private void prodBack(Node nd, int a0, int ao, double g0, double h0, double[] gA, double[] hA, double[] tA) {
    double[] a = val(a0);
    int len = nodes[a0].size;
    double[] suf = scratch2, sufT = scratch3;
    suf[len] = 1;
    sufT[len] = 0;
    for (int j = len - 1; j >= 0; j--) {
      suf[j] = suf[j + 1] * a[ao + j];
      sufT[j] = tA == null ? 0 : sufT[j + 1] * a[ao + j] + suf[j + 1] * tA[ao + j];
    }
    double pre = 1, preT = 0;
    for (int j = 0; j < len; j++) {
      double others = pre * suf[j + 1];                     // ∏_{k≠j} a_k
      double othersT = preT * suf[j + 1] + pre * sufT[j + 1]; // its tangent
      if (gA != null) gA[ao + j] += g0 * pre * suf[j + 1] + (h0 != 0 ? h0 * othersT : 0);
      if (hA != null) hA[ao + j] += h0 * others;
      double aj = a[ao + j];
      preT = tA == null ? 0 : preT * aj + pre * tA[ao + j];
      pre *= aj;
    }
  }
}
