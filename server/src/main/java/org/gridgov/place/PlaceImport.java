package org.gridgov.place;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Csv;

/**
 * Reads an import of places or facilities (docs/places.md): a GeoJSON FeatureCollection of points
 * (EPSG:4326) or a CSV file with lon and lat columns (read through api/Csv, as Excel writes it).
 * Every problem is collected with where it is — "feature 3" or "line 7" — so one answer lists them
 * all; {@link PlaceStore} then writes the rows in one transaction or not at all.
 */
final class PlaceImport {

    /** A row read, with where it came from ("feature 3", "line 7"). */
    record Row(
            String where,
            String code,
            String kind,
            String name,
            String ownerName,
            String ownerPhone,
            String department,
            double lon,
            double lat) {}

    /** A problem of one row. */
    record Issue(String where, String code, String problem) {}

    /** What was read: the rows and the problems found. */
    record Read(List<Row> rows, List<Issue> issues) {}

    static final int MAX_ROWS = 50_000;

    private static final List<String> PLACE_COLUMNS =
            List.of("code", "kind", "name", "ownerName", "ownerPhone", "lon", "lat");
    private static final List<String> FACILITY_COLUMNS =
            List.of("code", "kind", "department", "lon", "lat");

    private PlaceImport() {}

    static Read geoJson(ObjectNode fc, boolean places) {
        List<Row> rows = new ArrayList<>();
        List<Issue> issues = new ArrayList<>();
        if (!"FeatureCollection".equals(fc.path("type").asText())
                || !fc.path("features").isArray()) {
            issues.add(new Issue("file", null, "a GeoJSON FeatureCollection is expected"));
            return new Read(rows, issues);
        }
        int i = 0;
        for (JsonNode f : fc.get("features")) {
            String where = "feature " + i++;
            JsonNode g = f.path("geometry");
            JsonNode p = f.path("properties");
            String code = text(p, "code");
            if (!"Point".equals(g.path("type").asText())
                    || !g.path("coordinates").isArray()
                    || g.get("coordinates").size() < 2
                    || !g.get("coordinates").get(0).isNumber()
                    || !g.get("coordinates").get(1).isNumber()) {
                issues.add(new Issue(where, code, "a Point geometry [lon, lat] is required"));
                continue;
            }
            rows.add(
                    row(
                            where,
                            code,
                            text(p, "kind"),
                            text(p, places ? "name" : "department"),
                            places ? text(p, "owner_name") : null,
                            places ? text(p, "owner_phone") : null,
                            g.get("coordinates").get(0).asDouble(),
                            g.get("coordinates").get(1).asDouble(),
                            places));
        }
        return check(rows, issues, places);
    }

    static Read csv(byte[] body, boolean places) {
        List<Row> rows = new ArrayList<>();
        List<Issue> issues = new ArrayList<>();
        List<Csv.Row> read;
        try {
            read =
                    places
                            ? Csv.rows(
                                    "places.csv",
                                    new ByteArrayInputStream(body),
                                    PLACE_COLUMNS,
                                    Map.of("ownerName", "", "ownerPhone", ""))
                            : Csv.rows(
                                    "facilities.csv",
                                    new ByteArrayInputStream(body),
                                    FACILITY_COLUMNS);
        } catch (Csv.BadCsv e) {
            issues.add(new Issue("line " + e.line(), null, e.getMessage()));
            return new Read(rows, issues);
        } catch (IllegalStateException e) {
            issues.add(new Issue("file", null, e.getMessage() + " (save the file as CSV UTF-8)"));
            return new Read(rows, issues);
        }
        for (Csv.Row r : read) {
            String where = "line " + r.line();
            double lon, lat;
            try {
                lon = Double.parseDouble(r.text("lon"));
                lat = Double.parseDouble(r.text("lat"));
            } catch (NumberFormatException e) {
                issues.add(new Issue(where, r.text("code"), "lon and lat must be numbers"));
                continue;
            }
            rows.add(
                    row(
                            where,
                            r.text("code"),
                            r.text("kind"),
                            r.text(places ? "name" : "department"),
                            places ? blankToNull(r.text("ownerName")) : null,
                            places ? blankToNull(r.text("ownerPhone")) : null,
                            lon,
                            lat,
                            places));
        }
        return check(rows, issues, places);
    }

    private static Row row(
            String where,
            String code,
            String kind,
            String nameOrDepartment,
            String ownerName,
            String ownerPhone,
            double lon,
            double lat,
            boolean places) {
        return new Row(
                where,
                code,
                kind,
                places ? nameOrDepartment : null,
                ownerName,
                ownerPhone,
                places ? null : nameOrDepartment,
                lon,
                lat);
    }

    /** The checks of each row on its own; the database checks units and departments. */
    private static Read check(List<Row> rows, List<Issue> issues, boolean places) {
        if (rows.isEmpty() && issues.isEmpty())
            issues.add(new Issue("file", null, "the file holds no rows"));
        if (rows.size() > MAX_ROWS)
            issues.add(new Issue("file", null, "at most " + MAX_ROWS + " rows per import"));
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            String c = r.code();
            if (c == null || !c.matches(PlaceKinds.CODE))
                issues.add(new Issue(r.where(), c, "code: 1 to 40 of A-Z, a-z, 0-9, '_', '-'"));
            else if (!seen.add(c)) issues.add(new Issue(r.where(), c, "code appears twice"));
            List<String> kinds = places ? PlaceKinds.PLACES : PlaceKinds.FACILITIES;
            if (r.kind() == null || !kinds.contains(r.kind()))
                issues.add(new Issue(r.where(), c, "kind must be one of " + kinds));
            if (!Double.isFinite(r.lon())
                    || !Double.isFinite(r.lat())
                    || Math.abs(r.lon()) > 180
                    || Math.abs(r.lat()) > 90)
                issues.add(new Issue(r.where(), c, "lon/lat outside [-180, 180] / [-90, 90]"));
            if (places) {
                if (r.name() == null || r.name().isBlank() || r.name().length() > 200)
                    issues.add(new Issue(r.where(), c, "name: 1 to 200 characters"));
                if (r.ownerName() != null && r.ownerName().length() > 100)
                    issues.add(new Issue(r.where(), c, "owner name: at most 100 characters"));
                if (r.ownerPhone() != null && !r.ownerPhone().matches("[0-9+\\- ]{3,32}"))
                    issues.add(
                            new Issue(
                                    r.where(),
                                    c,
                                    "owner phone: 3 to 32 of digits, '+', '-' and spaces"));
            } else if (r.department() == null || r.department().isBlank())
                issues.add(new Issue(r.where(), c, "department is required"));
        }
        return new Read(rows, issues);
    }

    private static String text(JsonNode p, String name) {
        JsonNode n = p.get(name);
        return n == null || n.isNull() ? null : n.asText().trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
