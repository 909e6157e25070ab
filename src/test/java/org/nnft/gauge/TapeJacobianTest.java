package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.numeric.Kernel;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;

/**
 * The tape Jacobian: values against {@link Kernel}, derivatives against central finite differences
 * (on a tape using every node kind, broadcast mode and element-wise function), and the orbit
 * dimension of an attention head built on a tape by hand.
 */
class TapeJacobianTest {

  /** One attention head over 3 tokens in R^4, as the language lowers it; returns row 0 of the output. */
  static Tape head() {
    Tape.Builder t = new Tape.Builder();
    int X = t.input(new int[] {3, 4});
    int wq = t.param(0, new int[] {4, 2}), wk = t.param(1, new int[] {4, 2});
    int wv = t.param(2, new int[] {4, 2}), wo = t.param(3, new int[] {2, 2});
    int q = t.add(Kind.MATMAT, new int[] {X, wq}, new int[] {3, 2});
    int k = t.add(Kind.MATMAT, new int[] {X, wk}, new int[] {3, 2});
    int kt = t.add(Kind.TRANSPOSE, new int[] {k}, new int[] {2, 3});
    int s = t.add(Kind.MATMAT, new int[] {q, kt}, new int[] {3, 3});
    int scaled = t.binary("/", s, t.constant(new double[] {Math.sqrt(2)}, new int[0]));
    int a = t.add(Kind.SOFTMAX, new int[] {scaled}, new int[] {3, 3});
    int v = t.add(Kind.MATMAT, new int[] {X, wv}, new int[] {3, 2});
    int av = t.add(Kind.MATMAT, new int[] {a, v}, new int[] {3, 2});
    int h = t.add(Kind.MATMAT, new int[] {av, wo}, new int[] {3, 2});
    int out = t.index(h, 0, new int[] {2});
    return t.output(out).build();
  }

  /**
   * Every node kind, every broadcast mode of the binary operators and every element-wise function
   * (with arguments kept in their domains), stacked into a vector output.
   */
  static Tape kitchenSink() {
    Tape.Builder t = new Tape.Builder();
    int X = t.input(new int[] {2, 3});
    int W = t.param(0, new int[] {3, 3}), v = t.param(1, new int[] {3}), s = t.param(2, new int[0]);
    int B = t.param(3, new int[] {2, 3}), u = t.param(4, new int[] {2});
    int h1 = t.add(Kind.MATMAT, new int[] {X, W}, new int[] {2, 3});
    int h2 = t.binary("+", h1, v); // B_ROW
    int h3 = t.binary("*", v, h2); // A_ROW
    int h4 = t.binary("-", h3, B); // SAME
    int h5 = t.binary("/", h4, s); // B_SCALAR
    int h6 = t.binary("*", s, h5); // A_SCALAR
    int h7 = t.binary("/", t.unary("tanh", h6), t.binary("+", t.unary("square", B), t.constant(new double[] {1}, new int[0])));
    assertEquals(Tape.Broadcast.B_ROW, t.node(h2).mode);
    assertEquals(Tape.Broadcast.A_ROW, t.node(h3).mode);
    assertEquals(Tape.Broadcast.SAME, t.node(h4).mode);
    assertEquals(Tape.Broadcast.B_SCALAR, t.node(h5).mode);
    assertEquals(Tape.Broadcast.A_SCALAR, t.node(h6).mode);
    List<Integer> terms = new ArrayList<>();
    int sg = t.unary("sigmoid", h7); // in (0, 1): the domain of log, sqrt, asin, acos
    for (String f : new String[] {"cos", "sin", "tan", "exp", "tanh", "erf", "relu", "leaky_relu", "sigmoid", "softplus",
        "gelu", "abs", "identity", "neg", "sign", "step", "square", "atan", "sinh", "cosh"}) {
      terms.add(t.add(Kind.SUM, new int[] {t.unary(f, h7)}, new int[0]));
    }
    for (String f : new String[] {"log", "sqrt", "asin", "acos"}) terms.add(t.add(Kind.SUM, new int[] {t.unary(f, sg)}, new int[0]));
    int r0 = t.index(h7, 0, new int[] {3});
    int r1 = t.index(h7, 3, new int[] {3});
    int mv = t.add(Kind.MATVEC, new int[] {W, r0}, new int[] {3});
    int vm = t.add(Kind.VECMAT, new int[] {r1, W}, new int[] {3});
    terms.add(t.add(Kind.DOT, new int[] {mv, vm}, new int[0]));
    terms.add(t.add(Kind.DOT, new int[] {mv, mv}, new int[0]));
    terms.add(t.add(Kind.PROD, new int[] {r0}, new int[0]));
    terms.add(t.add(Kind.NORM, new int[] {r1}, new int[0]));
    terms.add(t.add(Kind.MAX, new int[] {mv}, new int[0]));
    terms.add(t.add(Kind.MIN, new int[] {vm}, new int[0]));
    int sm = t.add(Kind.SOFTMAX, new int[] {h7}, new int[] {2, 3});
    terms.add(t.add(Kind.SUM, new int[] {t.binary("*", sm, X)}, new int[0]));
    int tr = t.add(Kind.TRANSPOSE, new int[] {h7}, new int[] {3, 2});
    int tu = t.add(Kind.MATVEC, new int[] {tr, u}, new int[] {3});
    terms.add(t.add(Kind.DOT, new int[] {tu, v}, new int[0]));
    terms.add(t.add(Kind.SUM, new int[] {t.binary("^", sg, s)}, new int[0])); // derivative in the exponent too
    terms.add(t.add(Kind.SUM, new int[] {t.binary("^", h7, t.constant(new double[] {3}, new int[0]))}, new int[0]));
    terms.add(t.add(Kind.SUM, new int[] {t.binary("^", h7, t.constant(new double[] {2}, new int[0]))}, new int[0]));
    terms.add(t.add(Kind.SUM, new int[] {t.binary("^", sg, t.constant(new double[] {0.5}, new int[0]))}, new int[0]));
    int[] parts = terms.stream().mapToInt(Integer::intValue).toArray();
    int st = t.add(Kind.STACK, parts, new int[] {parts.length});
    // a vector output mixing the stacked terms with a parameter-only subexpression
    return t.output(t.binary("+", st, t.add(Kind.SUM, new int[] {t.unary("exp", u)}, new int[0]))).build();
  }

  static double[] gaussian(SplittableRandom rng, int n, double scale) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = scale * rng.nextGaussian();
    return x;
  }

  /** Values equal the kernel's; Jacobian equals central differences. */
  static void check(Tape tape, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    TapeJacobian J = new TapeJacobian(tape);
    int P = J.parameterCount(), out = J.outputSize(), d = J.inputSize();
    double[] theta = gaussian(rng, P, 0.7);
    J.setParameters(theta);
    int points = 5;
    Kernel k = new Kernel(tape, points);
    int off = 0;
    for (int node : tape.paramNodes) { // in parameter-number order here
      System.arraycopy(theta, off, k.paramBuffer(node), 0, tape.node(node).size);
      off += tape.node(node).size;
    }
    double[] xs = gaussian(rng, points * d, 1), ys = new double[points * out];
    k.evalAll(xs, ys);
    double h = 1e-6;
    for (int p = 0; p < points; p++) {
      double[] x = java.util.Arrays.copyOfRange(xs, p * d, p * d + d);
      double[][] rows = new double[out][P];
      double[] y = J.jacobian(x, rows);
      for (int o = 0; o < out; o++) {
        double ref = ys[p * out + o];
        assertEquals(ref, y[o], 1e-12 * Math.max(1, Math.abs(ref)), "output " + o + " at point " + p);
      }
      for (int j = 0; j < P; j++) {
        double[] tp = theta.clone(), tm = theta.clone();
        tp[j] += h;
        tm[j] -= h;
        J.setParameters(tp);
        double[] yp = J.eval(x);
        J.setParameters(tm);
        double[] ym = J.eval(x);
        for (int o = 0; o < out; o++) {
          double fd = (yp[o] - ym[o]) / (2 * h);
          assertEquals(fd, rows[o][j], 1e-6 * Math.max(1, Math.abs(fd)), "d output " + o + " / d theta " + j + " at point " + p);
        }
      }
      J.setParameters(theta);
    }
  }

  @Test
  void headMatchesKernelAndFiniteDifferences() {
    check(head(), 1);
    check(head(), 2);
  }

  @Test
  void everyNodeKindMatchesKernelAndFiniteDifferences() {
    for (long seed = 1; seed <= 4; seed++) check(kitchenSink(), seed);
  }

  private static final TapeJacobian.ParameterDraw NORMAL = (rng, theta) -> {
    for (int i = 0; i < theta.length; i++) theta[i] = rng.normal();
  };

  @Test
  void headOrbitIsTwoCopiesOfGl2() {
    // 28 parameters; GL(2) on (W_Q, W_K) and GL(2) on (W_V, W_O): orbit 8, functional dimension 20
    for (long seed : new long[] {1, 2, 3}) {
      OrbitDim.Result r = TapeJacobian.orbitDim(head(), NORMAL, seed);
      assertEquals(28, r.parameters(), r.note());
      assertEquals(20, r.rank(), r.note());
      assertEquals(8, r.orbitDim(), r.note());
      assertEquals(20, r.rankAtSecondPoint(), r.note());
      assertTrue(r.gap() > 1e6, "gap " + r.gap() + ": " + r.note());
    }
  }

  @Test
  void feedForwardTapeAgreesWithTheFeedForwardPath() {
    // tanh 3 -> 5 -> 2 with biases: no continuous symmetry, as OrbitDim finds for the same architecture
    Tape.Builder t = new Tape.Builder();
    int x = t.input(3);
    int w1 = t.param(0, new int[] {5, 3}), b1 = t.param(1, new int[] {5});
    int w2 = t.param(2, new int[] {2, 5}), b2 = t.param(3, new int[] {2});
    int z = t.binary("+", t.add(Kind.MATVEC, new int[] {w1, x}, new int[] {5}), b1);
    t.output(t.binary("+", t.add(Kind.MATVEC, new int[] {w2, t.unary("tanh", z)}, new int[] {2}), b2));
    OrbitDim.Result r = TapeJacobian.orbitDim(t.build(), NORMAL, 5);
    assertEquals(OrbitDim.of(FeedForward.random(new int[] {3, 5, 2}, "tanh", true, 1), 5).orbitDim(), r.orbitDim(), r.note());
    assertEquals(0, r.orbitDim(), r.note());
  }

  @Test
  void refusesTooManyParameters() {
    Tape.Builder t = new Tape.Builder();
    int x = t.input(3);
    int w = t.param(0, new int[] {OrbitDim.MAX_PARAMETERS + 1, 3});
    Tape tape = t.output(t.add(Kind.SUM, new int[] {t.add(Kind.MATVEC, new int[] {w, x}, new int[] {OrbitDim.MAX_PARAMETERS + 1})}, new int[0])).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TapeJacobian.orbitDim(tape, NORMAL, 1));
    assertTrue(e.getMessage().contains("at most " + OrbitDim.MAX_PARAMETERS), e.getMessage());
  }
}
