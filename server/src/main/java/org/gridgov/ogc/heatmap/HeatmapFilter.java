package org.gridgov.ogc.heatmap;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gridgov.ogc.catalog.SubdistrictFilter;
import org.gridgov.ogc.catalog.TimeInterval;

/**
 * The heatmap's vendor parameters (from, to, category, platform), validated once (by the WMS
 * request reader) for both renderers: MapServer gets them through VALIDATION regexes, the in-server
 * renderer as values. Dates are days in the subdistrict's time zone; {@code to} is inclusive. time
 * is the WMS TIME interval (null: all times); both bound the incidents counted.
 */
public record HeatmapFilter(
        LocalDate from, LocalDate to, String category, String platform, TimeInterval time) {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    public static final int RADIUS_PX = 12;
    public static final String DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
    public static final String CATEGORY = "^[A-Z][A-Z0-9_]{1,47}$";

    /** name → {regex, default} for the MapServer source layer. */
    public static final Map<String, String[]> MAPSERVER_VALIDATION = new LinkedHashMap<>();

    static {
        MAPSERVER_VALIDATION.put("from", new String[] {DATE, "1970-01-01"});
        MAPSERVER_VALIDATION.put("to", new String[] {DATE, "9999-12-30"});
        MAPSERVER_VALIDATION.put("category", new String[] {"^(ALL|[A-Z][A-Z0-9_]{1,47})$", "ALL"});
        MAPSERVER_VALIDATION.put(
                "platform", new String[] {"^(ALL|GOVERNANCE|MARKET|ENFORCEMENT|SERVICE)$", "ALL"});
        MAPSERVER_VALIDATION.put("width", new String[] {"^[0-9]{1,4}$", "512"});
    }

    /**
     * Incidents snapped to a two-pixel grid of the requested map (at least 0.001°, about 100 m),
     * weighted by count, places with fewer than three left out. MapServer draws the heatmap only
     * when it is combined with other layers or restyled, and it cannot tell who asks: this path is
     * always at the public resolution (docs/analytics.md). {@link SubdistrictFilter#PLACEHOLDER}
     * narrows it to the subdistrict the gateway writes for the caller, as the per-subdistrict
     * layers are (the isolation rule; the in-process renderer counts the same incidents).
     */
    public static final String MAPSERVER_SOURCE_SQL =
            """
            SELECT min(id) AS id, count(*)::int AS n,
                   ST_SnapToGrid(location, GREATEST((ST_XMax(!BOX!) - ST_XMin(!BOX!)) / %width% * 2, 0.001)) AS geom
            FROM incident
            WHERE location && !BOX!
              AND reported_at >= ('%from%'::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND reported_at < ('%to%'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND reported_at >= '%time_from%'::timestamptz AND reported_at < '%time_to%'::timestamptz
              AND ('%category%' = 'ALL' OR category = '%category%')
              AND ('%platform%' = 'ALL' OR platform = '%platform%')
              AND (%subdistrict% = 0 OR subdistrict_id = %subdistrict%)
            GROUP BY 3
            HAVING count(*) >= 3""";

    public static final HeatmapFilter NONE = new HeatmapFilter(null, null, null, null, null);

    /** Epoch second the filter starts at (inclusive), or Long.MIN_VALUE. */
    public long fromEpochSecond() {
        long day = from == null ? Long.MIN_VALUE : from.atStartOfDay(ZONE).toEpochSecond();
        return time == null || time.start() == null
                ? day
                : Math.max(day, time.start().getEpochSecond());
    }

    /** Epoch second the filter ends at (exclusive), or Long.MAX_VALUE. */
    public long toEpochSecond() {
        long day = to == null ? Long.MAX_VALUE : to.plusDays(1).atStartOfDay(ZONE).toEpochSecond();
        return time == null || time.end() == null
                ? day
                : Math.min(day, time.end().getEpochSecond());
    }
}
