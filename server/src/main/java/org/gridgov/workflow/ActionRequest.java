package org.gridgov.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.Platforms;

/**
 * A validated body of POST /api/v1/incidents/{id}/actions. Each action takes its own fields; a
 * field it does not take is refused, as is a missing one it needs.
 */
public record ActionRequest(
        CaseAction action,
        int expectedVersion,
        String note,
        String platform,
        Long assigneeId,
        String reason,
        Long originalId,
        Integer extraHours,
        List<String> platforms,
        boolean policeSupport,
        DistrictOutcome outcome,
        Integer satisfaction,
        ArrayNode attachments,
        Instant dueAt,
        String category,
        Map<String, Long> assignees,
        String department) {

    static final int MAX_NOTE = 2000;
    static final int MAX_ATTACHMENTS = 10;
    private static final Set<String> COMMON =
            Set.of("action", "expectedVersion", "note", "attachments");
    private static final Map<CaseAction, Set<String>> EXTRA = new EnumMap<>(CaseAction.class);

    static {
        for (CaseAction a : CaseAction.values()) EXTRA.put(a, Set.of());
        EXTRA.put(CaseAction.REJECT, Set.of("reason", "originalId"));
        EXTRA.put(CaseAction.MERGE, Set.of("originalId"));
        EXTRA.put(CaseAction.DISPATCH, Set.of("platform", "assigneeId"));
        EXTRA.put(CaseAction.TRANSFER, Set.of("platform", "assigneeId"));
        EXTRA.put(CaseAction.COORDINATE, Set.of("platforms", "policeSupport", "assignees"));
        EXTRA.put(CaseAction.SUPERVISE, Set.of("reason", "dueAt"));
        EXTRA.put(CaseAction.RECLASSIFY, Set.of("category", "reason"));
        EXTRA.put(CaseAction.DISTRICT_REPLY, Set.of("outcome"));
        EXTRA.put(CaseAction.RATE, Set.of("satisfaction"));
        EXTRA.put(CaseAction.REQUEST_EXTENSION, Set.of("reason", "extraHours"));
        EXTRA.put(CaseAction.REQUEST_RETURN, Set.of("reason"));
        EXTRA.put(CaseAction.REQUEST_PARKING, Set.of("reason"));
        EXTRA.put(CaseAction.DISTRICT_ASSIGN, Set.of("department", "dueAt"));
        EXTRA.put(CaseAction.DISTRICT_RETURN, Set.of("reason"));
    }

    public static ActionRequest parse(ObjectNode b) {
        JsonNode an = b.get("action");
        if (an == null || an.isNull()) throw invalid("/action", "'action' is required");
        if (!an.isTextual()) throw invalid("/action", "'action' must be a string");
        CaseAction action =
                CaseAction.parse(an.asText())
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-action",
                                                        "Unknown action",
                                                        "'"
                                                                + an.asText()
                                                                + "' is not an action; one of "
                                                                + java.util.Arrays.stream(
                                                                                CaseAction.values())
                                                                        .map(a -> a.wire)
                                                                        .toList(),
                                                        "/action")));
        Set<String> allowed = EXTRA.get(action);
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!COMMON.contains(f) && !allowed.contains(f)) {
                throw invalid(
                        "/" + f,
                        "'"
                                + action.wire
                                + "' does not take '"
                                + f
                                + "'; it takes "
                                + new java.util.TreeSet<>(union(COMMON, allowed)));
            }
        }
        JsonNode v = b.get("expectedVersion");
        if (v == null || v.isNull())
            throw invalid(
                    "/expectedVersion",
                    "'expectedVersion' is required: the version of the incident you acted upon (optimistic locking)");
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE)
            throw invalid("/expectedVersion", "'expectedVersion' must be a positive whole number");
        String note = text(b, "note", MAX_NOTE);
        String platform = text(b, "platform", 20);
        if (platform != null && !Platforms.CODES.contains(platform))
            throw invalid(
                    "/platform", "'" + platform + "' is not a platform; one of " + Platforms.CODES);
        Long assignee = id(b, "assigneeId");
        String reason = text(b, "reason", MAX_NOTE);
        Long original = id(b, "originalId");
        Integer extra = null;
        if (b.hasNonNull("extraHours")) {
            JsonNode e = b.get("extraHours");
            if (!e.isIntegralNumber() || e.asLong() < 1 || e.asLong() > 2000)
                throw invalid(
                        "/extraHours",
                        "'extraHours' must be a whole number of working hours from 1 to 2000");
            extra = e.asInt();
        }
        List<String> platforms = new ArrayList<>();
        if (b.has("platforms")) {
            JsonNode p = b.get("platforms");
            if (!p.isArray() || p.isEmpty())
                throw invalid(
                        "/platforms", "'platforms' must be a non-empty array of platform codes");
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < p.size(); i++) {
                if (!p.get(i).isTextual() || !Platforms.CODES.contains(p.get(i).asText()))
                    throw invalid("/platforms/" + i, "not a platform; one of " + Platforms.CODES);
                seen.add(p.get(i).asText());
            }
            platforms.addAll(seen);
        }
        boolean police = false;
        if (b.has("policeSupport")) {
            if (!b.get("policeSupport").isBoolean())
                throw invalid("/policeSupport", "'policeSupport' must be true or false");
            police = b.get("policeSupport").asBoolean();
        }
        DistrictOutcome outcome = outcome(text(b, "outcome", 20));
        Integer sat = null;
        if (b.hasNonNull("satisfaction")) {
            JsonNode s = b.get("satisfaction");
            if (!s.isIntegralNumber() || s.asInt() < 1 || s.asInt() > 5)
                throw invalid(
                        "/satisfaction",
                        "'satisfaction' must be a whole number from 1 (very dissatisfied) to 5 (very satisfied)");
            sat = s.asInt();
        }
        ArrayNode attachments = attachments(b.get("attachments"));
        Instant dueAt = null;
        String due = text(b, "dueAt", 40);
        if (due != null) {
            try {
                dueAt = OffsetDateTime.parse(due).toInstant();
            } catch (DateTimeParseException e) {
                throw invalid(
                        "/dueAt",
                        "'dueAt' must be an ISO-8601 time with offset, e.g. 2026-12-07T17:00:00+08:00");
            }
        }
        String category = text(b, "category", 48);
        Map<String, Long> assignees = assignees(b.get("assignees"));
        String department = text(b, "department", 32);

        switch (action) {
            case REJECT -> {
                if (reason == null || !(reason.equals("INVALID") || reason.equals("DUPLICATE")))
                    throw invalid("/reason", "'reason' must be INVALID or DUPLICATE");
                if (reason.equals("DUPLICATE") && original == null)
                    throw invalid("/originalId", "a duplicate names its original: 'originalId'");
                if (reason.equals("INVALID") && original != null)
                    throw invalid("/originalId", "only a DUPLICATE names an original");
            }
            case MERGE -> {
                if (original == null)
                    throw invalid(
                            "/originalId", "'originalId' (the case to merge into) is required");
            }
            case TRANSFER -> {
                if (platform == null)
                    throw invalid("/platform", "'platform' (where the case belongs) is required");
            }
            case SUPERVISE -> {
                if (reason == null || reason.isBlank())
                    throw invalid("/reason", "督办 needs a 'reason'");
                if (dueAt == null)
                    throw invalid("/dueAt", "'dueAt' (when the matter must be done) is required");
            }
            case RECLASSIFY -> {
                if (category == null)
                    throw invalid("/category", "'category' (the right category) is required");
                if (reason == null || reason.isBlank())
                    throw invalid("/reason", "a reclassification needs a 'reason' saying why");
            }
            case COORDINATE -> {
                if (platforms.isEmpty() && !police)
                    throw invalid(
                            "/platforms",
                            "name the platforms to coordinate, or ask for policeSupport");
            }
            case DISTRICT_REPLY -> {
                if (outcome == null)
                    throw invalid("/outcome", "'outcome' is required: HANDLED or RETURNED");
            }
            case RATE -> {
                if (sat == null) throw invalid("/satisfaction", "'satisfaction' is required");
            }
            case REQUEST_EXTENSION -> {
                if (reason == null || reason.isBlank())
                    throw invalid("/reason", "an extension needs a 'reason'");
                if (extra == null)
                    throw invalid("/extraHours", "'extraHours' (working hours wanted) is required");
            }
            case REQUEST_RETURN, REQUEST_PARKING -> {
                if (reason == null || reason.isBlank())
                    throw invalid("/reason", "this request needs a 'reason'");
            }
            case DISTRICT_ASSIGN -> {
                if (department == null || department.isBlank())
                    throw invalid(
                            "/department",
                            "'department' (a district department's code, GET /api/v1/departments)"
                                    + " is required");
            }
            case DISTRICT_RETURN -> {
                if (reason == null || reason.isBlank())
                    throw invalid(
                            "/reason",
                            "a return to the subdistrict needs a 'reason' saying why it is theirs");
            }
            case ESCALATE, REWORK, DENY, COMMENT, DISTRICT_RESOLVE -> {
                if (note == null || note.isBlank())
                    throw invalid("/note", "'" + action.wire + "' needs a 'note' saying why");
            }
            default -> {}
        }
        return new ActionRequest(
                action,
                v.asInt(),
                note,
                platform,
                assignee,
                reason,
                original,
                extra,
                List.copyOf(platforms),
                police,
                outcome,
                sat,
                attachments,
                dueAt,
                category,
                assignees,
                department);
    }

    /** Named subtask assignees of a coordination: {"PLATFORM": staffId, …}. */
    private static Map<String, Long> assignees(JsonNode a) {
        if (a == null || a.isNull()) return Map.of();
        if (!a.isObject())
            throw invalid("/assignees", "'assignees' must be an object {\"PLATFORM\": staffId, …}");
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String pf = it.next();
            JsonNode v = a.get(pf);
            if (!Platforms.CODES.contains(pf))
                throw invalid("/assignees/" + pf, "not a platform; one of " + Platforms.CODES);
            if (!v.isIntegralNumber() || v.asLong() < 1)
                throw invalid("/assignees/" + pf, "a staff id (positive whole number)");
            out.put(pf, v.asLong());
        }
        return out;
    }

    private static DistrictOutcome outcome(String text) {
        if (text == null) return null;
        for (DistrictOutcome o : DistrictOutcome.values()) if (o.name().equals(text)) return o;
        throw invalid(
                "/outcome",
                "'outcome' must be HANDLED (the district dealt with it) or RETURNED (back to the subdistrict)");
    }

    /**
     * Metadata only (name, mediaType, size, href): files live in a document store, not in the event
     * log.
     */
    private static ArrayNode attachments(JsonNode a) {
        if (a == null || a.isNull()) return null;
        if (!a.isArray())
            throw invalid(
                    "/attachments",
                    "'attachments' must be an array of {name, mediaType, size, href}");
        if (a.size() > MAX_ATTACHMENTS)
            throw invalid("/attachments", "at most " + MAX_ATTACHMENTS + " attachments");
        ArrayNode out = Responses.JSON.createArrayNode();
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            String p = "/attachments/" + i;
            if (!x.isObject())
                throw invalid(p, "an attachment is an object {name, mediaType, size, href}");
            ObjectNode o = out.addObject();
            for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("name", "mediaType", "size", "href").contains(f))
                    throw invalid(p + "/" + f, "unknown attachment field '" + f + "'");
            }
            String name = text((ObjectNode) x, "name", 200);
            if (name == null) throw invalid(p + "/name", "an attachment needs a 'name'");
            o.put("name", name);
            String mt = text((ObjectNode) x, "mediaType", 100);
            if (mt != null) {
                if (!mt.matches("[a-z]+/[a-zA-Z0-9.+-]+"))
                    throw invalid(p + "/mediaType", "not a media type");
                o.put("mediaType", mt);
            }
            if (x.has("size")) {
                if (!x.get("size").isIntegralNumber() || x.get("size").asLong() < 0)
                    throw invalid(p + "/size", "'size' is a byte count");
                o.put("size", x.get("size").asLong());
            }
            String href = text((ObjectNode) x, "href", 500);
            if (href != null) {
                if (!href.startsWith("https://") && !href.startsWith("http://"))
                    throw invalid(p + "/href", "'href' must be an http(s) URL");
                o.put("href", href);
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static String text(ObjectNode b, String name, int max) {
        JsonNode n = b.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw invalid("/" + name, "'" + name + "' must be a string");
        String s = n.asText();
        if (s.length() > max)
            throw invalid(
                    "/" + name, "'" + name + "' is " + s.length() + " characters; at most " + max);
        if (s.indexOf('\0') >= 0)
            throw invalid("/" + name, "'" + name + "' must not contain NUL characters");
        return s;
    }

    private static Long id(ObjectNode b, String name) {
        JsonNode n = b.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || n.asLong() < 1)
            throw invalid("/" + name, "'" + name + "' must be a positive id");
        return n.asLong();
    }

    static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
