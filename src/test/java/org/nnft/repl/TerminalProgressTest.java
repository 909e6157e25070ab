package org.nnft.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The progress line's parts, and that it stays off where stderr is not a terminal (as under the test runner, whose stderr is a pipe). */
class TerminalProgressTest {
  @Test void ratesAndTimesReadShort() {
    assertEquals("850", TerminalProgress.rate(850));
    assertEquals("12.3k", TerminalProgress.rate(12_345));
    assertEquals("1.25M", TerminalProgress.rate(1_250_000));
    assertEquals("3.10G", TerminalProgress.rate(3.1e9));
    assertEquals("42 s", TerminalProgress.time(42));
    assertEquals("3 min 5 s", TerminalProgress.time(185));
    assertEquals("1 h 2 min", TerminalProgress.time(3720));
  }

  @Test void offWhenStderrIsAPipe() {
    assertFalse(TerminalProgress.stderrIsTerminal());
  }
}
