package org.gridgov.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Small images made in the test: JPEG and PNG by ImageIO, a JPEG with an EXIF block (GPS position,
 * time taken, orientation) written here byte by byte as a camera would, and a 1×1 WebP.
 */
public final class TestImages {

    private TestImages() {}

    /** A picture with a left half red and a right half blue, so turning it can be seen. */
    public static BufferedImage picture(int w, int h, boolean alpha) {
        BufferedImage img =
                new BufferedImage(
                        w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(alpha ? new Color(0, 0, 255, 128) : Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    public static byte[] png(int w, int h) {
        return write(picture(w, h, true), "png");
    }

    public static byte[] jpeg(int w, int h) {
        return write(picture(w, h, false), "jpeg");
    }

    private static byte[] write(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException(format);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 1×1 lossy WebP (the smallest a browser's feature test uses). */
    public static byte[] webp() {
        return Base64.getDecoder()
                .decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
    }

    /**
     * A JPEG whose APP1 segment holds EXIF: orientation, DateTimeOriginal "2026:12:01 09:30:00",
     * and a GPS position (north and east) in degrees, minutes and seconds.
     */
    public static byte[] jpegWithExif(int w, int h, double lat, double lon, int orientation) {
        byte[] plain = jpeg(w, h);
        byte[] tiff = tiff(lat, lon, orientation);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length);
        app1.put((byte) 0xff).put((byte) 0xe1).putShort((short) (2 + 6 + tiff.length));
        app1.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.writeBytes(app1.array());
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    private static byte[] tiff(double lat, double lon, int orientation) {
        ByteBuffer b = ByteBuffer.allocate(190); // big-endian, as "MM" says
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        // IFD0 at 8: orientation, the Exif sub-IFD at 50, the GPS IFD at 88
        b.putShort((short) 3);
        entry(b, 0x0112, 3, 1, orientation << 16);
        entry(b, 0x8769, 4, 1, 50);
        entry(b, 0x8825, 4, 1, 88);
        b.putInt(0);
        // Exif sub-IFD at 50: DateTimeOriginal, its 20 bytes at 68
        b.putShort((short) 1);
        entry(b, 0x9003, 2, 20, 68);
        b.putInt(0);
        b.put("2026:12:01 09:30:00\0".getBytes(StandardCharsets.US_ASCII));
        // GPS IFD at 88: N, latitude at 142, E, longitude at 166
        b.putShort((short) 4);
        entry(b, 0x0001, 2, 2, 'N' << 24);
        entry(b, 0x0002, 5, 3, 142);
        entry(b, 0x0003, 2, 2, 'E' << 24);
        entry(b, 0x0004, 5, 3, 166);
        b.putInt(0);
        dms(b, lat);
        dms(b, lon);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    private static void dms(ByteBuffer b, double deg) {
        int d = (int) deg;
        double m = (deg - d) * 60;
        int mi = (int) m;
        long s = Math.round((m - mi) * 60 * 1000);
        b.putInt(d).putInt(1).putInt(mi).putInt(1).putInt((int) s).putInt(1000);
    }
}
