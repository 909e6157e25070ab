package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.nnft.numeric.Tape.Kind;

/** Tapes built by hand for the evaluator and orbit tests. */
public final class HandTapes {
  private HandTapes() {}

  /** One attention head over 3 tokens in R^4, as the language lowers it; returns row 0 of the output. */
  public static Tape head() {
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
  public static Tape kitchenSink() {
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

  /**
   * A Cos-net over R^1 with N neurons and a quartic output term, phi(t) = dot(v, cos(w * t + b)) +
   * c * (sum(v))^2 / N: per-network nodes, the fused affine form and a power.
   */
  public static Tape cosnet(int n) {
    Tape.Builder t = new Tape.Builder();
    int x = t.input(1);
    int w = t.param(0, new int[] {n, 1}), b = t.param(1, new int[] {n}), v = t.param(2, new int[] {n}), c = t.param(3, new int[0]);
    int z = t.binary("+", t.add(Kind.MATVEC, new int[] {w, x}, new int[] {n}), b);
    int phi = t.add(Kind.DOT, new int[] {v, t.unary("cos", z)}, new int[0]);
    int sv = t.add(Kind.SUM, new int[] {v}, new int[0]);
    int q = t.binary("/", t.binary("*", c, t.binary("^", sv, t.constant(new double[] {2}, new int[0]))), t.constant(new double[] {n}, new int[0]));
    return t.output(t.binary("+", phi, q)).build();
  }
}
