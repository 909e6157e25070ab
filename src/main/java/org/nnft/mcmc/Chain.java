package org.nnft.mcmc;

import org.nnft.numeric.Rng;

/**
 * One Markov chain over the unconstrained parameters: NUTS (Stan's multinomial no-U-turn sampler
 * with the generalised U-turn criterion across subtrees), HMC with a jittered step size, or
 * random-walk Metropolis; with Stan's windowed warm-up (dual-averaging step size; diagonal or dense
 * metric from the slow windows) or a fixed metric. Deterministic: its random numbers come from its
 * own stream.
 */
final class Chain {
  /** The sampler and its settings. eps or steps ≤ 0: adapted / default. */
  record Settings(String method, double eps, int steps, double jitter, int maxDepth, double delta, String metric, double scale)
      implements java.io.Serializable {
    static Settings nuts() { return new Settings("nuts", 0, 0, 0, 10, 0.8, "diag", 0); }
  }

  /** Per-iteration statistics of the kept draws. */
  static final class Stats implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    double[] accept, stepSize, energy;
    int[] depth, leapfrogs;
    boolean[] divergent;

    Stats(int n) {
      accept = new double[n];
      stepSize = new double[n];
      energy = new double[n];
      depth = new int[n];
      leapfrogs = new int[n];
      divergent = new boolean[n];
    }
  }

  private final Target target;
  private final Settings set;
  private final Rng rng;
  private final int dim;
  /** The inverse metric: diagonal (invDiag) or dense (invDense with its Cholesky factor chol). */
  private double[] invDiag;
  private double[][] invDense, chol;
  private double eps = 1;

  // the current state
  private double[] u, grad;
  private double logp;

  // per-transition results
  private double acceptStat;
  private int depth, nLeapfrog;
  private boolean divergent;
  private double energy;
  private final double[] tmpV;

  /** Warm-up and kept draws: θ (constrained) per kept iteration, row after row. */
  double[] draws;
  Stats stats;
  int divergencesInWarmup;
  String failure;

  Chain(Target target, Settings set, Rng rng, double[][] freeInverse) {
    this.target = target;
    this.set = set;
    this.rng = rng;
    this.dim = target.dim;
    invDiag = new double[dim];
    java.util.Arrays.fill(invDiag, 1);
    if (freeInverse != null) setDense(freeInverse);
    tmpV = new double[dim];
  }

  /** Runs warm-up then count kept iterations from a random initial point (uniform(-2, 2) on the unconstrained scale, as Stan). */
  void run(int warmup, int count, java.util.function.BooleanSupplier cancelled, Runnable tick) {
    u = new double[dim];
    grad = new double[dim];
    // initial point: up to 100 tries for a finite log-density and gradient
    for (int attempt = 0; ; attempt++) {
      for (int j = 0; j < dim; j++) u[j] = -2 + 4 * rng.nextDouble();
      logp = target.logDensity(u, grad);
      if (Double.isFinite(logp) && finite(grad)) break;
      if (attempt == 100) { failure = "no initial point with a finite log-density in 100 tries"; return; }
    }
    boolean adaptEps = set.eps() <= 0;
    eps = adaptEps ? 1 : set.eps();
    if (set.method().equals("metropolis")) eps = set.scale() > 0 ? set.scale() : 2.38 / Math.sqrt(dim);
    if (adaptEps && !set.method().equals("metropolis")) initStepSize();
    DualAveraging da = new DualAveraging(set.method().equals("metropolis") ? 0.234 : set.delta(), eps);
    Windows win = new Windows(warmup);
    boolean adaptMetric = set.metric().equals("diag") || set.metric().equals("dense");
    Welford acc = new Welford(dim, set.metric().equals("dense"));
    boolean adaptStep = adaptEps || set.method().equals("metropolis") && set.scale() <= 0;
    draws = new double[count * dim];
    stats = new Stats(count);
    double[] th = new double[dim];
    for (int it = 0; it < warmup + count; it++) {
      if ((it & 15) == 0 && cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException();
      double used = eps;
      transition();
      if (it < warmup) {
        if (divergent) divergencesInWarmup++;
        if (adaptStep) eps = da.learn(acceptStat);
        if (adaptMetric && win.inWindow(it)) acc.add(u);
        if (adaptMetric && win.endOfWindow(it)) {
          if (set.metric().equals("dense")) setDense(acc.covariance());
          else invDiag = acc.variance();
          acc.restart();
          if (adaptStep && !set.method().equals("metropolis")) initStepSize();
          da.restart(eps);
        }
        if (it == warmup - 1 && adaptStep) eps = da.finalStep();
      } else {
        int k = it - warmup;
        target.constrain(u, th);
        System.arraycopy(th, 0, draws, k * dim, dim);
        stats.accept[k] = acceptStat;
        stats.stepSize[k] = used;
        stats.depth[k] = depth;
        stats.leapfrogs[k] = nLeapfrog;
        stats.divergent[k] = divergent;
        stats.energy[k] = energy;
      }
      if (tick != null) tick.run();
    }
  }

  private static boolean finite(double[] g) {
    for (double x : g) if (!Double.isFinite(x)) return false;
    return true;
  }

  double stepSize() { return eps; }

  // ------------------------------------------------------------------ metric

  private void setDense(double[][] inv) {
    invDense = inv;
    chol = cholesky(inv);
    if (chol == null) throw new IllegalStateException("metric");
  }

  /** Lower-triangular L with L Lᵀ = a, or null when a is not positive definite. */
  static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
        if (i == j) {
          if (!(s > 0)) return null;
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }

  /** p ~ N(0, M), M the inverse of the inverse metric. */
  private void momentum(double[] p) {
    for (int j = 0; j < dim; j++) p[j] = rng.normal();
    if (invDense != null) {
      // solve Lᵀ p = z: Cov(p) = (L Lᵀ)⁻¹
      for (int i = dim - 1; i >= 0; i--) {
        double s = p[i];
        for (int k = i + 1; k < dim; k++) s -= chol[k][i] * p[k];
        p[i] = s / chol[i][i];
      }
    } else {
      for (int j = 0; j < dim; j++) p[j] /= Math.sqrt(invDiag[j]);
    }
  }

  /** v = M⁻¹ p. */
  private void velocity(double[] p, double[] v) {
    if (invDense != null) {
      for (int i = 0; i < dim; i++) {
        double s = 0;
        double[] row = invDense[i];
        for (int j = 0; j < dim; j++) s += row[j] * p[j];
        v[i] = s;
      }
    } else {
      for (int j = 0; j < dim; j++) v[j] = invDiag[j] * p[j];
    }
  }

  private double kinetic(double[] p) {
    velocity(p, tmpV);
    double s = 0;
    for (int j = 0; j < dim; j++) s += p[j] * tmpV[j];
    return 0.5 * s;
  }

  // ------------------------------------------------------------------ states and leapfrog

  /** A point of a trajectory: position, momentum, log-density and its gradient. */
  private final class State {
    final double[] q = new double[dim], p = new double[dim], g = new double[dim];
    double lp;

    State copyFrom(State o) {
      System.arraycopy(o.q, 0, q, 0, dim);
      System.arraycopy(o.p, 0, p, 0, dim);
      System.arraycopy(o.g, 0, g, 0, dim);
      lp = o.lp;
      return this;
    }

    State copy() { return new State().copyFrom(this); }

    double hamiltonian() { return Double.isNaN(lp) ? Double.POSITIVE_INFINITY : -lp + kinetic(p); }
  }

  private final double[] vbuf() { return new double[dim]; }

  private double[] leapV;

  private void leapfrog(State z, double e) {
    for (int j = 0; j < dim; j++) z.p[j] += 0.5 * e * z.g[j];
    if (leapV == null) leapV = vbuf();
    double[] v = leapV;
    velocity(z.p, v);
    for (int j = 0; j < dim; j++) z.q[j] += e * v[j];
    z.lp = target.logDensity(z.q, z.g);
    if (!Double.isFinite(z.lp) || !finite(z.g)) { z.lp = Double.NaN; return; }
    for (int j = 0; j < dim; j++) z.p[j] += 0.5 * e * z.g[j];
  }

  private State current() {
    State z = new State();
    System.arraycopy(u, 0, z.q, 0, dim);
    System.arraycopy(grad, 0, z.g, 0, dim);
    z.lp = logp;
    return z;
  }

  private void accept(State z) {
    System.arraycopy(z.q, 0, u, 0, dim);
    System.arraycopy(z.g, 0, grad, 0, dim);
    logp = z.lp;
  }

  /** Stan's heuristic: double or halve ε until one leapfrog step's acceptance crosses 0.8. */
  private void initStepSize() {
    State z0 = current();
    State z = z0.copy();
    momentum(z.p);
    double h0 = z.hamiltonian();
    leapfrog(z, eps);
    double dh = h0 - z.hamiltonian();
    int direction = dh > Math.log(0.8) ? 1 : -1;
    for (int k = 0; k < 100; k++) {
      z.copyFrom(z0);
      momentum(z.p);
      h0 = z.hamiltonian();
      leapfrog(z, eps);
      dh = h0 - z.hamiltonian();
      if (direction == 1 && !(dh > Math.log(0.8))) break;
      if (direction == -1 && !(dh < Math.log(0.8))) break;
      eps = direction == 1 ? 2 * eps : 0.5 * eps;
      if (eps > 1e7 || eps < 1e-12) break;
    }
  }

  private void transition() {
    divergent = false;
    switch (set.method()) {
      case "nuts" -> nuts();
      case "hmc" -> hmc();
      default -> metropolis();
    }
  }

  // ------------------------------------------------------------------ HMC

  private void hmc() {
    State z0 = current();
    State z = z0.copy();
    momentum(z.p);
    double h0 = z.hamiltonian();
    double jit = set.jitter();
    double e = jit > 0 ? eps * (1 + jit * (2 * rng.nextDouble() - 1)) : eps;
    int steps = set.steps() > 0 ? set.steps() : 16;
    for (int s = 0; s < steps && !Double.isNaN(z.lp); s++) leapfrog(z, e);
    double h = z.hamiltonian();
    if (h - h0 > 1000) divergent = true;
    double a = Double.isNaN(h) ? 0 : Math.min(1, Math.exp(h0 - h));
    acceptStat = a;
    depth = 0;
    nLeapfrog = steps;
    if (rng.nextDouble() < a) { accept(z); energy = h; } else energy = h0;
  }

  // ------------------------------------------------------------------ Metropolis

  private void metropolis() {
    double[] p = new double[dim];
    momentum(p); // N(0, M): the proposal is N(0, scale² M⁻¹): use M⁻¹ p
    double[] v = new double[dim];
    velocity(p, v);
    double[] q = new double[dim], g = new double[dim];
    for (int j = 0; j < dim; j++) q[j] = u[j] + eps * v[j];
    double lp = target.logDensity(q, g);
    double a = Double.isFinite(lp) ? Math.min(1, Math.exp(lp - logp)) : 0;
    acceptStat = a;
    depth = 0;
    nLeapfrog = 1;
    if (rng.nextDouble() < a) {
      System.arraycopy(q, 0, u, 0, dim);
      System.arraycopy(g, 0, grad, 0, dim);
      logp = lp;
    }
    energy = -logp;
  }

  // ------------------------------------------------------------------ NUTS

  private double sumMetroProb;
  private State zPropose;

  private void nuts() {
    State z = current();
    momentum(z.p);
    State zFwd = z.copy(), zBck = z.copy(), zSample = z.copy();
    double[] pSharpFwdFwd = vbuf(), pSharpFwdBck = vbuf(), pSharpBckFwd = vbuf(), pSharpBckBck = vbuf();
    velocity(z.p, pSharpFwdFwd);
    System.arraycopy(pSharpFwdFwd, 0, pSharpFwdBck, 0, dim);
    System.arraycopy(pSharpFwdFwd, 0, pSharpBckFwd, 0, dim);
    System.arraycopy(pSharpFwdFwd, 0, pSharpBckBck, 0, dim);
    double[] pFwdFwd = z.p.clone(), pFwdBck = z.p.clone(), pBckFwd = z.p.clone(), pBckBck = z.p.clone();
    double[] rho = z.p.clone();
    double logSumWeight = 0;
    double h0 = z.hamiltonian();
    nLeapfrog = 0;
    sumMetroProb = 0;
    depth = 0;
    int maxDepth = set.maxDepth();
    while (depth < maxDepth) {
      double[] rhoFwd = vbuf(), rhoBck = vbuf();
      boolean valid;
      double[] lswSub = {Double.NEGATIVE_INFINITY};
      if (rng.nextDouble() > 0.5) {
        System.arraycopy(rho, 0, rhoBck, 0, dim);
        System.arraycopy(pFwdBck, 0, pBckFwd, 0, dim);
        System.arraycopy(pSharpFwdBck, 0, pSharpBckFwd, 0, dim);
        z.copyFrom(zFwd);
        zPropose = z.copy();
        valid = buildTree(depth, z, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd, h0, 1, lswSub);
        zFwd.copyFrom(z);
      } else {
        System.arraycopy(rho, 0, rhoFwd, 0, dim);
        System.arraycopy(pBckFwd, 0, pFwdBck, 0, dim);
        System.arraycopy(pSharpBckFwd, 0, pSharpFwdBck, 0, dim);
        z.copyFrom(zBck);
        zPropose = z.copy();
        valid = buildTree(depth, z, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck, h0, -1, lswSub);
        zBck.copyFrom(z);
      }
      State proposed = zPropose;
      if (!valid) break;
      depth++;
      if (lswSub[0] > logSumWeight) zSample.copyFrom(proposed);
      else if (rng.nextDouble() < Math.exp(lswSub[0] - logSumWeight)) zSample.copyFrom(proposed);
      logSumWeight = logSumExp(logSumWeight, lswSub[0]);
      for (int j = 0; j < dim; j++) rho[j] = rhoBck[j] + rhoFwd[j];
      boolean persist = criterion(pSharpBckBck, pSharpFwdFwd, rho);
      double[] ext = vbuf();
      for (int j = 0; j < dim; j++) ext[j] = rhoBck[j] + pFwdBck[j];
      persist &= criterion(pSharpBckBck, pSharpFwdBck, ext);
      for (int j = 0; j < dim; j++) ext[j] = rhoFwd[j] + pBckFwd[j];
      persist &= criterion(pSharpBckFwd, pSharpFwdFwd, ext);
      if (!persist) break;
    }
    acceptStat = nLeapfrog == 0 ? 0 : sumMetroProb / nLeapfrog;
    accept(zSample);
    energy = zSample.hamiltonian();
  }

  private static boolean criterion(double[] pSharpMinus, double[] pSharpPlus, double[] rho) {
    double a = 0, b = 0;
    for (int j = 0; j < rho.length; j++) {
      a += pSharpPlus[j] * rho[j];
      b += pSharpMinus[j] * rho[j];
    }
    return a > 0 && b > 0;
  }

  private static double logSumExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) return b;
    if (b == Double.NEGATIVE_INFINITY) return a;
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  /** Stan's build_tree: extends z by 2^depth leapfrog steps in direction sign; zPropose receives the subtree's multinomial sample. */
  private boolean buildTree(int d, State z, double[] pSharpBeg, double[] pSharpEnd, double[] rho, double[] pBeg, double[] pEnd,
      double h0, int sign, double[] logSumWeight) {
    if (d == 0) {
      leapfrog(z, sign * eps);
      nLeapfrog++;
      double h = z.hamiltonian();
      if (Double.isNaN(h)) h = Double.POSITIVE_INFINITY;
      if (h - h0 > 1000) divergent = true;
      logSumWeight[0] = logSumExp(logSumWeight[0], h0 - h);
      sumMetroProb += h0 - h > 0 ? 1 : Math.exp(h0 - h);
      zPropose.copyFrom(z);
      velocity(z.p, pSharpBeg);
      System.arraycopy(pSharpBeg, 0, pSharpEnd, 0, dim);
      for (int j = 0; j < dim; j++) rho[j] += z.p[j];
      System.arraycopy(z.p, 0, pBeg, 0, dim);
      System.arraycopy(pBeg, 0, pEnd, 0, dim);
      return !divergent;
    }
    // the initial subtree (scratch per depth: a tree's two subtrees are built one after the other)
    Scratch sc = scratch(d);
    double[] lswInit = sc.lswInit, lswFinal = sc.lswFinal;
    lswInit[0] = Double.NEGATIVE_INFINITY;
    lswFinal[0] = Double.NEGATIVE_INFINITY;
    double[] pInitEnd = sc.pInitEnd, pSharpInitEnd = sc.pSharpInitEnd, rhoInit = sc.rhoInit;
    java.util.Arrays.fill(rhoInit, 0);
    boolean validInit = buildTree(d - 1, z, pSharpBeg, pSharpInitEnd, rhoInit, pBeg, pInitEnd, h0, sign, lswInit);
    if (!validInit) return false;
    State proposeInit = sc.proposeInit.copyFrom(zPropose);
    // the final subtree
    double[] pFinalBeg = sc.pFinalBeg, pSharpFinalBeg = sc.pSharpFinalBeg, rhoFinal = sc.rhoFinal;
    java.util.Arrays.fill(rhoFinal, 0);
    boolean validFinal = buildTree(d - 1, z, pSharpFinalBeg, pSharpEnd, rhoFinal, pFinalBeg, pEnd, h0, sign, lswFinal);
    if (!validFinal) return false;
    State proposeFinal = zPropose;
    // multinomial sample from the right subtree
    double lswSubtree = logSumExp(lswInit[0], lswFinal[0]);
    logSumWeight[0] = logSumExp(logSumWeight[0], lswSubtree);
    State chosen;
    if (lswFinal[0] > lswSubtree) chosen = proposeFinal;
    else chosen = rng.nextDouble() < Math.exp(lswFinal[0] - lswSubtree) ? proposeFinal : proposeInit;
    if (chosen != zPropose) zPropose.copyFrom(chosen);
    double[] rhoSubtree = sc.rhoSubtree;
    for (int j = 0; j < dim; j++) {
      rhoSubtree[j] = rhoInit[j] + rhoFinal[j];
      rho[j] += rhoSubtree[j];
    }
    boolean persist = criterion(pSharpBeg, pSharpEnd, rhoSubtree);
    double[] ext = sc.ext;
    for (int j = 0; j < dim; j++) ext[j] = rhoInit[j] + pFinalBeg[j];
    persist &= criterion(pSharpBeg, pSharpFinalBeg, ext);
    for (int j = 0; j < dim; j++) ext[j] = rhoFinal[j] + pInitEnd[j];
    persist &= criterion(pSharpInitEnd, pSharpEnd, ext);
    return persist;
  }

  /** The arrays of one depth of the tree recursion. */
  private final class Scratch {
    final double[] lswInit = new double[1], lswFinal = new double[1];
    final double[] pInitEnd = vbuf(), pSharpInitEnd = vbuf(), rhoInit = vbuf(), pFinalBeg = vbuf(), pSharpFinalBeg = vbuf(),
        rhoFinal = vbuf(), rhoSubtree = vbuf(), ext = vbuf();
    final State proposeInit = new State();
  }

  private final java.util.List<Scratch> scratch = new java.util.ArrayList<>();

  private Scratch scratch(int d) {
    while (scratch.size() <= d) scratch.add(new Scratch());
    return scratch.get(d);
  }

  // ------------------------------------------------------------------ adaptation

  /** Nesterov dual averaging of log ε (Stan: γ = 0.05, t0 = 10, κ = 0.75, μ = log(10 ε0)). */
  static final class DualAveraging {
    final double delta;
    double mu, sBar, xBar;
    int counter;

    DualAveraging(double delta, double eps0) {
      this.delta = delta;
      restart(eps0);
    }

    void restart(double eps0) {
      mu = Math.log(10 * eps0);
      sBar = 0;
      xBar = 0;
      counter = 0;
    }

    double learn(double adaptStat) {
      counter++;
      adaptStat = Math.min(1, Double.isNaN(adaptStat) ? 0 : adaptStat);
      double eta = 1.0 / (counter + 10);
      sBar = (1 - eta) * sBar + eta * (delta - adaptStat);
      double x = mu - sBar * Math.sqrt(counter) / 0.05;
      double xEta = Math.pow(counter, -0.75);
      xBar = (1 - xEta) * xBar + xEta * x;
      return Math.exp(x);
    }

    double finalStep() { return Math.exp(xBar); }
  }

  /** Stan's warm-up windows: an initial fast buffer (75), doubling slow windows from 25, a terminal fast buffer (50). */
  static final class Windows {
    final int warmup, initBuffer, termBuffer, baseWindow;
    int nextWindow, windowSize;

    Windows(int warmup) {
      this.warmup = warmup;
      int ib = 75, tb = 50, bw = 25;
      if (warmup < 20) { ib = warmup; tb = 0; bw = 0; }
      else if (ib + bw + tb > warmup) {
        ib = (int) (0.15 * warmup);
        tb = (int) (0.1 * warmup);
        bw = warmup - (ib + tb);
      }
      initBuffer = ib;
      termBuffer = tb;
      baseWindow = bw;
      windowSize = bw;
      nextWindow = ib + bw - 1;
    }

    boolean inWindow(int it) { return baseWindow > 0 && it >= initBuffer && it < warmup - termBuffer && it != warmup; }

    boolean endOfWindow(int it) {
      if (baseWindow == 0 || it != nextWindow || it == warmup) return false;
      // the next window
      if (nextWindow != warmup - termBuffer - 1) {
        windowSize *= 2;
        nextWindow = it + windowSize;
        if (nextWindow != warmup - termBuffer - 1 && nextWindow + 2 * windowSize >= warmup - termBuffer) nextWindow = warmup - termBuffer - 1;
      }
      return true;
    }
  }

  /** Running mean and (co)variance, regularised as Stan's: (n/(n+5)) Σ + 1e-3 (5/(n+5)) I. */
  static final class Welford {
    final int dim;
    final boolean dense;
    int n;
    double[] mean;
    double[][] m2;
    double[] m2d;

    Welford(int dim, boolean dense) {
      this.dim = dim;
      this.dense = dense;
      restart();
    }

    void restart() {
      n = 0;
      mean = new double[dim];
      if (dense) m2 = new double[dim][dim];
      else m2d = new double[dim];
    }

    void add(double[] x) {
      n++;
      double[] delta = new double[dim];
      for (int j = 0; j < dim; j++) {
        delta[j] = x[j] - mean[j];
        mean[j] += delta[j] / n;
      }
      for (int i = 0; i < dim; i++) {
        double di = x[i] - mean[i];
        if (dense) for (int j = 0; j < dim; j++) m2[i][j] += delta[j] * di;
        else m2d[i] += delta[i] * di;
      }
    }

    double[] variance() {
      double[] v = new double[dim];
      for (int j = 0; j < dim; j++) {
        double var = n > 1 ? m2d[j] / (n - 1) : 1;
        v[j] = (n / (n + 5.0)) * var + 1e-3 * (5.0 / (n + 5.0));
      }
      return v;
    }

    double[][] covariance() {
      double[][] c = new double[dim][dim];
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j < dim; j++) {
          double cov = n > 1 ? m2[i][j] / (n - 1) : (i == j ? 1 : 0);
          c[i][j] = (n / (n + 5.0)) * cov + (i == j ? 1e-3 * (5.0 / (n + 5.0)) : 0);
        }
      }
      return c;
    }
  }
}
