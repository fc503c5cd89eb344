package org.gridgov.bench;

import org.gridgov.app.Config;
import org.gridgov.db.Database;
import org.gridgov.ogc.Layer;
import org.gridgov.ogc.LayerCatalog;
import org.gridgov.tiles.TileSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vector tiles: a cold tile through gridgov's HTTP endpoint against the bare ST_AsMVT SQL for the
 * same tile — the same statement (TileSource.sql) through JDBC from this client — over every tile
 * of the subdistrict at each zoom asked for. Per tile the two are run back to back (SQL first, then
 * HTTP), three rounds, the first a warm-up. Also reported: the server's own times from the tile's
 * Server-Timing header (db = the query inside the server, app = routing to answer) and the HTTP
 * floor (a request that touches no database), so a fixed localhost cost can be told apart.
 *
 * <p>java -cp gridgov.jar org.gridgov.bench.TileBench BASE_URL LAYER:ZOOM...
 */
public final class TileBench {

    private static final Pattern TIMING = Pattern.compile("db;dur=([0-9.]+), app;dur=([0-9.]+)");

    private TileBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        URI uri = URI.create(base);
        KeepAliveClient http = new KeepAliveClient(uri.getHost(), uri.getPort());
        LayerCatalog catalog = LayerCatalog.load(null);
        try (Database db = Database.connect(Config.fromEnvironment().db())) {
            TileSource src = new TileSource(db.dataSource(), null);
            List<Double> floor = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                Answer r = http.get("/tiles/grids.json");
                if (r.status() != 200) throw new IllegalStateException("TileJSON answered " + r.status());
                if (i >= 50) floor.add((System.nanoTime() - t0) / 1e6);
            }
            System.out.printf(Locale.ROOT, "tiles.http_floor_p50_ms=%.2f%n", median(floor));
            for (int a = 1; a < args.length; a++) {
                String layerName = args[a].split(":")[0];
                int z = Integer.parseInt(args[a].split(":")[1]);
                Layer layer = catalog.find(layerName).orElseThrow();
                double[] e = {120.2589, 30.1569, 120.3205, 30.2217};
                int x0 = tx(e[0], z), x1 = tx(e[2], z), y0 = ty(e[3], z), y1 = ty(e[1], z);
                List<Double> httpMs = new ArrayList<>(), sqlMs = new ArrayList<>(), dbMs = new ArrayList<>(), appMs = new ArrayList<>();
                long bytes = 0;
                for (int round = 0; round < 3; round++) {
                    for (int x = x0; x <= x1; x++) {
                        for (int y = y0; y <= y1; y++) {
                            long t0 = System.nanoTime();
                            byte[] b = src.tile(layer, z, x, y);
                            long t1 = System.nanoTime();
                            // The bench server runs with GRIDGOV_TILE_CACHE_MB=0: every fetch builds its tile.
                            Answer r = http.get("/tiles/" + layerName + "/" + z + "/" + x + "/" + y + ".mvt");
                            long t2 = System.nanoTime();
                            if (r.status() != 200) throw new IllegalStateException("tile answered " + r.status());
                            if (round == 0) continue;
                            sqlMs.add((t1 - t0) / 1e6);
                            httpMs.add((t2 - t1) / 1e6);
                            Matcher m = TIMING.matcher(r.timing());
                            if (m.find()) {
                                dbMs.add(Double.parseDouble(m.group(1)));
                                appMs.add(Double.parseDouble(m.group(2)));
                            }
                            bytes += b.length;
                        }
                    }
                }
                double sql = median(sqlMs), web = median(httpMs), app = median(appMs), inner = median(dbMs);
                String k = "tiles." + layerName + ".z" + z;
                System.out.printf(Locale.ROOT, "%s.tiles=%d%n%s.avg_bytes=%d%n%s.sql_p50_ms=%.2f%n%s.http_p50_ms=%.2f%n%s.server_p50_ms=%.2f%n"
                                + "%s.server_db_p50_ms=%.2f%n%s.http_over_sql=%.2f%n%s.server_over_sql=%.2f%n",
                        k, sqlMs.size() / 2, k, bytes / Math.max(1, sqlMs.size()), k, sql, k, web, k, app, k, inner, k, web / sql, k, app / sql);
            }
        }
    }

    private record Answer(int status, String timing, int length) {
    }

    /**
     * A minimal blocking HTTP/1.1 keep-alive client, as lean as the JDBC driver on the other side
     * of the comparison (the JDK HttpClient hands every answer across threads, which on a busy
     * 2-core machine costs more than a small tile's query).
     */
    private static final class KeepAliveClient {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        private final String host;

        KeepAliveClient(String host, int port) throws java.io.IOException {
            this.host = host + ":" + port;
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }

        Answer get(String path) throws java.io.IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            String status = line();
            int length = -1;
            String timing = "";
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
                if (lower.startsWith("server-timing:")) timing = h.substring(14).trim();
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            int total = 0;
            if (chunked) {
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    total += n;
                    in.readNBytes(n);
                    line();
                }
                line();
            } else {
                total = in.readNBytes(Math.max(0, length)).length;
            }
            return new Answer(Integer.parseInt(status.split(" ")[1]), timing, total);
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new java.io.EOFException();
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length == 0 ? 0 : a[a.length / 2];
    }

    static int tx(double lon, int z) {
        return (int) Math.floor((lon + 180) / 360 * (1 << z));
    }

    static int ty(double lat, int z) {
        double r = Math.toRadians(lat);
        return (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
    }
}
