package org.gridgov.ogc.ows;

import io.vertx.core.MultiMap;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * WMS exceptions as pictures (WMS 1.3.0 §7.3.3.11, 1.1.1 §7.2.3.9): {@code EXCEPTIONS=INIMAGE}
 * draws the message into a map-sized image, {@code BLANK} answers an empty one (BGCOLOR, or
 * transparent with TRANSPARENT=TRUE), in the FORMAT asked for, as MapServer does for its own
 * errors. Read from the raw parameters, because the exception may be about any of the others.
 *
 * @param blank BLANK rather than INIMAGE
 * @param png image/png rather than image/jpeg
 */
record ExceptionImage(
        boolean blank, boolean png, int width, int height, boolean transparent, int background) {

    private static final int MAX_SIZE = 4096;

    /**
     * The picture a GetMap asks its exceptions in, or null for an XML report: not a GetMap, XML
     * asked for (or nothing), or a format or size no picture can be drawn in.
     */
    static ExceptionImage requested(MultiMap raw) {
        String service = value(raw, "SERVICE"), request = value(raw, "REQUEST");
        String exceptions = value(raw, "EXCEPTIONS");
        if (exceptions == null || !"GetMap".equalsIgnoreCase(request)) return null;
        if (service != null && !service.equalsIgnoreCase("WMS")) return null;
        Boolean blank = blank(exceptions);
        if (blank == null) return null;
        String format = value(raw, "FORMAT");
        if (format == null) return null;
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("image/png") && !format.equals("image/jpeg")) return null;
        int w = size(value(raw, "WIDTH")), h = size(value(raw, "HEIGHT"));
        if (w < 0 || h < 0) return null;
        String bg = value(raw, "BGCOLOR");
        int background =
                bg != null && bg.matches("^0[xX][0-9A-Fa-f]{6}$")
                        ? Integer.parseInt(bg.substring(2), 16)
                        : 0xffffff;
        boolean transparent = "true".equalsIgnoreCase(value(raw, "TRANSPARENT"));
        return new ExceptionImage(blank, format.equals("image/png"), w, h, transparent, background);
    }

    /**
     * True for BLANK, false for INIMAGE, null for XML or a value that is not an exception format
     * (which the request reader refuses).
     */
    static Boolean blank(String exceptions) {
        return switch (exceptions.toLowerCase(Locale.ROOT)) {
            case "inimage", "application/vnd.ogc.se_inimage" -> false;
            case "blank", "application/vnd.ogc.se_blank" -> true;
            default -> null;
        };
    }

    String contentType() {
        return png ? "image/png" : "image/jpeg";
    }

    /** The picture, encoded. */
    byte[] draw(String message) {
        boolean alpha = png && transparent;
        BufferedImage img =
                new BufferedImage(
                        width,
                        height,
                        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            if (!alpha) {
                g.setColor(new Color(background));
                g.fillRect(0, 0, width, height);
            }
            if (!blank) text(g, message);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, png ? "png" : "jpeg", out))
                throw new IllegalStateException("no ImageIO writer for " + contentType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The message in dark grey, wrapped to the picture's width. */
    private void text(Graphics2D g, String message) {
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(new Color(0x202020));
            var metrics = g.getFontMetrics();
            int line = metrics.getHeight(), y = 4 + metrics.getAscent();
            for (String l : wrap(message, Math.max(8, (width - 8) / 6))) {
                if (y > height) break;
                g.drawString(l, 4, y);
                y += line;
            }
        } catch (RuntimeException | Error e) {
            // A machine without any font cannot write the text: the picture stays plain, as BLANK.
        }
    }

    static List<String> wrap(String message, int columns) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : message.split("\\s+")) {
            if (cur.length() > 0 && cur.length() + 1 + word.length() > columns) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) cur.append(' ');
            cur.append(word);
        }
        if (cur.length() > 0) lines.add(cur.toString());
        return lines;
    }

    private static int size(String v) {
        if (v == null || !v.matches("^[0-9]{1,4}$")) return -1;
        int n = Integer.parseInt(v);
        return n >= 1 && n <= MAX_SIZE ? n : -1;
    }

    /** A parameter by case-insensitive name, null when absent or given twice. */
    private static String value(MultiMap raw, String name) {
        List<String> all = new ArrayList<>();
        for (var e : raw.entries()) if (e.getKey().equalsIgnoreCase(name)) all.add(e.getValue());
        return all.size() == 1 ? all.get(0).trim() : null;
    }
}
