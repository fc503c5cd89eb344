package org.gridgov.category;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;

/** Reference rows to and from JSON: cells as text inside, typed by their column outside. */
public final class RefJson {

    /** How far in the past an effectiveFrom may lie (clock skew between client and server). */
    static final java.time.Duration SKEW = java.time.Duration.ofMinutes(1);

    private RefJson() {}

    /** A row as JSON: numbers and booleans as such, the rest as strings. */
    public static ObjectNode row(RefKind<?> kind, Map<String, String> cells) {
        ObjectNode o = Responses.JSON.createObjectNode();
        for (RefKind.Column c : kind.columns()) {
            String v = cells.get(c.name());
            try {
                switch (c.type()) {
                    case INTEGER -> o.put(c.name(), Long.parseLong(v));
                    case NUMBER -> o.put(c.name(), new BigDecimal(v));
                    case BOOLEAN -> o.put(c.name(), Boolean.parseBoolean(v));
                    case TEXT -> o.put(c.name(), v);
                }
            } catch (NumberFormatException e) {
                o.put(c.name(), v); // stored before a check existed: shown as it is
            }
        }
        return o;
    }

    public static ArrayNode rows(RefKind<?> kind, List<Map<String, String>> rows) {
        ArrayNode a = Responses.JSON.createArrayNode();
        rows.forEach(r -> a.add(row(kind, r)));
        return a;
    }

    /** The cells of one JSON row object; {@code pointer} locates it in the body. */
    public static Map<String, String> cells(JsonNode n, String pointer) {
        if (n == null || !n.isObject())
            throw invalid(pointer, "each row is a JSON object of its columns");
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            if (!v.isValueNode())
                throw invalid(pointer + "/" + e.getKey(), "a string, number or boolean");
            m.put(e.getKey(), v.isNull() ? "" : v.asText().trim());
        }
        return m;
    }

    /** The "rows" array of a body. */
    public static List<Map<String, String>> rowsOf(ObjectNode body) {
        JsonNode rows = body.get("rows");
        if (rows == null || !rows.isArray())
            throw invalid("/rows", "'rows' is required: an array of row objects");
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) out.add(cells(rows.get(i), "/rows/" + i));
        return out;
    }

    /**
     * The body's effectiveFrom (absent: now); a time more than a minute past is refused, since
     * cases already reported keep the rules they were reported under.
     */
    public static Instant effectiveFrom(JsonNode n, String field, Instant now) {
        if (n == null || n.isNull()) return now.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (!n.isTextual())
            throw invalid(
                    field, "an ISO-8601 date-time with offset, e.g. 2027-01-01T00:00:00+08:00");
        return effectiveFrom(n.asText(), field, now, false);
    }

    public static Instant effectiveFrom(String text, String field, Instant now, boolean query) {
        if (text == null) return now.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant t;
        try {
            t = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            String d =
                    "'"
                            + text
                            + "' is not an ISO-8601 date-time with offset, e.g."
                            + " 2027-01-01T00:00:00+08:00";
            throw new ProblemException(
                    query ? Problem.invalidParameter(field, d) : Problem.invalidField(field, d));
        }
        if (t.isBefore(now.minus(SKEW))) {
            String d =
                    "effectiveFrom "
                            + text
                            + " lies in the past: a change takes effect now or later (cases keep"
                            + " the rules in force when they were reported)";
            throw new ProblemException(
                    query ? Problem.invalidParameter(field, d) : Problem.invalidField(field, d));
        }
        // to the microsecond, as PostgreSQL keeps it (it would round, perhaps up, past ?at=t)
        return (t.isBefore(now) ? now : t).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** The body's note: optional text of at most 500 characters. */
    public static String note(JsonNode n) {
        if (n == null || n.isNull()) return "";
        if (!n.isTextual() || n.asText().length() > 500)
            throw invalid("/note", "'note' is text of at most 500 characters");
        return n.asText();
    }

    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.invalidField(field, detail));
    }
}
