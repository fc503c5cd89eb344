package org.gridgov.ogc.ows;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces one byte string with another in a stream of chunks, matches across chunk borders
 * included.
 */
final class UrlRewriter {

    private final byte[] from;
    private final byte[] to;
    private byte[] pending = new byte[0];

    UrlRewriter(String from, String to) {
        this.from = from.getBytes(StandardCharsets.UTF_8);
        this.to = to.getBytes(StandardCharsets.UTF_8);
    }

    Buffer apply(Buffer chunk) {
        byte[] in = chunk.getBytes();
        byte[] data = new byte[pending.length + in.length];
        System.arraycopy(pending, 0, data, 0, pending.length);
        System.arraycopy(in, 0, data, pending.length, in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        int i = 0;
        for (int idx; (idx = indexOf(data, i)) >= 0; i = idx + from.length) {
            out.write(data, i, idx - i);
            out.writeBytes(to);
        }
        int keep = Math.min(from.length - 1, data.length - i);
        out.write(data, i, data.length - i - keep);
        pending = java.util.Arrays.copyOfRange(data, data.length - keep, data.length);
        return Buffer.buffer(out.toByteArray());
    }

    Buffer finish() {
        Buffer b = Buffer.buffer(pending);
        pending = new byte[0];
        return b;
    }

    private int indexOf(byte[] data, int start) {
        outer:
        for (int i = start; i <= data.length - from.length; i++) {
            for (int k = 0; k < from.length; k++) if (data[i + k] != from[k]) continue outer;
            return i;
        }
        return -1;
    }
}
