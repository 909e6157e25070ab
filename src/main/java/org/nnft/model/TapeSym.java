package org.nnft.model;

import java.util.Arrays;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Node;
import org.nnft.syntax.NnftException;

/**
 * Tape nodes as Symja code, component by component: the input's components are the given names,
 * parameter k's entry j is the symbol {@code nnpKxJ}, constants are exact decimals.
 */
public final class TapeSym {
  private final Tape tape;
  private final String[] input;

  public TapeSym(Tape tape, String[] inputComponents) {
    this.tape = tape;
    this.input = inputComponents;
  }

  public static String param(int k, int j) { return "nnp" + k + "x" + j; }

  public static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    if (v == Math.PI) return "Pi";
    if (v == -Math.PI) return "(-Pi)";
    String r = rational(v);
    if (r != null) return r;
    return "(" + Double.toString(v).replace("E", "*10^") + ")";
  }

  /**
   * p/q when v is that fraction to within a few units in the last place with q at most 10^6
   * (so 0.010000000000000002 from (1/sqrt(100))^2 prints as 1/100), else null.
   */
  public static String rational(double v) {
    if (!Double.isFinite(v) || v == 0) return null;
    double x = Math.abs(v);
    long h0 = 0, h1 = 1, k0 = 1, k1 = 0;
    double y = x;
    for (int i = 0; i < 40; i++) {
      long a = (long) Math.floor(y);
      long h2 = a * h1 + h0, k2 = a * k1 + k0;
      if (k2 > 1_000_000 || h2 > 1_000_000_000_000L) break;
      h0 = h1; h1 = h2; k0 = k1; k1 = k2;
      double approx = (double) h1 / k1;
      if (Math.abs(approx - x) <= 4 * Math.ulp(x)) return "(" + (v < 0 ? "-" : "") + h1 + "/" + k1 + ")";
      double frac = y - a;
      if (frac == 0) break;
      y = 1 / frac;
    }
    return null;
  }

  public String scalar(int node) {
    String[] c = of(node);
    if (c.length != 1) throw new IllegalStateException("not a scalar");
    return c[0];
  }

  public String[] of(int id) {
    Node nd = tape.node(id);
    if (nd.kind == Tape.Kind.INPUT || nd.kind == Tape.Kind.PARAM || nd.kind == Tape.Kind.CONST) return leaf(nd);
    String[][] ins = new String[nd.in.length][];
    for (int i = 0; i < ins.length; i++) ins[i] = of(nd.in[i]);
    return combine(nd, ins);
  }

  /** The components of an input, parameter or constant node. */
  public String[] leaf(Node nd) {
    switch (nd.kind) {
      case INPUT: return input.clone();
      case PARAM: {
        String[] r = new String[nd.size];
        for (int j = 0; j < r.length; j++) r[j] = param(nd.index, j);
        return r;
      }
      case CONST: {
        String[] r = new String[nd.size];
        for (int j = 0; j < r.length; j++) r[j] = num(nd.value[j]);
        return r;
      }
      default: throw new IllegalArgumentException("not a leaf: " + nd);
    }
  }

  /** The components of an operation node from its inputs' components. */
  public static String[] combine(Node nd, String[][] ins) {
    switch (nd.kind) {
      case UNARY: {
        String[] a = ins[0];
        String[] r = new String[a.length];
        for (int j = 0; j < r.length; j++) r[j] = fn(nd.fn, a[j]);
        return r;
      }
      case BINARY: {
        String[] a = ins[0], b = ins[1];
        String[] r = new String[nd.size];
        int cols = nd.shape.length == 2 ? nd.shape[1] : 1;
        for (int j = 0; j < r.length; j++) {
          String x = switch (nd.mode) {
            case A_SCALAR -> a[0];
            case A_ROW -> a[j % cols];
            default -> a[j];
          };
          String y = switch (nd.mode) {
            case B_SCALAR -> b[0];
            case B_ROW -> b[j % cols];
            default -> b[j];
          };
          r[j] = "(" + x + ")" + nd.op.symbol + "(" + y + ")";
        }
        return r;
      }
      case MATVEC: {
        String[] m = ins[0], v = ins[1];
        int k = v.length;
        String[] r = new String[nd.size];
        for (int i = 0; i < r.length; i++) r[i] = sumOfProducts(m, i * k, 1, v, 0, 1, k);
        return r;
      }
      case VECMAT: {
        String[] v = ins[0], m = ins[1];
        int k = v.length, cols = nd.size;
        String[] r = new String[cols];
        for (int j = 0; j < cols; j++) r[j] = sumOfProducts(v, 0, 1, m, j, cols, k);
        return r;
      }
      case MATMAT: {
        String[] a = ins[0], b = ins[1];
        int rows = nd.shape[0], cols = nd.shape[1], k = a.length / rows;
        String[] r = new String[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i * cols + j] = sumOfProducts(a, i * k, 1, b, j, cols, k);
        return r;
      }
      case TRANSPOSE: {
        String[] a = ins[0];
        int rows = nd.shape[0], cols = nd.shape[1]; // of the result
        String[] r = new String[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i * cols + j] = a[j * rows + i];
        return r;
      }
      case SOFTMAX: {
        String[] a = ins[0];
        int len = nd.shape.length == 0 ? 1 : nd.shape[nd.shape.length - 1];
        String[] r = new String[a.length];
        for (int row = 0; row < a.length; row += len) {
          StringBuilder z = new StringBuilder("(");
          for (int j = row; j < row + len; j++) z.append(j > row ? "+" : "").append("Exp(").append(a[j]).append(")");
          z.append(")");
          for (int j = row; j < row + len; j++) r[j] = "Exp(" + a[j] + ")/" + z;
        }
        return r;
      }
      case DOT: return new String[] {sumOfProducts(ins[0], 0, 1, ins[1], 0, 1, ins[0].length)};
      case SUM: case NORM: case PROD: {
        String[] a = ins[0];
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < a.length; j++) {
          s.append(j > 0 ? (nd.kind == Tape.Kind.PROD ? "*" : "+") : "").append("(").append(a[j]).append(")");
          if (nd.kind == Tape.Kind.NORM) s.append("^2");
        }
        return new String[] {nd.kind == Tape.Kind.NORM ? "Sqrt(" + s + ")" : s.toString()};
      }
      case INDEX: return Arrays.copyOfRange(ins[0], nd.index, nd.index + nd.size);
      case STACK: {
        String[] r = new String[nd.size];
        int o = 0;
        for (String[] part : ins) for (String x : part) r[o++] = x;
        return r;
      }
      default:
        throw new NnftException(null, "the symbolic rules cannot read a net that uses " + nd.kind.name().toLowerCase() + ".");
    }
  }

  private static String sumOfProducts(String[] a, int ao, int as, String[] b, int bo, int bs, int k) {
    StringBuilder s = new StringBuilder();
    for (int j = 0; j < k; j++) s.append(j > 0 ? "+" : "").append("(").append(a[ao + j * as]).append(")*(").append(b[bo + j * bs]).append(")");
    return s.toString();
  }

  static String fn(org.nnft.numeric.Elementwise f, String a) {
    String r = f.symja(a);
    if (r == null) throw new NnftException(null, "the symbolic rules do not know " + f + ".");
    return r;
  }

  /** The element-wise function f applied to the Symja code a, or null when f has no symbolic form. */
  public static String symja(String f, String a) {
    org.nnft.numeric.Elementwise e = org.nnft.numeric.Elementwise.byName(f);
    return e == null ? null : e.symja(a);
  }

}
