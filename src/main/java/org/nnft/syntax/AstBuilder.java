package org.nnft.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.nnft.syntax.Ast.*;
import org.nnft.syntax.gen.NnftParser;
import org.nnft.syntax.gen.NnftParser.*;

/** The one visitor that turns the ANTLR parse tree into the AST; nothing after it sees ANTLR. */
final class AstBuilder {
  private final Source src;

  AstBuilder(Source src) { this.src = src; }

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

  Stmt stmt(StatementContext c) {
    if (c instanceof LetStmtContext l) {
      return new Let(name(l.ident()), expr(l.expr()), sp(l.ident()), sp(c));
    } else if (c instanceof SymbolStmtContext s) {
      List<String> names = new ArrayList<>();
      List<Span> spans = new ArrayList<>();
      for (IdentContext i : s.ident()) { names.add(name(i)); spans.add(sp(i)); }
      return new SymbolDecl(List.copyOf(names), List.copyOf(spans), sp(c));
    } else if (c instanceof NetDeclContext n) {
      List<NetItem> items = new ArrayList<>();
      for (NetItemContext i : n.netBody().netItem()) items.add(item(i));
      Type out = n.type().size() > 1 ? type(n.type(1)) : null;
      return new NetDecl(name(n.ident(0)), name(n.ident(1)), type(n.type(0)), out, List.copyOf(items),
          sp(n.ident(0)), sp(n.NET().getSymbol()).to(sp(n.RPAREN().getSymbol())));
    } else if (c instanceof NetAssignContext n) {
      return new NetAssign(name(n.ident()), expr(n.expr()), sp(n.ident()), sp(c));
    } else if (c instanceof FieldDeclContext f) {
      return new FieldDecl(name(f.ident(0)), name(f.ident(1)), type(f.type()), sp(f.ident(0)), sp(c));
    } else if (c instanceof ActionStmtContext a) {
      return new ActionDecl(name(a.ident()), expr(a.expr()), sp(a.ident()), sp(c));
    } else if (c instanceof GaugeDeclContext g) {
      List<GaugeRule> rules = new ArrayList<>();
      for (GaugeRuleContext r : g.gaugeBody().gaugeRule()) rules.add(new GaugeRule(name(r.ident()), expr(r.expr()), sp(r.ident()), sp(r)));
      return new GaugeDecl(name(g.ident(0)), name(g.ident(1)), group(g.group()), name(g.ident(2)), List.copyOf(rules),
          sp(g.ident(0)), sp(g.ident(2)), sp(g.GAUGE().getSymbol()).to(sp(g.ident(2))));
    } else if (c instanceof ShowStmtContext s) {
      return new Show(expr(s.expr()), sp(c));
    } else if (c instanceof ExpectStmtContext e) {
      List<ExprContext> es = e.expr();
      if (es.size() == 1) return new Expect(expr(es.get(0)), null, null, null, null, sp(c));
      IdentContext u = e.ident();
      return new Expect(expr(es.get(0)), expr(es.get(1)), expr(es.get(2)),
          u == null ? null : name(u), u == null ? null : sp(u), sp(c));
    } else if (c instanceof PlotStmtContext p) {
      List<ExprContext> es = p.expr();
      Expr over = p.OVER() != null ? expr(es.get(1)) : null;
      return new Plot(expr(es.get(0)), over, expr(es.get(es.size() - 1)), sp(c));
    } else if (c instanceof ExportStmtContext x) {
      return new Export(expr(x.expr(0)), expr(x.expr(1)), sp(c));
    } else if (c instanceof ExprStmtContext x) {
      return new ExprStmt(expr(x.expr()), sp(c));
    }
    throw new IllegalStateException("unknown statement " + c.getClass());
  }

  Group group(GroupContext c) {
    if (c instanceof NamedGroupContext n) {
      String base = name(n.ident()) + (n.PLUS() != null ? "+" : "");
      Expr dim = n.typeDim() == null ? null : typeDim(n.typeDim());
      if (dim == null && base.matches("S_\\d+")) {
        dim = new Num(Double.parseDouble(base.substring(2)), base.substring(2), sp(n));
        base = "S";
      }
      return new Group(base, dim, sp(c));
    }
    if (c instanceof SizedGroupContext s) return new Group(name(s.ident()), expr(s.expr()), sp(c));
    SignGroupContext g = (SignGroupContext) c;
    return new Group("signs", typeDim(g.typeDim()), sp(c));
  }

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

  NetItem item(NetItemContext c) {
    if (c instanceof ParamItemContext p) {
      List<Expr> shape = p.exprList() == null ? List.of() : exprs(p.exprList());
      return new ParamItem(name(p.ident()), shape, expr(p.expr()), sp(p.ident()), sp(c));
    } else if (c instanceof FixedItemContext f) {
      return new FixedItem(name(f.ident()), exprs(f.exprList()), expr(f.expr()), sp(f.ident()), sp(c));
    } else if (c instanceof LetItemContext l) {
      return new LetItem(name(l.ident()), expr(l.expr()), sp(l.ident()), sp(c));
    } else if (c instanceof ReturnItemContext r) {
      return new ReturnItem(expr(r.expr()), sp(c));
    }
    throw new IllegalStateException("unknown net item");
  }

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
   * An expression. Left-associative chains (a + b + ... + z, f(a)(b), a[0][1], ...) are deep on
   * their left side in the parse tree; they are walked in a loop, so a sum of 100,000 terms needs
   * no deeper stack than a sum of two. Everything else nests at most Parser.MAX_DEPTH levels.
   */
  Expr expr(ExprContext c) {
    java.util.ArrayDeque<ExprContext> spine = new java.util.ArrayDeque<>();
    ExprContext cur = c;
    for (ExprContext l; (l = leftOperand(cur)) != null; cur = l) spine.push(cur);
    Expr acc = leaf(cur);
    while (!spine.isEmpty()) acc = withLeft(spine.pop(), acc);
    return acc;
  }

  /** The left operand of a left-recursive alternative, or null. */
  private static ExprContext leftOperand(ExprContext c) {
    if (c instanceof MemberExprContext m) return m.expr();
    if (c instanceof CallExprContext k) return k.expr();
    if (c instanceof IndexExprContext i) return i.expr();
    if (c instanceof PowExprContext p) return p.expr(0);
    if (c instanceof MulExprContext m) return m.expr(0);
    if (c instanceof AddExprContext a) return a.expr(0);
    if (c instanceof PmExprContext p) return p.expr(0);
    if (c instanceof CmpExprContext k) return k.expr(0);
    if (c instanceof AndExprContext a) return a.expr(0);
    if (c instanceof OrExprContext o) return o.expr(0);
    if (c instanceof WithExprContext w) return w.expr();
    return null;
  }

  /** An expression that does not start with an expression: an atom or a prefix operator. */
  private Expr leaf(ExprContext c) {
    Span s = sp(c);
    if (c instanceof AtomExprContext a) return primary(a.primary());
    if (c instanceof UnaryExprContext u) {
      String op = switch (u.op.getType()) {
        case NnftParser.MINUS -> "-";
        case NnftParser.PLUS -> "+";
        default -> "sqrt";
      };
      return new Unary(op, expr(u.expr()), s);
    }
    if (c instanceof NotExprContext n) return new Unary("not", expr(n.expr()), s);
    throw new IllegalStateException("unknown expression " + c.getClass());
  }

  /** A left-recursive alternative whose left operand is already built. */
  private Expr withLeft(ExprContext c, Expr left) {
    Span s = sp(c);
    if (c instanceof MemberExprContext m) return new Member(left, name(m.ident()), s);
    if (c instanceof CallExprContext k) {
      List<Arg> args = new ArrayList<>();
      if (k.args() != null) {
        for (ArgContext a : k.args().arg()) {
          args.add(new Arg(a.argName() == null ? null : a.argName().getText(), expr(a.expr()), sp(a)));
        }
      }
      return new Call(left, List.copyOf(args), s);
    }
    if (c instanceof IndexExprContext i) return new Index(left, exprs(i.exprList()), s);
    if (c instanceof PowExprContext p) return new Binary("^", left, expr(p.expr(1)), s);
    if (c instanceof MulExprContext m) {
      String op = switch (m.op.getType()) {
        case NnftParser.STAR -> "*";
        case NnftParser.SLASH -> "/";
        default -> "@";
      };
      return new Binary(op, left, expr(m.expr(1)), s);
    }
    if (c instanceof AddExprContext a) {
      return new Binary(a.op.getType() == NnftParser.PLUS ? "+" : "-", left, expr(a.expr(1)), s);
    }
    if (c instanceof PmExprContext p) return new Binary("±", left, expr(p.expr(1)), s);
    if (c instanceof CmpExprContext k) {
      String op = switch (k.op.getType()) {
        case NnftParser.LT -> "<";
        case NnftParser.LE -> "<=";
        case NnftParser.GT -> ">";
        case NnftParser.GE -> ">=";
        case NnftParser.EQ -> "==";
        default -> "!=";
      };
      return new Binary(op, left, expr(k.expr(1)), s);
    }
    if (c instanceof AndExprContext a) return new Binary("and", left, expr(a.expr(1)), s);
    if (c instanceof OrExprContext o) return new Binary("or", left, expr(o.expr(1)), s);
    if (c instanceof WithExprContext w) {
      List<Binding> bs = new ArrayList<>();
      for (BindingContext b : w.binding()) bs.add(new Binding(name(b.ident()), expr(b.expr()), sp(b)));
      return new With(left, List.copyOf(bs), s);
    }
    throw new IllegalStateException("unknown expression " + c.getClass());
  }

  Expr primary(PrimaryContext c) {
    Span s = sp(c);
    if (c instanceof NumberLitContext n) return number(n.NUMBER().getSymbol());
    if (c instanceof StringLitContext t) {
      String raw = t.STRING().getText();
      return new Str(unescape(raw.substring(1, raw.length() - 1)), s);
    }
    if (c instanceof BoolLitContext b) return new Bool(b.TRUE() != null, s);
    if (c instanceof NameRefContext n) return new Name(name(n.ident()), s);
    if (c instanceof ParensContext p) return expr(p.expr());
    if (c instanceof BracketsContext k && k.FOR() != null) {
      Expr filter = k.expr().size() > 2 ? expr(k.expr(2)) : null;
      return new Comprehension(expr(k.expr(0)), name(k.ident()), sp(k.ident()), expr(k.expr(1)), filter, s);
    }
    if (c instanceof BracketsContext l) {
      List<Expr> items = new ArrayList<>();
      for (ExprContext e : l.expr()) items.add(expr(e));
      return new ListLit(List.copyOf(items), s);
    }
    throw new IllegalStateException("unknown primary");
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
