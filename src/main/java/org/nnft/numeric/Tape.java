package org.nnft.numeric;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A net body lowered to a straight-line program over fixed-size arrays: the one lowered form of a
 * net, immutable once built (see {@link Builder}). Node {@code i} reads nodes {@code in[k] < i}.
 * Parameters are numbered 0, 1, ... (their {@link Node#index}); the parameter vector θ of a network
 * lists them in that order, each row-major ({@link #parameterOffset}).
 *
 * <p>Evaluators: {@link Forward} (values over many networks and points), {@link Reverse}
 * (gradients with respect to parameters and inputs, input tangents) and {@code model.TapeSym}
 * (Symja code). Node arrays ({@code in}, {@code shape}, {@code value}) are shared: read them, never
 * write them.
 */
public final class Tape implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Kind { INPUT, PARAM, CONST, UNARY, BINARY, MATVEC, VECMAT, MATMAT, DOT, SUM, PROD, NORM,
    INDEX, STACK, TRANSPOSE, SOFTMAX, MAX, MIN }

  /** The binary operators, element by element. */
  public enum BinOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), POW("^");

    public final String symbol;

    BinOp(String symbol) { this.symbol = symbol; }

    /** The operator written {@code s} (+, -, *, /, ^). */
    public static BinOp of(String s) {
      for (BinOp o : values()) if (o.symbol.equals(s)) return o;
      throw new IllegalArgumentException("no binary operator " + s);
    }

    /** x op y for one pair of numbers, as the evaluators compute it ({@code ^} through {@link Tape#pow}). */
    public double apply(double x, double y) {
      return switch (this) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case POW -> pow(x, y);
      };
    }

    @Override public String toString() { return symbol; }
  }

  /**
   * How a binary node's operands line up: the same shape, one of them a single entry, or a vector
   * added to every row of a matrix (B_ROW: the second operand is the row, A_ROW: the first).
   */
  public enum Broadcast { SAME, A_SCALAR, B_SCALAR, B_ROW, A_ROW }

  /** A node whose value would have more entries than an array holds (the lowering reports it). */
  public static final class TooLarge extends RuntimeException {
    public final int[] shape;

    TooLarge(int[] shape) {
      super("a value of shape " + Arrays.toString(shape) + " is too large", null, false, false);
      this.shape = shape.clone();
    }
  }

  /** One operation: its kind, the nodes it reads, the shape of its value and what it needs besides. */
  public static final class Node implements Serializable {
    private static final long serialVersionUID = 1L;
    public final Kind kind;
    public final int[] in;
    public final int[] shape;
    public final int size;
    /** UNARY: the element-wise function, else null. */
    public final Elementwise fn;
    /** BINARY: the operator, else null. */
    public final BinOp op;
    /** BINARY: how the operands broadcast, else null. */
    public final Broadcast mode;
    /** CONST: the values (row-major), else null. */
    public final double[] value;
    /** INDEX: the offset of the first entry read; PARAM: the parameter number; else 0. */
    public final int index;
    /** Depends on some parameter. */
    public final boolean paramDep;
    /** Depends on the input point. */
    public final boolean inputDep;

    Node(Kind kind, int[] in, int[] shape, Elementwise fn, BinOp op, Broadcast mode, double[] value, int index,
        boolean paramDep, boolean inputDep) {
      this.kind = kind;
      this.in = in;
      this.shape = shape;
      long s = 1;
      for (int d : shape) {
        s *= d;
        if (s > Integer.MAX_VALUE) throw new TooLarge(shape);
      }
      this.size = (int) s;
      this.fn = fn;
      this.op = op;
      this.mode = mode;
      this.value = value;
      this.index = index;
      this.paramDep = paramDep;
      this.inputDep = inputDep;
    }

    /** The row length of a matrix value, 1 for scalars and vectors (the period of the row broadcasts). */
    public int cols() { return shape.length == 2 ? shape[1] : 1; }

    /** The length of the last axis (softmax normalises along it). */
    public int lastDim() { return shape.length == 0 ? 1 : shape[shape.length - 1]; }

    @Override public String toString() {
      String f = fn != null ? "(" + fn + ")" : op != null ? "(" + op + ")" : "";
      return kind + f + Arrays.toString(in) + Arrays.toString(shape);
    }
  }

  /** The nodes in evaluation order (unmodifiable). */
  public final List<Node> nodes;
  /** The input node, or -1 for a net without input. */
  public final int input;
  /** The output node. */
  public final int output;
  /** The PARAM nodes in tape order (unmodifiable). */
  public final List<Integer> paramNodes;
  private final int[] paramNode;   // by parameter number
  private final int[] paramOffset; // by parameter number: offset in θ
  private final int parameterCount;

  private Tape(List<Node> nodes, int input, int output) {
    this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    this.input = input;
    this.output = output;
    List<Integer> ps = new ArrayList<>();
    int maxNumber = -1;
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.kind == Kind.PARAM) {
        ps.add(i);
        maxNumber = Math.max(maxNumber, n.index);
      }
    }
    this.paramNodes = Collections.unmodifiableList(ps);
    paramNode = new int[maxNumber + 1];
    Arrays.fill(paramNode, -1);
    for (int i : ps) {
      int k = nodes.get(i).index;
      if (paramNode[k] >= 0) throw new IllegalArgumentException("parameter " + k + " appears twice");
      paramNode[k] = i;
    }
    paramOffset = new int[paramNode.length];
    int off = 0;
    for (int k = 0; k < paramNode.length; k++) {
      if (paramNode[k] < 0) throw new IllegalArgumentException("no parameter " + k);
      paramOffset[k] = off;
      off += nodes.get(paramNode[k]).size;
    }
    parameterCount = off;
  }

  public Node node(int i) { return nodes.get(i); }

  /** The number of parameters (tape parameter numbers 0 .. parameters() - 1). */
  public int parameters() { return paramNode.length; }

  /** The PARAM node of parameter {@code number}. */
  public int parameterNode(int number) { return paramNode[number]; }

  /** Where parameter {@code number} starts in the flat parameter vector θ. */
  public int parameterOffset(int number) { return paramOffset[number]; }

  /** The length of θ: the entries of all parameters. */
  public int parameterCount() { return parameterCount; }

  /** The number of entries of the input (0 without input). */
  public int inputSize() { return input >= 0 ? nodes.get(input).size : 0; }

  /** The number of entries of the output. */
  public int outputSize() { return nodes.get(output).size; }

  /** The number of nodes evaluated per point (a measure of kernel cost). */
  public int perPointNodes() {
    int c = 0;
    for (Node n : nodes) if (n.inputDep) c++;
    return c;
  }

  /**
   * A copy in which input {@code slot} of node {@code node} reads a new constant {@code value}
   * (inserted just before {@code node}) instead of what it read; {@code map[i]} receives the new
   * index of old node i ({@code map} has one entry per old node).
   */
  public Tape withConstantInput(int node, int slot, double[] value, int[] map) {
    Builder b = new Builder();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      int[] in = new int[n.in.length];
      for (int k = 0; k < in.length; k++) in[k] = map[n.in[k]];
      if (i == node) in[slot] = b.constant(value.clone(), nodes.get(n.in[slot]).shape.clone());
      map[i] = b.push(n.kind, in, n.shape, n.fn, n.op, n.mode, n.value, n.index);
    }
    b.input = input < 0 ? -1 : map[input];
    return b.output(map[output]).build();
  }

  /** Squares and square roots exactly, other powers by Math.pow (the {@code ^} of every evaluator). */
  public static double pow(double a, double b) {
    if (b == 2) return a * a;
    if (b == 0.5) return Math.sqrt(a);
    return Math.pow(a, b);
  }

  /** Builds a tape node by node; {@link #build} freezes it. */
  public static final class Builder {
    private final List<Node> nodes = new ArrayList<>();
    private int input = -1, output = -1;

    /** A node of {@code kind} reading {@code in}, of the given shape (operations without extra data). */
    public int add(Kind k, int[] in, int[] shape) {
      if (k == Kind.UNARY || k == Kind.BINARY || k == Kind.CONST || k == Kind.PARAM || k == Kind.INPUT || k == Kind.INDEX) {
        throw new IllegalArgumentException(k + " nodes have their own builder method");
      }
      return push(k, in, shape, null, null, null, null, 0);
    }

    int push(Kind k, int[] in, int[] shape, Elementwise fn, BinOp op, Broadcast mode, double[] value, int index) {
      boolean pd = k == Kind.PARAM, id = k == Kind.INPUT;
      for (int i : in) {
        if (i < 0 || i >= nodes.size()) throw new IllegalArgumentException("node " + nodes.size() + " reads node " + i);
        pd |= nodes.get(i).paramDep;
        id |= nodes.get(i).inputDep;
      }
      nodes.add(new Node(k, in.clone(), shape.clone(), fn, op, mode, value, index, pd, id));
      return nodes.size() - 1;
    }

    public Node node(int i) { return nodes.get(i); }

    public int size() { return nodes.size(); }

    public int input(int d) { return input(new int[] {d}); }

    /** The input node: a vector, or a matrix (a sequence of tokens) read row by row. */
    public int input(int[] shape) {
      if (input >= 0) throw new IllegalStateException("a tape has one input");
      input = push(Kind.INPUT, new int[0], shape, null, null, null, null, 0);
      return input;
    }

    /** Parameter {@code number} (numbers 0, 1, ... each once). */
    public int param(int number, int[] shape) {
      return push(Kind.PARAM, new int[0], shape, null, null, null, null, number);
    }

    public int constant(double[] v, int[] shape) {
      return push(Kind.CONST, new int[0], shape, null, null, null, v, 0);
    }

    public int unary(Elementwise fn, int a) {
      return push(Kind.UNARY, new int[] {a}, nodes.get(a).shape, fn, null, null, null, 0);
    }

    /** {@code unary(Elementwise.of(fn), a)}. */
    public int unary(String fn, int a) { return unary(Elementwise.of(fn), a); }

    /** a op b element by element, or -1 when the shapes do not broadcast. */
    public int binary(BinOp op, int a, int b) {
      Node na = nodes.get(a), nb = nodes.get(b);
      Broadcast mode;
      int[] shape;
      if (Arrays.equals(na.shape, nb.shape)) { mode = Broadcast.SAME; shape = na.shape; }
      // a one-entry operand broadcasts; the result keeps the other operand's shape, or the longer
      // of two one-entry shapes (2 * v with v of shape [1], as in a net's single-neuron form, is [1])
      else if (nb.size == 1 && (na.size != 1 || na.shape.length >= nb.shape.length)) { mode = Broadcast.B_SCALAR; shape = na.shape; }
      else if (na.size == 1) { mode = Broadcast.A_SCALAR; shape = nb.shape; }
      else if (na.shape.length == 2 && nb.shape.length == 1 && na.shape[1] == nb.shape[0]) { mode = Broadcast.B_ROW; shape = na.shape; }
      else if (nb.shape.length == 2 && na.shape.length == 1 && nb.shape[1] == na.shape[0]) { mode = Broadcast.A_ROW; shape = nb.shape; }
      else return -1;
      return push(Kind.BINARY, new int[] {a, b}, shape, null, op, mode, null, 0);
    }

    /** {@code binary(BinOp.of(op), a, b)}. */
    public int binary(String op, int a, int b) { return binary(BinOp.of(op), a, b); }

    /** The entries {@code offset .. offset + size(shape)} of node a, as a value of the given shape. */
    public int index(int a, int offset, int[] shape) {
      return push(Kind.INDEX, new int[] {a}, shape, null, null, null, null, offset);
    }

    public Builder output(int node) {
      output = node;
      return this;
    }

    public Tape build() {
      if (output < 0) throw new IllegalStateException("a tape needs an output");
      return new Tape(nodes, input, output);
    }
  }
}
