package org.nnft.syntax;

import java.util.ArrayList;
import java.util.List;

/** A named source text (a file, a REPL entry, an engine script) with its lines for excerpts. */
public final class Source {
  private final String name;
  private final String text;
  private final List<String> lines;

  private Source(String name, String text) {
    this.name = name;
    this.text = text;
    this.lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        start = i + 1;
      }
    }
    lines.add(text.substring(start));
  }

  public static Source of(String name, String text) { return new Source(name, text); }

  public String name() { return name; }
  public String text() { return text; }

  /** The 1-based line, or "" when out of range. */
  public String line(int n) { return n >= 1 && n <= lines.size() ? lines.get(n - 1) : ""; }
  public int lineCount() { return lines.size(); }
}
