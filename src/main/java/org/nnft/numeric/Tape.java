package org.nnft.numeric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A net body lowered to a straight-line program over fixed-size arrays: one network at one input
 * point. Nodes that do not depend on the input run once per network; the rest run per point.
 */
public final class Tape {
  public enum Kind { INPUT, PARAM, CONST, UNARY, BINARY, MATVEC, VECMAT, MATMAT, DOT, SUM, PROD, NORM,
    INDEX, STACK, TRANSPOSE, SOFTMAX, MAX, MIN }

  /** Broadcast modes of a binary node. */
  public static final int SAME = 0, A_SCALAR = 1, B_SCALAR = 2, B_ROW = 3, A_ROW = 4;

  public static final class Node {
    public final Kind kind;
    public final int[] in;
    public final int[] shape;
    public final int size;
    public String fn;        // unary function name or binary operator
    public double[] value;   // constants
    public int index;        // INDEX offset, PARAM number
    public int mode;         // binary broadcast mode
    public boolean paramDep; // depends on some parameter
    public boolean inputDep; // depends on the input point

    Node(Kind kind, int[] in, int[] shape) {
      this.kind = kind;
      this.in = in;
      this.shape = shape;
      int s = 1;
      for (int d : shape) s *= d;
      this.size = s;
    }

    @Override public String toString() {
      return kind + (fn != null ? "(" + fn + ")" : "") + Arrays.toString(in) + Arrays.toString(shape);
    }
  }

  public final List<Node> nodes = new ArrayList<>();
  public int input = -1;
  public int output = -1;
  public final List<Integer> paramNodes = new ArrayList<>();

  public int add(Kind k, int[] in, int[] shape) {
    Node n = new Node(k, in, shape);
    for (int i : in) {
      n.paramDep |= nodes.get(i).paramDep;
      n.inputDep |= nodes.get(i).inputDep;
    }
    nodes.add(n);
    return nodes.size() - 1;
  }

  public Node node(int i) { return nodes.get(i); }

  public int input(int d) { return input(new int[] {d}); }

  /** The input node: a vector, or a matrix (a sequence of tokens) read row by row. */
  public int input(int[] shape) {
    int id = add(Kind.INPUT, new int[0], shape.clone());
    nodes.get(id).inputDep = true;
    input = id;
    return id;
  }

  public int param(int number, int[] shape) {
    int id = add(Kind.PARAM, new int[0], shape);
    Node n = nodes.get(id);
    n.paramDep = true;
    n.index = number;
    paramNodes.add(id);
    return id;
  }

  public int constant(double[] v, int[] shape) {
    int id = add(Kind.CONST, new int[0], shape);
    nodes.get(id).value = v;
    return id;
  }

  public int unary(String fn, int a) {
    int id = add(Kind.UNARY, new int[] {a}, nodes.get(a).shape);
    nodes.get(id).fn = fn;
    return id;
  }

  public int binary(String op, int a, int b) {
    Node na = nodes.get(a), nb = nodes.get(b);
    int mode;
    int[] shape;
    if (Arrays.equals(na.shape, nb.shape)) { mode = SAME; shape = na.shape; }
    // a one-entry operand broadcasts; the result keeps the other operand's shape, or the longer
    // of two one-entry shapes (2 * v with v of shape [1], as in a net's single-neuron form, is [1])
    else if (nb.size == 1 && (na.size != 1 || na.shape.length >= nb.shape.length)) { mode = B_SCALAR; shape = na.shape; }
    else if (na.size == 1) { mode = A_SCALAR; shape = nb.shape; }
    else if (na.shape.length == 2 && nb.shape.length == 1 && na.shape[1] == nb.shape[0]) { mode = B_ROW; shape = na.shape; }
    else if (nb.shape.length == 2 && na.shape.length == 1 && nb.shape[1] == na.shape[0]) { mode = A_ROW; shape = nb.shape; }
    else return -1;
    int id = add(Kind.BINARY, new int[] {a, b}, shape);
    nodes.get(id).fn = op;
    nodes.get(id).mode = mode;
    return id;
  }

  /** The number of nodes evaluated per point (a measure of kernel cost). */
  public int perPointNodes() {
    int c = 0;
    for (Node n : nodes) if (n.inputDep) c++;
    return c;
  }
}
