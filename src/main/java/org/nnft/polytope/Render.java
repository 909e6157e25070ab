package org.nnft.polytope;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Pictures of polygons and polyhedral surfaces: in R^2 the curve over the unit circle with its
 * vertices marked; in R^3 an orthographic view from the direction (1, 0.75, 0.55) with the faces
 * shaded by a light from the viewer's side, drawn back to front, edges on top, and the unit
 * sphere's outline.
 */
final class Render {
  private Render() {}

  static final int SIZE = 720;
  static final double[] VIEW = unit(new double[] {1, 0.75, 0.55});

  private static double[] unit(double[] a) { double n = Extract.norm(a); return new double[] {a[0] / n, a[1] / n, a[2] / n}; }

  /** Draws segments (pairs of points) or polygons; marks the given vertices (may be null). */
  static void draw(Path out, String title, String caption, int dim, List<double[][]> polys, double[][] marks, double radius) throws IOException {
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, SIZE, SIZE);
    double half = Math.max(1.25, radius * 1.15);
    double sc = (SIZE - 80) / (2 * half);
    double cx = SIZE / 2.0, cy = SIZE / 2.0 + 15;
    double[] e1, e2;
    if (dim == 2) { e1 = new double[] {1, 0}; e2 = new double[] {0, 1}; }
    else {
      e1 = unit(Extract.cross(new double[] {0, 0, 1}, VIEW));
      e2 = Extract.cross(VIEW, e1);
    }
    // the unit circle (in R^3: the sphere's outline) and axes
    g.setColor(new Color(225, 225, 225));
    g.setStroke(new BasicStroke(1f));
    g.draw(new Line2D.Double(cx - half * sc, cy, cx + half * sc, cy));
    g.draw(new Line2D.Double(cx, cy - half * sc, cx, cy + half * sc));
    g.setColor(new Color(150, 150, 150));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
    g.draw(new Ellipse2D.Double(cx - sc, cy - sc, 2 * sc, 2 * sc));
    final double[] a1 = e1, a2 = e2;
    java.util.function.Function<double[], double[]> proj = p -> new double[] {cx + sc * Extract.dot(p, a1), cy - sc * Extract.dot(p, a2)};
    if (dim == 2) {
      g.setColor(new Color(31, 90, 180));
      g.setStroke(new BasicStroke(2.2f));
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
        g.setColor(new Color((int) (70 * shade + 40), (int) (140 * shade + 50), (int) (200 * shade + 55)));
        g.fill(path);
        if (marks != null || f.length > 3) {
          g.setColor(marks != null ? new Color(20, 40, 80) : new Color((int) (70 * shade + 30), (int) (140 * shade + 40), (int) (200 * shade + 45)));
          g.setStroke(new BasicStroke(1.4f));
          g.draw(path);
        }
      }
    }
    if (marks != null) {
      g.setColor(new Color(200, 40, 40));
      for (double[] v : marks) {
        double[] p = proj.apply(v);
        g.fill(new Ellipse2D.Double(p[0] - 4, p[1] - 4, 8, 8));
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 20, 26);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(caption, 20, 46);
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }

  private static double depth(double[][] f) {
    double s = 0;
    for (double[] p : f) s += Extract.dot(p, VIEW);
    return s / f.length;
  }
}
