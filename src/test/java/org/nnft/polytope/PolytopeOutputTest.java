package org.nnft.polytope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnft.api.Nnft;

/** plot and export of a polytope: the files say what the polytope is (OFF, OBJ, JSON, PNG). */
class PolytopeOutputTest {
  @TempDir Path dir;

  @Test
  void octahedronExportsAsOffObjJsonAndPng() throws Exception {
    Nnft s = Nnft.session();
    s.allowWrite(dir);
    s.eval("net o(x: R^3) { W[6, 3] = [[1,0,0],[-1,0,0],[0,1,0],[0,-1,0],[0,0,1],[0,0,-1]]\n return sum(relu(W @ x)) }\nlet P = polytope(o)\n"
        + "export P to \"o.off\"\nexport P to \"o.obj\"\nexport P to \"o.json\"\nplot P to \"o.png\"");
    List<String> off = Files.readAllLines(dir.resolve("o.off"));
    assertEquals("OFF", off.get(0));
    assertEquals("6 8 12", off.get(1));
    for (int i = 2; i < 8; i++) {
      String[] xyz = off.get(i).trim().split(" ");
      double l1 = 0;
      for (String c : xyz) l1 += Math.abs(Double.parseDouble(c));
      assertEquals(1, l1, 1e-9, "a vertex ±e_k");
    }
    for (int i = 8; i < 16; i++) assertTrue(off.get(i).startsWith("3 "), "triangular faces");
    List<String> obj = Files.readAllLines(dir.resolve("o.obj"));
    assertEquals(6, obj.stream().filter(l -> l.startsWith("v ")).count());
    assertEquals(8, obj.stream().filter(l -> l.startsWith("f ")).count());
    String json = Files.readString(dir.resolve("o.json"));
    assertTrue(json.replaceAll("\\s", "").contains("\"f_vector\":[6,12,8]"), json);
    BufferedImage img = ImageIO.read(dir.resolve("o.png").toFile());
    // a square one column wide (3.4 in) at 300 dpi
    assertEquals((int) Math.round(Render.SIZE_INCHES * 300), img.getWidth());
    assertEquals(img.getWidth(), img.getHeight());
    // the middle of the picture, a little below the caption, is inside the octahedron's shaded faces: not white
    assertTrue((img.getRGB(img.getWidth() / 2, img.getHeight() / 2 + img.getHeight() / 20) & 0xffffff) != 0xffffff);
  }

  @Test
  void hexagonExportsOneFace() throws Exception {
    Nnft s = Nnft.session();
    s.allowWrite(dir);
    s.eval("net h(x: R^2) { W[3, 2] = [[1, 0], [-0.5, 0.8660254037844386], [-0.5, -0.8660254037844386]]\n return sum(relu(W @ x)) }\nlet P = polytope(h)\nexport P to \"h.off\"\nplot P to \"h.png\"");
    List<String> off = Files.readAllLines(dir.resolve("h.off"));
    assertEquals("6 1 6", off.get(1));
    assertTrue(off.get(8).startsWith("6 "), "one hexagonal face");
    assertTrue(Files.size(dir.resolve("h.png")) > 1000);
  }
}
