package org.gridgov.ogc.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One published layer, as layers.yaml describes it. {@code sql} gives id, geom (EPSG:4326) and
 * exactly the published attributes; a raster layer (heatmap) has none. {@code tables} are the
 * tables the SQL reads: a write to one of them drops the layer's cached vector tiles, and only its.
 */
public record Layer(
        String name,
        String title,
        @JsonProperty("abstract") String abstractText,
        String geometry,
        String sql,
        LinkedHashMap<String, String> attributes,
        String access,
        List<String> roles,
        List<String> styles,
        boolean tiles,
        Integer aggregateBelowZoom,
        List<String> tables,
        TimeDimension time) {

    /**
     * A time dimension (WMS TIME, OGC API datetime): {@code column} of {@code table} is the
     * timestamptz the layer is filtered by; the layer SQL says where with {@code %time%}.
     */
    public record TimeDimension(String table, String column) {

        /**
         * The vendor parameters the gateway sends MapServer a validated interval in (never the
         * client's own: the gateway forwards only what it wrote), their VALIDATION pattern and the
         * values that leave the interval open (the WFS sends none).
         */
        public static final String FROM = "time_from", TO = "time_to";

        public static final String PATTERN =
                "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?Z$";
        public static final String OPEN_FROM = "0001-01-01T00:00:00Z",
                OPEN_TO = "9999-12-31T00:00:00Z";

        /** The condition MapServer substitutes the parameters into. */
        public String mapServerCondition() {
            return column
                    + " >= '%"
                    + FROM
                    + "%'::timestamptz AND "
                    + column
                    + " < '%"
                    + TO
                    + "%'::timestamptz";
        }
    }

    /** A layer without a time dimension. */
    public Layer(
            String name,
            String title,
            String abstractText,
            String geometry,
            String sql,
            LinkedHashMap<String, String> attributes,
            String access,
            List<String> roles,
            List<String> styles,
            boolean tiles,
            Integer aggregateBelowZoom,
            List<String> tables) {
        this(
                name,
                title,
                abstractText,
                geometry,
                sql,
                attributes,
                access,
                roles,
                styles,
                tiles,
                aggregateBelowZoom,
                tables,
                null);
    }

    /** What %time% stands for when no time is asked for. */
    private static final String ALL_TIMES = "true";

    public Layer {
        attributes = attributes == null ? new LinkedHashMap<>() : attributes;
        roles = roles == null ? List.of() : List.copyOf(roles);
        styles = styles == null ? List.of() : List.copyOf(styles);
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    public boolean isRaster() {
        return "RASTER".equals(geometry);
    }

    public boolean hasPlanParameter() {
        return sql != null && sql.contains("%plan%");
    }

    /**
     * Whether the layer is published per subdistrict: its SQL narrows to one subdistrict where it
     * says {@code %subdistrict%} (0 = every subdistrict), which every reader binds from the
     * caller's scope ({@link SubdistrictFilter}). The heatmap (raster) is too: it counts incidents,
     * and both its renderers count the caller's subdistrict's only (its MapServer source SQL, in
     * {@code ogc.heatmap.HeatmapFilter}, says {@code %subdistrict%} as well).
     */
    public boolean bySubdistrict() {
        return isRaster() || (sql != null && sql.contains(SubdistrictFilter.PLACEHOLDER));
    }

    /**
     * The abstract as capabilities and collections show it: a per-subdistrict layer says how to ask
     * for one subdistrict.
     */
    public String describedAbstract() {
        if (!bySubdistrict()) return abstractText;
        String note =
                "Per subdistrict: the vendor parameter subdistrict=ID (the subdistrict layer's"
                        + " feature id) gives one subdistrict's "
                        + (isRaster() ? "incidents" : "features")
                        + "; without it, every subdistrict the caller may see.";
        return abstractText == null ? note : abstractText + " " + note;
    }

    /**
     * The layer's SQL for a plan (0 = the plans in effect now), on a layer with a time dimension a
     * time interval (null: all times), and on a per-subdistrict layer the subdistrict(s) the caller
     * may see. The instants are written as ISO text, which holds only digits, '-', ':', '.', 'T'
     * and 'Z'; the plan and subdistrict as numbers.
     */
    public String sqlFor(long planId, TimeInterval interval, SubdistrictFilter subdistrict) {
        if (sql == null) throw new IllegalStateException(name + " has no SQL source");
        return sql.replace("%plan%", Long.toString(planId))
                .replace("%time%", timeCondition(interval))
                .replace(SubdistrictFilter.PLACEHOLDER, subdistrict.sql());
    }

    /** The SQL condition %time% stands for: the interval on the time column, or true. */
    public String timeCondition(TimeInterval interval) {
        if (time == null || interval == null || interval.unbounded()) return ALL_TIMES;
        String c = time.column();
        if (interval.start() == null) return c + " < '" + interval.end() + "'::timestamptz";
        if (interval.end() == null) return c + " >= '" + interval.start() + "'::timestamptz";
        return c
                + " >= '"
                + interval.start()
                + "'::timestamptz AND "
                + c
                + " < '"
                + interval.end()
                + "'::timestamptz";
    }

    public String defaultStyle() {
        return styles.isEmpty() ? null : styles.get(0);
    }
}
