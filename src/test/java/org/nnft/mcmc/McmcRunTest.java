package org.nnft.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.api.Nnft;
import org.nnft.ensemble.Estimate;

/** Chains are reproducible at any thread count, and export in the layout posterior and ArviZ read. */
class McmcRunTest {
  static final String SCRIPT = "let T = 4\nlet N = 6\n"
      + "net path(t: R^1) {\n  a[N] ~ normal(0, 2)\n  let n = range(1, N)\n  return dot(a, tanh(sin(n * pi * t / T)))\n}\n"
      + "field phi(t: R^1)\n"
      + "action SE = integral(t, 0, T, 1/2 * D(phi, t)^2 + 1/2 * phi^2 + 0.3 * phi^4, points = 32)\n";

  static Nnft run(int threads, String sampler) {
    Nnft nn = Nnft.session().setThreads(threads);
    nn.eval(SCRIPT + "let C = mcmc(path, 300, action = SE, sampler = " + sampler + ", chains = 3, warmup = 200, seed = 9)\n"
        + "let g = correlator(C, T/3, T/2)\nlet d = diagnostics(C)\nlet r = d.rhat\nlet e = d.ess_bulk\nlet k = connected(C, 1, 2, 3, 1)\n");
    return nn;
  }

  @Test void sameBitsAtAnyThreadCount() {
    // a net that is not affine in its parameters: the gradient goes through the reverse sweep
    for (String sampler : new String[] {"nuts()", "hmc(steps = 7)", "metropolis()"}) {
      Nnft a = run(1, sampler), b = run(3, sampler);
      for (String v : new String[] {"g", "k"}) {
        Estimate x = a.estimate(v), y = b.estimate(v);
        assertEquals(Double.doubleToLongBits(x.value()), Double.doubleToLongBits(y.value()), sampler + " " + v);
        assertEquals(Double.doubleToLongBits(x.error()), Double.doubleToLongBits(y.error()), sampler + " " + v);
      }
      assertEquals(a.number("r"), b.number("r"), 0, sampler);
      assertEquals(a.number("e"), b.number("e"), 0, sampler);
    }
  }

  @Test void exportWritesDrawsDf(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("chains.csv");
    Nnft nn = Nnft.session().setThreads(2).allowWrite(dir);
    nn.eval(SCRIPT + "let C = mcmc(path, 40, action = SE, chains = 2, warmup = 40, seed = 1)\nexport C to \"" + out.toString().replace("\\", "/") + "\"\n");
    List<String> lines = Files.readAllLines(out);
    assertEquals(".chain,.iteration,.draw,a[1],a[2],a[3],a[4],a[5],a[6],accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__", lines.get(0));
    assertEquals(81, lines.size());
    assertTrue(lines.get(1).startsWith("1,1,1,"), lines.get(1));
    assertTrue(lines.get(41).startsWith("2,1,41,"), lines.get(41));
  }
}
