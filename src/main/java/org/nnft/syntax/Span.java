package org.nnft.syntax;

/** A place in a source text: 1-based line and column, length in characters (at least 1). */
public record Span(Source source, int line, int column, int length, int start, int end) {
  public static final Span NONE = new Span(Source.of("<none>", ""), 0, 0, 0);

  public Span(Source source, int line, int column, int length) { this(source, line, column, length, -1, -1); }

  /** The source text this span covers (all its lines, joined by single spaces, comments dropped). */
  public String text() {
    if (start >= 0 && end >= start && end <= source.text().length()) {
      String raw = source.text().substring(start, end);
      StringBuilder b = new StringBuilder();
      for (String l : raw.split("\\R")) {
        int hash = l.indexOf('#');
        if (hash >= 0 && l.lastIndexOf('"', hash) < 0) l = l.substring(0, hash);
        l = l.strip();
        if (l.endsWith("\\")) l = l.substring(0, l.length() - 1).strip();
        if (l.isEmpty()) continue;
        if (b.length() > 0 && !(b.charAt(b.length() - 1) == '(' || b.charAt(b.length() - 1) == '[' || l.startsWith(")") || l.startsWith("]"))) b.append(' ');
        b.append(l);
      }
      return b.toString();
    }
    String l = source.line(line);
    int a = Math.max(0, column - 1), z = Math.min(l.length(), a + length);
    return a < z ? l.substring(a, z) : "";
  }

  public String file() { return source.name(); }

  /** The span from the start of this one to the end of {@code other} when both are on one line. */
  public Span to(Span other) {
    if (other == null || other.source != source) return this;
    int s0 = start >= 0 && other.start >= 0 ? Math.min(start, other.start) : -1;
    int e0 = end >= 0 && other.end >= 0 ? Math.max(end, other.end) : -1;
    if (other.line == line && other.column + other.length >= column) {
      return new Span(source, line, column, Math.max(length, other.column + other.length - column), s0, e0);
    }
    if (other.line > line) {
      String text = source.line(line);
      return new Span(source, line, column, Math.max(1, text.length() - column + 1), s0, e0);
    }
    return this;
  }
}
