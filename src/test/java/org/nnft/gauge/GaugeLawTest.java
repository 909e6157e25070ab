package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.syntax.NnftException;

/**
 * gauge_law(L, G = ...) through the language, for gauge transformations whose symbolic inverse by
 * elimination has removable singularities (a rotation's pivot cos(2πt) vanishes at t = 1/4). The
 * reference A'(t) = G A G⁻¹ + Ġ G⁻¹ is computed here from G and Ġ written out by hand, with the
 * inverse by Cramer's rule.
 */
class GaugeLawTest {

  /** A(t) = [[0, 1], [-1 - t, 0]] of every 2x2 case. */
  private static double[][] a2(double t) {
    return new double[][] {{0, 1}, {-1 - t, 0}};
  }

  private static double[][] mul(double[][] x, double[][] y) {
    int n = x.length;
    double[][] z = new double[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) z[i][j] += x[i][k] * y[k][j];
    return z;
  }

  /** The inverse by Cramer's rule (2x2 and 3x3). */
  private static double[][] inv(double[][] g) {
    if (g.length == 2) {
      double d = g[0][0] * g[1][1] - g[0][1] * g[1][0];
      return new double[][] {{g[1][1] / d, -g[0][1] / d}, {-g[1][0] / d, g[0][0] / d}};
    }
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
        c[j][i] = g[i1][j1] * g[i2][j2] - g[i1][j2] * g[i2][j1]; // adjugate = transposed cofactors
      }
    }
    double d = g[0][0] * c[0][0] + g[0][1] * c[1][0] + g[0][2] * c[2][0];
    for (double[] r : c) for (int j = 0; j < 3; j++) r[j] /= d;
    return c;
  }

  private static double[][] law(double[][] g, double[][] gdot, double[][] a) {
    double[][] gi = inv(g), x = mul(mul(g, a), gi), y = mul(gdot, gi);
    for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) x[i][j] += y[i][j];
    return x;
  }

  /** Runs gauge_law and compares A' at times in [0, T] (including the pivots' zeros) with the reference. */
  private static void check(String a, String g, double T, DoubleFunction<double[][]> reference) {
    Nnft nn = Nnft.session();
    nn.eval("symbol t\nlet L = linear_node(A = " + a + ", time = " + T + ")\nlet R = gauge_law(L, G = " + g + ")");
    assertEquals(Boolean.TRUE, nn.eval("R.proved"), g);
    assertEquals(Boolean.TRUE, nn.eval("R.holds"), g);
    for (double t : new double[] {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}) {
      double tt = t * T;
      double[][] want = reference.apply(tt);
      for (int i = 0; i < want.length; i++) {
        for (int j = 0; j < want.length; j++) {
          double got = (Double) nn.eval(String.format(Locale.ROOT, "N(subs(R.A_prime[%d][%d], t = %.17g))", i, j, tt));
          assertEquals(want[i][j], got, 1e-12 * Math.max(1, Math.abs(want[i][j])), g + " at t = " + tt + ", entry " + i + "," + j);
        }
      }
    }
  }

  @Test
  void rotationByTwoPiT() {
    double w = 2 * Math.PI;
    check("[[0, 1], [-1 - t, 0]]", "[[cos(2*pi*t), -sin(2*pi*t)], [sin(2*pi*t), cos(2*pi*t)]]", 1, t -> {
      double c = Math.cos(w * t), s = Math.sin(w * t);
      return law(new double[][] {{c, -s}, {s, c}}, new double[][] {{-w * s, -w * c}, {w * c, -w * s}}, a2(t));
    });
  }

  @Test
  void hyperbolicBoost() {
    check("[[0, 1], [-1 - t, 0]]", "[[cosh(t), sinh(t)], [sinh(t), cosh(t)]]", 1, t -> {
      double c = Math.cosh(t), s = Math.sinh(t);
      return law(new double[][] {{c, s}, {s, c}}, new double[][] {{s, c}, {c, s}}, a2(t));
    });
  }

  @Test
  void triangularWithExponentials() {
    // G[0][0] = e^t and G[1][1] = 1 + t^2 never vanish; no pivot trouble, a rational A'
    check("[[0, 1], [-1 - t, 0]]", "[[exp(t), t], [0, 1 + t^2]]", 1, t -> law(
        new double[][] {{Math.exp(t), t}, {0, 1 + t * t}}, new double[][] {{Math.exp(t), 1}, {0, 2 * t}}, a2(t)));
  }

  @Test
  void threeByThreeRotationTimesGrowth() {
    // a rotation by pi t in the first plane (pivot cos(pi t) vanishes at t = 1/2) and e^t on the third axis
    double w = Math.PI;
    check("[[0, 1, 0], [-1, 0, t], [0, -t, 0]]", "[[cos(pi*t), -sin(pi*t), 0], [sin(pi*t), cos(pi*t), 0], [0, 0, exp(t)]]", 2, t -> {
      double c = Math.cos(w * t), s = Math.sin(w * t), e = Math.exp(t);
      return law(new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, e}}, new double[][] {{-w * s, -w * c, 0}, {w * c, -w * s, 0}, {0, 0, e}},
          new double[][] {{0, 1, 0}, {-1, 0, t}, {0, -t, 0}});
    });
  }

  @Test
  void theTimeOrderedExponentialIsUnchangedByAClosedRotation() {
    Nnft nn = Nnft.session();
    nn.eval("symbol t\nlet L = linear_node(A = [[0, 1], [-1 - t, 0]], time = 1)\n"
        + "let R = gauge_law(L, G = [[cos(2*pi*t), -sin(2*pi*t)], [sin(2*pi*t), cos(2*pi*t)]])");
    assertEquals(Boolean.TRUE, nn.eval("R.unchanged"));
    double dev = (Double) nn.eval("R.max_deviation"), tol = (Double) nn.eval("R.tolerance");
    assertTrue(dev <= tol, dev + " > " + tol);
  }

  @Test
  void singularGaugeTransformationsAreRefusedWithAPosition() {
    Nnft nn = Nnft.session();
    nn.eval("symbol t\nlet L = linear_node(A = [[0, 1], [-1 - t, 0]], time = 1)");
    NnftException e = assertThrows(NnftException.class, () -> nn.eval("gauge_law(L, G = [[cos(pi*t), 0], [0, 1]])"));
    assertTrue(e.getMessage().contains("not invertible near t = 0.5"), e.getMessage());
    assertTrue(e.render().contains("^"), e.render());
  }
}
