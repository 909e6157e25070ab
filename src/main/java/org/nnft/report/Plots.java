package org.nnft.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of x/y data with XChart, 800&times;560 pixels, working headless.
 *
 * <p>Both {@link #line} and {@link #scatter} draw a marker at every point, and vertical error bars (in the
 * series colour) when {@link Series#err()} is not null; {@code line} joins the points of a series with lines.
 * A legend is shown only when there is more than one series. Axis ranges cover all finite points, error bars
 * included, with a 4% margin (a degenerate range is widened around its value). Non-finite coordinates
 * (NaN, &plusmn;Infinity) are left out: on a line they leave a gap; a non-finite error draws no bar.
 * Tick labels use {@link Format#num(double)}, with more digits on a narrow axis.
 */
public final class Plots {

    /** Image width in pixels. */
    public static final int WIDTH = 800;
    /** Image height in pixels. */
    public static final int HEIGHT = 560;

    private static final double MARGIN = 0.04;

    /**
     * One data series.
     *
     * @param name legend name (null gives "series N")
     * @param x abscissae
     * @param y ordinates, same length as {@code x}
     * @param err symmetric error bars on {@code y}, same length, or null for none
     */
    public record Series(String name, double[] x, double[] y, double[] err) {
        public Series {
            if (x == null || y == null) {
                throw new IllegalArgumentException("series " + name + ": x and y must not be null");
            }
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "series " + name + ": x has " + x.length + " values but y has " + y.length);
            }
            if (err != null && err.length != y.length) {
                throw new IllegalArgumentException(
                        "series " + name + ": err has " + err.length + " values but y has " + y.length);
            }
        }

        /** A series without error bars. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null);
        }
    }

    private Plots() {
    }

    /**
     * Writes a line plot (points joined by lines, with markers) as a PNG to {@code out}, which is written as
     * given (no extension is added).
     *
     * @throws IOException if the directory of {@code out} does not exist or the file cannot be written
     * @throws IllegalArgumentException if {@code series} is null or holds a null
     */
    public static void line(Path out, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        render(out, title, xLabel, yLabel, series, XYSeriesRenderStyle.Line);
    }

    /** Like {@link #line} but with markers only, no connecting lines. */
    public static void scatter(Path out, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        render(out, title, xLabel, yLabel, series, XYSeriesRenderStyle.Scatter);
    }

    private static void render(Path out, String title, String xLabel, String yLabel, List<Series> series,
            XYSeriesRenderStyle style) throws IOException {
        if (series == null) {
            throw new IllegalArgumentException("series list is null");
        }
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i) == null) {
                throw new IllegalArgumentException("series " + i + " is null");
            }
        }
        Csv.checkDirectory(out);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }

        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title == null ? "" : title);
        chart.setXAxisTitle(xLabel == null ? "" : xLabel);
        chart.setYAxisTitle(yLabel == null ? "" : yLabel);
        style(chart, series.size() > 1, style);

        Range xr = new Range();
        Range yr = new Range();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int n = s.x().length;
            double[] x = new double[Math.max(n, 1)];
            double[] y = new double[Math.max(n, 1)];
            double[] e = s.err() == null ? null : new double[Math.max(n, 1)];
            if (n == 0) { // XChart rejects empty series: use one invisible point
                x[0] = Double.NaN;
                y[0] = Double.NaN;
                if (e != null) {
                    e[0] = 0;
                }
            }
            for (int k = 0; k < n; k++) {
                double xv = s.x()[k];
                double yv = s.y()[k];
                boolean ok = Double.isFinite(xv) && Double.isFinite(yv);
                x[k] = ok ? xv : Double.NaN;
                y[k] = ok ? yv : Double.NaN;
                double ev = 0;
                if (e != null) {
                    ev = Math.abs(s.err()[k]);
                    if (!Double.isFinite(ev) || !ok || !Double.isFinite(yv - ev) || !Double.isFinite(yv + ev)) {
                        ev = 0;
                    }
                    e[k] = ev;
                }
                if (ok) {
                    xr.add(xv);
                    yr.add(yv - ev);
                    yr.add(yv + ev);
                }
            }
            String name = uniqueName(s.name() == null || s.name().isBlank() ? "series " + (i + 1) : s.name(), names);
            XYSeries xs = e == null ? chart.addSeries(name, x, y) : chart.addSeries(name, x, y, e);
            xs.setXYSeriesRenderStyle(style);
            xs.setMarker(SeriesMarkers.CIRCLE);
        }

        double[] xb = xr.bounds();
        double[] yb = yr.bounds();
        chart.getStyler().setXAxisMin(xb[0]);
        chart.getStyler().setXAxisMax(xb[1]);
        chart.getStyler().setYAxisMin(yb[0]);
        chart.getStyler().setYAxisMax(yb[1]);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(tickFormat(xb));
        chart.getStyler().setyAxisTickLabelsFormattingFunction(tickFormat(yb));

        try (OutputStream os = Files.newOutputStream(out)) {
            BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static void style(XYChart chart, boolean legend, XYSeriesRenderStyle style) {
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(style);
        st.setLegendVisible(legend);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.DARK_GRAY);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setChartTitleBoxVisible(false);
        st.setMarkerSize(7);
        st.setErrorBarsColorSeriesColor(true);
        st.setAntiAlias(true);
    }

    /**
     * Tick labels by {@link Format#num(double, int)}, with at least 6 significant digits and more when the
     * axis range is narrow compared to its magnitude, so that neighbouring ticks get distinct labels.
     */
    private static Function<Double, String> tickFormat(double[] bounds) {
        double mag = Math.max(Math.abs(bounds[0]), Math.abs(bounds[1]));
        double step = (bounds[1] - bounds[0]) / 10;
        int digits = Format.DEFAULT_DIGITS;
        if (mag > 0 && step > 0) {
            digits = (int) Math.max(digits, Math.min(15, Math.ceil(Math.log10(mag / step)) + 2));
        }
        final int d = digits;
        return v -> Format.num(v, d);
    }

    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int k = 2; !used.add(name); k++) {
            name = base + " (" + k + ")";
        }
        return name;
    }

    /** Running min/max of finite values, turned into padded axis bounds. */
    private static final class Range {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        double[] bounds() {
            if (min > max) { // no finite data
                return new double[] {-1, 1};
            }
            double span = max - min;
            double pad;
            if (span > 0 && Double.isFinite(span) && span > 1e-12 * Math.max(Math.abs(min), Math.abs(max))) {
                pad = MARGIN * span;
            } else {
                double mag = Math.max(Math.abs(min), Math.abs(max));
                pad = mag > 0 ? 0.1 * mag : 1.0;
            }
            double lo = min - pad;
            double hi = max + pad;
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                lo = min;
                hi = max;
            }
            return new double[] {lo, hi};
        }
    }
}
