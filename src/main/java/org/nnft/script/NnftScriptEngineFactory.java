package org.nnft.script;

import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * The JSR-223 factory of the nnft engine: {@code new ScriptEngineManager().getEngineByName("nnft")},
 * by extension {@code nnft} or by MIME type {@code text/x-nnft}.
 */
public final class NnftScriptEngineFactory implements ScriptEngineFactory {
  static final String ENGINE_NAME = "nnft";
  static final String ENGINE_VERSION = "0.1.0";
  static final String LANGUAGE_VERSION = "0.1";

  @Override public String getEngineName() { return ENGINE_NAME; }
  @Override public String getEngineVersion() { return ENGINE_VERSION; }
  @Override public List<String> getExtensions() { return List.of("nnft"); }
  @Override public List<String> getMimeTypes() { return List.of("text/x-nnft"); }
  @Override public List<String> getNames() { return List.of("nnft", "NNFT"); }
  @Override public String getLanguageName() { return "nnft"; }
  @Override public String getLanguageVersion() { return LANGUAGE_VERSION; }

  @Override public Object getParameter(String key) {
    return switch (key) {
      case ScriptEngine.NAME, ScriptEngine.LANGUAGE -> "nnft";
      case ScriptEngine.ENGINE -> ENGINE_NAME;
      case ScriptEngine.ENGINE_VERSION -> ENGINE_VERSION;
      case ScriptEngine.LANGUAGE_VERSION -> LANGUAGE_VERSION;
      // evaluations on one engine are serialised and its bindings may change on any thread while a
      // script runs; separate engines share no state (JSR-223: "MULTITHREADED")
      case "THREADING" -> "MULTITHREADED";
      default -> null;
    };
  }

  @Override public String getMethodCallSyntax(String obj, String m, String... args) {
    // nnft has no methods; members are reached as obj.m and functions are called as m(obj, ...)
    StringBuilder b = new StringBuilder(m).append('(').append(obj);
    for (String a : args) b.append(", ").append(a);
    return b.append(')').toString();
  }

  @Override public String getOutputStatement(String toDisplay) {
    StringBuilder b = new StringBuilder("show \"");
    for (char c : toDisplay.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c == '\n') b.append("\\n");
      else if (c == '\r') continue; // strings cannot hold a carriage return
      else if (c == '\t') b.append("\\t");
      else b.append(c);
    }
    return b.append('"').toString();
  }

  @Override public String getProgram(String... statements) { return String.join("\n", statements); }

  @Override public ScriptEngine getScriptEngine() { return new NnftScriptEngine(this); }
}
