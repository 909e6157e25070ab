package org.nnft.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * R-hat, bulk and tail ESS, the ESS of the mean and its MCSE against the R package posterior
 * (1.4.0; src/test/resources/mcmc/posterior/make_reference.R wrote the draws and the expected
 * values): iid and autocorrelated chains, an odd length, a shifted chain, heavy tails, ties, one
 * chain, too few draws, constant draws. Agreement to 1e-9 relative; NA in R is NaN here.
 */
class DiagnosticsTest {
  static final Path DIR = Path.of("src/test/resources/mcmc/posterior");

  static double[][] read(Path f) throws Exception {
    List<double[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      if (line.isBlank()) continue;
      String[] p = line.split(",");
      double[] r = new double[p.length];
      for (int i = 0; i < p.length; i++) r[i] = Double.parseDouble(p[i]);
      rows.add(r);
    }
    int n = rows.size(), c = rows.get(0).length;
    double[][] x = new double[c][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) x[j][i] = rows.get(i)[j];
    return x;
  }

  static void close(List<String> failures, String what, double expected, double got) {
    if (Double.isNaN(expected)) {
      if (!Double.isNaN(got)) failures.add(what + ": expected NA, got " + got);
      return;
    }
    double tol = 1e-9 * Math.max(Math.abs(expected), 1e-12);
    if (!(Math.abs(got - expected) <= tol)) failures.add(what + ": expected " + expected + ", got " + got);
  }

  static double parse(String s) { return s.equals("NA") ? Double.NaN : Double.parseDouble(s); }

  @Test void agreesWithThePosteriorPackage() throws Exception {
    List<String> lines = Files.readAllLines(DIR.resolve("expected.tsv"));
    List<String> head = List.of(lines.get(0).split("\t"));
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] p = line.split("\t");
      double[][] x = read(DIR.resolve(p[0]));
      String f = p[0];
      close(failures, f + " rhat", parse(p[head.indexOf("rhat")]), Diagnostics.rhat(x));
      close(failures, f + " rhat_basic", parse(p[head.indexOf("rhat_basic")]), Diagnostics.rhatSplit(x));
      close(failures, f + " ess_bulk", parse(p[head.indexOf("ess_bulk")]), Diagnostics.essBulk(x));
      close(failures, f + " ess_tail", parse(p[head.indexOf("ess_tail")]), Diagnostics.essTail(x));
      close(failures, f + " ess_basic", parse(p[head.indexOf("ess_basic")]), Diagnostics.essMean(x));
      close(failures, f + " mcse_mean", parse(p[head.indexOf("mcse_mean")]), Diagnostics.mcseMean(x));
      close(failures, f + " ess_q05", parse(p[head.indexOf("ess_q05")]), Diagnostics.essQuantile(x, 0.05));
      close(failures, f + " ess_q95", parse(p[head.indexOf("ess_q95")]), Diagnostics.essQuantile(x, 0.95));
      // the one-pass summary the chains use gives the same numbers
      double[] all = Diagnostics.summary(x);
      close(failures, f + " summary rhat", Diagnostics.rhat(x), all[0]);
      close(failures, f + " summary ess_bulk", Diagnostics.essBulk(x), all[1]);
      close(failures, f + " summary ess_tail", Diagnostics.essTail(x), all[2]);
      close(failures, f + " summary mcse_mean", Diagnostics.mcseMean(x), all[3]);
      checked++;
    }
    assertEquals(9, checked, "fixtures");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test void normalQuantileIsAccurate() {
    // values of R 4.2.2's qnorm (print(qnorm(p), digits = 17))
    assertEquals(-1.6448536269514726, Diagnostics.Normal.quantile(0.05), 1e-15);
    assertEquals(2.3263478740408408, Diagnostics.Normal.quantile(0.99), 1e-15);
    assertEquals(-8.2220822161304348, Diagnostics.Normal.quantile(1e-16), 1e-13);
    assertEquals(0, Diagnostics.Normal.quantile(0.5), 0);
  }
}
