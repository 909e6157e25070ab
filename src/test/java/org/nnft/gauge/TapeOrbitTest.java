package org.nnft.gauge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nnft.numeric.Tape;
import org.nnft.numeric.Tape.Kind;
import org.nnft.numeric.HandTapes;

/** The orbit dimension of nets given as tapes, from their exact Jacobians. */
class TapeOrbitTest {

  private static final TapeOrbit.ParameterDraw NORMAL = (rng, theta) -> {
    for (int i = 0; i < theta.length; i++) theta[i] = rng.normal();
  };

  @Test
  void headOrbitIsTwoCopiesOfGl2() {
    // 28 parameters; GL(2) on (W_Q, W_K) and GL(2) on (W_V, W_O): orbit 8, functional dimension 20
    for (long seed : new long[] {1, 2, 3}) {
      OrbitDim.Result r = TapeOrbit.orbitDim(HandTapes.head(), NORMAL, seed);
      assertEquals(28, r.parameters(), r.note());
      assertEquals(20, r.rank(), r.note());
      assertEquals(8, r.orbitDim(), r.note());
      assertEquals(20, r.rankAtSecondPoint(), r.note());
      assertTrue(r.gap() > 1e6, "gap " + r.gap() + ": " + r.note());
    }
  }

  @Test
  void feedForwardTapeAgreesWithTheFeedForwardPath() {
    // tanh 3 -> 5 -> 2 with biases: no continuous symmetry, as OrbitDim finds for the same architecture
    Tape.Builder t = new Tape.Builder();
    int x = t.input(3);
    int w1 = t.param(0, new int[] {5, 3}), b1 = t.param(1, new int[] {5});
    int w2 = t.param(2, new int[] {2, 5}), b2 = t.param(3, new int[] {2});
    int z = t.binary("+", t.add(Kind.MATVEC, new int[] {w1, x}, new int[] {5}), b1);
    t.output(t.binary("+", t.add(Kind.MATVEC, new int[] {w2, t.unary("tanh", z)}, new int[] {2}), b2));
    OrbitDim.Result r = TapeOrbit.orbitDim(t.build(), NORMAL, 5);
    assertEquals(OrbitDim.of(FeedForward.random(new int[] {3, 5, 2}, "tanh", true, 1), 5).orbitDim(), r.orbitDim(), r.note());
    assertEquals(0, r.orbitDim(), r.note());
  }

  @Test
  void refusesTooManyParameters() {
    Tape.Builder t = new Tape.Builder();
    int x = t.input(3);
    int w = t.param(0, new int[] {OrbitDim.MAX_PARAMETERS + 1, 3});
    Tape tape = t.output(t.add(Kind.SUM, new int[] {t.add(Kind.MATVEC, new int[] {w, x}, new int[] {OrbitDim.MAX_PARAMETERS + 1})}, new int[0])).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TapeOrbit.orbitDim(tape, NORMAL, 1));
    assertTrue(e.getMessage().contains("at most " + OrbitDim.MAX_PARAMETERS), e.getMessage());
  }
}
