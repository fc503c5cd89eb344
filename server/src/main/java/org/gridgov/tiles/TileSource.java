package org.gridgov.tiles;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.gridgov.db.DbSettings;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.SubdistrictFilter;

/**
 * Builds one vector tile in PostGIS: features clipped into tile space by ST_AsMVTGeom and encoded
 * by ST_AsMVT. Point layers with aggregateBelowZoom are binned into 64×64 cells per tile below that
 * zoom (a z14 tile of a million raw points is megabytes, docs/benchmarks.md).
 */
public final class TileSource {

    private static final Pattern JDBC_URL =
            Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)$");
    private final DataSource ds;
    private final double[] extent;

    /**
     * The reactive client, when the JDBC URL could be translated; else tiles go through JDBC on a
     * worker thread.
     */
    private final Pool pool;

    public TileSource(DataSource ds, double[] extent) {
        this(ds, extent, null);
    }

    private TileSource(DataSource ds, double[] extent, Pool pool) {
        this.ds = ds;
        this.extent = extent;
        this.pool = pool;
    }

    /**
     * Tiles through Vert.x's PostgreSQL client: the query is sent and answered on the event loop,
     * so a tile costs no hand-over to a worker thread and back (measured: the larger part of a
     * small tile's fixed cost on a busy 2-core machine, docs/benchmarks.md). Statements are
     * prepared once per connection. Falls back to JDBC when the URL has options the translation
     * does not handle.
     */
    public static TileSource reactive(
            DataSource ds, double[] extent, Vertx vertx, DbSettings db, int connections) {
        Matcher m = JDBC_URL.matcher(db.url());
        if (!m.matches()) return new TileSource(ds, extent);
        PgConnectOptions o =
                new PgConnectOptions()
                        .setHost(m.group(1))
                        .setPort(m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)))
                        .setDatabase(m.group(3))
                        .setCachePreparedStatements(true)
                        .setPreparedStatementCacheMaxSize(64);
        if (db.user() != null) o.setUser(db.user());
        if (db.password() != null) o.setPassword(db.password());
        // the same bound as the JDBC pool's (GRIDGOV_DB_STATEMENT_TIMEOUT_MS): a startup parameter
        if (db.statementTimeoutMs() > 0)
            o.setProperties(
                    new java.util.HashMap<>(
                            java.util.Map.of(
                                    "statement_timeout", String.valueOf(db.statementTimeoutMs()))));
        Pool pool =
                PgBuilder.pool()
                        .with(new PoolOptions().setMaxSize(connections))
                        .connectingTo(o)
                        .using(vertx)
                        .build();
        return new TileSource(ds, extent, pool);
    }

    public boolean isReactive() {
        return pool != null;
    }

    /**
     * The reactive client's statement per layer and form (binned or raw), built once: formatting ~1
     * KB of SQL per tile is wasted work.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> statements =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The tile through the reactive client (only when isReactive()), of the subdistrict(s) given on
     * a per-subdistrict layer.
     */
    public Future<byte[]> tileAsync(Layer l, int z, int x, int y, SubdistrictFilter sd) {
        // one statement per layer and form for the district-wide tiles; a subdistrict's is built
        // each time (ids a district caller names are not kept: the map would grow without bound)
        String statement =
                sd.all() || !l.bySubdistrict()
                        ? statements.computeIfAbsent(
                                l.name() + (binned(l, z) ? "/binned" : "/raw"),
                                k -> numbered(sql(l, z)))
                        : numbered(sql(l, z, sd));
        return pool.preparedQuery(statement)
                .execute(Tuple.of(z, x, y))
                .map(
                        rows -> {
                            Iterator<Row> it = rows.iterator();
                            if (!it.hasNext()) return new byte[0];
                            io.vertx.core.buffer.Buffer b = it.next().getBuffer(0);
                            return b == null ? new byte[0] : b.getBytes();
                        });
    }

    /**
     * JDBC's ? placeholders as PostgreSQL's $1, $2, $3 (the tile SQL has exactly the three of
     * ST_TileEnvelope).
     */
    static String numbered(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '?') out.append('$').append(++n);
            else out.append(c);
        }
        return out.toString();
    }

    public double[] extent() {
        return extent;
    }

    /** Point layers are binned into cells below their aggregateBelowZoom. */
    static boolean binned(Layer l, int z) {
        return l.aggregateBelowZoom() != null && z < l.aggregateBelowZoom();
    }

    /**
     * The SQL for a district-wide tile (parameters: z, x, y); public for the benchmark's bare-SQL
     * baseline.
     */
    public static String sql(Layer l, int z) {
        return sql(l, z, SubdistrictFilter.ALL);
    }

    /** The SQL for a tile of the subdistrict(s) given (parameters: z, x, y). */
    static String sql(Layer l, int z, SubdistrictFilter sd) {
        String src = l.sqlFor(0, null, sd);
        if (binned(l, z)) {
            return """
                    WITH b AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
                    cells AS (
                        SELECT ST_SnapToGrid(ST_Transform(t.geom, 3857), (ST_XMax(b.env) - ST_XMin(b.env)) / 64) AS cell, count(*)::int AS count
                        FROM (%s) t, b WHERE t.geom && ST_Transform(b.env, 4326) GROUP BY 1),
                    mvt AS (SELECT row_number() OVER () AS id, ST_AsMVTGeom(c.cell, b.env, 4096, 64, true) AS geom, c.count FROM cells c, b)
                    SELECT ST_AsMVT(mvt, '%s', 4096, 'geom', 'id') FROM mvt WHERE geom IS NOT NULL"""
                    .formatted(src, l.name());
        }
        StringBuilder cols = new StringBuilder();
        for (String a : l.attributes().keySet()) cols.append(", t.").append(a);
        return """
                WITH b AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
                mvt AS (SELECT t.id, ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.env, 4096, 64, true) AS geom%s
                        FROM (%s) t, b WHERE t.geom && ST_Transform(b.env, 4326))
                SELECT ST_AsMVT(mvt, '%s', 4096, 'geom', 'id') FROM mvt WHERE geom IS NOT NULL"""
                .formatted(cols, src, l.name());
    }

    /** A district-wide tile, through JDBC. */
    public byte[] tile(Layer l, int z, int x, int y) throws SQLException {
        return tile(l, z, x, y, SubdistrictFilter.ALL);
    }

    public byte[] tile(Layer l, int z, int x, int y, SubdistrictFilter sd) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql(l, z, sd))) {
            ps.setInt(1, z);
            ps.setInt(2, x);
            ps.setInt(3, y);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] b = rs.getBytes(1);
                return b == null ? new byte[0] : b;
            }
        }
    }
}
