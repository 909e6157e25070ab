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

  /** Reads the rest of the input and tells whether this bracket is still open at its end. */
  boolean neverClosed(Token bracket) {
    Token t;
    do { t = nextToken(); } while (t.getType() != Token.EOF);
    for (Token o : open) if (o == bracket) return true;
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
          if (!open.isEmpty()) open.pop();
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
