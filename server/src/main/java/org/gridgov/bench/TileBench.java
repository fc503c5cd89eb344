package org.gridgov.bench;

import org.gridgov.app.Config;
import org.gridgov.db.Database;
import org.gridgov.ogc.Layer;
import org.gridgov.ogc.LayerCatalog;
import org.gridgov.tiles.TileSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Vector tiles: the time of a cold tile through gridgov's HTTP endpoint against the bare
 * ST_AsMVT SQL for the same tile, over every tile of the subdistrict at one zoom.
 *
 * <p>java -cp gridgov.jar org.gridgov.bench.TileBench BASE_URL LAYER ZOOM
 */
public final class TileBench {

    private TileBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0], layerName = args[1];
        int z = Integer.parseInt(args[2]);
        LayerCatalog catalog = LayerCatalog.load(Set.of(layerName));
        Layer layer = catalog.find(layerName).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        try (Database db = Database.connect(Config.fromEnvironment().db())) {
            TileSource src = new TileSource(db.dataSource(), null);
            double[] e = {120.2589, 30.1569, 120.3205, 30.2217};
            int x0 = tx(e[0], z), x1 = tx(e[2], z), y0 = ty(e[3], z), y1 = ty(e[1], z);
            List<Double> httpMs = new ArrayList<>(), sqlMs = new ArrayList<>();
            long bytes = 0;
            for (int round = 0; round < 2; round++) {   // round 0 warms both paths up
                for (int x = x0; x <= x1; x++) {
                    for (int y = y0; y <= y1; y++) {
                        long t0 = System.nanoTime();
                        byte[] b = src.tile(layer, z, x, y);
                        long t1 = System.nanoTime();
                        // The bench server runs with GRIDGOV_TILE_CACHE_MB=0: every fetch builds its tile.
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/tiles/" + layerName + "/" + z + "/" + x + "/" + y + ".mvt"))
                                .header("Cache-Control", "no-cache").build(), HttpResponse.BodyHandlers.ofByteArray());
                        long t2 = System.nanoTime();
                        if (r.statusCode() != 200) throw new IllegalStateException("tile answered " + r.statusCode());
                        if (round == 1) {
                            sqlMs.add((t1 - t0) / 1e6);
                            httpMs.add((t2 - t1) / 1e6);
                            bytes += b.length;
                        }
                    }
                }
            }
            double sql = median(sqlMs), web = median(httpMs);
            String k = "tiles." + layerName + ".z" + z;
            System.out.printf("%s.tiles=%d%n%s.avg_bytes=%d%n%s.sql_p50_ms=%.1f%n%s.http_p50_ms=%.1f%n%s.http_over_sql=%.2f%n",
                    k, sqlMs.size(), k, bytes / Math.max(1, sqlMs.size()), k, sql, k, web, k, web / sql);
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
