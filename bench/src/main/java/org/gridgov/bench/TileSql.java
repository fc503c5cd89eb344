package org.gridgov.bench;

import java.util.Locale;
import org.gridgov.geo.TileScheme;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.tiles.TileSource;

/**
 * For the vector-tile benchmark (scripts/bench.d/ogc.sh): per LAYER:ZOOM, the range of tiles that
 * covers a bounding box and the very statement the server runs for such a tile (TileSource.sql),
 * with pgbench's :z, :x, :y in place of the JDBC placeholders. The benchmark then times that
 * statement with pgbench and the tiles over HTTP with curl, both C clients on one connection, so
 * neither side carries a client the other does not.
 *
 * <p>Prints one tab-separated line per argument: layer, zoom, x0, x1, y0, y1, SQL (one line). java
 * -cp gridgov-bench.jar org.gridgov.bench.TileSql MINLON,MINLAT,MAXLON,MAXLAT LAYER:ZOOM...
 */
public final class TileSql {

    private TileSql() {}

    public static void main(String[] args) {
        String[] b = args[0].split(",");
        double w = Double.parseDouble(b[0]),
                s = Double.parseDouble(b[1]),
                e = Double.parseDouble(b[2]),
                n = Double.parseDouble(b[3]);
        LayerCatalog catalog = LayerCatalog.load(null);
        for (int a = 1; a < args.length; a++) {
            String name = args[a].split(":")[0];
            int z = Integer.parseInt(args[a].split(":")[1]);
            Layer layer =
                    catalog.find(name)
                            .filter(Layer::tiles)
                            .orElseThrow(
                                    () -> new IllegalArgumentException("no tiled layer " + name));
            String sql =
                    colonsInLiterals(TileSource.sql(layer, z))
                            .replace("ST_TileEnvelope(?, ?, ?)", "ST_TileEnvelope(:z, :x, :y)")
                            .replaceAll("\\s+", " ");
            if (sql.contains("?"))
                throw new IllegalStateException(
                        "unexpected placeholder in the tile SQL of " + name);
            System.out.printf(
                    Locale.ROOT,
                    "%s\t%d\t%d\t%d\t%d\t%d\t%s%n",
                    name,
                    z,
                    TileScheme.x(z, w),
                    TileScheme.x(z, e),
                    TileScheme.y(z, n),
                    TileScheme.y(z, s),
                    sql);
        }
    }

    /**
     * pgbench reads every ":name" as one of its variables, also inside string literals
     * ('HH24:MI:SS'); there a colon becomes {@code ' || chr(58) || '}, a constant expression the
     * planner folds, so the statement does the same work.
     */
    static String colonsInLiterals(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') quoted = !quoted;
            out.append(quoted && c == ':' ? "' || chr(58) || '" : String.valueOf(c));
        }
        return out.toString();
    }
}
