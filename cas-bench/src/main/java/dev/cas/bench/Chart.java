package dev.cas.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws line charts into a PNG with {@code java.awt} in headless mode: one panel per series, one
 * shared x axis. No chart library: nothing to resolve, nothing to converge.
 */
final class Chart {

  private static final int WIDTH = 900;
  private static final int PANEL = 200;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 40;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)
  };

  private Chart() {}

  /** One line. */
  record Series(String name, List<Double> values) {}

  static void draw(Path file, String title, List<Double> x, List<Series> series)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = TOP + series.size() * PANEL + 30;
    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 25);
    double xMax = Math.max(1, Stats.max(x));
    for (int i = 0; i < series.size(); i++) {
      panel(g, TOP + i * PANEL, x, xMax, series.get(i), COLORS[i % COLORS.length]);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString("cycle", WIDTH / 2, height - 8);
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static void panel(
      Graphics2D g, int top, List<Double> x, double xMax, Series s, Color color) {
    int plotTop = top + 20;
    int plotHeight = PANEL - 45;
    int plotWidth = WIDTH - LEFT - RIGHT;
    double lo = Math.min(0, Stats.min(s.values()));
    double hi = Stats.max(s.values());
    hi = hi <= lo ? lo + 1 : hi + (hi - lo) * 0.1;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString(s.name(), LEFT, top + 14);
    g.setColor(new Color(0xdddddd));
    for (int k = 0; k <= 4; k++) {
      int y = plotTop + plotHeight - k * plotHeight / 4;
      g.drawLine(LEFT, y, LEFT + plotWidth, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(label(lo + (hi - lo) * k / 4), 5, y + 4);
      g.setColor(new Color(0xdddddd));
    }
    g.setColor(Color.DARK_GRAY);
    for (int k = 0; k <= 5; k++) {
      int px = LEFT + k * plotWidth / 5;
      g.drawString(label(xMax * k / 5), px - 10, plotTop + plotHeight + 14);
    }
    g.drawRect(LEFT, plotTop, plotWidth, plotHeight);
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < x.size(); i++) {
      g.drawLine(
          LEFT + (int) (x.get(i - 1) / xMax * plotWidth),
          plotTop + plotHeight - (int) ((s.values().get(i - 1) - lo) / (hi - lo) * plotHeight),
          LEFT + (int) (x.get(i) / xMax * plotWidth),
          plotTop + plotHeight - (int) ((s.values().get(i) - lo) / (hi - lo) * plotHeight));
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static String label(double v) {
    return Math.abs(v) >= 100 || v == Math.rint(v)
        ? Stats.fmt("%.0f", v)
        : Stats.fmt(Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
  }
}
