package org.gridgov.ogc;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.gridgov.testing.TestServer;

/** Test helpers: raw-byte GETs and PNG pixel checks. */
public final class Ogc {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String BBOX_4326_13 = "30.1569,120.2589,30.2217,120.3205"; // WMS 1.3.0: lat,lon
    static final String BBOX_4326_11 = "120.2589,30.1569,120.3205,30.2217";
    static final String SQUARE_13 = "30.16,120.26,30.22,120.32";

    private Ogc() {}

    static HttpResponse<byte[]> get(String pathAndQuery) {
        try {
            return CLIENT.send(
                    HttpRequest.newBuilder(URI.create(TestServer.base() + pathAndQuery))
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + pathAndQuery, e);
        }
    }

    /** A raw-byte GET with a staff member's bearer token. */
    static HttpResponse<byte[]> getAs(String user, String pathAndQuery) {
        try {
            return CLIENT.send(
                    HttpRequest.newBuilder(URI.create(TestServer.base() + pathAndQuery))
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + TestServer.token(user))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + pathAndQuery, e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String type(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    static BufferedImage image(HttpResponse<byte[]> r) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            if (img == null) throw new AssertionError("not an image: " + text(r));
            return img;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Pixels that are neither transparent nor white. */
    public static int paintedPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int argb = img.getRGB(x, y);
                if ((argb >>> 24) > 16 && (argb & 0xffffff) != 0xffffff) n++;
            }
        }
        return n;
    }
}
