package org.nnft.syntax;

import java.util.ArrayDeque;
import java.util.Deque;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.nnft.syntax.gen.NnftLexer;

/**
 * Drops NEWLINE tokens while a ( or [ is open, so expressions continue across lines; inside
 * { } newlines separate statements. Unbalanced closing brackets are left for the parser to report.
 */
final class NewlineFilter implements TokenSource {
  private final TokenSource in;
  private final Deque<Token> open = new ArrayDeque<>();
  private final java.util.Map<Token, Token> openAt = new java.util.IdentityHashMap<>();
  /** Openers that a closer of another kind went past: never closed. */
  private final java.util.List<Token> abandoned = new java.util.ArrayList<>();

  /** Reads the rest of the input and tells whether this bracket is still open at its end. */
  boolean neverClosed(Token bracket) {
    Token t;
    do { t = nextToken(); } while (t.getType() != Token.EOF);
    for (Token o : open) if (o == bracket) return true;
    for (Token o : abandoned) if (o == bracket) return true;
    return false;
  }

  /** The innermost ( or [ that was open when t was read, or null. */
  Token openAt(Token t) { return openAt.get(t); }

  NewlineFilter(TokenSource in) { this.in = in; }

  /** The innermost bracket still open at end of input, or null. */
  Token unclosed() { return open.peek(); }

  @Override
  public Token nextToken() {
    while (true) {
      Token t = in.nextToken();
      Token inner = open.peek();
      if (inner != null && inner.getType() != NnftLexer.LBRACE) openAt.put(t, inner);
      switch (t.getType()) {
        case NnftLexer.LPAREN, NnftLexer.LBRACK, NnftLexer.LBRACE -> open.push(t);
        case NnftLexer.RPAREN, NnftLexer.RBRACK, NnftLexer.RBRACE -> {
          // a closer meets its own kind of opener: brackets left open inside it (the '(' in
          // "{ f(x }") are never closed; a closer with no opener of its kind closes nothing
          int want = t.getType() == NnftLexer.RPAREN ? NnftLexer.LPAREN : t.getType() == NnftLexer.RBRACK ? NnftLexer.LBRACK : NnftLexer.LBRACE;
          boolean has = false;
          for (Token o : open) if (o.getType() == want) has = true;
          if (has) {
            while (open.peek().getType() != want) abandoned.add(open.pop());
            open.pop();
          }
        }
        case NnftLexer.NEWLINE -> {
          if (!open.isEmpty() && open.peek().getType() != NnftLexer.LBRACE) continue;
        }
        default -> { }
      }
      return t;
    }
  }

  @Override public int getLine() { return in.getLine(); }
  @Override public int getCharPositionInLine() { return in.getCharPositionInLine(); }
  @Override public CharStream getInputStream() { return in.getInputStream(); }
  @Override public String getSourceName() { return in.getSourceName(); }
  @Override public void setTokenFactory(TokenFactory<?> factory) { in.setTokenFactory(factory); }
  @Override public TokenFactory<?> getTokenFactory() { return in.getTokenFactory(); }
}
