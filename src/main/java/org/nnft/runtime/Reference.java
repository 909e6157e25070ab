package org.nnft.runtime;

import org.nnft.check.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of built-in functions in the language reference (docs/builtins.md), generated from the
 * signatures in a registry, so it cannot drift from what the checker and the REPL read.
 */
public final class Reference {
  private Reference() {}

  public static String markdown(Registry r) {
    StringBuilder b = new StringBuilder();
    b.append("# Built-in functions\n\n");
    b.append("Generated from the built-ins' signatures (`org.nnft.runtime.Reference`); a test fails when this file is stale.\n");
    b.append("Regenerate with `mvn -q test -Dtest=ReferenceTest -Ddocs.update=true`. The language itself: [language.md](language.md).\n\n");
    b.append("Arguments marked *costly* are symbolic or slow: they run only when the script reaches them, never while planning.\n");
    b.append("*Observable* built-ins estimate from an ensemble; every observable of one ensemble shares one sampling pass.\n\n");
    List<String> constants = new ArrayList<>();
    for (String n : r.names()) if (r.isConstant(n)) constants.add("`" + n + "`");
    b.append("Constants: ").append(String.join(", ", constants)).append(".\n\n");
    b.append("| function | arguments | what it does |\n|---|---|---|\n");
    for (String n : r.names()) {
      Signature s = r.signature(n);
      if (s == null) continue;
      b.append("| `").append(cell(s.usage())).append("` | ").append(cell(arguments(s))).append(" | ").append(cell(s.summary()));
      if (s.costly()) b.append(" *(costly)*");
      if (s.observable()) b.append(" *(observable)*");
      b.append(" |\n");
    }
    return b.toString();
  }

  private static String arguments(Signature s) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < s.positional().size(); i++) {
      Signature.Param p = s.positional().get(i);
      boolean repeats = i == s.positional().size() - 1 && s.maxPositional() > s.positional().size();
      String t = p.name() + (repeats ? ", ... (" + (s.minPositional() - i) + " to " + (s.maxPositional() - i) + ")" : "") + ": " + p.type().text;
      if (i >= s.minPositional() && !repeats) t += ", optional";
      if (p.defaultText() != null) t += " (default " + p.defaultText() + ")";
      parts.add(t);
    }
    for (Signature.Param p : s.named()) {
      String t = p.name() + " = " + p.type().text;
      if (!p.binds().isEmpty()) t += " of " + String.join(" and ", p.binds());
      t += p.defaultText() != null ? " (default " + p.defaultText() + ")" : " (required)";
      parts.add(t);
    }
    if (s.anyNamed()) parts.add("name = value for any symbol");
    return parts.isEmpty() ? "none" : String.join("; ", parts);
  }

  private static String cell(String t) { return t.replace("|", "\\|").replace("\n", " "); }
}
