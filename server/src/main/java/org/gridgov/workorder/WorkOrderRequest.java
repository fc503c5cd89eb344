package org.gridgov.workorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Set;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;

/**
 * Validates one work order of {@code POST /api/v1/workorders} (or one CSV row, made into the same
 * shape). Every refusal names the field as a JSON pointer relative to the order ("/category"); the
 * caller prefixes the order's place in the batch. Unknown fields are refused.
 */
final class WorkOrderRequest {

    static final int MAX_TEXT = 4000;
    static final int MAX_ADDRESS = 500;
    static final int MAX_NAME = 100;
    static final int MAX_NO = 64;
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    static final Set<String> FIELDS =
            Set.of(
                    "sourceSystem",
                    "externalNo",
                    "category",
                    "text",
                    "reportedAt",
                    "signDueAt",
                    "completeDueAt",
                    "caller",
                    "address",
                    "location");

    private WorkOrderRequest() {}

    /**
     * @param now the server's time (a call cannot be reported from the future)
     */
    static WorkOrder parse(
            JsonNode node, HotlineCategories mapping, CategoryCatalog catalog, OffsetDateTime now) {
        if (node == null || !node.isObject())
            throw invalid("", "a work order is a JSON object, found " + JsonBody.kind(node));
        ObjectNode o = (ObjectNode) node;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw invalid(
                        "/" + f,
                        "unknown field '" + f + "'; allowed: " + new java.util.TreeSet<>(FIELDS));
        }
        String source = required(o, "sourceSystem", 64);
        if (!WorkOrder.SOURCE.matcher(source).matches())
            throw invalid(
                    "/sourceSystem",
                    "'" + source + "' is not a source system name: letters, digits, '_.-'");
        String no = required(o, "externalNo", MAX_NO);
        if (!no.chars().allMatch(ch -> ch > 0x20 && ch != 0x7f))
            throw invalid("/externalNo", "'externalNo' must not contain spaces or controls");
        String code = required(o, "category", 64);
        String text = required(o, "text", MAX_TEXT);
        OffsetDateTime reportedAt = time(o, "reportedAt");
        if (reportedAt.isAfter(now.plus(CLOCK_SKEW)))
            throw invalid("/reportedAt", "'reportedAt' " + reportedAt + " lies in the future");
        OffsetDateTime sign = time(o, "signDueAt");
        OffsetDateTime complete = time(o, "completeDueAt");
        if (!sign.isAfter(reportedAt))
            throw invalid(
                    "/signDueAt",
                    "the sign-for deadline "
                            + sign
                            + " is not after the call ("
                            + reportedAt
                            + ")");
        if (!complete.isAfter(sign))
            throw invalid(
                    "/completeDueAt",
                    "the completion deadline "
                            + complete
                            + " is not after the sign-for deadline "
                            + sign);
        String name = null, phone = null;
        JsonNode caller = o.get("caller");
        if (caller != null && !caller.isNull()) {
            if (!caller.isObject())
                throw invalid(
                        "/caller", "'caller' must be an object, found " + JsonBody.kind(caller));
            for (Iterator<String> it = caller.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("name") && !f.equals("phone"))
                    throw invalid(
                            "/caller/" + f, "unknown field '" + f + "'; allowed: name, phone");
            }
            name = JsonBody.optionalText((ObjectNode) caller, "name", "/caller/name", MAX_NAME);
            phone = JsonBody.optionalText((ObjectNode) caller, "phone", "/caller/phone", 32);
            if (phone != null && !phone.matches("[0-9+\\- ]{3,32}"))
                throw invalid(
                        "/caller/phone", "'phone' may contain only digits, '+', '-' and spaces");
        }
        String address = JsonBody.optionalText(o, "address", "/address", MAX_ADDRESS);
        if (address != null && address.isBlank())
            throw invalid("/address", "'address' must not be blank");
        double[] point = location(o.get("location"));
        if (address == null && point == null)
            throw invalid("/location", "give a 'location', an 'address', or both");
        HotlineCategories.Mapping m =
                mapping.find(source, code)
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-external-category",
                                                        "The hotline's category is not mapped",
                                                        "'"
                                                                + code
                                                                + "' of "
                                                                + source
                                                                + " has no gridgov category in"
                                                                + " the mapping"
                                                                + " (reference data"
                                                                + " hotline-categories)",
                                                        "/category")));
        // the case keeps the category as it was in force when the call came in
        Category category =
                catalog.at(reportedAt.toInstant())
                        .find(m.category())
                        .or(() -> catalog.find(m.category()))
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-external-category",
                                                        "The hotline's category is not mapped",
                                                        "'"
                                                                + code
                                                                + "' maps to "
                                                                + m.category()
                                                                + ", which is not a category"
                                                                + " in force",
                                                        "/category")));
        return new WorkOrder(
                source,
                no,
                code,
                category,
                text,
                reportedAt,
                sign,
                complete,
                name,
                phone,
                address,
                point == null ? null : point[0],
                point == null ? null : point[1]);
    }

    /** {"lon": .., "lat": ..} or a GeoJSON Point; null when absent. */
    static double[] location(JsonNode loc) {
        if (loc == null || loc.isNull()) return null;
        if (!loc.isObject())
            throw invalid("/location", "'location' must be an object, found " + JsonBody.kind(loc));
        double lon, lat;
        String lonAt, latAt;
        if (loc.has("type")) {
            if (!loc.get("type").asText().equals("Point"))
                throw new ProblemException(
                        Problem.of(
                                422,
                                "invalid-geometry",
                                "The location is not a point",
                                "a work order is located by a GeoJSON Point, found type "
                                        + loc.get("type"),
                                "/location/type"));
            JsonNode c = loc.get("coordinates");
            if (c == null || !c.isArray() || c.size() != 2)
                throw invalid("/location/coordinates", "'coordinates' must be [lon, lat]");
            lonAt = "/location/coordinates/0";
            latAt = "/location/coordinates/1";
            lon = number(c.get(0), lonAt);
            lat = number(c.get(1), latAt);
        } else {
            lonAt = "/location/lon";
            latAt = "/location/lat";
            lon = number(loc.get("lon"), lonAt);
            lat = number(loc.get("lat"), latAt);
        }
        if (lon < -180 || lon > 180)
            throw invalid(lonAt, "longitude " + lon + " is outside [-180, 180]");
        if (lat < -90 || lat > 90)
            throw invalid(latAt, "latitude " + lat + " is outside [-90, 90]");
        return new double[] {lon, lat};
    }

    private static double number(JsonNode n, String pointer) {
        if (n == null || n.isNull()) throw invalid(pointer, "a number is required");
        if (!n.isNumber()) throw invalid(pointer, "must be a number, found " + JsonBody.kind(n));
        double v = n.doubleValue();
        if (!Double.isFinite(v)) throw invalid(pointer, "must be a finite number");
        return v;
    }

    private static OffsetDateTime time(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) throw invalid("/" + name, "'" + name + "' is required");
        if (!n.isTextual())
            throw invalid(
                    "/" + name,
                    "'" + name + "' must be an ISO-8601 string, found " + JsonBody.kind(n));
        try {
            return OffsetDateTime.parse(n.asText()).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw invalid(
                    "/" + name,
                    "'"
                            + n.asText()
                            + "' is not an ISO-8601 date-time with offset,"
                            + " e.g. 2026-12-05T09:30:00+08:00");
        }
    }

    private static String required(ObjectNode o, String name, int max) {
        String s = JsonBody.optionalText(o, name, "/" + name, max);
        if (s == null) throw invalid("/" + name, "'" + name + "' is required");
        if (s.isBlank()) throw invalid("/" + name, "'" + name + "' must not be blank");
        return s;
    }

    static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
