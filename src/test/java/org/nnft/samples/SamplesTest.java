package org.nnft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nnft.cli.Main;

/** Every script in samples/ runs and passes its own expect lines. */
class SamplesTest {
  @TestFactory
  Stream<DynamicTest> samples() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("samples"))) {
      files = s.filter(p -> p.toString().endsWith(".nnft")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "expected the samples cosnet, gaussnet and relunet");
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
      int code = Main.run(new String[] {"run", f.toString(), "--threads", "2"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String o = out.toString(StandardCharsets.UTF_8), e = err.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, "sample " + f + " failed:\n" + o + e);
      assertTrue(o.contains("ok: "), "sample " + f + " checks nothing:\n" + o);
      assertTrue(!o.contains("expect failed"), o);
    }));
  }
}
