package org.nnft.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.RuleContext;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.nnft.syntax.gen.NnftLexer;
import org.nnft.syntax.gen.NnftParser;

/** Source text to AST. The first syntax error stops parsing with a plain sentence at its place. */
public final class Parser {
  private Parser() {}

  /**
   * How deeply expressions may nest: brackets, calls, unary operators and the right operands of
   * ^ inside one another. Deeper input is an error at the place where it gets too deep, rather
   * than a stack overflow somewhere in the engine. Long flat chains (a sum of 100,000 terms) do
   * not nest and are not limited.
   */
  public static final int MAX_DEPTH = 1000;

  /** Parses on a thread with nnft's stack (see {@link DeepStack}), whoever calls. */
  public static Ast.Program parse(Source src) {
    return parse(src, null);
  }

  /**
   * Parses with knowledge of the built-ins' named arguments, {@code named.test(function, name)}:
   * in {@code fit(r with N = n, target = t)}, 'with' stops before target, a named argument of
   * fit, instead of reading it as a second binding.
   */
  public static Ast.Program parse(Source src, java.util.function.BiPredicate<String, String> named) {
    return DeepStack.call(() -> parseHere(src, named));
  }

  /**
   * Two stages, as the ANTLR documentation recommends: SLL prediction first, which never looks at
   * the rules the parser is inside and so stays fast however deep the nesting; it either gives the
   * same tree as full LL or stops at a syntax error. Only then does full LL parse again, and its
   * first error is the one reported.
   */
  private static Ast.Program parseHere(Source src, java.util.function.BiPredicate<String, String> named) {
    NnftParser.ProgramContext tree;
    try {
      tree = parse(src, true);
    } catch (TooDeep e) {
      throw e; // how deep the input nests does not depend on the prediction mode
    } catch (ParseCancellationException | NnftException | StackOverflowError e) {
      tree = parse(src, false);
    }
    return new AstBuilder(src, named).program(tree);
  }

  private static NnftParser.ProgramContext parse(Source src, boolean fast) {
    NnftLexer lexer = new NnftLexer(CharStreams.fromString(src.text(), src.name()));
    lexer.removeErrorListeners();
    NewlineFilter filter = new NewlineFilter(lexer);
    CommonTokenStream tokens = new CommonTokenStream(filter);
    NnftParser parser = new NnftParser(tokens);
    parser.removeErrorListeners();
    parser.addParseListener(new DepthGuard(src));
    if (fast) {
      parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
      parser.setErrorHandler(new BailErrorStrategy());
      return parser.program();
    }
    parser.addErrorListener(new Listener(src, filter));
    try {
      return parser.program();
    } catch (StackOverflowError e) {
      // not expected below MAX_DEPTH; still a place and a sentence rather than a crash
      throw new NnftException(span(src, parser.getCurrentToken()), "the script nests too deeply to read here; split this expression into smaller ones with let.");
    }
  }

  private static final class TooDeep extends NnftException {
    TooDeep(Span at) {
      super(at, "this expression nests deeper than " + MAX_DEPTH + " levels; split it into smaller expressions with let.");
    }
  }

  /** Stops the parse where an expression starts more than MAX_DEPTH levels deep. */
  private static final class DepthGuard implements ParseTreeListener {
    private final Source src;

    DepthGuard(Source src) { this.src = src; }

    @Override public void enterEveryRule(ParserRuleContext ctx) {
      if (!(ctx instanceof NnftParser.ExprContext)) return;
      int depth = 0;
      for (RuleContext c = ctx; c != null; c = c.parent) {
        if (c instanceof NnftParser.ExprContext && ++depth > MAX_DEPTH) {
          throw new TooDeep(span(src, ctx.getStart()));
        }
      }
    }

    @Override public void exitEveryRule(ParserRuleContext ctx) { }
    @Override public void visitTerminal(TerminalNode node) { }
    @Override public void visitErrorNode(ErrorNode node) { }
  }

  static Span span(Source src, Token t) {
    int len = t.getType() == Token.EOF ? 1 : Math.max(1, t.getText().codePointCount(0, t.getText().length()));
    if (t.getType() == NnftLexer.NEWLINE) len = 1;
    int a = t.getStartIndex(), z = t.getStopIndex() + 1;
    if (t.getType() == Token.EOF || a < 0) return new Span(src, t.getLine(), t.getCharPositionInLine() + 1, len);
    return new Span(src, t.getLine(), t.getCharPositionInLine() + 1, len, a, z);
  }

  static String describe(Token t) {
    return switch (t.getType()) {
      case Token.EOF -> "the end of the script";
      case NnftLexer.NEWLINE -> "the end of the line";
      case NnftLexer.STRING -> "the string " + t.getText();
      case NnftLexer.NUMBER -> t.getText();
      case NnftLexer.ID -> "'" + t.getText() + "'";
      default -> "'" + t.getText() + "'";
    };
  }

  private static final class Listener extends BaseErrorListener {
    private final Source src;
    private final NewlineFilter filter;

    Listener(Source src, NewlineFilter filter) { this.src = src; this.filter = filter; }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
        String msg, RecognitionException e) {
      Token t = (Token) offending;
      NnftParser p = (NnftParser) recognizer;
      if (t.getType() == NnftLexer.UNTERMINATED) {
        throw new NnftException(span(src, t), "this string is never closed: end it with a \" on the same line.");
      }
      Token open = filter.openAt(t);
      if (open != null && t.getLine() > open.getLine() && filter.neverClosed(open)) {
        throw new NnftException(span(src, open), "this '" + open.getText() + "' is never closed (the error shows on line " + t.getLine() + ").");
      }
      if (t.getType() == NnftLexer.BADCHAR) {
        throw new NnftException(span(src, t), "'" + t.getText() + "' is not a character nnft understands.");
      }
      if (t.getType() == Token.EOF && filter.unclosed() != null) {
        Token o = filter.unclosed();
        throw new NnftException(span(src, o), "this '" + o.getText() + "' is never closed.");
      }
      if (p.getContext() instanceof NnftParser.TypeDimContext && t.getType() == NnftLexer.COMMA) {
        throw new NnftException(span(src, t), "a net's input is R, R^d or R^(rows, cols); more than two sizes are not supported.");
      }
      IntervalSet expected;
      try {
        expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : p.getExpectedTokens();
      } catch (RuntimeException ex) {
        expected = new IntervalSet();
      }
      String what = expectedWords(expected, p);
      String sentence;
      if (t.getType() == NnftLexer.RPAREN || t.getType() == NnftLexer.RBRACK || t.getType() == NnftLexer.RBRACE) {
        if (e instanceof NoViableAltException || what == null) {
          sentence = "'" + t.getText() + "' does not close anything here" + (what != null ? "; expected " + what : "") + ".";
        } else {
          sentence = "unexpected '" + t.getText() + "'; expected " + what + ".";
        }
      } else if (t.getType() == Token.EOF) {
        sentence = "the script ends in the middle of a statement" + (what != null ? "; expected " + what : "") + ".";
      } else if (t.getType() == NnftLexer.NEWLINE) {
        sentence = "the line ends before the statement is complete" + (what != null ? "; expected " + what : "") + ".";
      } else {
        sentence = "unexpected " + describe(t) + (what != null ? "; expected " + what : "") + ".";
      }
      throw new NnftException(span(src, t), sentence);
    }

    private static String expectedWords(IntervalSet set, NnftParser p) {
      if (set == null || set.isNil()) return null;
      List<Integer> types = set.toList();
      boolean expr = types.contains(NnftLexer.NUMBER) && types.contains(NnftLexer.ID);
      List<String> words = new ArrayList<>();
      if (expr) words.add("an expression");
      else if (types.contains(NnftLexer.ID)) words.add("a name");
      for (int ty : types) {
        if (ty == NnftLexer.NUMBER || ty == NnftLexer.ID || ty == NnftLexer.STRING) continue;
        if (expr && (ty == NnftLexer.LPAREN || ty == NnftLexer.LBRACK || ty == NnftLexer.MINUS
            || ty == NnftLexer.PLUS || ty == NnftLexer.TRUE || ty == NnftLexer.FALSE
            || ty == NnftLexer.NOT || ty == NnftLexer.SQRTSIGN)) continue;
        if (ty == NnftLexer.NEWLINE || ty == NnftLexer.SEMI || ty == Token.EOF) continue;
        String lit = p.getVocabulary().getLiteralName(ty);
        if (lit == null) continue;
        words.add(lit);
      }
      if (words.isEmpty() || words.size() > 4) return words.size() > 4 && expr ? "an expression" : null;
      if (words.size() == 1) return words.get(0);
      return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
  }

  static Span span(Source src, ParserRuleContext ctx) {
    Token a = ctx.getStart();
    Token b = ctx.getStop();
    Span s = span(src, a);
    if (b != null && b.getTokenIndex() >= a.getTokenIndex() && b.getType() != Token.EOF) {
      s = s.to(span(src, b));
    }
    return s;
  }
}
