package org.nnft.polytope;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Pictures of polygons and polyhedral surfaces: in R^2 the curve over the unit circle with its
 * vertices marked; in R^3 an orthographic view from the direction (1, 0.75, 0.55) with the faces
 * shaded by a light from the viewer's side, drawn back to front, edges on top, and the unit
 * sphere's outline.
 */
final class Render {
  private Render() {}

  /** The default picture: a square one column of a paper wide, in inches. */
  static final double SIZE_INCHES = 3.4;
  static final double[] VIEW = unit(new double[] {1, 0.75, 0.55});

  private static double[] unit(double[] a) { double n = Extract.norm(a); return new double[] {a[0] / n, a[1] / n, a[2] / n}; }

  /**
   * Draws segments (pairs of points) or polygons in a box of width x height points, with the title and
   * a caption (wrapped at "; " where it is too wide) above; marks the given vertices (may be null).
   */
  static void draw(Graphics2D g, int width, int height, String title, String caption, int dim, List<double[][]> polys, double[][] marks, double radius) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fill(new java.awt.geom.Rectangle2D.Double(0, 0, width, height));
    double pad = 6;
    Font titleFont = new Font(Font.SANS_SERIF, Font.PLAIN, 10).deriveFont(9f);
    Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 10).deriveFont(7f);
    List<String> lines = new ArrayList<>();
    java.awt.FontMetrics cm = g.getFontMetrics(captionFont);
    String rest = caption == null ? "" : caption;
    while (!rest.isEmpty()) {
      int cut = rest.length();
      while (cm.stringWidth(rest.substring(0, cut)) > width - 2 * pad && rest.lastIndexOf("; ", cut - 1) > 0) cut = rest.lastIndexOf("; ", cut - 1) + 1;
      lines.add(rest.substring(0, cut).trim());
      rest = rest.substring(cut).trim();
    }
    double top = pad;
    if (title != null && !title.isBlank()) {
      g.setColor(Color.BLACK);
      g.setFont(titleFont);
      top += g.getFontMetrics().getAscent();
      g.drawString(title, (float) pad, (float) top);
      top += g.getFontMetrics().getDescent() + 1;
    }
    g.setColor(new Color(60, 60, 60));
    g.setFont(captionFont);
    for (String l : lines) {
      top += cm.getAscent();
      g.drawString(l, (float) pad, (float) top);
      top += cm.getDescent();
    }
    top += 2;
    double half = Math.max(1.25, radius * 1.15);
    double box = Math.min(width - 2 * pad, height - top - pad);
    double sc = box / (2 * half);
    double cx = width / 2.0, cy = top + box / 2;
    double[] e1, e2;
    if (dim == 2) { e1 = new double[] {1, 0}; e2 = new double[] {0, 1}; }
    else {
      e1 = unit(Extract.cross(new double[] {0, 0, 1}, VIEW));
      e2 = Extract.cross(VIEW, e1);
    }
    // the unit circle (in R^3: the sphere's outline) and axes
    g.setColor(new Color(215, 215, 215));
    g.setStroke(new BasicStroke(0.5f));
    g.draw(new Line2D.Double(cx - half * sc, cy, cx + half * sc, cy));
    g.draw(new Line2D.Double(cx, cy - half * sc, cx, cy + half * sc));
    g.setColor(new Color(150, 150, 150));
    g.setStroke(new BasicStroke(0.7f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 2.5f}, 0f));
    g.draw(new Ellipse2D.Double(cx - sc, cy - sc, 2 * sc, 2 * sc));
    final double[] a1 = e1, a2 = e2;
    java.util.function.Function<double[], double[]> proj = p -> new double[] {cx + sc * Extract.dot(p, a1), cy - sc * Extract.dot(p, a2)};
    if (dim == 2) {
      g.setColor(new Color(0x1f77b4));
      g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      for (double[][] s : polys) {
        double[] p = proj.apply(s[0]), q = proj.apply(s[1]);
        g.draw(new Line2D.Double(p[0], p[1], q[0], q[1]));
      }
    } else {
      List<double[][]> sorted = new ArrayList<>(polys);
      sorted.sort((p, q) -> Double.compare(depth(p), depth(q)));
      double[] light = unit(new double[] {VIEW[0] + 0.3, VIEW[1] - 0.2, VIEW[2] + 0.6});
      for (double[][] f : sorted) {
        if (f.length < 3) continue;
        double[] n = Extract.cross(Extract.sub(f[1], f[0]), Extract.sub(f[2], f[0]));
        for (int i = 2; i + 1 < f.length && Extract.norm(n) == 0; i++) n = Extract.cross(Extract.sub(f[i], f[0]), Extract.sub(f[i + 1], f[0]));
        double nn = Extract.norm(n);
        double shade = nn == 0 ? 0.5 : 0.25 + 0.7 * Math.abs(Extract.dot(n, light)) / nn;
        Path2D.Double path = new Path2D.Double();
        for (int k = 0; k < f.length; k++) { double[] p = proj.apply(f[k]); if (k == 0) path.moveTo(p[0], p[1]); else path.lineTo(p[0], p[1]); }
        path.closePath();
        Color fill = new Color((int) (70 * shade + 40), (int) (140 * shade + 50), (int) (200 * shade + 55));
        g.setColor(fill);
        g.fill(path);
        // an edge in the face's own colour closes the hairline gaps between neighbouring faces
        g.setColor(marks != null || f.length > 3 ? (marks != null ? new Color(20, 40, 80) : new Color((int) (70 * shade + 30), (int) (140 * shade + 40), (int) (200 * shade + 45))) : fill);
        g.setStroke(new BasicStroke(marks != null ? 0.6f : 0.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
      }
    }
    if (marks != null) {
      g.setColor(new Color(0xd62728));
      double r = 1.6;
      for (double[] v : marks) {
        double[] p = proj.apply(v);
        g.fill(new Ellipse2D.Double(p[0] - r, p[1] - r, 2 * r, 2 * r));
      }
    }
  }

  private static double depth(double[][] f) {
    double s = 0;
    for (double[] p : f) s += Extract.dot(p, VIEW);
    return s / f.length;
  }
}
