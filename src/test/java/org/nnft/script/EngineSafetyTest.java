package org.nnft.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.junit.jupiter.api.Test;
import org.nnft.api.Nnft;

/**
 * Engines embedded in a shared service: no state passes between sessions, bindings may change on
 * another thread during a run, depth does not depend on the caller's stack, and an interrupt stops
 * a long computation and leaves the engine usable.
 */
class EngineSafetyTest {
  /** Symbolic work with a field of t. */
  static final String FIELD_T = """
      field phi(t: R^1)
      symbol a
      action S = integral(t, 1/2 * D(phi, t)^2 + a^2/2 * phi^2)
      show eom(S)
      show D(a^3 * sin(a), a)
      show series(exp(a), a, 0, 4)
      """;
  /** Symbolic work with a field of x of the same name: broke when fields were global. */
  static final String FIELD_X = """
      symbol m, lambda
      field phi(x: R^1)
      action S = integral(x, 1/2 * D(phi, x)^2 + m^2/2 * phi^2 + lambda/24 * phi^4)
      show eom(S)
      show simplify((m + 1)^2 - m^2)
      """;
  /** Numeric sampling. */
  static final String NUMERIC = """
      net ramp(x: R^1) {
        w ~ normal(0.5, 1)
        b ~ uniform(-1, 2)
        return w * x + b
      }
      let E = sample(ramp, 20000, seed = 4)
      show correlator(E, 1, 2)
      """;

  static String alone(String script) {
    Nnft s = Nnft.session().setThreads(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    s.eval(script);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test void sessionsOnTwoThreadsGiveTheAnswersTheyGiveAlone() throws Exception {
    String[] scripts = {FIELD_T, FIELD_X, NUMERIC};
    String[] expected = new String[scripts.length];
    for (int i = 0; i < scripts.length; i++) expected[i] = alone(scripts[i]);
    assertTrue(expected[0].contains("eom(S)") && expected[1].contains("lambda"), expected[0] + expected[1]);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> runs = new ArrayList<>();
      List<Integer> which = new ArrayList<>();
      for (int it = 0; it < 24; it++) {
        int k = it % scripts.length;
        which.add(k);
        runs.add(pool.submit(() -> alone(scripts[k])));
      }
      for (int i = 0; i < runs.size(); i++) {
        assertEquals(expected[which.get(i)], runs.get(i).get(120, TimeUnit.SECONDS), "run " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test void bindingsMayChangeOnAnotherThreadWhileScriptsRun() throws Exception {
    ScriptEngine e = new NnftScriptEngineFactory().getScriptEngine();
    assertEquals("MULTITHREADED", e.getFactory().getParameter("THREADING"));
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < 200000 && !Thread.currentThread().isInterrupted(); i++) e.put("k" + (i % 500), (double) i);
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    writer.start();
    try {
      for (int i = 0; i < 300; i++) assertEquals(2.0 * i, e.eval("let y = 2 * " + i + "\ny"));
    } finally {
      writer.interrupt();
      writer.join();
    }
    assertNull(failed.get());
  }

  /** A 10,000-deep expression and a 10,000-term sum, evaluated from a thread with a 1 MB stack. */
  @Test void depthDoesNotDependOnTheCallersStack() throws Exception {
    ScriptEngine e = new NnftScriptEngineFactory().getScriptEngine();
    String deep = "(".repeat(10000) + "1" + ")".repeat(10000);
    String sum = "1" + " + 1".repeat(9999);
    AtomicReference<Object> a = new AtomicReference<>(), b = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try {
        a.set(result(e, deep));
        b.set(result(e, sum));
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "one-megabyte", 1 << 20);
    small.start();
    small.join();
    assertNull(failed.get());
    // each evaluates, or is an error placed in the script: never a StackOverflowError
    for (Object r : new Object[] {a.get(), b.get()}) {
      assertTrue(r instanceof Double || r instanceof ScriptException se && se.getLineNumber() >= 1, String.valueOf(r));
    }
    if (b.get() instanceof Double d) assertEquals(10000.0, d);
    if (a.get() instanceof Double d) assertEquals(1.0, d);
  }

  static Object result(ScriptEngine e, String code) {
    try {
      return e.eval(code);
    } catch (ScriptException se) {
      return se;
    }
  }

  /**
   * An interrupt stops long numeric work of each kind: sampling, Markov chains, training, a neural
   * ODE's integration, a comprehension, a long chain of whole-matrix arithmetic; each time the engine then answers correctly.
   */
  @Test void anInterruptStopsLongNumericWork() throws Exception {
    String[] longRuns = {
        "net f(x: R^1) {\n  w ~ normal(0, 1)\n  return w * x\n}\nlet E = sample(f, 1e8, seed = 1)\nshow correlator(E, 1, 1)",
        "net r(x: R^2) {\n  W[8, 2] ~ normal(0, 1)\n  v[8] ~ normal(0, 1)\n  return dot(v, relu(W @ x))\n}\n"
            + "let F = fit(r, target = norm(x), data = ball(2, radius = 1.5, count = 4096), optimizer = adam(lr = 0.001, steps = 1e7), seed = 1)",
        "net flow = node(dim = 2, hidden = 8, act = tanh, time = 1e7)\nshow endpoint(flow, [1, 0])",
        "let s = sum([sum([i * j for j in range(1, 3000)]) for i in range(1, 3000)])",
        // a chain of whole-matrix operations, each short (a fuzz finding that did not stop)
        "show " + "2 ^ ".repeat(400) + "ones(1e3, 1e3)" + " ^ 2".repeat(60) + " ^ 1",
    };
    for (String code : longRuns) {
      ScriptEngine e = new NnftScriptEngineFactory().getScriptEngine();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Object> f = pool.submit(() -> e.eval(code));
        Thread.sleep(700); // orchestration only: let it start
        f.cancel(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "stopped after the interrupt: " + code);
      } finally {
        pool.shutdownNow();
      }
      assertEquals(6.0, e.eval("sum([1, 2, 3])"), code);
    }
  }

  /** An interrupt (Future.cancel(true)) stops long symbolic work; the engine then answers correctly. */
  @Test void anInterruptStopsSymbolicWorkAndTheEngineGoesOn() throws Exception {
    ScriptEngine e = new NnftScriptEngineFactory().getScriptEngine();
    e.eval("symbol w\nlet warm = D(w^2, w)");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Object> f = pool.submit(() -> e.eval("symbol x, y, z\nlet big = expand((x + y + z + 1)^200)"));
      // orchestration only: let the computation start, then cancel it
      Thread.sleep(500);
      f.cancel(true);
      pool.shutdown();
      // a hang would fail here (a bound for correctness, not a speed assertion)
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the evaluation ended after the interrupt");
      try {
        f.get();
      } catch (java.util.concurrent.CancellationException | ExecutionException expected) {
        // cancelled: the engine's ScriptException went to the Future
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(12.0, e.eval("symbol a\nsubs(D(a^3, a), a = 2)"));
    assertInstanceOf(Double.class, e.eval("1 + 1"));
  }
}
