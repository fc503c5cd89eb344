package org.gridgov.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * The body of POST /api/v1/plans/{id}/rebalance (docs/planning.md).
 *
 * @param mode keepCount (total kept, shared by workload), keepEachCommunity, capacity (one grid per
 *     capacityPerWorker hours), targets (gridsPerCommunity), households (one grid per
 *     householdsPerGrid households: how a first plan is sized)
 * @param communityFactors what-if multipliers of the workload of some communities
 */
public record RebalanceRequest(
        String mode,
        Double capacityPerWorker,
        Integer householdsPerGrid,
        Map<Long, Integer> gridsPerCommunity,
        Rebalancer.Params params,
        Instant from,
        Instant to,
        Map<Long, Double> communityFactors,
        String name) {

    static final Set<String> MODES =
            Set.of("keepCount", "keepEachCommunity", "capacity", "targets", "households");
    static final Set<String> FIELDS =
            Set.of(
                    "mode",
                    "capacityPerWorker",
                    "householdsPerGrid",
                    "gridsPerCommunity",
                    "tolerance",
                    "maxMovedShare",
                    "includeSpecial",
                    "from",
                    "to",
                    "communityFactors",
                    "name",
                    "compactWeight",
                    "changeWeight");

    public static RebalanceRequest parse(ObjectNode b) {
        b.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!FIELDS.contains(f))
                                throw new ProblemException(
                                        Problem.invalidField(
                                                "/" + f,
                                                "unknown field '"
                                                        + f
                                                        + "'; known: "
                                                        + new java.util.TreeSet<>(FIELDS)));
                        });
        String mode = b.has("mode") ? b.get("mode").asText() : "keepCount";
        if (!b.path("mode").isMissingNode() && !b.get("mode").isTextual()
                || !MODES.contains(mode)) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/mode", "'mode' must be one of " + new java.util.TreeSet<>(MODES)));
        }
        Double capacity = null;
        if (mode.equals("capacity")) capacity = number(b, "capacityPerWorker", 1, 1e9, null);
        Integer perGrid = null;
        if (mode.equals("households")) {
            JsonNode h = b.get("householdsPerGrid");
            if (h == null || !h.isIntegralNumber() || h.asInt() < 1 || h.asInt() > 100_000)
                throw new ProblemException(
                        Problem.invalidField(
                                "/householdsPerGrid",
                                "'householdsPerGrid' must be a whole number in 1..100000 (300–500"
                                        + " is common)"));
            perGrid = h.asInt();
        }
        Map<Long, Integer> targets = new TreeMap<>();
        if (mode.equals("targets")) {
            JsonNode t = b.get("gridsPerCommunity");
            if (t == null || !t.isObject() || t.isEmpty())
                throw new ProblemException(
                        Problem.invalidField(
                                "/gridsPerCommunity",
                                "'gridsPerCommunity' must map community ids to grid counts"));
            t.properties()
                    .forEach(
                            e ->
                                    targets.put(
                                            id(e.getKey(), "/gridsPerCommunity"),
                                            count(
                                                    e.getValue(),
                                                    "/gridsPerCommunity/" + e.getKey())));
        }
        Rebalancer.Params d = Rebalancer.Params.defaults();
        JsonNode special = b.get("includeSpecial");
        if (special != null && !special.isBoolean())
            throw new ProblemException(
                    Problem.invalidField(
                            "/includeSpecial", "'includeSpecial' must be true or false"));
        Rebalancer.Params p =
                new Rebalancer.Params(
                        number(b, "tolerance", 0.001, 1, d.tolerance()),
                        number(b, "compactWeight", 0, 100, d.compactWeight()),
                        number(b, "changeWeight", 0, 100, d.changeWeight()),
                        number(b, "maxMovedShare", 0, 1, d.maxMovedShare()),
                        d.maxPasses(),
                        special != null && special.asBoolean());
        Map<Long, Double> factors = new TreeMap<>();
        JsonNode f = b.get("communityFactors");
        if (f != null) {
            if (!f.isObject())
                throw new ProblemException(
                        Problem.invalidField(
                                "/communityFactors",
                                "'communityFactors' must map community ids to factors"));
            f.properties()
                    .forEach(
                            e -> {
                                if (!e.getValue().isNumber()
                                        || e.getValue().asDouble() <= 0
                                        || e.getValue().asDouble() > 100) {
                                    throw new ProblemException(
                                            Problem.invalidField(
                                                    "/communityFactors/" + e.getKey(),
                                                    "a factor must be a number in (0, 100]"));
                                }
                                factors.put(
                                        id(e.getKey(), "/communityFactors"),
                                        e.getValue().asDouble());
                            });
        }
        Instant from = time(b, "from"), to = time(b, "to");
        if (from != null && to != null && !from.isBefore(to))
            throw new ProblemException(Problem.invalidField("/from", "'from' must be before 'to'"));
        JsonNode name = b.get("name");
        if (name != null
                && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 200)) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/name",
                            "'name' must be a non-empty string of at most 200 characters"));
        }
        return new RebalanceRequest(
                mode,
                capacity,
                perGrid,
                targets,
                p,
                from,
                to,
                factors,
                name == null ? null : name.asText().strip());
    }

    private static double number(ObjectNode b, String field, double min, double max, Double dflt) {
        JsonNode v = b.get(field);
        if (v == null && dflt != null) return dflt;
        if (v == null || !v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/" + field,
                            "'" + field + "' must be a number in [" + min + ", " + max + "]"));
        }
        return v.asDouble();
    }

    private static long id(String key, String field) {
        try {
            long v = Long.parseLong(key);
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.invalidField(field, "'" + key + "' is not a community id"));
        }
    }

    private static int count(JsonNode v, String field) {
        if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 999)
            throw new ProblemException(
                    Problem.invalidField(field, "a grid count must be a whole number in 1..999"));
        return v.asInt();
    }

    private static Instant time(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null) return null;
        try {
            if (!v.isTextual()) throw new DateTimeParseException("", "", 0);
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidField(
                            "/" + field, "'" + field + "' must be an ISO-8601 time with offset"));
        }
    }
}
