package org.gridgov.ogc.ows;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Names the CRS in a streamed GeoJSON FeatureCollection that does not name one itself: GDAL, which
 * MapServer writes GeoJSON with, names some CRSs (EPSG:3857) and not others (EPSG:4490, 4549), and
 * a client must never have to guess. The {@code "crs"} member (GeoJSON 2008's named CRS, which GDAL
 * and OpenLayers read) goes before the top-level {@code "features"}, which precedes every feature,
 * so only the head of the answer is held.
 */
final class GeoJsonCrs {

    private static final int MAX_HEAD = 64 * 1024;
    private static final byte[] FEATURES = "\"features\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CRS = "\"crs\"".getBytes(StandardCharsets.UTF_8);

    private final byte[] member;
    private Buffer head = Buffer.buffer();
    private boolean done;

    /** urn: the CRS's name, e.g. urn:ogc:def:crs:EPSG::3857; null passes the answer unchanged. */
    GeoJsonCrs(String urn) {
        this.member =
                ("\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \""
                                + urn
                                + "\" } },\n")
                        .getBytes(StandardCharsets.UTF_8);
        this.done = urn == null;
    }

    Buffer apply(Buffer chunk) {
        if (done) return chunk;
        head.appendBuffer(chunk);
        byte[] h = head.getBytes();
        int features = indexOf(h, FEATURES);
        if (features < 0 && h.length < MAX_HEAD) return Buffer.buffer();
        done = true;
        int crs = indexOf(h, CRS);
        if (features < 0 || (crs >= 0 && crs < features)) return head;
        return Buffer.buffer(h.length + member.length)
                .appendBytes(h, 0, features)
                .appendBytes(member)
                .appendBytes(h, features, h.length - features);
    }

    /** What is still held (an answer that ended before its features: an exception, say). */
    Buffer finish() {
        if (done) return Buffer.buffer();
        done = true;
        return head;
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i <= data.length - what.length; i++) {
            for (int k = 0; k < what.length; k++) if (data[i + k] != what[k]) continue outer;
            return i;
        }
        return -1;
    }
}
