package org.nnft.gauge;

import java.util.ArrayList;
import java.util.List;
import org.nnft.numeric.Reverse;
import org.nnft.numeric.Rng;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.Tape.Node;

/**
 * The generic orbit dimension of any declared net from the exact Jacobian {@code ∂f(x)/∂θ} of its
 * lowered {@link Tape} with respect to all parameters ({@link Reverse#jacobian}: reverse mode, one
 * sweep per output component). Parameters are numbered as on the tape (parameter number, then
 * row-major within a parameter), which is the declaration order of the net.
 */
public final class TapeOrbit {
  private TapeOrbit() {}


  /** Whether the tape uses an operation whose derivative jumps: relu-type functions, max, min. */
  public static boolean nonSmooth(Tape tape) {
    for (Node nd : tape.nodes) {
      if (!nd.paramDep) continue;
      if (nd.kind == Kind.UNARY && !nd.fn.smooth()) return true;
      if (nd.kind == Kind.MAX || nd.kind == Kind.MIN) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- orbit dimension

  /** Fills {@code theta} (tape order) with one draw of the net's parameters. */
  @FunctionalInterface
  public interface ParameterDraw {
    void draw(Rng rng, double[] theta);
  }

  /** Input scales: inputs are {@code s g}, {@code g ~ N(0, I)}, with {@code s} cycling through these. */
  static final double[] SCALES = {0.5, 1, 2};
  /** Inputs per batch: {@code max(MIN_INPUTS, ⌈BATCH_FACTOR · P / outputs⌉)}. */
  static final int MIN_INPUTS = 64, BATCH_FACTOR = 4;
  /** Rounds of batch growth (up to {@code GaugeRank.DIRECT_COLS} parameters) while the rank grows. */
  static final int GROWTH_ROUNDS = 3;

  /**
   * The generic orbit dimension of the net on {@code tape}: {@code P} minus the rank of the
   * Jacobian of all outputs over a batch of inputs with respect to all parameters, at a parameter
   * point from {@code draw}, confirmed at a second independent point (and batch); both from
   * {@code seed}.
   *
   * <p><b>Batch.</b> {@code max(64, ⌈4P/outputs⌉)} Gaussian inputs (every entry of a matrix input
   * too) at scales 1/2, 1, 2 in turn; up to {@code GaugeRank.DIRECT_COLS} = 500 parameters as many
   * again, up to 3 times, while the rank grows. Inputs at which an output or a derivative is not
   * finite (e.g. {@code log} of a negative number) are replaced, and counted in the note.
   *
   * <p><b>Rank.</b> By {@code GaugeRank}, with the tolerance and the gap of {@link OrbitDim}:
   * {@code tol = max(rows, cols) · ε · σ_max · 10³}, gap {@code σ_r / σ_{r+1}}. The Jacobian is
   * exact (reverse mode), so the null directions sit at rounding level, far below {@code tol}.
   *
   * <p><b>Non-smooth nets.</b> With relu-type functions, {@code max} or {@code min} (outside the
   * feed-forward form, whose batches are built to switch every unit) the Gaussian batch may not
   * reach every linear region; a unit that never switches on the batch is linear there and fakes
   * symmetries, so the rank is then a lower bound (the orbit dimension an upper bound). One draw is
   * made per point; the note says so, and a disagreement of the two points is flagged.
   *
   * @throws IllegalArgumentException above {@link OrbitDim#MAX_PARAMETERS} parameters, or when no
   *     input gives finite outputs and derivatives
   */
  public static OrbitDim.Result orbitDim(Tape tape, ParameterDraw draw, long seed) {
    Reverse J = new Reverse(tape, 1);
    int P = J.parameterCount();
    OrbitDim.checkSize(P);
    long t0 = System.nanoTime();
    if (P == 0) return new OrbitDim.Result(0, 0, 0, 0, Double.POSITIVE_INFINITY, 0, "no random parameters");
    boolean rough = nonSmooth(tape);
    OrbitDim.Point a = point(J, draw, Rng.forStream(seed, 0x7a9e1L), rough);
    OrbitDim.Point b = point(J, draw, Rng.forStream(seed, 0x7a9e2L), rough);
    return OrbitDim.result(P, a, b, t0);
  }

  private static OrbitDim.Point point(Reverse J, ParameterDraw draw, Rng rng, boolean rough) {
    int P = J.parameterCount(), out = J.outputSize();
    double[] theta = new double[P];
    draw.draw(rng, theta);
    for (double t : theta) {
      if (!Double.isFinite(t)) throw new IllegalArgumentException("a parameter draw is not finite");
    }
    J.setParameters(theta);
    List<double[]> xs = new ArrayList<>();
    int[] dropped = {0};
    int perBatch = Math.max(MIN_INPUTS, (BATCH_FACTOR * P + out - 1) / out);
    addBatch(J, xs, perBatch, rng, dropped);
    long rankSeed = rng.nextLong();
    GaugeRank.Info info = rankOn(J, xs, rankSeed);
    for (int round = 0; P <= GaugeRank.DIRECT_COLS && round < GROWTH_ROUNDS; round++) {
      addBatch(J, xs, perBatch, rng, dropped);
      GaugeRank.Info more = rankOn(J, xs, rankSeed);
      boolean grew = more.rank() > info.rank();
      info = more;
      if (!grew) break;
    }
    List<String> remarks = new ArrayList<>();
    remarks.add("any declared net: exact reverse-mode Jacobian of the tape, parameters drawn from the net's densities");
    if (dropped[0] > 0) remarks.add(dropped[0] + " input(s) with non-finite outputs or derivatives replaced");
    if (rough) {
      remarks.add("the net has kinks (relu-type functions, max or min): the Gaussian batch may not reach every linear"
          + " region, so the rank is a lower bound and the orbit dimension an upper bound");
    }
    return new OrbitDim.Point(info, xs.size(), "inputs", String.join("; ", remarks));
  }

  private static void addBatch(Reverse J, List<double[]> xs, int count, Rng rng, int[] dropped) {
    int d = J.inputSize(), P = J.parameterCount(), out = J.outputSize();
    double[][] rows = new double[out][P];
    int added = 0, tries = 0, bad = 0, limit = 20 * count;
    while (added < count) {
      if (tries >= limit) {
        throw new IllegalArgumentException("its outputs or their derivatives are not finite at " + bad + " of " + tries
            + " random inputs (Gaussian, scales 1/2 to 2)");
      }
      tries++;
      double s = SCALES[(xs.size() + dropped[0]) % SCALES.length];
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = s * rng.normal();
      double[] y = J.jacobian(x, rows);
      if (!finite(y) || !finite(rows)) {
        dropped[0]++;
        bad++;
        continue;
      }
      xs.add(x);
      added++;
    }
  }

  private static boolean finite(double[] v) {
    for (double x : v) if (!Double.isFinite(x)) return false;
    return true;
  }

  private static boolean finite(double[][] m) {
    for (double[] r : m) if (!finite(r)) return false;
    return true;
  }

  private static GaugeRank.Info rankOn(Reverse J, List<double[]> xs, long seed) {
    int P = J.parameterCount(), out = J.outputSize();
    return GaugeRank.rank(xs.size() * out, P, sink -> {
      double[][] rows = new double[out][P];
      for (double[] x : xs) {
        J.jacobian(x, rows);
        for (double[] r : rows) sink.accept(r);
      }
    }, seed);
  }
}
