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
        List<String> tables) {

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

    /** The layer's SQL with %plan% bound to a validated plan id (0 = the plan in effect now). */
    public String sqlForPlan(long planId) {
        if (sql == null) throw new IllegalStateException(name + " has no SQL source");
        return sql.replace("%plan%", Long.toString(planId));
    }

    public String defaultStyle() {
        return styles.isEmpty() ? null : styles.get(0);
    }
}
