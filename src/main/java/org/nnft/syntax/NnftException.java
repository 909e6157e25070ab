package org.nnft.syntax;

/**
 * A user error: a plain sentence and the place in the script it is about. Front ends render it as
 * {@code file:line:col: error: sentence}, the source line and a caret; never a stack trace.
 */
public class NnftException extends RuntimeException {
  /** Source lines longer than this are shown as a window of WINDOW characters around the caret. */
  private static final int WIDE = 200, WINDOW = 120;

  private final Span span;
  private final String kind;

  public NnftException(Span span, String message) { this("error", span, message); }

  public NnftException(String kind, Span span, String message) { this(kind, span, message, null); }

  /** With the Java exception behind it (for an internal error: the bug to report). */
  public NnftException(String kind, Span span, String message, Throwable cause) {
    super(message, cause, false, false);
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
    return new NnftException(kind, s, getMessage(), getCause());
  }

  /** file:line:col: error: message, the source line, and a caret under the span. */
  public String render() {
    if (span == Span.NONE) return kind + ": " + getMessage();
    StringBuilder b = new StringBuilder();
    b.append(span.file()).append(':').append(span.line()).append(':').append(span.column())
        .append(": ").append(kind).append(": ").append(getMessage()).append('\n');
    String text = span.source().line(span.line()).replace('\t', ' ');
    int col = Math.max(1, span.column());
    int end = text.length(); // the caret's line ends here (before a trailing "...")
    if (text.length() > WIDE) {
      // a very long line (generated code): the part around the caret, marked as cut
      int from = Math.max(0, Math.min(col - 1, text.length()) - WINDOW / 2);
      int to = Math.min(text.length(), from + WINDOW);
      String head = from > 0 ? "..." : "", tail = to < text.length() ? "..." : "";
      text = head + text.substring(from, to) + tail;
      col = col - from + head.length();
      end = text.length() - tail.length();
    }
    String gutter = String.format("%5d | ", span.line());
    b.append(gutter).append(text).append('\n');
    b.append(" ".repeat(gutter.length() - 2)).append("| ");
    b.append(" ".repeat(Math.min(col - 1, end)));
    int len = Math.max(1, Math.min(span.length(), Math.max(1, end - col + 1)));
    b.append('^').append("~".repeat(len - 1));
    return b.toString();
  }
}
