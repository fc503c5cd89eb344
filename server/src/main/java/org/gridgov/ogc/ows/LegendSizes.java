package org.gridgov.ogc.ows;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerAnswer;
import org.gridgov.ogc.mapserver.MapServerTransport;

/**
 * The sizes of the legends GetLegendGraphic serves, for the capabilities' LegendURL. MapServer 8.0
 * declares each style's legend at the size of all the layer's classes (every style's), not of the
 * style's own group, which it draws (communities_outline: declared 162×43, served 143×24). So the
 * gateway asks MapServer once for every legend, reads each picture's size and writes it into the
 * capabilities. Legends depend only on the styles, which do not change while gridgov runs.
 */
final class LegendSizes {

    private static final Pattern LEGEND_URL =
            Pattern.compile(
                    "<LegendURL width=\"\\d+\" height=\"\\d+\">(\\s*<Format>image/png</Format>\\s*"
                            + "<OnlineResource [^>]*?[?&;]layer=([a-z0-9_]+)&amp;format=image/png"
                            + "&amp;STYLE=([a-z0-9_]+)\")");

    private final LayerCatalog catalog;

    /** "layer/style" → {width, height}. */
    private final Map<String, int[]> sizes = new ConcurrentHashMap<>();

    LegendSizes(LayerCatalog catalog) {
        this.catalog = catalog;
    }

    /** Measures every legend not measured yet; fails when MapServer does not draw one. */
    Future<Void> measure(MapServerTransport transport) {
        String map = catalog.mapName(new HashSet<>(catalog.all()));
        List<Future<Void>> all = new ArrayList<>();
        for (Layer l : catalog.all()) {
            for (String style : l.styles()) {
                String key = l.name() + "/" + style;
                if (sizes.containsKey(key)) continue;
                all.add(
                        transport
                                .send(
                                        "map="
                                                + map
                                                + "&SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic"
                                                + "&LAYER="
                                                + l.name()
                                                + "&STYLE="
                                                + style
                                                + "&FORMAT=image/png&SLD_VERSION=1.1.0")
                                .compose(LegendSizes::picture)
                                .map(
                                        png -> {
                                            sizes.put(key, pngSize(png, key));
                                            return null;
                                        }));
            }
        }
        return Future.all(all).mapEmpty();
    }

    /** The capabilities with each LegendURL's size as served (unmeasured ones left as they are). */
    String rewrite(String capabilities) {
        Matcher m = LEGEND_URL.matcher(capabilities);
        StringBuilder out = new StringBuilder(capabilities.length());
        while (m.find()) {
            int[] wh = sizes.get(m.group(2) + "/" + m.group(3));
            String replaced =
                    wh == null
                            ? m.group()
                            : "<LegendURL width=\""
                                    + wh[0]
                                    + "\" height=\""
                                    + wh[1]
                                    + "\">"
                                    + m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(replaced));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Width and height from a PNG's IHDR chunk. */
    static int[] pngSize(Buffer png, String what) {
        if (png.length() < 24
                || png.getUnsignedByte(0) != 0x89
                || png.getByte(1) != 'P'
                || png.getByte(12) != 'I'
                || png.getByte(15) != 'R')
            throw new IllegalStateException("the legend " + what + " is not a PNG");
        return new int[] {png.getInt(16), png.getInt(20)};
    }

    /** A MapServer answer's body, or a failure when it is not a picture. */
    private static Future<Buffer> picture(MapServerAnswer a) {
        String type = a.header("Content-Type");
        if (a.status() != 200 || type == null || !type.startsWith("image/png")) {
            a.collect();
            return Future.failedFuture("MapServer drew no legend (" + a.status() + ")");
        }
        return a.collect();
    }
}
