package org.gridgov.patrol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * A validated upload of positions: {"positions": [{"at", "lon", "lat", "accuracy"?}, …]}, at most
 * {@value #MAX} points, sorted by time (phones send them in any order after being offline).
 */
record PositionBatch(List<Position> positions) {

    record Position(OffsetDateTime at, double lon, double lat, Float accuracy) {}

    static final int MAX = 5_000;
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final Duration OLDEST = Duration.ofDays(30);

    static PositionBatch parse(ObjectNode body, Clock clock) {
        JsonNode list = body.get("positions");
        if (list == null || !list.isArray())
            throw invalid(
                    "/positions", "'positions' must be an array of {at, lon, lat, accuracy?}");
        if (list.isEmpty()) throw invalid("/positions", "'positions' is empty");
        if (list.size() > MAX)
            throw invalid(
                    "/positions", list.size() + " positions; at most " + MAX + " in one upload");
        body.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!f.equals("positions"))
                                throw invalid("/" + f, "unknown field '" + f + "'");
                        });
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Position> out = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
            JsonNode p = list.get(k);
            String at = "/positions/" + k;
            if (!p.isObject())
                throw invalid(at, "each position must be an object {at, lon, lat, accuracy?}");
            OffsetDateTime t = time(p.get("at"), at + "/at");
            if (t.isAfter(now.plus(CLOCK_SKEW)))
                throw invalid(at + "/at", "'" + t + "' lies in the future");
            if (t.isBefore(now.minus(OLDEST)))
                throw invalid(at + "/at", "'" + t + "' is more than 30 days old");
            double lon = number(p.get("lon"), at + "/lon"), lat = number(p.get("lat"), at + "/lat");
            if (lon < -180 || lon > 180)
                throw invalid(at + "/lon", "longitude " + lon + " is outside [-180, 180]");
            if (lat < -90 || lat > 90)
                throw invalid(at + "/lat", "latitude " + lat + " is outside [-90, 90]");
            Float accuracy = null;
            if (p.has("accuracy") && !p.get("accuracy").isNull()) {
                double a = number(p.get("accuracy"), at + "/accuracy");
                if (a < 0 || a > 10_000)
                    throw invalid(at + "/accuracy", "accuracy must be 0–10000 m");
                accuracy = (float) a;
            }
            out.add(new Position(t.truncatedTo(ChronoUnit.MICROS), lon, lat, accuracy));
        }
        out.sort(Comparator.comparing(Position::at));
        return new PositionBatch(out);
    }

    private static OffsetDateTime time(JsonNode n, String pointer) {
        if (n == null || !n.isTextual())
            throw invalid(pointer, "'at' must be an ISO-8601 date-time with offset");
        try {
            return OffsetDateTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw invalid(pointer, "'" + n.asText() + "' is not an ISO-8601 date-time with offset");
        }
    }

    private static double number(JsonNode n, String pointer) {
        if (n == null || !n.isNumber()) throw invalid(pointer, "a number is required");
        double v = n.doubleValue();
        if (!Double.isFinite(v)) throw invalid(pointer, "must be a finite number");
        return v;
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
