package org.nnft.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static double[] range(int n, double step) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * step;
        }
        return x;
    }

    private static Plots.Series gaussian(String name, double[] err) {
        double[] x = range(20, 0.1);
        double[] y = Arrays.stream(x).map(v -> 0.3 * Math.exp(-v * v / 2)).toArray();
        return new Plots.Series(name, x, y, err);
    }

    /** Checks the PNG signature and size, and returns the decoded image. */
    private static BufferedImage readPng(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " missing");
        byte[] head;
        try (InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(8);
        }
        assertArrayEquals(PNG_MAGIC, head, "not a PNG: " + p);
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, "ImageIO could not decode " + p);
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        // one column of a paper, 3.4 x 2.6 inches, at 300 dpi
        assertEquals(1020, img.getWidth());
        assertEquals(780, img.getHeight());
        return img;
    }

    private static boolean same(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Pixels that are clearly coloured (not white, grey or black). */
    private static int colouredPixels(BufferedImage img) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Pixels with a warm hue (red clearly above blue), as the second series colour (matplotlib's orange). */
    private static int warmPixels(BufferedImage img) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int b = rgb & 0xff;
                if (r - b > 80) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void headlessIsSet() throws IOException {
        Plots.line(dir.resolve("h.png"), "t", "x", "y", List.of(gaussian("g", null)));
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void lineWithoutErrorBars() throws IOException {
        Path p = dir.resolve("line.png");
        Plots.line(p, "G(x)", "x", "G", List.of(gaussian("one", null)));
        BufferedImage img = readPng(p);
        assertTrue(colouredPixels(img) > 500, "the series should be drawn");
    }

    @Test
    void errorBarsAndBandsAreDrawn() throws IOException {
        double[] err = new double[20];
        Arrays.fill(err, 0.02);
        Path without = dir.resolve("without.png");
        Path bars = dir.resolve("bars.png");
        Path band = dir.resolve("band.png");
        Plots.Figure f = Plots.Figure.DEFAULT;
        Plots.line(without, Plots.FileFormat.PNG, f, List.of(gaussian("g", null)));
        Plots.line(bars, Plots.FileFormat.PNG,
                new Plots.Figure(null, null, null, false, false, 3.4, 2.6, 300, Plots.Errors.BARS, false),
                List.of(gaussian("g", err)));
        Plots.line(band, Plots.FileFormat.PNG, f, List.of(gaussian("g", err))); // 20 points: a band
        BufferedImage a = readPng(without);
        BufferedImage b = readPng(bars);
        BufferedImage c = readPng(band);
        assertFalse(same(a, b));
        assertTrue(colouredPixels(b) > colouredPixels(a) + 200,
                "error bars should add coloured pixels: " + colouredPixels(a) + " vs " + colouredPixels(b));
        assertTrue(nonWhitePixels(c) > nonWhitePixels(a) + 5000,
                "a band should tint the area around the line: " + nonWhitePixels(a) + " vs " + nonWhitePixels(c));
    }

    private static int nonWhitePixels(BufferedImage img) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void multipleSeriesWithLegend() throws IOException {
        double[] err = new double[20];
        Arrays.fill(err, 0.01);
        Plots.Series first = gaussian("N=10", err);
        double[] y2 = Arrays.stream(first.x()).map(v -> 0.3 / (1 + v * v)).toArray();
        Plots.Series second = new Plots.Series("N=100", first.x(), y2, null);

        Path one = dir.resolve("one.png");
        Path two = dir.resolve("two.png");
        Plots.line(one, "widths", "x", "G(x)", List.of(first));
        Plots.line(two, "widths", "x", "G(x)", List.of(first, second));
        BufferedImage a = readPng(one);
        BufferedImage b = readPng(two);
        assertFalse(same(a, b));
        assertTrue(warmPixels(b) > warmPixels(a) + 200,
                "second series should appear in its own colour: " + warmPixels(a) + " vs " + warmPixels(b));
    }

    @Test
    void scatterDiffersFromLine() throws IOException {
        Path l = dir.resolve("l.png");
        Path s = dir.resolve("s.png");
        Plots.line(l, "t", "x", "y", List.of(gaussian("g", null)));
        Plots.scatter(s, "t", "x", "y", List.of(gaussian("g", null)));
        BufferedImage a = readPng(l);
        BufferedImage b = readPng(s);
        assertTrue(colouredPixels(a) > colouredPixels(b), "lines add coloured pixels");
    }

    @Test
    void writesTheExactPathWithoutAddingAnExtension() throws IOException {
        Path p = dir.resolve("figure.img");
        Plots.line(p, "t", "x", "y", List.of(gaussian("g", null)));
        readPng(p);
        assertFalse(Files.exists(dir.resolve("figure.img.png")));
    }

    @Test
    void awkwardDataStillRenders() throws IOException {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        List<Plots.Series> series = List.of(
                new Plots.Series("empty", new double[0], new double[0], new double[0]),
                new Plots.Series("holes", new double[] {1, 2, nan, 4, 5}, new double[] {1, nan, 3, inf, 2},
                        new double[] {0.1, 0.1, 0.1, 0.1, inf}),
                new Plots.Series("holes", new double[] {3}, new double[] {2}), // duplicate name
                new Plots.Series(null, new double[] {2, 2}, new double[] {7, 7}, new double[] {-0.5, nan}));
        Path p = dir.resolve("awkward.png");
        Plots.line(p, null, null, null, series);
        readPng(p);

        Path single = dir.resolve("single.png");
        Plots.scatter(single, "one point", "x", "y", List.of(new Plots.Series("p", new double[] {0}, new double[] {0})));
        readPng(single);

        Path nothing = dir.resolve("nothing.png");
        Plots.line(nothing, "no data", "x", "y", List.of());
        readPng(nothing);

        Path tiny = dir.resolve("tiny.png");
        Plots.line(tiny, "narrow range", "x", "y", List.of(new Plots.Series("n", new double[] {1e-9, 2e-9, 3e-9},
                new double[] {1, 1 + 1e-12, 1 + 2e-12})));
        readPng(tiny);
    }

    @Test
    void missingDirectoryGivesPlainIOException() {
        Path p = dir.resolve("does/not/exist/plot.png");
        IOException e = assertThrows(IOException.class,
                () -> Plots.line(p, "t", "x", "y", List.of(gaussian("g", null))));
        assertTrue(e.getMessage().startsWith("directory does not exist"), e.getMessage());
        assertThrows(IOException.class, () -> Plots.scatter(p, "t", "x", "y", List.of(gaussian("g", null))));
    }

    @Test
    void badSeriesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Plots.Series("a", new double[] {1, 2}, new double[] {1}, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Plots.Series("a", new double[] {1, 2}, new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Plots.Series("a", null, new double[0], null));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.line(dir.resolve("x.png"), "t", "x", "y", null));
        assertThrows(IllegalArgumentException.class,
                () -> Plots.line(dir.resolve("x.png"), "t", "x", "y", Arrays.asList((Plots.Series) null)));
    }

    private static List<Plots.Series> twoSeries() {
        double[] err = new double[20];
        Arrays.fill(err, 0.01);
        Plots.Series first = gaussian("N = 10", err);
        double[] y2 = Arrays.stream(first.x()).map(v -> 0.3 / (1 + v * v)).toArray();
        return List.of(first, new Plots.Series("N = 100", first.x(), y2, err));
    }

    private static final Plots.Figure TITLED = new Plots.Figure("Two-point function", "t", "G(t)", false, false, 3.4,
            2.6, 300, Plots.Errors.AUTO, false);

    @Test
    void svgIsXmlOfTheRequestedSizeWithTheTitleAndSeriesNames() throws Exception {
        Path p = dir.resolve("g.svg");
        Plots.line(p, Plots.FileFormat.SVG, TITLED, twoSeries());
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = factory.newDocumentBuilder().parse(p.toFile());
        var root = doc.getDocumentElement();
        assertEquals("svg", root.getNodeName());
        assertEquals("3.4in", root.getAttribute("width"));
        assertEquals("2.6in", root.getAttribute("height"));
        assertEquals("Two-point function", doc.getElementsByTagName("title").item(0).getTextContent());
        String desc = doc.getElementsByTagName("desc").item(0).getTextContent();
        assertTrue(desc.contains("N = 10") && desc.contains("N = 100"), desc);
        assertTrue(doc.getElementsByTagName("*").getLength() > 20, "the drawing is there");
    }

    @Test
    void pdfHasOnePageOfTheRequestedSizeAndTheTitle() throws IOException {
        Path p = dir.resolve("g.pdf");
        Plots.line(p, Plots.FileFormat.PDF, TITLED, twoSeries());
        byte[] head;
        try (InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(5);
        }
        assertEquals("%PDF-", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
        try (var doc = org.apache.pdfbox.Loader.loadPDF(p.toFile())) {
            assertEquals(1, doc.getNumberOfPages());
            var box = doc.getPage(0).getMediaBox();
            assertEquals(3.4 * 72, box.getWidth(), 0.6);
            assertEquals(2.6 * 72, box.getHeight(), 0.6);
            assertEquals("Two-point function", doc.getDocumentInformation().getTitle());
            assertTrue(doc.getDocumentInformation().getSubject().contains("N = 100"));
        }
    }

    @Test
    void pngHasThePixelsOfItsSizeAndResolution() throws IOException {
        Path p = dir.resolve("g.png");
        Plots.line(p, Plots.FileFormat.PNG,
                new Plots.Figure(null, "t", "G", false, true, 5, 2, 150, Plots.Errors.BARS, true), twoSeries());
        BufferedImage img = ImageIO.read(p.toFile());
        assertEquals(750, img.getWidth());
        assertEquals(300, img.getHeight());
        var meta = ImageIO.getImageReadersByFormatName("png").next();
        try (var in = ImageIO.createImageInputStream(p.toFile())) {
            meta.setInput(in);
            var tree = (javax.imageio.metadata.IIOMetadataNode) meta.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            var phys = (javax.imageio.metadata.IIOMetadataNode) tree.getElementsByTagName("pHYs").item(0);
            assertEquals(Math.round(150 / 0.0254), Long.parseLong(phys.getAttribute("pixelsPerUnitXAxis")));
        } finally {
            meta.dispose();
        }
    }

    @Test
    void aLogAxisRefusesValuesThatAreNotPositive() {
        Plots.Figure logY = new Plots.Figure(null, null, null, false, true, 3.4, 2.6, 300, Plots.Errors.AUTO, false);
        List<Plots.Series> s = List.of(new Plots.Series("s", new double[] {1, 2, 3}, new double[] {1, 0, 2}));
        assertArrayEquals(new int[] {0, 1}, Plots.firstNonPositive(s, true));
        assertThrows(IllegalArgumentException.class, () -> Plots.line(dir.resolve("l.png"), Plots.FileFormat.PNG, logY, s));
        // a band reaching below zero is cut at the axis, not refused
        List<Plots.Series> band = List.of(new Plots.Series("b", range(20, 0.1), range(20, 0.1 / 19),
                new double[20]));
        band.get(0).y()[0] = 1e-3;
        Arrays.fill(band.get(0).err(), 0.05);
        assertDoesNotThrow(() -> Plots.line(dir.resolve("b.svg"), Plots.FileFormat.SVG, logY, band));
    }

    @Test
    void theFormatFollowsTheExtension() {
        assertEquals(Plots.FileFormat.PNG, Plots.FileFormat.of("a.PNG"));
        assertEquals(Plots.FileFormat.SVG, Plots.FileFormat.of("dir/a.svg"));
        assertEquals(Plots.FileFormat.PDF, Plots.FileFormat.of("a.pdf"));
        assertEquals(null, Plots.FileFormat.of("a.jpg"));
    }
}
