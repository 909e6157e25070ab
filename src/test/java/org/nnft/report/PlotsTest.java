package org.nnft.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        assertEquals(800, img.getWidth());
        assertEquals(560, img.getHeight());
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

    /** Pixels with a warm hue (red clearly above blue), as XChart's second default series colour (orange). */
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
    void errorBarsAreDrawn() throws IOException {
        double[] err = new double[20];
        Arrays.fill(err, 0.02);
        Path without = dir.resolve("without.png");
        Path with = dir.resolve("with.png");
        Plots.scatter(without, "t", "x", "y", List.of(gaussian("g", null)));
        Plots.scatter(with, "t", "x", "y", List.of(gaussian("g", err)));
        BufferedImage a = readPng(without);
        BufferedImage b = readPng(with);
        assertFalse(same(a, b));
        assertTrue(colouredPixels(b) > colouredPixels(a) + 200,
                "error bars should add coloured pixels: " + colouredPixels(a) + " vs " + colouredPixels(b));
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
}
