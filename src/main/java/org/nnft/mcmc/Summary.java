package org.nnft.mcmc;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nnft.report.Format;
import org.nnft.runtime.Tensor;
import org.nnft.runtime.Value;
import org.nnft.runtime.Values;

/** The diagnostics of a run of chains: over every parameter, the worst R̂ and ESS, and the sampler's statistics. */
record Summary(McmcV m, double rhatMax, String rhatAt, double bulkMin, String bulkAt, double tailMin, String tailAt, double mcseMax, String mcseAt, double accept,
    double[] stepSize, int divergences, int warmupDivergences, int depthHits, double meanDepth, long gradients) {

  static Summary of(McmcV m) {
    if (m.summary == null) m.summary = compute(m);
    return m.summary;
  }

  private static Summary compute(McmcV m) {
    Run.Result r = m.result;
    Target t = m.spec.create();
    double rmax = Double.NaN, bmin = Double.NaN, tmin = Double.NaN, mmax = Double.NaN;
    String ra = "", ba = "", ta = "", ma = "";
    // every parameter's diagnostics, in parallel (each is a function of its own draws: the same numbers at any thread count)
    double[][] diag = java.util.stream.IntStream.range(0, r.dim()).parallel().mapToObj(j -> {
      double[][] x = new double[r.chains()][r.count()];
      for (int c = 0; c < r.chains(); c++) for (int i = 0; i < r.count(); i++) x[c][i] = r.draws()[c][i * r.dim() + j];
      return Diagnostics.summary(x);
    }).toArray(double[][]::new);
    for (int j = 0; j < r.dim(); j++) {
      double rh = diag[j][0], eb = diag[j][1], et = diag[j][2];
      String name = t.parameterOf(j) + "[" + index(m, j) + "]";
      if (!(rh <= rmax)) { rmax = rh; ra = name; }
      if (!(eb >= bmin)) { bmin = eb; ba = name; }
      if (!(et >= tmin)) { tmin = et; ta = name; }
      if (!(diag[j][3] <= mmax)) { mmax = diag[j][3]; ma = name; }
    }
    double acc = 0;
    int div = 0, hits = 0, wd = 0;
    double depth = 0;
    for (int c = 0; c < r.chains(); c++) {
      Chain.Stats s = r.stats()[c];
      for (int i = 0; i < r.count(); i++) {
        acc += s.accept[i];
        if (s.divergent[i]) div++;
        if (m.settings.method().equals("nuts") && s.depth[i] >= m.settings.maxDepth()) hits++;
        depth += s.depth[i];
      }
      wd += r.warmupDivergences()[c];
    }
    double n = (double) r.chains() * r.count();
    return new Summary(m, rmax, ra, bmin, ba, tmin, ta, mmax, ma, acc / n, r.stepSize(), div, wd, hits, depth / n, r.gradients());
  }

  /** The entry's index within its parameter. */
  private static int index(McmcV m, int j) {
    int off = 0;
    for (int k = 0; k < m.compiled.params.size(); k++) {
      int o = m.compiled.tape.parameterOffset(k);
      if (o <= j) off = o;
    }
    return j - off;
  }

  /** One sentence naming what is wrong, with the numbers, or null. */
  String problem() {
    StringBuilder b = new StringBuilder();
    if (rhatMax > McmcV.RHAT_LIMIT || Double.isNaN(rhatMax)) b.append("R-hat ").append(Format.num(rhatMax, 4)).append(" for ").append(rhatAt).append(" (above 1.01: the chains disagree)");
    if (bulkMin < McmcV.ESS_LIMIT) sep(b).append("bulk ESS ").append(Format.num(bulkMin, 3)).append(" for ").append(bulkAt).append(" (below 400)");
    if (tailMin < McmcV.ESS_LIMIT) sep(b).append("tail ESS ").append(Format.num(tailMin, 3)).append(" for ").append(tailAt).append(" (below 400)");
    if (divergences > 0) sep(b).append(divergences).append(" divergent transitions after warm-up (the sampler could not follow the density: results may be biased)");
    if (depthHits > 0) sep(b).append(depthHits).append(" transitions hit the maximum tree depth ").append(m.settings.maxDepth());
    if (b.length() == 0) return null;
    return "the chains are not to be trusted yet: " + b + "; run longer chains or more warm-up, or try metric = \"dense\" or \"free\"";
  }

  private static StringBuilder sep(StringBuilder b) { return b.length() > 0 ? b.append("; ") : b; }

  Value record() {
    Map<String, Value> f = new LinkedHashMap<>();
    Run.Result r = m.result;
    f.put("sampler", new Values.Str(m.settings.method()));
    f.put("metric", new Values.Str(m.settings.metric()));
    f.put("chains", Tensor.scalar(r.chains()));
    f.put("draws", Tensor.scalar(r.count()));
    f.put("warmup", Tensor.scalar(m.warmup));
    f.put("rhat", Tensor.scalar(rhatMax));
    f.put("ess_bulk", Tensor.scalar(bulkMin));
    f.put("ess_tail", Tensor.scalar(tailMin));
    f.put("mcse", Tensor.scalar(mcseMax));
    f.put("acceptance", Tensor.scalar(accept));
    f.put("step_size", Tensor.vector(stepSize.clone()));
    f.put("divergences", Tensor.scalar(divergences));
    f.put("treedepth_hits", Tensor.scalar(depthHits));
    f.put("mean_treedepth", Tensor.scalar(meanDepth));
    f.put("gradients", Tensor.scalar(gradients));
    f.put("reliable", new Values.Bool(problem() == null));
    f.put("note", new Values.Str("over every parameter: the largest rank-normalised split R-hat (" + rhatAt + "), the smallest bulk ESS (" + bulkAt
        + ") and tail ESS (" + tailAt + "), the largest Monte Carlo standard error of a parameter's mean (" + mcseAt + "); acceptance and tree depth averaged over kept draws; divergences after warm-up ("
        + warmupDivergences + " in warm-up)"));
    return new Values.Record("diagnostics", f);
  }
}
