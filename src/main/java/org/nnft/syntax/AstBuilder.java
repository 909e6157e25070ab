package org.nnft.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.gen.NnftBaseVisitor;
import org.nnft.syntax.gen.NnftParser;
import org.nnft.syntax.gen.NnftParser.*;

/**
 * The one visitor that turns the ANTLR parse tree into the AST; nothing after it sees ANTLR. It is
 * the generated visitor, one method per labelled alternative of the grammar; left-recursive
 * expression chains (a + b + ... + z, f(a)(b), a[0][1]) are walked down their left side in a loop
 * ({@link #expr}), so a sum of 100,000 terms needs no deeper stack than a sum of two.
 */
final class AstBuilder extends NnftBaseVisitor<Object> {
  private final Source src;

  /** Whether a built-in takes a named argument: (function, name); null when unknown. */
  private final java.util.function.BiPredicate<String, String> named;

  AstBuilder(Source src) { this(src, null); }

  AstBuilder(Source src, java.util.function.BiPredicate<String, String> named) {
    this.src = src;
    this.named = named;
  }

  Span sp(ParserRuleContext c) { return Parser.span(src, c); }
  Span sp(Token t) { return Parser.span(src, t); }

  Program program(ProgramContext c) {
    List<Stmt> out = new ArrayList<>();
    for (StatementContext s : c.statement()) {
      try {
        out.add(stmt(s));
      } catch (StackOverflowError e) {
        // not expected: expressions nest at most Parser.MAX_DEPTH levels and chains are loops
        throw new NnftException(sp(s), "this statement nests too deeply to read; split it into smaller ones with let.");
      }
    }
    return new Program(List.copyOf(out), src);
  }

  Stmt stmt(StatementContext c) { return (Stmt) visit(c); }

  @Override public Stmt visitLetStmt(LetStmtContext l) { return new Let(name(l.ident()), expr(l.expr()), sp(l.ident()), sp(l)); }

  @Override public Stmt visitSymbolStmt(SymbolStmtContext s) {
    List<String> names = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    for (IdentContext i : s.ident()) { names.add(name(i)); spans.add(sp(i)); }
    return new SymbolDecl(List.copyOf(names), List.copyOf(spans), sp(s));
  }

  @Override public Stmt visitNetDecl(NetDeclContext n) {
    List<NetItem> items = new ArrayList<>();
    for (NetItemContext i : n.netBody().netItem()) items.add(item(i));
    Type out = n.type().size() > 1 ? type(n.type(1)) : null;
    return new NetDecl(name(n.ident(0)), name(n.ident(1)), type(n.type(0)), out, List.copyOf(items),
        sp(n.ident(0)), sp(n.NET().getSymbol()).to(sp(n.RPAREN().getSymbol())));
  }

  @Override public Stmt visitNetAssign(NetAssignContext n) { return new NetAssign(name(n.ident()), expr(n.expr()), sp(n.ident()), sp(n)); }

  @Override public Stmt visitFieldDecl(FieldDeclContext f) {
    java.util.List<String> vars = new java.util.ArrayList<>();
    java.util.List<Type> types = new java.util.ArrayList<>();
    for (int i = 1; i < f.ident().size(); i++) vars.add(name(f.ident(i)));
    for (var t : f.type()) types.add(type(t));
    return new FieldDecl(name(f.ident(0)), java.util.List.copyOf(vars), java.util.List.copyOf(types), sp(f.ident(0)), sp(f));
  }

  @Override public Stmt visitActionStmt(ActionStmtContext a) { return new ActionDecl(name(a.ident()), expr(a.expr()), sp(a.ident()), sp(a)); }

  @Override public Stmt visitGaugeDecl(GaugeDeclContext g) {
    List<GaugeRule> rules = new ArrayList<>();
    for (GaugeRuleContext r : g.gaugeBody().gaugeRule()) rules.add(new GaugeRule(name(r.ident()), expr(r.expr()), sp(r.ident()), sp(r)));
    return new GaugeDecl(name(g.ident(0)), name(g.ident(1)), group(g.group()), name(g.ident(2)), List.copyOf(rules),
        sp(g.ident(0)), sp(g.ident(2)), sp(g.GAUGE().getSymbol()).to(sp(g.ident(2))));
  }

  @Override public Stmt visitShowStmt(ShowStmtContext s) { return new Show(expr(s.expr()), sp(s)); }

  @Override public Stmt visitExpectStmt(ExpectStmtContext e) {
    List<ExprContext> es = e.expr();
    if (es.size() == 1) return new Expect(expr(es.get(0)), null, null, null, null, sp(e));
    IdentContext u = e.ident();
    return new Expect(expr(es.get(0)), expr(es.get(1)), expr(es.get(2)), u == null ? null : name(u), u == null ? null : sp(u), sp(e));
  }

  /**
   * plot Y over X to "f.svg" with title = "...", log = "y": the expression rule reads the options
   * as a 'with' on the file name (with binds loosest), and they are taken off it here; a file name
   * in parentheses keeps its 'with'.
   */
  @Override public Stmt visitPlotStmt(PlotStmtContext p) {
    List<ExprContext> es = p.expr();
    Expr over = p.OVER() != null ? expr(es.get(1)) : null;
    ExprContext t = es.get(es.size() - 1);
    Expr target = expr(t);
    List<Binding> options = new ArrayList<>();
    while (t instanceof WithExprContext w && target instanceof With with) { // "f" with a = 1 with b = 2
      options.addAll(0, with.bindings());
      target = with.target();
      t = w.expr();
    }
    return new Plot(expr(es.get(0)), over, target, List.copyOf(options), sp(p));
  }

  @Override public Stmt visitExportStmt(ExportStmtContext x) { return new Export(expr(x.expr(0)), expr(x.expr(1)), sp(x)); }

  @Override public Stmt visitExprStmt(ExprStmtContext x) { return new ExprStmt(expr(x.expr()), sp(x)); }

  Group group(GroupContext c) { return (Group) visit(c); }

  @Override public Group visitNamedGroup(NamedGroupContext n) {
    String base = name(n.ident()) + (n.PLUS() != null ? "+" : "");
    Expr dim = n.typeDim() == null ? null : typeDim(n.typeDim());
    if (dim == null && base.matches("S_\\d+")) {
      dim = new Num(Double.parseDouble(base.substring(2)), base.substring(2), sp(n));
      base = "S";
    }
    return new Group(base, dim, sp(n));
  }

  @Override public Group visitSizedGroup(SizedGroupContext s) { return new Group(name(s.ident()), expr(s.expr()), sp(s)); }

  @Override public Group visitSignGroup(SignGroupContext g) { return new Group("signs", typeDim(g.typeDim()), sp(g)); }

  Expr typeDim(TypeDimContext d) {
    if (d.NUMBER() != null) return number(d.NUMBER().getSymbol());
    if (d.ident() != null) return new Name(name(d.ident()), sp(d.ident()));
    if (d.expr().size() > 1) throw new NnftException(sp(d), "a group's size is one number.");
    return expr(d.expr(0));
  }

  Type type(TypeContext c) {
    Expr dim = null, cols = null;
    if (c.typeDim() != null) {
      TypeDimContext d = c.typeDim();
      if (d.NUMBER() != null) dim = number(d.NUMBER().getSymbol());
      else if (d.ident() != null) dim = new Name(name(d.ident()), sp(d.ident()));
      else {
        dim = expr(d.expr(0));
        if (d.expr().size() > 1) cols = expr(d.expr(1));
      }
    }
    return new Type(name(c.ident()), dim, cols, sp(c));
  }

  NetItem item(NetItemContext c) { return (NetItem) visit(c); }

  @Override public NetItem visitParamItem(ParamItemContext p) {
    List<Expr> shape = p.exprList() == null ? List.of() : exprs(p.exprList());
    return new ParamItem(name(p.ident()), shape, expr(p.expr()), sp(p.ident()), sp(p));
  }

  @Override public NetItem visitFixedItem(FixedItemContext f) { return new FixedItem(name(f.ident()), exprs(f.exprList()), expr(f.expr()), sp(f.ident()), sp(f)); }

  @Override public NetItem visitLetItem(LetItemContext l) { return new LetItem(name(l.ident()), expr(l.expr()), sp(l.ident()), sp(l)); }

  @Override public NetItem visitReturnItem(ReturnItemContext r) { return new ReturnItem(expr(r.expr()), sp(r)); }

  List<Expr> exprs(ExprListContext c) {
    List<Expr> out = new ArrayList<>();
    for (ExprContext e : c.expr()) out.add(expr(e));
    return List.copyOf(out);
  }

  static String name(IdentContext c) { return c.getText(); }

  Num number(Token t) {
    String text = t.getText().replace("_", "");
    return new Num(Double.parseDouble(text), t.getText(), sp(t));
  }

  /**
   * An expression. Left-associative chains are deep on their left side in the parse tree; they are
   * walked in a loop: down the left operands, then each alternative is built with its left operand
   * ready ({@link #left}). Everything else nests at most Parser.MAX_DEPTH levels.
   */
  Expr expr(ExprContext c) {
    java.util.ArrayDeque<ExprContext> spine = new java.util.ArrayDeque<>();
    ExprContext cur = c;
    for (ExprContext l; (l = LEFT.visit(cur)) != null; cur = l) spine.push(cur);
    Expr acc = (Expr) visit(cur);
    while (!spine.isEmpty()) {
      left = acc;
      acc = (Expr) visit(spine.pop());
    }
    return acc;
  }

  /** The left operand of a left-recursive alternative (null for the others). */
  private static final NnftBaseVisitor<ExprContext> LEFT = new NnftBaseVisitor<>() {
    @Override public ExprContext visitMemberExpr(MemberExprContext m) { return m.expr(); }
    @Override public ExprContext visitCallExpr(CallExprContext k) { return k.expr(); }
    @Override public ExprContext visitIndexExpr(IndexExprContext i) { return i.expr(); }
    @Override public ExprContext visitPowExpr(PowExprContext p) { return p.expr(0); }
    @Override public ExprContext visitMulExpr(MulExprContext m) { return m.expr(0); }
    @Override public ExprContext visitAddExpr(AddExprContext a) { return a.expr(0); }
    @Override public ExprContext visitPmExpr(PmExprContext p) { return p.expr(0); }
    @Override public ExprContext visitCmpExpr(CmpExprContext k) { return k.expr(0); }
    @Override public ExprContext visitAndExpr(AndExprContext a) { return a.expr(0); }
    @Override public ExprContext visitOrExpr(OrExprContext o) { return o.expr(0); }
    @Override public ExprContext visitWithExpr(WithExprContext w) { return w.expr(); }
    @Override protected ExprContext defaultResult() { return null; }
    @Override public ExprContext visitChildren(org.antlr.v4.runtime.tree.RuleNode node) { return null; }
  };

  /** The built left operand of the alternative being visited by {@link #expr}. */
  private Expr left;

  private Expr takeLeft() {
    Expr l = left;
    left = null;
    return l;
  }

  @Override public Expr visitAtomExpr(AtomExprContext a) { return (Expr) visit(a.primary()); }

  @Override public Expr visitUnaryExpr(UnaryExprContext u) {
    UnOp op = switch (u.op.getType()) {
      case NnftParser.MINUS -> UnOp.NEG;
      case NnftParser.PLUS -> UnOp.PLUS;
      default -> UnOp.SQRT;
    };
    return new Unary(op, expr(u.expr()), sp(u));
  }

  @Override public Expr visitNotExpr(NotExprContext n) { return new Unary(UnOp.NOT, expr(n.expr()), sp(n)); }

  @Override public Expr visitMemberExpr(MemberExprContext m) { return new Member(takeLeft(), m.memberName().getText(), sp(m)); }

  @Override public Expr visitCallExpr(CallExprContext k) {
    Expr callee = takeLeft();
    List<Arg> args = new ArrayList<>();
    if (k.args() != null) {
      for (ArgContext a : k.args().arg()) {
        Expr v = expr(a.expr());
        // sample(osc with N = 250, seed = 3): the bindings from the first that names an argument
        // of the called built-in on are its named arguments, not sizes of the net
        if (a.argName() == null && a.expr() instanceof WithExprContext && v instanceof With w && callee instanceof Name f && named != null) {
          int cut = -1;
          for (int i = 1; i < w.bindings().size() && cut < 0; i++) if (named.test(f.name(), w.bindings().get(i).name())) cut = i;
          if (cut > 0) {
            List<Binding> kept = w.bindings().subList(0, cut);
            Span ws = w.span().to(kept.get(cut - 1).span());
            args.add(new Arg(null, new With(w.target(), List.copyOf(kept), ws), ws));
            for (Binding b : w.bindings().subList(cut, w.bindings().size())) args.add(new Arg(b.name(), b.value(), b.span()));
            continue;
          }
        }
        args.add(new Arg(a.argName() == null ? null : a.argName().getText(), v, sp(a)));
      }
    }
    return new Call(callee, List.copyOf(args), sp(k));
  }

  @Override public Expr visitIndexExpr(IndexExprContext i) {
    Expr target = takeLeft();
    return new Index(target, exprs(i.exprList()), sp(i));
  }

  @Override public Expr visitPowExpr(PowExprContext p) { return binary(BinOp.POW, p.expr(1), p); }

  @Override public Expr visitMulExpr(MulExprContext m) {
    BinOp op = switch (m.op.getType()) {
      case NnftParser.STAR -> BinOp.MUL;
      case NnftParser.SLASH -> BinOp.DIV;
      default -> BinOp.MATMUL;
    };
    return binary(op, m.expr(1), m);
  }

  @Override public Expr visitAddExpr(AddExprContext a) { return binary(a.op.getType() == NnftParser.PLUS ? BinOp.ADD : BinOp.SUB, a.expr(1), a); }

  @Override public Expr visitPmExpr(PmExprContext p) { return binary(BinOp.PM, p.expr(1), p); }

  @Override public Expr visitCmpExpr(CmpExprContext k) {
    BinOp op = switch (k.op.getType()) {
      case NnftParser.LT -> BinOp.LT;
      case NnftParser.LE -> BinOp.LE;
      case NnftParser.GT -> BinOp.GT;
      case NnftParser.GE -> BinOp.GE;
      case NnftParser.EQ -> BinOp.EQ;
      default -> BinOp.NE;
    };
    return binary(op, k.expr(1), k);
  }

  @Override public Expr visitAndExpr(AndExprContext a) { return binary(BinOp.AND, a.expr(1), a); }

  @Override public Expr visitOrExpr(OrExprContext o) { return binary(BinOp.OR, o.expr(1), o); }

  @Override public Expr visitWithExpr(WithExprContext w) {
    Expr target = takeLeft();
    List<Binding> bs = new ArrayList<>();
    for (BindingContext b : w.binding()) bs.add(new Binding(name(b.ident()), expr(b.expr()), sp(b)));
    return new With(target, List.copyOf(bs), sp(w));
  }

  private Expr binary(BinOp op, ExprContext right, ExprContext whole) {
    Expr l = takeLeft();
    return new Binary(op, l, expr(right), sp(whole));
  }

  @Override public Expr visitNumberLit(NumberLitContext n) { return number(n.NUMBER().getSymbol()); }

  @Override public Expr visitStringLit(StringLitContext t) {
    String raw = t.STRING().getText();
    return new Str(unescape(raw.substring(1, raw.length() - 1)), sp(t));
  }

  @Override public Expr visitBoolLit(BoolLitContext b) { return new Bool(b.TRUE() != null, sp(b)); }

  @Override public Expr visitNameRef(NameRefContext n) { return new Name(name(n.ident()), sp(n)); }

  @Override public Expr visitParens(ParensContext p) { return expr(p.expr()); }

  @Override public Expr visitBrackets(BracketsContext k) {
    Span s = sp(k);
    if (k.FOR() != null) {
      Expr filter = k.expr().size() > 2 ? expr(k.expr(2)) : null;
      return new Comprehension(expr(k.expr(0)), name(k.ident()), sp(k.ident()), expr(k.expr(1)), filter, s);
    }
    List<Expr> items = new ArrayList<>();
    for (ExprContext e : k.expr()) items.add(expr(e));
    return new ListLit(List.copyOf(items), s);
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(switch (n) { case 'n' -> '\n'; case 't' -> '\t'; default -> n; });
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
