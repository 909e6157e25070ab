package org.nnft.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The register-held bulk fills give exactly the numbers of the one-at-a-time calls. */
class RngBulkTest {
  @Test
  void fillNormalEqualsRepeatedNormal() {
    Rng a = Rng.forStream(11, 3), b = Rng.forStream(11, 3);
    double[] x = new double[100_003];
    a.fillNormal(0.5, 2.0, x, 1, 100_000);
    double[] y = new double[100_003];
    for (int i = 1; i <= 100_000; i++) y[i] = 0.5 + 2.0 * b.normal();
    assertArrayEquals(y, x, 0.0);
    assertEquals(b.nextLong(), a.nextLong(), "the state after the fill matches");
  }

  @Test
  void fillUniformEqualsRepeatedNextDouble() {
    Rng a = Rng.forStream(5, 0), b = Rng.forStream(5, 0);
    double[] x = new double[1000];
    a.fillUniform(-Math.PI, Math.PI, x, 0, 1000);
    for (int i = 0; i < 1000; i++) assertEquals(-Math.PI + 2 * Math.PI * b.nextDouble(), x[i], 0.0);
    assertEquals(b.nextLong(), a.nextLong());
  }
}
