package org.nnft.syntax;

/**
 * A user error: a plain sentence and the place in the script it is about. Front ends render it as
 * {@code file:line:col: error: sentence}, the source line and a caret; never a stack trace.
 */
public class NnftException extends RuntimeException {
  private final Span span;
  private final String kind;

  public NnftException(Span span, String message) { this("error", span, message); }

  public NnftException(String kind, Span span, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.span = span == null ? Span.NONE : span;
  }

  public Span span() { return span; }
  public String kind() { return kind; }
  public int line() { return span.line(); }
  public int column() { return span.column(); }

  /** The same error placed at {@code s} when it has no place yet. */
  public NnftException at(Span s) {
    if (span != Span.NONE || s == null) return this;
    return new NnftException(kind, s, getMessage());
  }

  /** file:line:col: error: message, the source line, and a caret under the span. */
  public String render() {
    if (span == Span.NONE) return kind + ": " + getMessage();
    StringBuilder b = new StringBuilder();
    b.append(span.file()).append(':').append(span.line()).append(':').append(span.column())
        .append(": ").append(kind).append(": ").append(getMessage()).append('\n');
    String text = span.source().line(span.line());
    String gutter = String.format("%5d | ", span.line());
    b.append(gutter).append(text.replace('\t', ' ')).append('\n');
    b.append(" ".repeat(gutter.length() - 2)).append("| ");
    int col = Math.max(1, span.column());
    b.append(" ".repeat(Math.min(col - 1, text.length())));
    int len = Math.max(1, Math.min(span.length(), Math.max(1, text.length() - col + 1)));
    b.append('^').append("~".repeat(len - 1));
    return b.toString();
  }
}
