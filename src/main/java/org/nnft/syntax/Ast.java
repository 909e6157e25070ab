package org.nnft.syntax;

import java.util.List;

/** The immutable syntax tree. Every node carries the span of the source it came from. */
public final class Ast {
  private Ast() {}

  public sealed interface Node permits Expr, Stmt, NetItem {
    Span span();
  }

  // ---------------- expressions ----------------
  public sealed interface Expr extends Node
      permits Num, Str, Bool, Name, Unary, Binary, Call, Index, Member, ListLit, Comprehension,
          With {}

  public record Num(double value, String text, Span span) implements Expr {}
  public record Str(String value, Span span) implements Expr {}
  public record Bool(boolean value, Span span) implements Expr {}
  public record Name(String name, Span span) implements Expr {}
  /** Prefix operators. */
  public enum UnOp {
    NEG("-"), PLUS("+"), SQRT("sqrt"), NOT("not");
    public final String symbol;
    UnOp(String s) { symbol = s; }
    @Override public String toString() { return symbol; }
  }

  /** Infix operators. */
  public enum BinOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), POW("^"), MATMUL("@"), LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="),
    AND("and"), OR("or"), PM("±");
    public final String symbol;
    BinOp(String s) { symbol = s; }
    /** The element-wise arithmetic operators + - * / ^. */
    public boolean arithmetic() { return this == ADD || this == SUB || this == MUL || this == DIV || this == POW; }
    /** The comparisons < <= > >= == !=. */
    public boolean comparison() { return this == LT || this == LE || this == GT || this == GE || this == EQ || this == NE; }
    @Override public String toString() { return symbol; }
  }

  public record Unary(UnOp op, Expr operand, Span span) implements Expr {}
  public record Binary(BinOp op, Expr left, Expr right, Span span) implements Expr {}
  public record Arg(String name, Expr value, Span span) {}
  public record Call(Expr callee, List<Arg> args, Span span) implements Expr {
    public String calleeName() { return callee instanceof Name n ? n.name() : null; }
  }
  public record Index(Expr target, List<Expr> indices, Span span) implements Expr {}
  public record Member(Expr target, String name, Span span) implements Expr {}
  public record ListLit(List<Expr> items, Span span) implements Expr {}
  public record Comprehension(Expr body, String var, Span varSpan, Expr source, Expr filter,
      Span span) implements Expr {}
  public record Binding(String name, Expr value, Span span) {}
  public record With(Expr target, List<Binding> bindings, Span span) implements Expr {}

  // ---------------- statements ----------------
  public sealed interface Stmt extends Node
      permits Let, SymbolDecl, NetDecl, NetAssign, FieldDecl, ActionDecl, GaugeDecl, Show, Expect, Plot, Export, ExprStmt {}

  public record Let(String name, Expr value, Span nameSpan, Span span) implements Stmt {}
  public record SymbolDecl(List<String> names, List<Span> spans, Span span) implements Stmt {}
  /** A type R or R^dim. */
  /** R, R^d, or R^(rows, cols) for a matrix input (cols null otherwise). */
  public record Type(String base, Expr dim, Expr cols, Span span) {
    public Type(String base, Expr dim, Span span) { this(base, dim, null, span); }
  }
  public record NetDecl(String name, String input, Type inType, Type outType, List<NetItem> items,
      Span nameSpan, Span span) implements Stmt {}
  public record NetAssign(String name, Expr value, Span nameSpan, Span span) implements Stmt {}
  /** field phi(x: R^d): a symbolic field over the variable x. */
  /** field phi(t: R^1) or, over several coordinates, field phi(t: R^1, x: R^1). */
  public record FieldDecl(String name, java.util.List<String> vars, java.util.List<Type> types, Span nameSpan, Span span) implements Stmt {
    /** The first (for a field of one variable, the only) coordinate. */
    public String var() { return vars.get(0); }

    public Type type() { return types.get(0); }
  }
  /** action S = integral(x, ...). */
  public record ActionDecl(String name, Expr value, Span nameSpan, Span span) implements Stmt {}
  /** A group: kind is R, R+, GL, S or signs; dim its size n. */
  public record Group(String kind, Expr dim, Span span) {}
  public record GaugeRule(String param, Expr value, Span paramSpan, Span span) {}
  /** gauge NAME(g: GROUP) on NET { param -> expr ... }. */
  public record GaugeDecl(String name, String element, Group group, String net, List<GaugeRule> rules,
      Span nameSpan, Span netSpan, Span span) implements Stmt {}
  public record Show(Expr value, Span span) implements Stmt {}
  /** expect cond | expect left ~= right within tol [unit]. */
  public record Expect(Expr left, Expr right, Expr tolerance, String unit, Span unitSpan,
      Span span) implements Stmt {}
  /** plot value (over over)? to target (with name = value, ...)?: the options, in order, empty when none. */
  public record Plot(Expr value, Expr over, Expr target, List<Binding> options, Span span) implements Stmt {}
  public record Export(Expr value, Expr target, Span span) implements Stmt {}
  public record ExprStmt(Expr value, Span span) implements Stmt {}

  // ---------------- net bodies ----------------
  public sealed interface NetItem extends Node permits ParamItem, FixedItem, LetItem, ReturnItem {}

  public record ParamItem(String name, List<Expr> shape, Expr density, Span nameSpan, Span span)
      implements NetItem {}
  public record FixedItem(String name, List<Expr> shape, Expr value, Span nameSpan, Span span)
      implements NetItem {}
  public record LetItem(String name, Expr value, Span nameSpan, Span span) implements NetItem {}
  public record ReturnItem(Expr value, Span span) implements NetItem {}

  public record Program(List<Stmt> statements, Source source) {}
}
