package org.nnft.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnft.runtime.Values.*;
import org.nnft.symbolic.Symbolic;
import org.nnft.syntax.Ast.BinOp;
import org.nnft.syntax.Ast.Binary;
import org.nnft.syntax.Ast.Index;
import org.nnft.syntax.NnftException;
import org.nnft.syntax.Span;

/** Operators on values: numeric with broadcasting and error propagation, or symbolic via Symja. */
public final class Arith {
  private Arith() {}

  static Value neg(Value a, Span s) {
    if (a instanceof Unknown) return a;
    if (a instanceof Tensor t) return TensorOps.unary(t, x -> -x, x -> -1);
    if (a instanceof RandomV r) return RandomV.neg(r);
    if (a instanceof Sym y) return Builtins.sym(Symbolic.get().apply("-(#1)", y.expr()));
    if (a instanceof ListV l && symbolicArray(l)) {
      List<Value> out = new ArrayList<>();
      for (Value x : l.items()) out.add(neg(x, s));
      return list(out, s);
    }
    throw new NnftException(s, "cannot negate " + a.kind() + ".");
  }

  /** Whether two values are the same: strings, booleans, numbers and tensors (exactly, with their shape), lists item by item. */
  static boolean same(Value a, Value b) {
    if (a instanceof Str x && b instanceof Str y) return x.value().equals(y.value());
    if (a instanceof Values.Bool x && b instanceof Values.Bool y) return x.value() == y.value();
    if (a instanceof Tensor x && b instanceof Tensor y) return Arrays.equals(x.shape, y.shape) && Arrays.equals(x.data, y.data);
    if (a instanceof ListV x && b instanceof ListV y) {
      if (x.items().size() != y.items().size()) return false;
      for (int i = 0; i < x.items().size(); i++) if (!same(x.items().get(i), y.items().get(i))) return false;
      return true;
    }
    return false;
  }

  static Value binary(BinOp op, Value l, Value r, Binary b) {
    if (l instanceof Unknown || r instanceof Unknown) return Unknown.INSTANCE;
    if (l instanceof RandomV || r instanceof RandomV) return RandomV.binary(op, l, r, b);
    if (op == BinOp.PM) {
      Tensor v = tensor(l, b.left().span(), "±"), e = tensor(r, b.right().span(), "±");
      if (v.size() == 0) throw new NnftException(b.left().span(), "± needs values on its left, but " + empty(v) + ".");
      if (e.size() == 0) throw new NnftException(b.right().span(), "± needs errors on its right, but " + empty(e) + ".");
      if (!e.isScalar() && v.size() != e.size()) {
        throw new NnftException(b.span(), "± needs one error for all values or one for each value, not " + count(e.size(), "error") + " for " + count(v.size(), "value") + ".");
      }
      double[] err = new double[v.size()];
      for (int i = 0; i < err.length; i++) err[i] = Math.abs(e.isScalar() ? e.value() : e.data[i]);
      return new Tensor(v.data, err, v.shape, null);
    }
    boolean arrays = l instanceof ListV || r instanceof ListV || l instanceof Tensor x && !x.isScalar() || r instanceof Tensor y && !y.isScalar();
    if (arrays && (symbolicArray(l) || symbolicArray(r)) && arrayLeaves(l) && arrayLeaves(r)) {
      return listwise(op, l, r, b);
    }
    if (l instanceof Sym || r instanceof Sym) return symbolic(op, l, r, b);
    if (op == BinOp.EQ || op == BinOp.NE) {
      if (l instanceof Str a && r instanceof Str c) return new Values.Bool(a.value().equals(c.value()) == (op == BinOp.EQ));
      if (l instanceof Values.Bool a && r instanceof Values.Bool c) return new Values.Bool((a.value() == c.value()) == (op == BinOp.EQ));
    }
    if (op == BinOp.ADD && l instanceof Str a) return new Str(a.value() + Printer.text(r));
    if (op == BinOp.ADD && r instanceof Str c) return new Str(Printer.text(l) + c.value());
    if ((op == BinOp.EQ || op == BinOp.NE) && (l instanceof ListV || r instanceof ListV)) {
      // lists of strings, booleans or lists: equal as wholes (same length, equal items in order)
      return new Values.Bool(same(l, r) == (op == BinOp.EQ));
    }
    if (l instanceof ListV || r instanceof ListV) {
      throw new NnftException(b.span(), "'" + op + "' does not apply to a list of " + (l instanceof ListV ? "non-numbers" : r.kind()) + ".");
    }
    Tensor x = tensor(l, b.left().span(), "'" + op + "'"), y = tensor(r, b.right().span(), "'" + op + "'");
    if (op == BinOp.MATMUL || op == BinOp.LT || op == BinOp.LE || op == BinOp.GT || op == BinOp.GE) {
      // an empty side would make a product of nothing, or a comparison that holds vacuously
      String what = op == BinOp.MATMUL ? "'@' has nothing to multiply" : "'" + op + "' has nothing to compare";
      if (x.size() == 0) throw new NnftException(b.left().span(), what + ": " + empty(x) + ".");
      if (y.size() == 0) throw new NnftException(b.right().span(), what + ": " + empty(y) + ".");
    }
    try {
      return switch (op) {
        case ADD -> TensorOps.binary(x, y, TensorOps.ADD);
        case SUB -> TensorOps.binary(x, y, TensorOps.SUB);
        case MUL -> TensorOps.binary(x, y, TensorOps.MUL);
        case DIV -> TensorOps.binary(x, y, TensorOps.DIV);
        case POW -> TensorOps.binary(x, y, TensorOps.POW);
        case MATMUL -> TensorOps.matmul(x, y);
        case LT, LE, GT, GE, EQ, NE -> compare(op, x, y, b);
        case AND, OR, PM -> throw new IllegalStateException("operator " + op + " is handled before numbers");
      };
    } catch (TensorOps.ShapeError e) {
      throw new NnftException(b.span(), e.getMessage() + ".");
    }
  }

  /** "this vector is empty", "this 0x3 matrix is empty". */
  static String empty(Tensor t) {
    return "this " + (t.rank() == 2 ? t.shape[0] + "x" + t.shape[1] + " matrix" : t.rank() == 1 ? "vector" : "value") + " is empty";
  }

  static String count(int n, String noun) { return n + " " + noun + (n == 1 ? "" : "s"); }

  private static Value compare(BinOp op, Tensor x, Tensor y, Binary b) {
    if ((op == BinOp.EQ || op == BinOp.NE) && (x.size() == 0 || y.size() == 0)) {
      // equal only when both are empty (an empty side is not "equal in every entry" to a value)
      boolean same = x.size() == 0 && y.size() == 0;
      return new Values.Bool(same == (op == BinOp.EQ));
    }
    if (!x.isScalar() || !y.isScalar()) {
      boolean all = true;
      Tensor d = TensorOps.binary(x.values(), y.values(), TensorOps.SUB);
      for (double v : d.data) all &= test(op, v, 0);
      return new Values.Bool(all);
    }
    return new Values.Bool(test(op, x.value(), y.value()));
  }

  private static boolean test(BinOp op, double a, double c) {
    return switch (op) {
      case LT -> a < c;
      case LE -> a <= c;
      case GT -> a > c;
      case GE -> a >= c;
      case EQ -> a == c;
      default -> a != c;
    };
  }

  static Tensor tensor(Value v, Span s, String what) {
    if (v instanceof Tensor t) return t;
    if (v instanceof Values.Bool bo) return Tensor.scalar(bo.value() ? 1 : 0);
    throw new NnftException(s, what + " needs numbers here, not " + v.kind() + ".");
  }

  private static Value symbolic(BinOp op, Value l, Value r, Binary b) {
    Object a = Builtins.symArg(l, b.left().span()), c = Builtins.symArg(r, b.right().span());
    if (op == BinOp.EQ || op == BinOp.NE) {
      // identity of expressions: their difference simplifies to zero
      // equations compare as lhs - rhs
      Object d = Symbolic.get().apply("PossibleZeroQ(Simplify(ReplaceAll(#1,Equal->Subtract)-ReplaceAll(#2,Equal->Subtract)))", a, c);
      boolean same = Symbolic.get().isTrue(d);
      return new Values.Bool(same == (op == BinOp.EQ));
    }
    String t = switch (op) {
      case ADD -> "(#1)+(#2)";
      case SUB -> "(#1)-(#2)";
      case MUL, MATMUL -> "(#1)*(#2)";
      case DIV -> "(#1)/(#2)";
      case POW -> "(#1)^(#2)";
      case LT -> "(#1)<(#2)";
      case LE -> "(#1)<=(#2)";
      case GT -> "(#1)>(#2)";
      case GE -> "(#1)>=(#2)";
      case EQ -> "(#1)==(#2)";
      case NE -> "(#1)!=(#2)";
      default -> throw new NnftException(b.span(), "'" + op + "' does not apply to symbolic expressions.");
    };
    return Builtins.sym(Symbolic.get().apply(t, a, c));
  }

  // ---------------- symbolic vectors and matrices: lists that hold symbols ----------------

  /** A list that holds a symbol somewhere (a symbolic vector or matrix), or a symbol. */
  static boolean symbolicArray(Value v) {
    if (v instanceof Sym) return true;
    if (v instanceof ListV l) for (Value x : l.items()) if (symbolicArray(x)) return true;
    return false;
  }

  /** Numbers, symbols, and lists of them: what elementwise symbolic arithmetic takes. */
  private static boolean arrayLeaves(Value v) {
    if (v instanceof Sym || v instanceof Tensor) return true;
    if (v instanceof ListV l) for (Value x : l.items()) if (!arrayLeaves(x)) return false;
    return v instanceof ListV;
  }

  private static boolean scalarLike(Value v) {
    return v instanceof Sym || v instanceof Tensor t && t.isScalar();
  }

  private static List<Value> elements(Value v) {
    return v instanceof ListV l ? l.items() : iterate(v, null);
  }

  /**
   * Arithmetic on symbolic vectors and matrices: +, -, *, /, ^ entry by entry (a number or symbol
   * on one side applies to every entry), == when every entry is the same expression, and @ as the
   * matrix product.
   */
  private static Value listwise(BinOp op, Value l, Value r, Binary b) {
    Sizes.symbolic(b.span(), Math.max(entries(l), entries(r)));
    if (op == BinOp.MATMUL) {
      Symbolic sy = Symbolic.get();
      Object p = sy.apply("Dot(#1,#2)", symja(l, b.left().span()), symja(r, b.right().span()));
      if (sy.isTrue(sy.apply("Head(#1)===Dot", p))) {
        throw new NnftException(b.span(), "'@' needs matching shapes: a matrix with as many columns as the other side has rows.");
      }
      return fromSymja(p, b.span());
    }
    boolean ls = scalarLike(l), rs = scalarLike(r);
    List<Value> xs = ls ? null : elements(l), ys = rs ? null : elements(r);
    if (xs != null && ys != null && xs.size() != ys.size()) {
      throw new NnftException(b.span(), "'" + op + "' needs lists of the same length, not " + xs.size() + " and " + ys.size() + ".");
    }
    int n = xs != null ? xs.size() : ys.size();
    if (op == BinOp.EQ || op == BinOp.NE) {
      if (ls || rs) throw new NnftException(b.span(), "'" + op + "' compares a list with a list of the same length, not with a single value.");
      boolean same = true;
      for (int i = 0; i < n && same; i++) {
        Value e = binary(BinOp.EQ, xs.get(i), ys.get(i), b);
        same = e instanceof Values.Bool bo && bo.value();
      }
      return new Values.Bool(same == (op == BinOp.EQ));
    }
    if (!op.arithmetic()) {
      throw new NnftException(b.span(), "'" + op + "' does not apply to lists of symbolic expressions.");
    }
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(binary(op, ls ? l : xs.get(i), rs ? r : ys.get(i), b));
    return list(out, b.span());
  }

  /** A number, symbol, vector, matrix or list of them as one Symja expression (lists as {...}). */
  public static Object symja(Value v, Span s) {
    if (v instanceof ListV || v instanceof Tensor t && !t.isScalar()) {
      Sizes.symbolic(s, entries(v));
      List<Value> items = elements(v);
      Object[] args = new Object[items.size()];
      StringBuilder tpl = new StringBuilder("List(");
      for (int i = 0; i < args.length; i++) {
        args[i] = symja(items.get(i), s);
        tpl.append(i == 0 ? "" : ",").append('#').append(i + 1);
      }
      return Symbolic.get().apply(tpl.append(')').toString(), args);
    }
    return Builtins.symArg(v, s);
  }

  /** A Symja expression as a value: lists become vectors, matrices or lists; numbers become numbers. */
  public static Value fromSymja(Object e, Span s) {
    Symbolic sy = Symbolic.get();
    if (sy.isTrue(sy.apply("ListQ(#1)", e))) {
      int n = (int) sy.toDouble(sy.apply("Length(#1)", e));
      List<Value> out = new ArrayList<>();
      for (int i = 1; i <= n; i++) out.add(fromSymja(sy.apply("Part(#1,#2)", e, i), s));
      return list(out, s);
    }
    return Builtins.sym(e);
  }

  static Value index(Value t, List<Value> idx, Index ix) {
    if (t instanceof Unknown) return t;
    for (Value v : idx) if (v instanceof Unknown) return v;
    if (t instanceof ListV l) {
      if (idx.size() != 1) throw new NnftException(ix.span(), "a list takes one index.");
      int i = intIndex(idx.get(0), l.items().size(), ix.indices().get(0).span());
      return l.items().get(i);
    }
    if (!(t instanceof Tensor x)) throw new NnftException(ix.target().span(), t.kind() + " cannot be indexed.");
    if (x.isScalar()) throw new NnftException(ix.target().span(), "a number cannot be indexed.");
    if (idx.size() > x.rank()) {
      throw new NnftException(ix.span(), "too many indices: " + x.kind() + " takes at most " + x.rank() + ".");
    }
    // the size of what one index step skips: the product of the sizes after it (not the total
    // divided down, which is 0 / 0 when a size is 0)
    int[] strides = new int[idx.size()];
    for (int k = idx.size() - 1, st = strideAfter(x.shape, idx.size()); k >= 0; k--) {
      strides[k] = st;
      st *= x.shape[k];
    }
    int off = 0, stride = strideAfter(x.shape, idx.size());
    for (int k = 0; k < idx.size(); k++) {
      off += intIndex(idx.get(k), x.shape[k], ix.indices().get(k).span()) * strides[k];
    }
    return x.slice(off, off + stride, Arrays.copyOfRange(x.shape, idx.size(), x.shape.length));
  }

  /** The number of entries under one index into the first {@code k} axes of a shape. */
  private static int strideAfter(int[] shape, int k) {
    int st = 1;
    for (int i = k; i < shape.length; i++) st *= shape[i];
    return st;
  }

  static int intIndex(Value v, int n, Span s) {
    if (!(v instanceof Tensor t) || !t.isScalar()) throw new NnftException(s, "an index must be a whole number, not " + v.kind() + ".");
    double d = t.value();
    if (d != Math.rint(d)) throw new NnftException(s, "an index must be a whole number, not " + Interpreter.fmt(d) + ".");
    int i = (int) d;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw new NnftException(s, "index " + (int) d + " is out of range: there are " + n + " entries, numbered from 0.");
    return i;
  }

  /** A list literal: numbers of one shape stack into a vector or matrix; anything else is a list. */
  public static Value list(List<Value> items, Span s) {
    for (Value v : items) if (v instanceof Unknown) return v;
    if (items.isEmpty()) return Tensor.vector(new double[0]);
    boolean numeric = true;
    int[] shape = null;
    boolean errs = false;
    for (Value v : items) {
      if (!(v instanceof Tensor t) || t.rank() > 1) { numeric = false; break; }
      if (shape == null) shape = t.shape;
      else if (!Arrays.equals(shape, t.shape)) { numeric = false; break; }
      errs |= t.err != null;
    }
    if (!numeric) {
      // vectors of different lengths are a ragged matrix (an error); numbers beside vectors, as in
      // a table's row [n, P.f_vector, P.euler], are a list
      boolean allVectors = items.stream().allMatch(v -> v instanceof Tensor t && t.rank() == 1);
      if (allVectors) throw new NnftException(s, "the rows of a matrix must all have the same length.");
      return new ListV(List.copyOf(items));
    }
    int inner = shape.length == 0 ? 1 : shape[0];
    Sizes.entries(s, "this matrix", items.size(), inner);
    double[] d = new double[items.size() * inner];
    double[] e = errs ? new double[d.length] : null;
    String note = null;
    double tail = Double.NaN;
    // stacked estimates keep their replicas, so entries from one ensemble stay correlated
    java.util.Map<String, double[][]> reps = new java.util.LinkedHashMap<>();
    double[] indep = null;
    for (int i = 0; i < items.size(); i++) {
      Tensor t = (Tensor) items.get(i);
      System.arraycopy(t.data, 0, d, i * inner, inner);
      if (e != null && t.err != null) System.arraycopy(t.err, 0, e, i * inner, inner);
      if (t.note != null && (note == null || !note.contains(t.note))) note = note == null ? t.note : note + "; " + t.note;
      tail = Tensor.tail(tail, t.tail);
      for (var src : t.reps.entrySet()) {
        double[][] r = reps.computeIfAbsent(src.getKey(), k -> new double[d.length][]);
        System.arraycopy(src.getValue(), 0, r, i * inner, inner);
      }
    }
    if (!reps.isEmpty()) {
      indep = new double[d.length];
      for (int i = 0; i < items.size(); i++) {
        Tensor t = (Tensor) items.get(i);
        for (int j = 0; j < inner; j++) indep[i * inner + j] = t.independent(j);
      }
    }
    int[] out = shape.length == 0 ? new int[] {items.size()} : new int[] {items.size(), inner};
    return new Tensor(d, e, out, note, reps, indep, tail);
  }

  /** How many numbers a value holds (a list: those of its items), for the size checks. */
  public static long entries(Value v) {
    if (v instanceof Tensor t) return t.size();
    if (v instanceof ListV l) {
      long n = 0;
      for (Value x : l.items()) n += entries(x);
      return n;
    }
    return 1;
  }

  public static List<Value> iterate(Value v, Span s) {
    if (v instanceof ListV l) return l.items();
    if (v instanceof Tensor t && t.rank() >= 1) {
      // a view: each row is sliced when the loop reaches it, so a loop over 10^8 numbers does not
      // first make 10^8 small tensors (and can be cancelled from its first step)
      int n = t.shape[0];
      int stride = t.size() / Math.max(1, n);
      int[] rest = Arrays.copyOfRange(t.shape, 1, t.shape.length);
      return new java.util.AbstractList<Value>() {
        @Override public Value get(int i) { return t.slice(i * stride, (i + 1) * stride, rest); }
        @Override public int size() { return n; }
      };
    }
    throw new NnftException(s, "'for' goes over a vector, a matrix's rows or a list, not " + v.kind() + ".");
  }
}
