package org.nnft.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;

/**
 * Figures of x/y data with XChart, sized for print and written as PNG, SVG or PDF, working headless.
 *
 * <p>A figure is laid out in points (1/72 inch) at its size in inches, as matplotlib does, so the fonts keep
 * their size in points whatever the figure's size: the defaults ({@link Figure#DEFAULT}, 3.4 &times; 2.6 in,
 * one column of a two-column paper) give 7.5 pt tick labels and legend, 8.5 pt axis labels and a 9 pt title.
 * A PNG is that layout rendered at {@link Figure#dpi()} (300 by default, 1020 &times; 780 pixels), an SVG or
 * PDF the same drawing as vectors (SVG through VectorGraphics2D, PDF through PDFBox, text drawn as outlines).
 *
 * <p>Series take the colours of matplotlib's default cycle (tab10), and, so that they stay apart in greyscale,
 * a marker shape each (circle, square, triangle, diamond, ...; left out on series of more than
 * {@link #MARKERS_UP_TO} points, where they would merge into a thick line) and a dash pattern each (solid,
 * dashed, dotted, dash-dot). Errors are drawn as a translucent band of &plusmn;1 error around the line when a
 * series has at least {@link #BAND_FROM} points (a curve, where bars of neighbouring points and series would
 * overlap) and as vertical bars without caps otherwise (separate measurements, where a band would suggest an
 * interpolation that was never measured); {@link Errors} forces either. The legend stands outside the data, to
 * the right of the plot, and is shown when there is more than one series or the caller asks for it.
 *
 * <p>Axis ranges cover all finite points, errors included, with a 4% margin (a degenerate range is widened
 * around its value); on a logarithmic axis the margin is multiplicative and only positive values count (a
 * band or bar reaching zero or below is cut at the axis). Non-finite coordinates (NaN, &plusmn;Infinity) are
 * left out: on a line they leave a gap; a non-finite error draws no band or bar there. Tick labels use
 * {@link Format#num(double)}, with more digits on a narrow axis; logarithmic axes are labelled 10&#x207F; at
 * the decades.
 */
public final class Plots {

    /** Image width in pixels of a PNG at the default size and resolution. */
    public static final int WIDTH = 1020;
    /** Image height in pixels of a PNG at the default size and resolution. */
    public static final int HEIGHT = 780;

    /** Series with more points than this get no markers. */
    public static final int MARKERS_UP_TO = 30;
    /** Series with at least this many points draw errors as a band (fewer: as bars), with {@link Errors#AUTO}. */
    public static final int BAND_FROM = 10;

    private static final double MARGIN = 0.04;

    /** The output formats, chosen by the file's extension. */
    public enum FileFormat {
        PNG, SVG, PDF;

        /** The format a file name's extension names (case does not matter), or null. */
        public static FileFormat of(String fileName) {
            String n = fileName.toLowerCase(Locale.ROOT);
            if (n.endsWith(".png")) {
                return PNG;
            }
            if (n.endsWith(".svg")) {
                return SVG;
            }
            if (n.endsWith(".pdf")) {
                return PDF;
            }
            return null;
        }
    }

    /** How errors are drawn. */
    public enum Errors {
        /** A band for series of at least {@link #BAND_FROM} points, bars for shorter ones. */
        AUTO,
        /** A translucent band of &plusmn;1 error. */
        BAND,
        /** Vertical bars of &plusmn;1 error. */
        BARS
    }

    /**
     * What a figure looks like, apart from its data.
     *
     * @param title the title above the plot (null or blank: none)
     * @param xLabel the x axis label (null: none)
     * @param yLabel the y axis label (null: none)
     * @param logX whether the x axis is logarithmic (then every finite x must be positive)
     * @param logY whether the y axis is logarithmic (then every finite y must be positive)
     * @param width width in inches
     * @param height height in inches
     * @param dpi pixels per inch of a PNG
     * @param errors how errors are drawn
     * @param legend whether to show the legend even for one series
     */
    public record Figure(String title, String xLabel, String yLabel, boolean logX, boolean logY, double width,
            double height, int dpi, Errors errors, boolean legend) {
        /** One column of a two-column paper, 300 dpi, no title or labels. */
        public static final Figure DEFAULT = new Figure(null, null, null, false, false, 3.4, 2.6, 300, Errors.AUTO,
                false);

        public Figure {
            if (!(width > 0) || !(height > 0) || !Double.isFinite(width) || !Double.isFinite(height)) {
                throw new IllegalArgumentException("figure size must be positive, not " + width + " x " + height);
            }
            if (dpi <= 0) {
                throw new IllegalArgumentException("dpi must be positive, not " + dpi);
            }
            if (errors == null) {
                errors = Errors.AUTO;
            }
        }

        public Figure withLabels(String title, String xLabel, String yLabel) {
            return new Figure(title, xLabel, yLabel, logX, logY, width, height, dpi, errors, legend);
        }

        /** Width in points. */
        int widthPt() {
            return Math.max(1, (int) Math.round(width * 72));
        }

        /** Height in points. */
        int heightPt() {
            return Math.max(1, (int) Math.round(height * 72));
        }
    }

    /**
     * One data series.
     *
     * @param name legend name (null gives "series N")
     * @param x abscissae
     * @param y ordinates, same length as {@code x}
     * @param err symmetric errors on {@code y}, same length, or null for none
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

        /** A series without errors. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null);
        }
    }

    /** Draws a picture in a box of the given size in points. */
    public interface Painter {
        void paint(Graphics2D g, int width, int height);
    }

    /** matplotlib's default colour cycle (tab10). */
    static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.PLUS, SeriesMarkers.CROSS};

    private static final float LINE = 1.1f;

    private static final float[][] DASHES = {null, {4f, 2f}, {1.2f, 1.6f}, {5f, 1.8f, 1.2f, 1.8f}};

    private Plots() {
    }

    /**
     * Writes a line plot (points joined by lines, markers on short series) as a PNG of the default size to
     * {@code out}, which is written as given (no extension is added).
     *
     * @throws IOException if the directory of {@code out} does not exist or the file cannot be written
     * @throws IllegalArgumentException if {@code series} is null or holds a null
     */
    public static void line(Path out, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        line(out, FileFormat.PNG, Figure.DEFAULT.withLabels(title, xLabel, yLabel), series);
    }

    /** Like {@link #line(Path, String, String, String, List)} but with markers only, no connecting lines. */
    public static void scatter(Path out, String title, String xLabel, String yLabel, List<Series> series)
            throws IOException {
        render(out, FileFormat.PNG, Figure.DEFAULT.withLabels(title, xLabel, yLabel), series, XYSeriesRenderStyle.Scatter);
    }

    /**
     * Writes a line plot in the given format.
     *
     * @throws IllegalArgumentException also when a logarithmic axis meets a finite value that is not positive
     */
    public static void line(Path out, FileFormat format, Figure figure, List<Series> series) throws IOException {
        render(out, format, figure, series, XYSeriesRenderStyle.Line);
    }

    /**
     * The first finite value that is not positive, as {series, point}, of x ({@code y} false) or y, or null when
     * there is none: a logarithmic axis cannot show it.
     */
    public static int[] firstNonPositive(List<Series> series, boolean y) {
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            for (int k = 0; k < s.x().length; k++) {
                double v = y ? s.y()[k] : s.x()[k];
                if (Double.isFinite(v) && v <= 0 && Double.isFinite(y ? s.x()[k] : s.y()[k])) {
                    return new int[] {i, k};
                }
            }
        }
        return null;
    }

    private static void render(Path out, FileFormat format, Figure fig, List<Series> series, XYSeriesRenderStyle style)
            throws IOException {
        if (series == null) {
            throw new IllegalArgumentException("series list is null");
        }
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i) == null) {
                throw new IllegalArgumentException("series " + i + " is null");
            }
        }
        if (fig.logX() && firstNonPositive(series, false) != null) {
            throw new IllegalArgumentException("a logarithmic x axis needs positive x values");
        }
        if (fig.logY() && firstNonPositive(series, true) != null) {
            throw new IllegalArgumentException("a logarithmic y axis needs positive y values");
        }
        Csv.checkDirectory(out);
        XYChart chart = chart(fig, series, style);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            String name = series.get(i).name();
            names.add(name == null || name.isBlank() ? "series " + (i + 1) : name);
        }
        String what = String.join(", ", names);
        if (fig.yLabel() != null && !fig.yLabel().isBlank()) {
            what = fig.yLabel() + (fig.xLabel() == null || fig.xLabel().isBlank() ? "" : " against " + fig.xLabel())
                    + (names.isEmpty() ? "" : ": " + what);
        }
        write(out, format, fig.width(), fig.height(), fig.dpi(), fig.title(), what, chart::paint);
    }

    /**
     * Writes a picture of {@code width} &times; {@code height} inches: a PNG of {@code dpi} pixels per inch
     * (with that resolution recorded in the file), or an SVG or PDF page of that size. The painter draws in
     * points. The text is drawn as outlines; {@code title} and {@code description} (each may be null) are kept
     * as text besides: the SVG's {@code <title>} and {@code <desc>}, the PDF's title and subject.
     */
    public static void write(Path out, FileFormat format, double width, double height, int dpi, String title,
            String description, Painter painter) throws IOException {
        headless();
        int w = Math.max(1, (int) Math.round(width * 72));
        int h = Math.max(1, (int) Math.round(height * 72));
        switch (format) {
            case PNG -> {
                int pw = Math.max(1, (int) Math.round(width * dpi));
                int ph = Math.max(1, (int) Math.round(height * dpi));
                BufferedImage img = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                try {
                    g.setColor(Color.WHITE);
                    g.fillRect(0, 0, pw, ph);
                    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
                    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                    g.scale((double) pw / w, (double) ph / h);
                    painter.paint(g, w, h);
                } finally {
                    g.dispose();
                }
                writePng(out, img, dpi);
            }
            case SVG -> {
                VectorGraphics2D g = new VectorGraphics2D();
                painter.paint(g, w, h);
                g.dispose();
                var doc = new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, w, h));
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                doc.writeTo(bytes);
                Files.writeString(out, svgHeader(bytes.toString(StandardCharsets.UTF_8), width, height, title,
                        description), StandardCharsets.UTF_8);
            }
            case PDF -> {
                try (PDDocument doc = new PDDocument()) {
                    PDPage page = new PDPage(new PDRectangle(w, h));
                    doc.addPage(page);
                    PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w, h);
                    painter.paint(g, w, h);
                    g.dispose();
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        cs.drawForm(g.getXFormObject());
                    }
                    PDDocumentInformation info = doc.getDocumentInformation();
                    if (title != null && !title.isBlank()) {
                        info.setTitle(title);
                    }
                    if (description != null && !description.isBlank()) {
                        info.setSubject(description);
                    }
                    info.setCreator("nnft");
                    try (OutputStream os = Files.newOutputStream(out)) {
                        doc.save(os);
                    }
                }
            }
            default -> throw new IllegalArgumentException("format " + format);
        }
    }

    /**
     * The SVG with its size in inches rather than VectorGraphics2D's pixels (1/96 in: a figure would come out
     * three quarters of its size), and its title and description as text.
     */
    static String svgHeader(String svg, double width, double height, String title, String description) {
        int open = svg.indexOf("<svg");
        int close = open < 0 ? -1 : svg.indexOf('>', open);
        if (close < 0) {
            return svg;
        }
        String tag = svg.substring(open, close)
                .replaceFirst(" width=\"[^\"]*\"", " width=\"" + inches(width) + "in\"")
                .replaceFirst(" height=\"[^\"]*\"", " height=\"" + inches(height) + "in\"");
        StringBuilder b = new StringBuilder(svg.substring(0, open)).append(tag).append('>');
        if (title != null && !title.isBlank()) {
            b.append("\n  <title>").append(xml(title)).append("</title>");
        }
        if (description != null && !description.isBlank()) {
            b.append("\n  <desc>").append(xml(description)).append("</desc>");
        }
        return b.append(svg.substring(close + 1)).toString();
    }

    private static String inches(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A PNG with its resolution (the pHYs chunk) set, so that a document places it at its size in inches. */
    private static void writePng(Path out, BufferedImage img, int dpi) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (OutputStream os = Files.newOutputStream(out); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img),
                    writer.getDefaultWriteParam());
            String perMetre = Integer.toString((int) Math.round(dpi / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", perMetre);
            phys.setAttribute("pixelsPerUnitYAxis", perMetre);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            meta.mergeTree("javax_imageio_png_1.0", root);
            writer.setOutput(ios);
            writer.write(new IIOImage(img, null, meta));
        } finally {
            writer.dispose();
        }
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The fonts of figures, in points. */
    static Font font(float size, boolean bold) {
        return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 10).deriveFont(size);
    }

    private static XYChart chart(Figure fig, List<Series> series, XYSeriesRenderStyle style) {
        headless();
        XYChart chart = new XYChart(fig.widthPt(), fig.heightPt());
        String title = fig.title() == null ? "" : fig.title();
        chart.setTitle(title);
        chart.setXAxisTitle(fig.xLabel() == null ? "" : fig.xLabel());
        chart.setYAxisTitle(fig.yLabel() == null ? "" : fig.yLabel());
        boolean legend = series.size() > 1 || fig.legend() && !series.isEmpty();
        style(chart, legend, !title.isBlank(), style);
        chart.getStyler().setXAxisLogarithmic(fig.logX());
        chart.getStyler().setYAxisLogarithmic(fig.logY());

        Range xr = new Range(fig.logX());
        Range yr = new Range(fig.logY());
        Set<String> names = new HashSet<>();
        List<Runnable> lines = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int n = s.x().length;
            double[] x = new double[Math.max(n, 1)];
            double[] y = new double[Math.max(n, 1)];
            double[] e = s.err() == null ? null : new double[n];
            if (n == 0) { // XChart rejects empty series: use one invisible point
                x[0] = Double.NaN;
                y[0] = Double.NaN;
            }
            boolean anyError = false;
            for (int k = 0; k < n; k++) {
                double xv = s.x()[k];
                double yv = s.y()[k];
                boolean ok = Double.isFinite(xv) && Double.isFinite(yv);
                x[k] = ok ? xv : Double.NaN;
                y[k] = ok ? yv : Double.NaN;
                double ev = Double.NaN;
                if (e != null && ok) {
                    ev = Math.abs(s.err()[k]);
                    if (!Double.isFinite(ev) || !Double.isFinite(yv - ev) || !Double.isFinite(yv + ev)) {
                        ev = Double.NaN;
                    }
                    e[k] = ev;
                    anyError |= ev > 0;
                } else if (e != null) {
                    e[k] = Double.NaN;
                }
                if (ok) {
                    xr.add(xv);
                    yr.add(yv);
                    if (ev > 0) {
                        yr.add(yv + ev);
                        yr.add(yv - ev);
                    }
                }
            }
            Color c = COLORS[i % COLORS.length];
            String name = uniqueName(s.name() == null || s.name().isBlank() ? "series " + (i + 1) : s.name(), names);
            final int index = i;
            final double[] fx = x;
            final double[] fy = y;
            final double[] fe = e;
            final boolean errors = anyError;
            // the errors first, so that every line and marker lies on top of every band
            if (errors) {
                boolean band = fig.errors() == Errors.BAND || fig.errors() == Errors.AUTO && n >= BAND_FROM;
                if (band) {
                    band(chart, name, index, fx, fy, fe, c);
                } else {
                    bars(chart, name, fx, fy, fe, c);
                }
            }
            lines.add(() -> {
                XYSeries xs = chart.addSeries(name, fx, fy);
                xs.setXYSeriesRenderStyle(style);
                xs.setLineColor(c);
                xs.setMarkerColor(c);
                xs.setLineStyle(stroke(index));
                xs.setMarker(n <= MARKERS_UP_TO || style == XYSeriesRenderStyle.Scatter
                        ? MARKERS[index % MARKERS.length] : SeriesMarkers.NONE);
            });
        }
        lines.forEach(Runnable::run);

        double[] xb = xr.bounds();
        double[] yb = yr.bounds();
        for (XYSeries s : chart.getSeriesMap().values()) { // bands and bars reaching below a log axis
            if (fig.logY() && !s.isShowInLegend()) {
                double[] ys = s.getYData();
                boolean changed = false;
                for (int k = 0; k < ys.length; k++) {
                    if (ys[k] < yb[0]) {
                        ys[k] = yb[0];
                        changed = true;
                    }
                }
                if (changed) {
                    s.replaceData(s.getXData(), ys, null);
                }
            }
        }
        var st = chart.getStyler();
        st.setXAxisMin(xb[0]);
        st.setXAxisMax(xb[1]);
        st.setYAxisMin(yb[0]);
        st.setYAxisMax(yb[1]);
        // a log axis spanning less than a decade has at most one power of ten: label 2, 3, ... 9 too
        st.setXAxisLogarithmicDecadeOnly(!fig.logX() || xb[1] / xb[0] >= 10);
        st.setYAxisLogarithmicDecadeOnly(!fig.logY() || yb[1] / yb[0] >= 10);
        // XChart 3.8.8 ticks a log axis with a formatting function as a linear one: leave log axes its own
        if (!fig.logX()) {
            st.setxAxisTickLabelsFormattingFunction(tickFormat(xb));
        }
        if (!fig.logY()) {
            st.setyAxisTickLabelsFormattingFunction(tickFormat(yb));
        }
        return chart;
    }

    /** The dash pattern of series i (solid, dashed, dotted, dash-dot, ...). */
    private static BasicStroke stroke(int i) {
        float[] dash = DASHES[i % DASHES.length];
        return dash == null ? new BasicStroke(LINE, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(LINE, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    /** A translucent band from y - err to y + err, one polygon per run of points with a finite error. */
    private static void band(XYChart chart, String name, int index, double[] x, double[] y, double[] e, Color c) {
        int n = e.length;
        int part = 0;
        for (int start = 0; start < n;) {
            if (!(e[start] >= 0) || Double.isNaN(y[start])) {
                start++;
                continue;
            }
            int end = start;
            while (end + 1 < n && e[end + 1] >= 0 && !Double.isNaN(y[end + 1])) {
                end++;
            }
            int m = end - start + 1;
            double[] px = new double[2 * m];
            double[] py = new double[2 * m];
            for (int k = 0; k < m; k++) {
                int j = start + k;
                px[k] = x[j];
                py[k] = y[j] + e[j];
                px[2 * m - 1 - k] = x[j];
                py[2 * m - 1 - k] = y[j] - e[j];
            }
            XYSeries b = chart.addSeries("\u0000band " + index + "." + part++ + " " + name, px, py);
            b.setXYSeriesRenderStyle(m == 1 ? XYSeriesRenderStyle.Line : XYSeriesRenderStyle.PolygonArea);
            b.setShowInLegend(false);
            b.setMarker(SeriesMarkers.NONE);
            Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 56);
            b.setFillColor(fill);
            b.setLineColor(m == 1 ? c : fill);
            b.setLineStyle(new BasicStroke(m == 1 ? LINE : 0.01f));
            start = end + 1;
        }
    }

    /** Vertical bars from y - err to y + err, without caps, as one line broken between the points. */
    private static void bars(XYChart chart, String name, double[] x, double[] y, double[] e, Color c) {
        int n = e.length;
        double[] bx = new double[3 * n];
        double[] by = new double[3 * n];
        for (int k = 0; k < n; k++) {
            boolean ok = e[k] > 0 && !Double.isNaN(y[k]);
            bx[3 * k] = ok ? x[k] : Double.NaN;
            by[3 * k] = ok ? y[k] - e[k] : Double.NaN;
            bx[3 * k + 1] = ok ? x[k] : Double.NaN;
            by[3 * k + 1] = ok ? y[k] + e[k] : Double.NaN;
            bx[3 * k + 2] = Double.NaN;
            by[3 * k + 2] = Double.NaN;
        }
        XYSeries b = chart.addSeries("\u0000bars " + name, bx, by);
        b.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        b.setShowInLegend(false);
        b.setMarker(SeriesMarkers.NONE);
        b.setLineColor(c);
        b.setLineStyle(new BasicStroke(LINE * 0.9f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    }

    private static void style(XYChart chart, boolean legend, boolean title, XYSeriesRenderStyle style) {
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(style);
        st.setChartTitleVisible(title);
        st.setChartTitleFont(font(9f, false));
        st.setChartTitlePadding(3);
        st.setChartTitleBoxVisible(false);
        st.setAxisTitleFont(font(8.5f, false));
        st.setAxisTickLabelsFont(font(7.5f, false));
        st.setAxisTitlePadding(4);
        st.setAxisTicksLineVisible(false);
        st.setYAxisLabelAlignment(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
        st.setAxisTickPadding(2);
        st.setAxisTickMarkLength(3);
        st.setAxisTickMarksStroke(new BasicStroke(0.6f));
        st.setAxisTickMarksColor(Color.BLACK);
        st.setAxisTickLabelsColor(Color.BLACK);
        st.setChartFontColor(Color.BLACK);
        st.setXAxisTickMarkSpacingHint(44);
        st.setYAxisTickMarkSpacingHint(30);
        st.setLegendVisible(legend);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendFont(font(7.5f, false));
        st.setLegendPadding(3);
        st.setLegendSeriesLineLength(16);
        st.setLegendBackgroundColor(Color.WHITE);
        st.setLegendBorderColor(new Color(204, 204, 204));
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.BLACK);
        st.setPlotBorderVisible(true);
        st.setPlotMargin(0);
        st.setPlotGridLinesVisible(false); // as matplotlib: none, and none between the decades of a log axis
        st.setChartPadding(4);
        st.setMarkerSize(4);
        st.setAntiAlias(true);
        st.setToolTipsEnabled(false);
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

    private static final String SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";

    /** A tick of a logarithmic axis: 10&#x207F; at a power of ten, otherwise the number. */
    static String decade(Double v) {
        if (v == null || !(v > 0)) {
            return "";
        }
        double l = Math.log10(v);
        long k = Math.round(l);
        if (Math.abs(l - k) > 1e-9) {
            return Format.num(v);
        }
        StringBuilder b = new StringBuilder("10");
        if (k < 0) {
            b.append('\u207b');
        }
        for (char ch : Long.toString(Math.abs(k)).toCharArray()) {
            b.append(SUPERSCRIPTS.charAt(ch - '0'));
        }
        return b.toString();
    }

    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int k = 2; !used.add(name); k++) {
            name = base + " (" + k + ")";
        }
        return name;
    }

    /** Running min/max of finite values (positive ones on a logarithmic axis), turned into padded axis bounds. */
    private static final class Range {
        final boolean log;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        Range(boolean log) {
            this.log = log;
        }

        void add(double v) {
            if (Double.isFinite(v) && (!log || v > 0)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        double[] bounds() {
            if (log) {
                if (min > max) {
                    return new double[] {0.1, 10};
                }
                double lo = Math.log10(min);
                double hi = Math.log10(max);
                double span = hi - lo;
                double pad = span > 1e-12 ? MARGIN * span : 0.5;
                return new double[] {Math.pow(10, lo - pad), Math.pow(10, hi + pad)};
            }
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
