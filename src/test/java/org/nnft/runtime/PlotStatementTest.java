package org.nnft.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.api.Nnft;
import org.nnft.syntax.NnftException;

/**
 * plot with options, through the language: the files it writes in each format are what they
 * claim to be and carry the title and series names, the run says what it wrote, and a log axis
 * or a bad option is a positioned error.
 */
class PlotStatementTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Nnft session() {
    return Nnft.session().allowWrite(dir).setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private static final String DATA = "let ts = linspace(0.1, 4, 40)\nlet G = [exp(-ts) ± 0.01, exp(-2 * ts) ± 0.01]\n";

  @Test
  void svgPdfAndPngWithOptions() throws Exception {
    Nnft s = session();
    String opts = " with title = \"Two-point function\", xlabel = \"t\", ylabel = \"G(t)\", labels = [\"N = 10\", \"N = 100\"], log = \"y\"";
    s.eval(DATA + "plot G over ts to \"g.svg\"" + opts + "\nplot G over ts to \"g.pdf\"" + opts
        + "\nplot G over ts to \"g.png\"" + opts + ", size = [5, 3], dpi = 100");

    String svg = Files.readString(dir.resolve("g.svg"));
    var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    var doc = factory.newDocumentBuilder().parse(dir.resolve("g.svg").toFile());
    assertEquals("svg", doc.getDocumentElement().getNodeName());
    assertTrue(svg.contains("<title>Two-point function</title>"), svg.substring(0, 600));
    assertTrue(svg.contains("N = 10") && svg.contains("N = 100"), "the series names are in the SVG");

    byte[] pdf = Files.readAllBytes(dir.resolve("g.pdf"));
    assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
    try (var d = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      assertEquals(1, d.getNumberOfPages());
      assertEquals("Two-point function", d.getDocumentInformation().getTitle());
    }

    BufferedImage img = ImageIO.read(dir.resolve("g.png").toFile());
    assertEquals(500, img.getWidth());
    assertEquals(300, img.getHeight());

    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("wrote plot " + dir.resolve("g.svg") + " (2 series of 40 points)"), out);
    assertEquals(3, s.raw().written().size());
    assertTrue(s.raw().json().contains("\"files\""), "--json lists the files written");
  }

  @Test
  void defaultsArePrintSizedAndSayWhatTheyWrote() throws Exception {
    Nnft s = session();
    s.eval(DATA + "plot G[0] over ts to \"one.png\"");
    BufferedImage img = ImageIO.read(dir.resolve("one.png").toFile());
    assertEquals(1020, img.getWidth()); // 3.4 in at 300 dpi
    assertEquals(780, img.getHeight());
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("one.png (40 points)"));
  }

  @Test
  void aLogAxisRefusesValuesThatAreNotPositiveWithAPositionedError() {
    Nnft s = session();
    NnftException e = assertThrows(NnftException.class,
        () -> s.eval("let y = [1, 0.5, -0.2, 0.1]\nplot y over [1, 2, 3, 4] to \"l.png\" with log = \"y\""));
    assertEquals(2, e.line());
    assertEquals(6, e.column());
    assertTrue(e.getMessage().contains("needs positive values") && e.getMessage().contains("entry 2"), e.getMessage());
    assertTrue(e.render().contains("^"), e.render());
    assertFalse(Files.exists(dir.resolve("l.png")));

    NnftException x = assertThrows(NnftException.class, () -> s.eval("plot [1, 2] to \"x.png\" with log = \"x\""));
    assertTrue(x.getMessage().contains("without over"), x.getMessage());
  }

  @Test
  void badOptionsAreCaughtBeforeTheRun() {
    Nnft s = session();
    NnftException e = assertThrows(NnftException.class, () -> s.eval("show 1\nplot [1, 2] to \"x.png\" with log = \"z\""));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("log takes \"x\", \"y\" or \"xy\""), e.getMessage());
    assertEquals("", printed.toString(StandardCharsets.UTF_8), "nothing ran");

    NnftException u = assertThrows(NnftException.class, () -> s.eval("plot [1, 2] to \"x.png\" with titel = \"a\""));
    assertTrue(u.getMessage().contains("did you mean 'title'?"), u.getMessage());

    NnftException n = assertThrows(NnftException.class,
        () -> s.eval("plot [[1, 2], [3, 4]] to \"x.png\" with labels = [\"a\", \"b\", \"c\"]"));
    assertTrue(n.getMessage().contains("labels has 3 names but the plot has 2 series"), n.getMessage());
  }
}
