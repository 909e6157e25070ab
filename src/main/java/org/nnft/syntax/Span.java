package org.nnft.syntax;

/** A place in a source text: 1-based line and column, length in characters (at least 1). */
public record Span(Source source, int line, int column, int length) {
  public static final Span NONE = new Span(Source.of("<none>", ""), 0, 0, 0);

  public String file() { return source.name(); }

  /** The span from the start of this one to the end of {@code other} when both are on one line. */
  public Span to(Span other) {
    if (other == null || other.source != source) return this;
    if (other.line == line && other.column + other.length >= column) {
      return new Span(source, line, column, Math.max(length, other.column + other.length - column));
    }
    if (other.line > line) {
      String text = source.line(line);
      return new Span(source, line, column, Math.max(1, text.length() - column + 1));
    }
    return this;
  }
}
