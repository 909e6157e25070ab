package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * The forward evaluator against a plain node-by-node reference written here from the definitions
 * (one point, scalar functions, straightforward sums), and its chunk form against one network at a
 * time.
 */
class ForwardTest {

  /** The reference: every node at one input, with Elementwise.value and BinOp.apply. */
  static double[] reference(Tape t, double[] theta, double[] x) {
    double[][] v = new double[t.nodes.size()][];
    for (int i = 0; i < v.length; i++) {
      Node n = t.node(i);
      double[] d = new double[n.size];
      switch (n.kind) {
        case INPUT -> System.arraycopy(x, 0, d, 0, n.size);
        case PARAM -> System.arraycopy(theta, t.parameterOffset(n.index), d, 0, n.size);
        case CONST -> System.arraycopy(n.value, 0, d, 0, n.size);
        case UNARY -> { for (int j = 0; j < n.size; j++) d[j] = n.fn.value(v[n.in[0]][j]); }
        case BINARY -> {
          double[] a = v[n.in[0]], b = v[n.in[1]];
          int c = n.cols();
          for (int j = 0; j < n.size; j++) {
            double xa = switch (n.mode) { case A_SCALAR -> a[0]; case A_ROW -> a[j % c]; default -> a[j]; };
            double yb = switch (n.mode) { case B_SCALAR -> b[0]; case B_ROW -> b[j % c]; default -> b[j]; };
            d[j] = n.op.apply(xa, yb);
          }
        }
        case MATVEC -> {
          double[] m = v[n.in[0]], u = v[n.in[1]];
          for (int r = 0; r < n.size; r++) for (int j = 0; j < u.length; j++) d[r] += m[r * u.length + j] * u[j];
        }
        case VECMAT -> {
          double[] u = v[n.in[0]], m = v[n.in[1]];
          for (int c = 0; c < n.size; c++) for (int j = 0; j < u.length; j++) d[c] += u[j] * m[j * n.size + c];
        }
        case MATMAT -> {
          double[] a = v[n.in[0]], b = v[n.in[1]];
          int rows = n.shape[0], cols = n.shape[1], k = t.node(n.in[0]).shape[1];
          for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) for (int j = 0; j < k; j++) d[r * cols + c] += a[r * k + j] * b[j * cols + c];
        }
        case DOT -> { for (int j = 0; j < v[n.in[0]].length; j++) d[0] += v[n.in[0]][j] * v[n.in[1]][j]; }
        case SUM -> d[0] = Arrays.stream(v[n.in[0]]).sum();
        case PROD -> d[0] = Arrays.stream(v[n.in[0]]).reduce(1, (p, q) -> p * q);
        case NORM -> d[0] = Math.sqrt(Arrays.stream(v[n.in[0]]).map(q -> q * q).sum());
        case MAX -> d[0] = Arrays.stream(v[n.in[0]]).max().getAsDouble();
        case MIN -> d[0] = Arrays.stream(v[n.in[0]]).min().getAsDouble();
        case INDEX -> System.arraycopy(v[n.in[0]], n.index, d, 0, n.size);
        case STACK -> { int q = 0; for (int k : n.in) { System.arraycopy(v[k], 0, d, q, v[k].length); q += v[k].length; } }
        case TRANSPOSE -> {
          int r = n.shape[1], c = n.shape[0];
          for (int a = 0; a < r; a++) for (int b = 0; b < c; b++) d[b * r + a] = v[n.in[0]][a * c + b];
        }
        case SOFTMAX -> {
          double[] a = v[n.in[0]];
          int len = n.lastDim();
          for (int r = 0; r < n.size; r += len) {
            double s = 0;
            for (int j = r; j < r + len; j++) s += Math.exp(a[j]);
            for (int j = r; j < r + len; j++) d[j] = Math.exp(a[j]) / s;
          }
        }
      }
      v[i] = d;
    }
    return v[t.output];
  }

  static double[] gaussian(SplittableRandom r, int n, double scale) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = scale * r.nextGaussian();
    return x;
  }

  private static void againstReference(Tape t, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int points = 7, P = t.parameterCount(), d = t.inputSize(), out = t.outputSize();
    Forward f = new Forward(t, points);
    double[] theta = gaussian(r, P, 0.7), xs = gaussian(r, points * d, 1), ys = new double[points * out];
    f.setParameters(theta, 0);
    f.eval(xs, ys);
    for (int p = 0; p < points; p++) {
      double[] ref = reference(t, theta, Arrays.copyOfRange(xs, p * d, p * d + d));
      for (int k = 0; k < out; k++) assertEquals(ref[k], ys[p * out + k], 1e-12 * Math.max(1, Math.abs(ref[k])), "output " + k + " at point " + p);
    }
    double[] back = new double[P];
    f.getParameters(back, 0);
    assertArrayEquals(theta, back, 0.0);
  }

  @Test
  void everyNodeKindMatchesTheReference() {
    for (long seed = 1; seed <= 4; seed++) {
      againstReference(HandTapes.kitchenSink(), seed);
      againstReference(HandTapes.head(), seed);
      againstReference(HandTapes.cosnet(17), seed);
    }
  }

  @Test
  void aChunkOfNetworksGivesTheSameBitsAsOneAtATime() {
    Tape t = HandTapes.kitchenSink();
    SplittableRandom r = new SplittableRandom(3);
    int points = 4, P = t.parameterCount(), d = t.inputSize(), out = t.outputSize(), nets = 5;
    double[] theta = gaussian(r, nets * P + 3, 0.7), xs = gaussian(r, points * d, 1);
    double[] chunk = new double[nets * points * out + 2];
    new Forward(t, points).evalChunk(theta, 3, nets, xs, chunk, 2);
    Forward one = new Forward(t, points);
    for (int n = 0; n < nets; n++) {
      double[] y = new double[points * out];
      one.setParameters(theta, 3 + n * P);
      one.eval(xs, y);
      assertArrayEquals(y, Arrays.copyOfRange(chunk, 2 + n * points * out, 2 + (n + 1) * points * out), 0.0);
    }
  }

  @Test
  void parametersDrawnIntoBuffersOrSetFromThetaAgree() {
    Tape t = HandTapes.cosnet(9);
    Forward a = new Forward(t, 3), b = new Forward(t, 3);
    Rng rng = Rng.forStream(1, 2);
    for (int k = 0; k < t.parameters(); k++) {
      double[] buf = a.parameter(k);
      Samplers.normal(rng, 0, 1, buf, 0, buf.length);
      assertEquals(t.node(t.parameterNode(k)).kind, Kind.PARAM);
    }
    double[] theta = new double[t.parameterCount()];
    a.getParameters(theta, 0);
    b.setParameters(theta, 0);
    double[] xs = {-0.5, 0.3, 1}, ya = new double[3], yb = new double[3];
    a.eval(xs, ya);
    b.eval(xs, yb);
    assertArrayEquals(ya, yb, 0.0);
  }
}
