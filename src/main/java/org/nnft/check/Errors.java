package org.nnft.check;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The catalogue of error sentences that the checker and the run share, so that a mistake reads the
 * same whether it is caught before any work or only while the script runs: one plain sentence,
 * naming what was expected and what was found, and the fix when there is one. Sentences end
 * without a full stop; the caller adds it (or a clause after a semicolon).
 */
public final class Errors {
  private Errors() {}

  // ---------------------------------------------------------------- names

  /** A name that is not declared, with the nearest known name when one is close. */
  public static String unknownName(String name, Collection<String> known, Signatures registry) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    Set<String> all = new LinkedHashSet<>(known);
    all.addAll(registry.names());
    for (String k : all) {
      int d = distance(name.toLowerCase(), k.toLowerCase());
      if (d < bestD || (d == bestD && best != null && known.contains(k) && !known.contains(best))) { bestD = d; best = k; }
    }
    int limit = Math.max(1, Math.min(3, name.length() / 2));
    if (best != null && bestD <= limit && bestD < name.length()) return "'" + name + "' is not declared; did you mean '" + best + "'?";
    String hint = name.length() <= 2 ? "; declare it with let, or with symbol for a free symbol." : "; declare it with let before using it.";
    return "'" + name + "' is not declared" + hint;
  }

  /** A name declared twice in one scope. */
  public static String declaredTwice(String name, String where) { return "'" + name + "' is declared twice in " + where; }

  // ---------------------------------------------------------------- calls

  /** A call with the wrong number of positional arguments. */
  public static String argumentCount(String f, int min, int max, int got, String usage) {
    String want = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
    return f + " takes " + want + " argument" + (max == 1 ? "" : "s") + ", not " + got + ": " + usage;
  }

  /** A named argument the built-in does not take (a sentence with its own end). */
  public static String notAnArgument(String arg, String f, List<String> named) {
    String near = null;
    for (String k : named) if (distance(k, arg) <= 2) near = k;
    String known = named.isEmpty() ? f + " takes no named arguments" : near != null ? "did you mean '" + near + "'?" : f + " takes " + String.join(", ", named);
    return "'" + arg + "' is not an argument of " + f + "; " + known + (known.endsWith("?") ? "" : ".");
  }

  /** An argument of the wrong kind. */
  public static String argumentType(String f, String wanted, String param, String found) {
    return f + " takes " + wanted + " for " + param + ", not " + found;
  }

  // ---------------------------------------------------------------- shapes

  public static String cannotMultiply(String a, String b, int inner1, int inner2) {
    return "cannot multiply " + a + " by " + b + ": inner sizes " + inner1 + " and " + inner2 + " differ";
  }

  public static String cannotCombine(String a, String b) { return "cannot combine " + a + " with " + b + " element by element"; }

  // ---------------------------------------------------------------- nets

  public static String noReturn(String net) { return "net " + net + " has no return statement"; }

  public static String returnShape(int outDim, String found) {
    return "the net is declared to return " + (outDim == 1 ? "a number" : "a vector of length " + outDim) + " but this is " + found;
  }

  /** A parameter name the net does not have (a sentence with its own end). */
  public static String noParameter(String net, String param, Collection<String> params) {
    return "net " + net + " has no parameter '" + param + "'" + (params.isEmpty() ? "." : "; its parameters are " + String.join(", ", params) + ".");
  }

  // ---------------------------------------------------------------- ensembles

  public static String seedNotWhole() { return "a seed must be a whole number"; }

  /** Levenshtein distance, for "did you mean". */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev; prev = cur; cur = t;
    }
    return prev[b.length()];
  }
}
