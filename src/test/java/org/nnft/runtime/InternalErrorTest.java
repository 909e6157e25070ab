package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;
import org.nnft.script.NnftScriptEngine;
import org.nnft.syntax.NnftException;

/**
 * A bug in nnft (a Java exception inside the engine) reaches every front end as a positioned
 * error of kind "internal error", never as a raw Java exception. The bug is simulated by a
 * function value that throws.
 */
class InternalErrorTest {
  /** A function whose call fails the way a bug would. */
  static final Func BROKEN = new Func() {
    @Override public Value call(CallSite site, List<Value> args, Map<String, Value> named) {
      throw new ArrayIndexOutOfBoundsException("Index 0 out of bounds for length 0");
    }

    @Override public String name() { return "broken"; }
  };

  @Test void theApiGivesAPlacedInternalError() {
    Nnft nn = Nnft.session();
    nn.raw().put("broken", BROKEN);
    NnftException e = assertThrows(NnftException.class, () -> nn.eval("let a = 1\nshow a + broken()"));
    assertEquals("internal error", e.kind());
    assertEquals(2, e.line());
    assertEquals(1, e.column());
    assertTrue(e.getMessage().contains("ArrayIndexOutOfBoundsException") && e.getMessage().contains("please report"), e.getMessage());
    assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
    assertEquals(1.0, nn.eval("a"), "the session goes on");
  }

  @Test void theEngineGivesAScriptExceptionWithLineAndColumn() throws ScriptException {
    ScriptEngine engine = new NnftScriptEngine();
    ((NnftScriptEngine) engine).session().put("broken", BROKEN);
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("1\n\n  broken()"));
    assertEquals(3, e.getLineNumber());
    assertEquals(3, e.getColumnNumber());
    assertTrue(e.getMessage().startsWith("internal error: "), e.getMessage());
  }
}
