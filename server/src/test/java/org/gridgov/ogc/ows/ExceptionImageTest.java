package org.gridgov.ogc.ows;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.MultiMap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** EXCEPTIONS=INIMAGE/BLANK read from raw parameters and drawn with ImageIO. */
class ExceptionImageTest {

    private static MultiMap params(String query) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (String kv : query.split("&")) {
            String[] p = kv.split("=", 2);
            m.add(p[0], p.length > 1 ? p[1] : "");
        }
        return m;
    }

    private static BufferedImage read(byte[] b) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    @Test
    void onlyGetMapsAskingForPicturesGetThem() {
        String map = "service=WMS&request=GetMap&format=image/png&width=40&height=30";
        assertNotNull(ExceptionImage.requested(params(map + "&exceptions=INIMAGE")));
        assertNotNull(
                ExceptionImage.requested(params(map + "&EXCEPTIONS=application/vnd.ogc.se_blank")));
        assertNull(ExceptionImage.requested(params(map)), "XML by default");
        assertNull(ExceptionImage.requested(params(map + "&exceptions=XML")));
        assertNull(
                ExceptionImage.requested(
                        params(map.replace("GetMap", "GetFeatureInfo") + "&exceptions=INIMAGE")));
        assertNull(
                ExceptionImage.requested(
                        params(map.replace("image/png", "image/gif") + "&exceptions=INIMAGE")),
                "no picture in a format not offered");
        assertNull(
                ExceptionImage.requested(
                        params(map.replace("width=40", "width=0") + "&exceptions=INIMAGE")));
        assertNull(
                ExceptionImage.requested(params(map + "&exceptions=INIMAGE&exceptions=BLANK")),
                "a parameter given twice is the reader's to refuse");
    }

    @Test
    void blankIsTheBackgroundOrNothing() throws Exception {
        ExceptionImage red =
                ExceptionImage.requested(
                        params(
                                "request=GetMap&format=image/jpeg&width=40&height=30"
                                        + "&bgcolor=0x00FF00&exceptions=BLANK"));
        assertEquals("image/jpeg", red.contentType());
        BufferedImage img = read(red.draw("ignored"));
        assertEquals(40, img.getWidth());
        assertEquals(30, img.getHeight());
        int rgb = img.getRGB(20, 15);
        assertTrue(
                ((rgb >> 8) & 0xff) > 240 && ((rgb >> 16) & 0xff) < 16, Integer.toHexString(rgb));
        ExceptionImage clear =
                ExceptionImage.requested(
                        params(
                                "request=GetMap&format=image/png&width=8&height=8"
                                        + "&transparent=TRUE&exceptions=BLANK"));
        BufferedImage c = read(clear.draw("ignored"));
        assertEquals(0, c.getRGB(3, 3) >>> 24);
    }

    @Test
    void inImageWritesTheMessageWrapped() throws Exception {
        ExceptionImage pic =
                ExceptionImage.requested(
                        params(
                                "request=GetMap&format=image/png&width=200&height=80&exceptions=INIMAGE"));
        BufferedImage img = read(pic.draw("no layer named 'nosuch'"));
        int dark = 0;
        for (int y = 0; y < 80; y++)
            for (int x = 0; x < 200; x++) if ((img.getRGB(x, y) & 0xff) < 128) dark++;
        assertTrue(dark > 20, "text drawn: " + dark);
        assertEquals(
                java.util.List.of("one two", "three"), ExceptionImage.wrap("one two three", 8));
    }
}
