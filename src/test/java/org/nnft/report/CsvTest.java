package org.nnft.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @TempDir
    Path dir;

    /** Reads a cell as numpy would: nan, inf, -inf, or a decimal number. */
    private static double cell(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static void assertBits(double expected, double actual, String where) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), where);
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    where + ": " + expected + " vs " + actual);
        }
    }

    private static double[] tricky() {
        return new double[] {0.0, -0.0, 0.1, 1.0 / 3, -2.5, 1e-7, 6.02214076e23, Double.MIN_VALUE,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Math.nextUp(1.0), Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789.0, 1e21, 0.30326532985631671};
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    @Test
    void columnsRoundTripBitExactly() throws IOException {
        Random rnd = new Random(7);
        int n = 500;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] t = tricky();
        for (int i = 0; i < n; i++) {
            a[i] = i < t.length ? t[i] : rnd.nextGaussian();
            b[i] = Double.longBitsToDouble(rnd.nextLong());
            c[i] = rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
        }
        Path out = dir.resolve("cols.csv");
        Csv.write(out, List.of("x", "G2", "err"), List.of(a, b, c));

        List<String> lines = lines(out);
        assertEquals(n + 1, lines.size());
        assertEquals("x,G2,err", lines.get(0));
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertEquals(3, cells.length);
            assertBits(a[i], cell(cells[0]), "a[" + i + "]");
            assertBits(b[i], cell(cells[1]), "b[" + i + "]");
            assertBits(c[i], cell(cells[2]), "c[" + i + "]");
        }
        String text = Files.readString(out);
        assertTrue(text.contains("\nnan,") && text.contains("\ninf,") && text.contains("\n-inf,"), text);
        assertFalse(text.contains("NaN") || text.contains("Infinity"));
        assertFalse(text.contains("\r"));
    }

    @Test
    void specialValueSpelling() {
        assertEquals("nan", Csv.number(Double.NaN));
        assertEquals("inf", Csv.number(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Csv.number(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", Csv.number(-0.0));
        assertEquals("0.5", Csv.number(0.5));
    }

    @Test
    void raggedColumnsLeaveEmptyCells() throws IOException {
        Path out = dir.resolve("ragged.csv");
        Csv.write(out, List.of("a", "b"), List.of(new double[] {1, 2, 3}, new double[] {4}));
        assertEquals(List.of("a,b", "1.0,4.0", "2.0,", "3.0,"), lines(out));
    }

    @Test
    void headerQuotingAndNoHeader() throws IOException {
        Path out = dir.resolve("quoted.csv");
        Csv.write(out, Arrays.asList("plain", "with,comma", "say \"hi\"", null), List.of(new double[] {1},
                new double[] {2}, new double[] {3}, new double[] {4}));
        assertEquals(List.of("plain,\"with,comma\",\"say \"\"hi\"\"\",", "1.0,2.0,3.0,4.0"), lines(out));

        Path bare = dir.resolve("bare.csv");
        Csv.write(bare, null, List.of(new double[] {1, 2}));
        assertEquals(List.of("1.0", "2.0"), lines(bare));

        Path empty = dir.resolve("empty.csv");
        Csv.write(empty, List.of(), List.of());
        assertEquals(List.of(""), lines(empty));
    }

    @Test
    void writeRejectsBadInput() {
        Path out = dir.resolve("x.csv");
        assertThrows(IllegalArgumentException.class,
                () -> Csv.write(out, List.of("a"), List.of(new double[] {1}, new double[] {2})));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(out, null, Arrays.asList((double[]) null)));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(out, null, null));
        assertFalse(Files.exists(out));
    }

    @Test
    void missingDirectoryGivesPlainIOException() {
        Path out = dir.resolve("no/such/dir/x.csv");
        IOException e = assertThrows(IOException.class, () -> Csv.write(out, List.of("a"), List.of(new double[] {1})));
        assertTrue(e.getMessage().contains("directory does not exist"), e.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> Csv.writeMatrix(out, new double[][] {{1}}, null));
        assertTrue(e2.getMessage().contains("directory does not exist"), e2.getMessage());
    }

    @Test
    void matrixWithoutErrorsIsPlainRows() throws IOException {
        Random rnd = new Random(3);
        double[][] v = new double[7][5];
        for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Double.longBitsToDouble(rnd.nextLong());
            }
        }
        v[0] = Arrays.copyOf(tricky(), 5);
        v[1] = Arrays.copyOfRange(tricky(), 10, 15);
        Path out = dir.resolve("m.csv");
        Csv.writeMatrix(out, v, null);
        List<String> lines = lines(out);
        assertEquals(v.length, lines.size());
        for (int i = 0; i < v.length; i++) {
            String[] cells = lines.get(i).split(",", -1);
            assertEquals(v[i].length, cells.length);
            for (int j = 0; j < cells.length; j++) {
                assertBits(v[i][j], cell(cells[j]), "(" + i + "," + j + ")");
            }
        }
    }

    @Test
    void matrixWithErrorsIsLongFormat() throws IOException {
        double[][] v = {{1.5, -0.0, Double.NaN}, {0.1, 1e-300, Double.POSITIVE_INFINITY}};
        double[][] e = {{0.01, 0.0, 0.2}, {1.0 / 3, Double.MIN_VALUE, Double.NEGATIVE_INFINITY}};
        Path out = dir.resolve("me.csv");
        Csv.writeMatrix(out, v, e);
        List<String> lines = lines(out);
        assertEquals("i,j,value,error", lines.get(0));
        assertEquals("0,0,1.5,0.01", lines.get(1));
        assertEquals(1 + 6, lines.size());
        List<double[]> back = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            assertEquals(4, c.length);
            back.add(new double[] {Integer.parseInt(c[0]), Integer.parseInt(c[1]), cell(c[2]), cell(c[3])});
        }
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v[i].length; j++, k++) {
                double[] r = back.get(k);
                assertEquals(i, (int) r[0]);
                assertEquals(j, (int) r[1]);
                assertBits(v[i][j], r[2], "value (" + i + "," + j + ")");
                assertBits(e[i][j], r[3], "error (" + i + "," + j + ")");
            }
        }
    }

    @Test
    void matrixShapeChecks() throws IOException {
        Path out = dir.resolve("bad.csv");
        assertThrows(IllegalArgumentException.class,
                () -> Csv.writeMatrix(out, new double[][] {{1, 2}}, new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class,
                () -> Csv.writeMatrix(out, new double[][] {{1, 2}}, new double[][] {{1, 2}, {3, 4}}));
        assertThrows(IllegalArgumentException.class, () -> Csv.writeMatrix(out, null, null));
        assertThrows(IllegalArgumentException.class, () -> Csv.writeMatrix(out, new double[][] {null}, null));

        Path empty = dir.resolve("empty.csv");
        Csv.writeMatrix(empty, new double[0][], null);
        assertEquals(0, Files.size(empty));
        Csv.writeMatrix(empty, new double[0][], new double[0][]);
        assertEquals(List.of("i,j,value,error"), lines(empty));
    }
}
