package org.nnft.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CSV output of numeric data, meant to be loaded by numpy or pandas.
 *
 * <p>Format: comma separated, {@code \n} line ends, UTF-8, no trailing comma. Numbers are written with
 * {@link Double#toString} (e.g. {@code 0.1}, {@code -0.0}, {@code 1.0E-7}), which parses back to the same bits in
 * Java ({@link Double#parseDouble}) and in Python ({@code float}, {@code numpy.loadtxt},
 * {@code pandas.read_csv(..., float_precision="round_trip")}; pandas' default fast parser may be off by one ulp).
 * NaN is written {@code nan}, infinities {@code inf} and {@code -inf}; both numpy and pandas read these as floats.
 * Header cells that contain a comma, a quote or a line break are quoted as in RFC 4180.
 */
public final class Csv {

    private Csv() {
    }

    /**
     * Writes columns side by side, one header line and then one line per row.
     *
     * <pre>{@code
     * import pandas as pd;  df = pd.read_csv(path)
     * import numpy as np;   a = np.loadtxt(path, delimiter=",", skiprows=1)   # equal-length columns only
     * }</pre>
     *
     * @param header one name per column; {@code null} to write no header line
     * @param columns the columns; they may differ in length, the missing cells of shorter columns are left
     *     empty (pandas reads them as NaN)
     * @throws IOException if the directory of {@code out} does not exist or the file cannot be written
     * @throws IllegalArgumentException if the header size differs from the number of columns, or a column is null
     */
    public static void write(Path out, List<String> header, List<double[]> columns) throws IOException {
        write(out, header, columns, null);
    }

    /** As {@link #write(Path, List, List)}, with the columns flagged in {@code whole} written as whole numbers (no ".0"). */
    public static void write(Path out, List<String> header, List<double[]> columns, boolean[] whole) throws IOException {
        if (columns == null) {
            throw new IllegalArgumentException("columns is null");
        }
        if (header != null && header.size() != columns.size()) {
            throw new IllegalArgumentException(
                    "header has " + header.size() + " names but there are " + columns.size() + " columns");
        }
        int rows = 0;
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c) == null) {
                throw new IllegalArgumentException("column " + c + " is null");
            }
            rows = Math.max(rows, columns.get(c).length);
        }
        checkDirectory(out);
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            if (header != null) {
                for (int c = 0; c < header.size(); c++) {
                    if (c > 0) {
                        w.write(',');
                    }
                    w.write(quoteIfNeeded(header.get(c) == null ? "" : header.get(c)));
                }
                w.write('\n');
            }
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int c = 0; c < columns.size(); c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    double[] col = columns.get(c);
                    if (r < col.length) {
                        double x = col[r];
                        if (whole != null && c < whole.length && whole[c] && x == Math.rint(x) && Math.abs(x) < 9.007199254740992E15) {
                            line.append((long) x);
                        } else {
                            line.append(number(x));
                        }
                    }
                }
                line.append('\n');
                w.write(line.toString());
            }
        }
    }

    /**
     * Writes a matrix.
     *
     * <ul>
     *   <li>Without errors ({@code errors == null}): one line per row of {@code values}, no header, so
     *       {@code numpy.loadtxt(path, delimiter=",", ndmin=2)} gives the matrix back.</li>
     *   <li>With errors: long format, header {@code i,j,value,error} and one line per entry, row-major, with
     *       0-based indices {@code i} (row) and {@code j} (column). Load with
     *       {@code df = pandas.read_csv(path); V = df.pivot(index="i", columns="j", values="value").to_numpy()}
     *       (likewise {@code "error"}), or {@code numpy.loadtxt(path, delimiter=",", skiprows=1)}.</li>
     * </ul>
     * An empty matrix gives an empty file (or only the header line, with errors).
     *
     * @param errors null, or an array of the same shape as {@code values}
     * @throws IOException if the directory of {@code out} does not exist or the file cannot be written
     * @throws IllegalArgumentException if {@code values} or one of its rows is null, or the shapes differ
     */
    public static void writeMatrix(Path out, double[][] values, double[][] errors) throws IOException {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("row " + i + " of values is null");
            }
        }
        if (errors != null) {
            if (errors.length != values.length) {
                throw new IllegalArgumentException(
                        "errors has " + errors.length + " rows but values has " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (errors[i] == null || errors[i].length != values[i].length) {
                    throw new IllegalArgumentException("row " + i + " of errors does not match values in length");
                }
            }
        }
        checkDirectory(out);
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            if (errors == null) {
                for (double[] row : values) {
                    line.setLength(0);
                    for (int j = 0; j < row.length; j++) {
                        if (j > 0) {
                            line.append(',');
                        }
                        line.append(number(row[j]));
                    }
                    line.append('\n');
                    w.write(line.toString());
                }
            } else {
                w.write("i,j,value,error\n");
                for (int i = 0; i < values.length; i++) {
                    for (int j = 0; j < values[i].length; j++) {
                        line.setLength(0);
                        line.append(i).append(',').append(j).append(',')
                                .append(number(values[i][j])).append(',')
                                .append(number(errors[i][j])).append('\n');
                        w.write(line.toString());
                    }
                }
            }
        }
    }

    /** The CSV text of one value: {@link Double#toString}, or {@code nan}, {@code inf}, {@code -inf}. */
    public static String number(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (x == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return Double.toString(x);
    }

    private static String quoteIfNeeded(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    static void checkDirectory(Path out) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("output path is null");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("directory does not exist: " + dir);
        }
    }
}
