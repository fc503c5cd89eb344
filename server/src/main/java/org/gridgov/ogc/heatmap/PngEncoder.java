package org.gridgov.ogc.heatmap;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A minimal, fast RGBA PNG writer (filter 0, deflate level 1): heatmaps are mostly transparent. */
final class PngEncoder {

    private PngEncoder() {}

    static byte[] rgba(int width, int height, byte[] rgba) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream(64 * 1024);
            DataOutputStream out = new DataOutputStream(png);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 6, 0, 0, 0}); // 8 bits, RGBA, deflate, filter 0, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            byte[] raw = new byte[height * (1 + width * 4)];
            for (int y = 0; y < height; y++) {
                System.arraycopy(rgba, y * width * 4, raw, y * (1 + width * 4) + 1, width * 4);
            }
            Deflater d = new Deflater(1);
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 8 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!d.finished()) z.write(buf, 0, d.deflate(buf));
            d.end();
            chunk(out, "IDAT", z.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
