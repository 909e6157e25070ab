package org.nnft.runtime;

import org.nnft.check.Signature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/builtins.md is the registry's own table; this fails when a built-in changed and the file did not. */
class ReferenceTest {
  static final Path FILE = Path.of("docs", "builtins.md");

  @Test void theBuiltinTableIsCurrent() throws Exception {
    String want = Reference.markdown(Registry.standard());
    if (Boolean.getBoolean("docs.update")) {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, want, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(FILE), "docs/builtins.md is missing: run mvn -q test -Dtest=ReferenceTest -Ddocs.update=true");
    assertEquals(want, Files.readString(FILE, StandardCharsets.UTF_8),
        "docs/builtins.md is stale: run mvn -q test -Dtest=ReferenceTest -Ddocs.update=true and commit it");
  }

  @Test void everyBuiltinSaysWhatItDoes() {
    for (Signature s : Registry.standard().signatures()) assertTrue(!s.summary().isBlank(), s.name() + " has no description");
  }
}
