package org.nnft.symbolic;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tidies Symja's TeX form for people: internal names back to the user's (Greek names and letters
 * as Greek, x1 as x_{1}, a_b as a_{b}), a field phi(x) as \phi and phi'(x) as \partial_{x}\phi, as
 * the text form prints them, and products as thin spaces rather than dots.
 */
final class Tex {
  private Tex() {}

  private static final Map<String, String> GREEK_NAMES = Map.ofEntries(
      Map.entry("alpha", "\\alpha"), Map.entry("beta", "\\beta"), Map.entry("gamma", "\\gamma"), Map.entry("delta", "\\delta"),
      Map.entry("epsilon", "\\epsilon"), Map.entry("varepsilon", "\\varepsilon"), Map.entry("zeta", "\\zeta"), Map.entry("eta", "\\eta"),
      Map.entry("theta", "\\theta"), Map.entry("vartheta", "\\vartheta"), Map.entry("iota", "\\iota"), Map.entry("kappa", "\\kappa"),
      Map.entry("lambda", "\\lambda"), Map.entry("mu", "\\mu"), Map.entry("nu", "\\nu"), Map.entry("xi", "\\xi"),
      Map.entry("rho", "\\rho"), Map.entry("sigma", "\\sigma"), Map.entry("tau", "\\tau"), Map.entry("upsilon", "\\upsilon"),
      Map.entry("phi", "\\phi"), Map.entry("varphi", "\\varphi"), Map.entry("chi", "\\chi"), Map.entry("psi", "\\psi"),
      Map.entry("omega", "\\omega"), Map.entry("Gamma", "\\Gamma"), Map.entry("Delta", "\\Delta"), Map.entry("Theta", "\\Theta"),
      Map.entry("Lambda", "\\Lambda"), Map.entry("Xi", "\\Xi"), Map.entry("Sigma", "\\Sigma"), Map.entry("Upsilon", "\\Upsilon"),
      Map.entry("Phi", "\\Phi"), Map.entry("Psi", "\\Psi"), Map.entry("Omega", "\\Omega"));

  /** Greek letters as written in a script (λ), by code point from α and from Α. */
  private static final String[] LOWER = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
      "lambda", "mu", "nu", "xi", "o", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"};

  private static final Pattern INDEXED = Pattern.compile("([\\p{L}]+)(\\d+)");

  /** A user name in TeX: lambda and λ as \lambda, x1 as x_{1}, a_b as a_{b}, long names upright. */
  static String name(String user) {
    int us = user.indexOf('_');
    if (us > 0 && us < user.length() - 1) return name(user.substring(0, us)) + "_{" + name(user.substring(us + 1)) + "}";
    String g = GREEK_NAMES.get(user);
    if (g != null) return g;
    if (user.codePointCount(0, user.length()) == 1) {
      int c = user.codePointAt(0);
      if (c >= 0x3b1 && c <= 0x3c9) {
        String n = LOWER[c - 0x3b1];
        return n.length() == 1 ? n : "\\" + n;
      }
      if (c >= 0x391 && c <= 0x3a9) {
        String n = LOWER[c - 0x391];
        String cap = Character.toUpperCase(n.charAt(0)) + n.substring(1);
        return GREEK_NAMES.getOrDefault(cap, "\\mathrm{" + user + "}");
      }
      return c < 128 ? user : "\\text{" + user + "}";
    }
    Matcher m = INDEXED.matcher(user);
    if (m.matches()) return name(m.group(1)) + "_{" + m.group(2) + "}";
    return "\\mathrm{" + user.replace("_", "\\_") + "}";
  }

  private static final Pattern TEXT_NAME = Pattern.compile("\\\\text\\{(nnv[a-z0-9]+)\\}");
  private static final Pattern NAME = Pattern.compile("nnv[a-z0-9]+");
  private static final Pattern CDOT = Pattern.compile("\\s*\\\\cdot\\s*(?=(.))");

  /**
   * Symja's TeX with the user's names: {@code users} maps internal names to the user's,
   * {@code fields} a field's user name to its variable(s) (comma-separated).
   */
  static String tidy(String tex, Map<String, String> users, Map<String, String> fields) {
    String s = tex;
    for (var f : fields.entrySet()) {
      if (f.getValue().contains(",")) continue;
      String fi = Pattern.quote("nnv" + Symbolic.encode(f.getKey())), vi = Pattern.quote("nnv" + Symbolic.encode(f.getValue()));
      String field = name(f.getKey()), var = name(f.getValue());
      Matcher m = Pattern.compile("(?:\\\\text\\{" + fi + "\\}|\\b" + fi + "\\b)('*)\\(" + vi + "\\)").matcher(s);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        int k = m.group(1).length();
        String r = k == 0 ? field : "\\partial_{" + var + "}" + (k == 1 ? "" : "^{" + k + "}") + field;
        m.appendReplacement(b, Matcher.quoteReplacement(r));
      }
      m.appendTail(b);
      s = b.toString();
    }
    // an equation (eom) is an equality, not Symja's comparison
    s = s.replace(" == ", " = ");
    s = s.replace("\\text{nnop}", "\\operatorname{op}").replace("\\text{nnint}", "\\operatorname{integral}");
    s = replace(TEXT_NAME, s, users);
    s = replace(NAME, s, users);
    // products: a thin space, but a dot between two numbers
    Matcher m = CDOT.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) m.appendReplacement(b, Character.isDigit(m.group(1).charAt(0)) ? " \\\\cdot " : "\\\\,");
    m.appendTail(b);
    return b.toString();
  }

  private static String replace(Pattern p, String s, Map<String, String> users) {
    Matcher m = p.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String internal = m.groupCount() > 0 ? m.group(1) : m.group();
      String u = users.get(internal);
      m.appendReplacement(b, Matcher.quoteReplacement(u == null ? m.group() : name(u)));
    }
    m.appendTail(b);
    return b.toString();
  }
}
