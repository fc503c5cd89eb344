package org.gridgov.ogc;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.db.DbSettings;
import org.gridgov.ogc.catalog.LayerAccess;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.OgcSettings;
import org.gridgov.ogc.features.FeatureSource;
import org.gridgov.ogc.features.FeaturesApiRoutes;
import org.gridgov.ogc.features.TimeExtents;
import org.gridgov.ogc.heatmap.HeatmapRenderer;
import org.gridgov.ogc.mapserver.MapServerProcesses;
import org.gridgov.ogc.mapserver.MapServerTransport;
import org.gridgov.ogc.ows.OwsGateway;
import org.gridgov.ogc.ows.WfsTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OGC publishing, assembled: the layer catalog, MapServer (started and supervised), the /ows
 * gateway, OGC API Features at /ogc and the in-memory heatmap. One object so Gridgov only wires.
 */
public final class OgcPublishing implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OgcPublishing.class);
    private static final long SUPERVISE_MS = 1_000;

    /** How often the time dimensions' first times are read again (the extent's start). */
    private static final long TIME_EXTENT_MS = 60_000;

    private final LayerCatalog catalog;
    private final LayerAccess access;
    private final MapServerProcesses mapServer;
    private final FeatureSource features;
    private final DataSource ds;
    private final OgcSettings settings;
    private final double[] extent;
    private volatile MapServerTransport transport;
    private final HttpClient probe =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OgcPublishing(
            LayerCatalog catalog,
            MapServerProcesses mapServer,
            DataSource ds,
            OgcSettings settings,
            double[] extent) {
        this.catalog = catalog;
        this.access = new LayerAccess(catalog);
        this.mapServer = mapServer;
        this.features = new FeatureSource(ds);
        this.ds = ds;
        this.settings = settings;
        this.extent = extent;
    }

    public static OgcPublishing start(OgcSettings settings, DbSettings db, DataSource ds)
            throws Exception {
        LayerCatalog catalog = LayerCatalog.load(settings.publicLayers());
        double[] extent = subdistrictExtent(ds);
        MapServerProcesses ms = MapServerProcesses.start(settings, catalog, db, extent);
        return new OgcPublishing(catalog, ms, ds, settings, extent);
    }

    /**
     * Mounts /ows and /ogc and starts supervision. The heatmap layer is drawn from the server's
     * in-memory incident points, shared with analytics; WFS-T transactions on draft grids go to
     * gridEditor (the plan editor; null: Transaction is not offered).
     */
    public void mount(
            Router router,
            Vertx vertx,
            Predicate<String> knownCategory,
            IncidentPoints points,
            WfsTransaction.Editor gridEditor) {
        HeatmapRenderer heatmap =
                new HeatmapRenderer(
                        points,
                        ds,
                        settings.planarSrid(),
                        catalog.style(catalog.find("heatmap").orElseThrow().defaultStyle()));
        transport = mapServer.transport(vertx, settings.timeoutMs());
        TimeExtents timeExtents = new TimeExtents(ds, catalog);
        Runnable refreshTimes =
                () ->
                        vertx.executeBlocking(
                                        () -> {
                                            timeExtents.refresh();
                                            return null;
                                        },
                                        false)
                                .onFailure(e -> log.warn("time extents: {}", e.toString()));
        refreshTimes.run();
        vertx.setPeriodic(TIME_EXTENT_MS, id -> refreshTimes.run());
        new OwsGateway(
                        catalog,
                        access,
                        features,
                        heatmap,
                        knownCategory,
                        settings,
                        timeExtents,
                        gridEditor)
                .mount(router, transport);
        new FeaturesApiRoutes(catalog, access, features, settings, extent, timeExtents)
                .mount(router);
        vertx.setPeriodic(
                SUPERVISE_MS,
                id ->
                        vertx.executeBlocking(
                                () -> {
                                    mapServer.supervise();
                                    return null;
                                },
                                false));
    }

    public LayerCatalog catalog() {
        return catalog;
    }

    public LayerAccess access() {
        return access;
    }

    public MapServerProcesses mapServer() {
        return mapServer;
    }

    public double[] extent() {
        return extent;
    }

    /** /health: a MapServer worker answers within 2 s. Blocking. */
    public boolean mapServerUp() {
        MapServerTransport t = transport;
        if (t != null) {
            // Through the gateway's own transport, so /health sees what clients get.
            try {
                return t.send("map=public&SERVICE=WMS&REQUEST=GetCapabilities")
                        .compose(a -> a.collect().map(b -> a.status() == 200 && b.length() > 0))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                return false;
            }
        }
        try {
            HttpResponse<Void> r =
                    probe.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    mapServer.endpoint()
                                                            + "?map=public&SERVICE=WMS&REQUEST=GetCapabilities"))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The jurisdiction's lon/lat extent (China's when there is none yet). */
    public static double[] subdistrictExtent(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
                    SELECT coalesce(ST_Extent(geom)::geometry, ST_MakeEnvelope(73, 18, 135, 54, 4326)) AS e FROM jurisdiction) x""")) {
            rs.next();
            return new double[] {
                rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)
            };
        }
    }

    @Override
    public void close() {
        mapServer.close();
    }
}
