package org.gridgov.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.Platforms;
import org.gridgov.people.Access;
import org.gridgov.people.Role;

/** /api/v1/analytics/bins, /hotspots, /timeseries, /situation, /consistency. */
public final class AnalyticsRoutes {

    /** Cells in one answer (bins, hot spots): 50,000 hot-spot cells were 13.7 MB of GeoJSON. */
    static final int MAX_CELLS = 20_000;

    /** Cells the view could hold, empty or not: refused beyond this before anything is counted. */
    static final int MAX_POTENTIAL_CELLS = 1_000_000;

    static final int MAX_BUCKETS = 10_000;
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final AnalyticsQueries queries;
    private final IncidentPoints points;
    private final StudyArea area;
    private final CategoryCatalog catalog;
    private final Clock clock;

    public AnalyticsRoutes(
            AnalyticsQueries queries,
            IncidentPoints points,
            StudyArea area,
            CategoryCatalog catalog,
            Clock clock) {
        this.queries = queries;
        this.points = points;
        this.area = area;
        this.catalog = catalog;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.get("/api/v1/analytics/bins").handler(this::bins);
        router.get("/api/v1/analytics/hotspots").handler(this::hotspots);
        router.get("/api/v1/analytics/timeseries").handler(this::timeseries);
        router.get("/api/v1/analytics/trends").handler(this::trends);
        router.get("/api/v1/analytics/situation").handler(this::situation);
        router.get("/api/v1/analytics/consistency").handler(this::consistency);
    }

    /** Counts per cell, non-empty cells only. */
    private void bins(RoutingContext ctx) {
        AnalyticsQuery q = AnalyticsQuery.parse(ctx, catalog, points, clock);
        Cells cells = cells(ctx, 100);
        if (q.coarse()) PublicResolution.requireCellSize(cells.size());
        Handlers.blocking(
                ctx,
                () -> {
                    double extent = area.extentM2(q.filter());
                    if (extent / cells.cellArea() > MAX_POTENTIAL_CELLS) {
                        throw new ProblemException(
                                Problem.invalidParameter(
                                        "size",
                                        String.format(
                                                java.util.Locale.ROOT,
                                                "%.0f m cells would cut the %.1f km² in view into %.0f cells; at most %d: use a larger size or a smaller bbox",
                                                cells.size(),
                                                extent / 1e6,
                                                extent / cells.cellArea(),
                                                MAX_POTENTIAL_CELLS)));
                    }
                    CellCounts counts = CellCounts.of(points, q.filter(), cells);
                    if (counts.size() > MAX_CELLS) throw tooMany(counts.size());
                    List<Long> keys = new ArrayList<>(counts.size());
                    List<String> props = new ArrayList<>(counts.size());
                    for (long k : counts.sortedKeys()) {
                        if (q.coarse() && !PublicResolution.shown(counts.get(k))) continue;
                        keys.add(k);
                        props.add(
                                "{\"cell\":\""
                                        + Cells.i(k)
                                        + ","
                                        + Cells.j(k)
                                        + "\",\"count\":"
                                        + counts.get(k)
                                        + "}");
                    }
                    return queries.cellFeatures(cells, points.planarSrid(), keys, props);
                },
                Responses::geoJson);
    }

    /** Getis-Ord Gi* over every square cell of the study area (empty ones included). */
    private void hotspots(RoutingContext ctx) {
        AnalyticsQuery q = AnalyticsQuery.parse(ctx, catalog, points, clock);
        if ("hex".equals(Handlers.param(ctx, "shape"))) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "shape", "hot spots are computed on square cells; leave out 'shape'"));
        }
        double size = QueryParams.number(ctx, "size", 25, 5000, 200);
        if (q.coarse()) PublicResolution.requireCellSize(size);
        double distance = QueryParams.number(ctx, "distance", size, 20 * size, 1.5 * size);
        boolean fdr = !"false".equals(QueryParams.oneOf(ctx, "fdr", Set.of("true", "false")));
        Cells cells = new Cells(Cells.Shape.SQUARE, size);
        Handlers.blocking(
                ctx,
                () -> {
                    List<Long> keys = area.cells(cells, q.filter());
                    if (keys.size() > MAX_CELLS) throw tooMany(keys.size());
                    CellCounts counts = CellCounts.of(points, q.filter(), cells);
                    int n = keys.size();
                    int[] i = new int[n], j = new int[n];
                    double[] x = new double[n];
                    for (int k = 0; k < n; k++) {
                        long key = keys.get(k);
                        i[k] = Cells.i(key);
                        j[k] = Cells.j(key);
                        x[k] = counts.get(key);
                    }
                    GiStar.Result[] r = GiStar.compute(i, j, x, distance / size, fdr);
                    List<String> props = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        // the statistic uses every count; a public answer leaves out the counts of
                        // 1 and 2
                        String count =
                                q.coarse() && !PublicResolution.shown((long) x[k])
                                        ? "null"
                                        : Integer.toString((int) x[k]);
                        props.add(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "{\"cell\":\"%d,%d\",\"count\":%s,\"z\":%.4f,\"p\":%.6f,\"bin\":%d,\"class\":\"%s\"}",
                                        i[k],
                                        j[k],
                                        count,
                                        r[k].z(),
                                        r[k].p(),
                                        r[k].bin(),
                                        className(r[k].bin())));
                    }
                    return queries.cellFeatures(cells, points.planarSrid(), keys, props);
                },
                (c, body) -> {
                    c.response()
                            .putHeader(
                                    "X-Gridgov-Neighbourhood",
                                    "distance-band "
                                            + distance
                                            + " m, self included, binary weights"
                                            + (fdr ? ", FDR-corrected" : ""));
                    Responses.geoJson(c, body);
                });
    }

    static String className(int bin) {
        return switch (bin) {
            case 3 -> "hot99";
            case 2 -> "hot95";
            case 1 -> "hot90";
            case -1 -> "cold90";
            case -2 -> "cold95";
            case -3 -> "cold99";
            default -> "none";
        };
    }

    /**
     * Counts by hour, day or week (weeks start on Monday), in the area's time zone, zeros included.
     */
    private void timeseries(RoutingContext ctx) {
        AnalyticsQuery q = AnalyticsQuery.parse(ctx, catalog, points, clock);
        String interval = QueryParams.oneOf(ctx, "interval", Set.of("hour", "day", "week"));
        ChronoUnit unit =
                interval == null || interval.equals("day")
                        ? ChronoUnit.DAYS
                        : interval.equals("hour") ? ChronoUnit.HOURS : ChronoUnit.WEEKS;
        if (q.coarse() && unit == ChronoUnit.HOURS) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "interval",
                            "hourly counts are for staff; without a token: day or week"));
        }
        ZonedDateTime first = bucketStart(q.from().atZoneSameInstant(ZONE), unit);
        long buckets = unit.between(first, q.to().atZoneSameInstant(ZONE).minusNanos(1)) + 1;
        if (buckets > MAX_BUCKETS) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "interval",
                            buckets
                                    + " "
                                    + unit.toString().toLowerCase()
                                    + " in that window; at most "
                                    + MAX_BUCKETS
                                    + ": choose a longer interval or a shorter window"));
        }
        Handlers.blocking(
                ctx,
                () -> {
                    long[] counts = new long[(int) buckets];
                    long firstMinute = first.toEpochSecond() / 60;
                    // China keeps one offset all year, so a bucket is a fixed number of minutes.
                    long width = unit.getDuration().toMinutes();
                    points.scan(
                            q.filter(),
                            (x, y, minute, grid) -> {
                                long b = (minute - firstMinute) / width;
                                if (b >= 0 && b < counts.length) counts[(int) b]++;
                            });
                    ObjectNode root = Responses.JSON.createObjectNode();
                    root.put(
                            "interval",
                            unit == ChronoUnit.DAYS
                                    ? "day"
                                    : unit == ChronoUnit.HOURS ? "hour" : "week");
                    root.put("from", q.from().toString());
                    root.put("to", q.to().toString());
                    ArrayNode series = root.putArray("series");
                    long total = 0;
                    int suppressed = 0;
                    for (int b = 0; b < counts.length; b++) {
                        ObjectNode bucket =
                                series.addObject()
                                        .put(
                                                "start",
                                                first.plus(b, unit).toOffsetDateTime().toString());
                        if (q.coarse() && !PublicResolution.shown(counts[b])) {
                            bucket.putNull("count");
                            suppressed++;
                            continue;
                        }
                        bucket.put("count", counts[b]);
                        total += counts[b];
                    }
                    // public: the total of the counts shown, so the suppressed ones cannot be told
                    // from it
                    root.put("total", total);
                    if (q.coarse()) root.put("suppressed", suppressed);
                    return root;
                },
                (c, root) -> Responses.json(c, 200, root));
    }

    static ZonedDateTime bucketStart(ZonedDateTime t, ChronoUnit unit) {
        return switch (unit) {
            case HOURS -> t.truncatedTo(ChronoUnit.HOURS);
            case WEEKS ->
                    t.truncatedTo(ChronoUnit.DAYS)
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default -> t.truncatedTo(ChronoUnit.DAYS);
        };
    }

    /**
     * Each grid (or community) this period against its previous N periods, and the cells that are
     * significantly hotter than their own history (emerging hot spots).
     */
    private void trends(RoutingContext ctx) {
        String periodName = QueryParams.oneOf(ctx, "period", Set.of("day", "week", "month"));
        long periodMinutes =
                periodName == null || periodName.equals("week")
                        ? 7 * 1440
                        : periodName.equals("day") ? 1440 : 30 * 1440;
        int n = QueryParams.whole(ctx, "periods", 2, 52, 4);
        String by = QueryParams.oneOf(ctx, "by", Set.of("grid", "community"));
        boolean byCommunity = "community".equals(by);
        double size = QueryParams.number(ctx, "size", 50, 5000, 200);
        java.time.OffsetDateTime toParam = QueryParams.time(ctx, "to");
        java.time.OffsetDateTime asked =
                toParam == null ? java.time.OffsetDateTime.now(clock) : toParam;
        boolean coarse = PublicResolution.applies(ctx);
        if (coarse) {
            PublicResolution.requireCellSize(size);
            PublicResolution.mark(ctx);
        }
        java.time.OffsetDateTime to = coarse ? PublicResolution.dayEnd(asked) : asked;
        String category = org.gridgov.category.CategoryParam.of(ctx, catalog);
        String platform = QueryParams.oneOf(ctx, "platform", Platforms.CODES);
        int end = AnalyticsQuery.minute(to);
        long start = end - periodMinutes * (n + 1);
        PointFilter f =
                new PointFilter(
                        (int) start,
                        end,
                        AnalyticsQuery.categoryFilter(category, points),
                        platform == null ? -1 : Platforms.CODES.indexOf(platform),
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        false,
                        AnalyticsQuery.subdistrict(ctx));
        Cells cells = new Cells(Cells.Shape.SQUARE, size);
        Handlers.blocking(
                ctx,
                () -> {
                    Map<Long, Long> communityOf =
                            byCommunity ? queries.gridCommunities() : Map.of();
                    Map<Long, long[]> places = new HashMap<>(), cellCounts = new HashMap<>();
                    points.scan(
                            f,
                            (x, y, minute, grid) -> {
                                int k = (int) ((minute - start) / periodMinutes);
                                if (k < 0 || k > n) return;
                                if (grid > 0) {
                                    long place =
                                            byCommunity
                                                    ? communityOf.getOrDefault((long) grid, 0L)
                                                    : grid;
                                    if (place > 0)
                                        places.computeIfAbsent(place, p -> new long[n + 1])[k]++;
                                }
                                cellCounts
                                        .computeIfAbsent(cells.key(x, y), c -> new long[n + 1])[
                                        k]++;
                            });
                    ObjectNode root = Responses.JSON.createObjectNode();
                    root.put("period", periodName == null ? "week" : periodName);
                    root.put("periods", n);
                    root.put("to", to.toString());
                    root.put("by", byCommunity ? "community" : "grid");
                    ArrayNode list = root.putArray(byCommunity ? "byCommunity" : "byGrid");
                    places.entrySet().stream()
                            .filter(e -> !coarse || PublicResolution.shown(e.getValue()))
                            .sorted(Map.Entry.comparingByKey())
                            .forEach(
                                    e -> {
                                        long[] c = e.getValue();
                                        list.addObject()
                                                .put("id", e.getKey())
                                                .put("current", c[n])
                                                .put(
                                                        "previousMean",
                                                        Math.round(Trends.previousMean(c) * 100)
                                                                / 100.0)
                                                .put("z", Math.round(Trends.z(c) * 1000) / 1000.0)
                                                .put("trend", Trends.trend(c));
                                    });
                    List<Long> emerging = new ArrayList<>();
                    List<String> props = new ArrayList<>();
                    cellCounts.entrySet().stream()
                            .filter(
                                    e ->
                                            Trends.emerging(e.getValue())
                                                    && (!coarse
                                                            || PublicResolution.shown(
                                                                    e.getValue())))
                            .sorted(Map.Entry.comparingByKey())
                            .forEach(
                                    e -> {
                                        long[] c = e.getValue();
                                        emerging.add(e.getKey());
                                        props.add(
                                                String.format(
                                                        java.util.Locale.ROOT,
                                                        "{\"cell\":\"%d,%d\",\"current\":%d,\"previousMean\":%.2f,\"z\":%.3f}",
                                                        Cells.i(e.getKey()),
                                                        Cells.j(e.getKey()),
                                                        c[n],
                                                        Trends.previousMean(c),
                                                        Trends.z(c)));
                                    });
                    root.set(
                            "emergingHotspots",
                            Responses.JSON.readTree(
                                    queries.cellFeatures(
                                            cells, points.planarSrid(), emerging, props)));
                    return root;
                },
                (c, root) -> Responses.json(c, 200, root));
    }

    private void situation(RoutingContext ctx) {
        // the isolation rule: one subdistrict's figures, or the district's (null)
        Long own = Access.require(ctx).subdistrictId();
        Handlers.blocking(
                ctx,
                () -> queries.situation(Instant.now(clock), ZONE, own),
                (c, body) -> Responses.json(c, 200, body));
    }

    private void consistency(RoutingContext ctx) {
        Access.requireAny(ctx, Role.AUDITS);
        Handlers.blocking(
                ctx,
                () -> {
                    long t0 = System.nanoTime();
                    long drift = queries.drift(points);
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("incidentsInMemory", points.size());
                    n.put("differences", drift);
                    n.put("millis", (System.nanoTime() - t0) / 1_000_000);
                    return n;
                },
                (c, n) -> Responses.json(c, 200, n));
    }

    private static Cells cells(RoutingContext ctx, double defaultSize) {
        String shape = QueryParams.oneOf(ctx, "shape", Set.of("square", "hex"));
        double size = QueryParams.number(ctx, "size", 10, 5000, defaultSize);
        return new Cells("hex".equals(shape) ? Cells.Shape.HEX : Cells.Shape.SQUARE, size);
    }

    private static ProblemException tooMany(int n) {
        return new ProblemException(
                Problem.invalidParameter(
                        "size",
                        n
                                + " cells; at most "
                                + MAX_CELLS
                                + ": use a larger size or a smaller bbox"));
    }
}
