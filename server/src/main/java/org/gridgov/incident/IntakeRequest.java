package org.gridgov.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
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
import org.gridgov.geocode.AddressInput;
import org.gridgov.notify.EmailAddress;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Validates the body of {@code POST /api/v1/incidents}. Every refusal names the field as a JSON
 * Pointer. Unknown fields are refused too: a misspelt "categroy" must not pass silently. Who asks
 * matters: without a token only a public channel and the server's time; a staff channel needs a
 * token; a report time in the past (paper records typed in later) needs a command-centre role.
 * Refused rather than quietly overridden, so a client learns what it may send (docs/intake.md).
 */
public final class IntakeRequest {

    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_NAME = 100;

    /**
     * Clocks of phones and hotline desks drift; a report may claim to be this far in the future.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Set<String> FIELDS =
            Set.of(
                    "category",
                    "channel",
                    "location",
                    "address",
                    "description",
                    "reportedAt",
                    "reporter",
                    "placeId",
                    "facilityCode");

    private static final Set<String> REPORTER_FIELDS = Set.of("name", "phone", "email", "notify");

    /** Who may back-date a report: the operators who type in paper records. */
    static final Set<Role> BACKDATING = Role.COMMAND_CENTRE;

    /**
     * The report, and who entered it (null: the public); {@code address} when the report gives an
     * address instead of a location (its point is then NaN until the address is placed).
     */
    public record Parsed(
            IncidentReport report,
            EnteredBy enteredBy,
            String address,
            Long placeId,
            String facilityCode) {
        public Parsed(IncidentReport report, EnteredBy enteredBy) {
            this(report, enteredBy, null);
        }

        public Parsed(IncidentReport report, EnteredBy enteredBy, String address) {
            this(report, enteredBy, address, null, null);
        }

        /** Whether the report names a place or a facility (docs/places.md). */
        public boolean namesSubjects() {
            return placeId != null || facilityCode != null;
        }
    }

    private IntakeRequest() {}

    /**
     * @param caller the token's principal, null when anonymous
     */
    public static Parsed parse(
            ObjectNode body, CategoryCatalog catalog, Clock clock, Principal caller) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw invalid(
                        "/" + f,
                        "unknown field '"
                                + f
                                + "'; allowed: "
                                + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        String categoryCode = requiredText(body, "category");
        Category category =
                catalog.find(categoryCode)
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-category",
                                                        "Unknown category",
                                                        "'"
                                                                + categoryCode
                                                                + "' is not a category of the taxonomy; GET /api/v1/categories lists them",
                                                        "/category")));
        String channelCode = requiredText(body, "channel");
        Channel channel;
        try {
            channel = Channel.valueOf(channelCode);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.of(
                            422,
                            "unknown-channel",
                            "Unknown channel",
                            "'"
                                    + channelCode
                                    + "' is not a channel; one of "
                                    + java.util.Arrays.toString(Channel.values()),
                            "/channel"));
        }
        if (caller == null && !channel.isPublic()) {
            throw new ProblemException(
                    Problem.of(
                            403,
                            "staff-channel",
                            "This channel is for staff",
                            "reports on "
                                    + channel
                                    + " are entered by staff with a token; without one, report on "
                                    + Channel.PUBLIC,
                            "/channel"));
        }
        String address = address(body);
        double[] lonLat =
                address == null
                        ? location(body.get("location"))
                        : new double[] {Double.NaN, Double.NaN};
        String description =
                JsonBody.optionalText(body, "description", "/description", MAX_DESCRIPTION);
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
        JsonNode claimed = body.get("reportedAt");
        if (caller == null && claimed != null && !claimed.isNull()) {
            throw new ProblemException(
                    Problem.of(
                            403,
                            "backdating-not-allowed",
                            "The report time is the server's",
                            "without a token a report is timed when it arrives; leave out 'reportedAt'",
                            "/reportedAt"));
        }
        OffsetDateTime reportedAt = reportedAt(claimed, now);
        // within the clock skew it is "now" from a drifting clock; earlier, a record typed in later
        boolean backdated = reportedAt.isBefore(now.minus(CLOCK_SKEW));
        if (backdated && !caller.hasAny(BACKDATING)) {
            throw new ProblemException(
                    Problem.of(
                            403,
                            "backdating-not-allowed",
                            "Back-dating needs a command-centre role",
                            "a 'reportedAt' before now is entered by "
                                    + BACKDATING
                                    + "; your roles are "
                                    + caller.roles(),
                            "/reportedAt"));
        }
        String reporterName = null, reporterPhone = null, reporterEmail = null;
        boolean notify = false;
        JsonNode reporter = body.get("reporter");
        if (reporter != null && !reporter.isNull()) {
            if (!reporter.isObject())
                throw invalid(
                        "/reporter", "'reporter' must be an object {name, phone, email, notify}");
            for (Iterator<String> it = reporter.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!REPORTER_FIELDS.contains(f))
                    throw invalid(
                            "/reporter/" + f,
                            "unknown field '" + f + "'; allowed: name, phone, email, notify");
            }
            reporterName =
                    JsonBody.optionalText(
                            (ObjectNode) reporter, "name", "/reporter/name", MAX_NAME);
            reporterPhone =
                    JsonBody.optionalText((ObjectNode) reporter, "phone", "/reporter/phone", 32);
            if (reporterPhone != null && !reporterPhone.matches("[0-9+\\- ]{3,32}")) {
                throw invalid(
                        "/reporter/phone", "'phone' may contain only digits, '+', '-' and spaces");
            }
            reporterEmail =
                    JsonBody.optionalText(
                            (ObjectNode) reporter,
                            "email",
                            "/reporter/email",
                            EmailAddress.MAX_LENGTH);
            if (reporterEmail != null && !EmailAddress.valid(reporterEmail))
                throw invalid(
                        "/reporter/email",
                        "'" + reporterEmail + "' is not an e-mail address like name@example.org");
            boolean contact = reporterPhone != null || reporterEmail != null;
            JsonNode n = reporter.get("notify");
            if (n != null && !n.isNull() && !n.isBoolean())
                throw invalid("/reporter/notify", "'notify' must be true or false");
            // told of their case unless they say no, when there is a way to reach them
            notify = n == null || n.isNull() ? contact : n.asBoolean();
            if (notify && !contact)
                throw invalid(
                        "/reporter/notify",
                        "'notify' needs a 'phone' or an 'email' to send the messages to");
        }
        // the case keeps the category as it was in force when it was reported (its deadline)
        category = catalog.at(reportedAt.toInstant()).find(categoryCode).orElse(category);
        IncidentReport report =
                new IncidentReport(
                        category,
                        channel,
                        lonLat[0],
                        lonLat[1],
                        description == null ? "" : description,
                        reportedAt,
                        reporterName,
                        reporterPhone,
                        reporterEmail,
                        notify);
        EnteredBy by =
                caller == null
                        ? null
                        : new EnteredBy(
                                caller.staffId(), caller.username(), role(caller), backdated);
        return new Parsed(report, by, address, placeId(body), facilityCode(body));
    }

    /** The place the report is about (docs/places.md): a positive id, or absent. */
    private static Long placeId(ObjectNode body) {
        JsonNode n = body.get("placeId");
        if (n == null || n.isNull()) return null;
        if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() <= 0)
            throw invalid("/placeId", "'placeId' must be a positive whole number (a place's id)");
        return n.asLong();
    }

    /** The facility the report is about: its code as printed on it, or absent. */
    private static String facilityCode(ObjectNode body) {
        JsonNode n = body.get("facilityCode");
        if (n == null || n.isNull()) return null;
        if (!n.isTextual())
            throw invalid(
                    "/facilityCode", "'facilityCode' must be a string, found " + JsonBody.kind(n));
        String code = n.asText().trim();
        if (!code.matches("[A-Za-z0-9_-]{1,40}"))
            throw invalid(
                    "/facilityCode",
                    "'" + code + "' is not a facility code (1 to 40 of A-Z, a-z, 0-9, '_', '-')");
        return code;
    }

    /** 'address' instead of 'location' (docs/addresses.md): one of them, not both. */
    private static String address(ObjectNode body) {
        JsonNode a = body.get("address");
        if (a == null || a.isNull()) return null;
        JsonNode loc = body.get("location");
        if (loc != null && !loc.isNull())
            throw invalid(
                    "/address",
                    "give either 'location' or 'address', not both: a point and an address may"
                            + " disagree");
        if (!a.isTextual())
            throw invalid("/address", "'address' must be a string, found " + JsonBody.kind(a));
        return AddressInput.check(a.asText(), "/address", 422);
    }

    /** The role the caller acted in, for the event log: the back-dating one when they hold it. */
    private static String role(Principal p) {
        for (Role r : p.roles()) if (BACKDATING.contains(r)) return r.name();
        return p.roles().iterator().next().name();
    }

    /** {"lon": .., "lat": ..} or a GeoJSON Point {"type": "Point", "coordinates": [lon, lat]}. */
    static double[] location(JsonNode loc) {
        if (loc == null || loc.isNull())
            throw invalid(
                    "/location",
                    "'location' is required: {\"lon\": …, \"lat\": …} or a GeoJSON Point"
                            + " (or give an 'address' instead)");
        if (!loc.isObject())
            throw invalid("/location", "'location' must be an object, found " + JsonBody.kind(loc));
        double lon, lat;
        if (loc.has("type")) {
            JsonNode type = loc.get("type");
            if (!type.isTextual() || !type.asText().equals("Point")) {
                throw new ProblemException(
                        Problem.of(
                                422,
                                "invalid-geometry",
                                "The location is not a point",
                                "a report is located by a GeoJSON Point, found type " + type,
                                "/location/type"));
            }
            JsonNode coords = loc.get("coordinates");
            if (coords == null || !coords.isArray() || coords.size() < 2 || coords.size() > 3) {
                throw invalid(
                        "/location/coordinates",
                        "a Point's 'coordinates' must be [lon, lat] (optionally with a height)");
            }
            lon = number(coords.get(0), "/location/coordinates/0");
            lat = number(coords.get(1), "/location/coordinates/1");
            if (coords.size() == 3) number(coords.get(2), "/location/coordinates/2");
        } else {
            lon = number(loc.get("lon"), "/location/lon");
            lat = number(loc.get("lat"), "/location/lat");
        }
        if (lon < -180 || lon > 180)
            throw invalid(pointerOf(loc, 0), "longitude " + lon + " is outside [-180, 180]");
        if (lat < -90 || lat > 90)
            throw invalid(pointerOf(loc, 1), "latitude " + lat + " is outside [-90, 90]");
        return new double[] {lon, lat};
    }

    private static String pointerOf(JsonNode loc, int axis) {
        if (loc.has("type")) return "/location/coordinates/" + axis;
        return axis == 0 ? "/location/lon" : "/location/lat";
    }

    private static double number(JsonNode n, String pointer) {
        if (n == null || n.isNull()) throw invalid(pointer, "a number is required");
        if (!n.isNumber()) throw invalid(pointer, "must be a number, found " + JsonBody.kind(n));
        double v = n.doubleValue();
        if (!Double.isFinite(v)) throw invalid(pointer, "must be a finite number");
        return v;
    }

    /**
     * @param now truncated to microseconds, as PostgreSQL keeps it, so the answer equals what is
     *     stored
     */
    private static OffsetDateTime reportedAt(JsonNode n, OffsetDateTime now) {
        if (n == null || n.isNull()) return now;
        if (!n.isTextual())
            throw invalid(
                    "/reportedAt",
                    "'reportedAt' must be an ISO-8601 string with offset, found "
                            + JsonBody.kind(n));
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(n.asText()).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw invalid(
                    "/reportedAt",
                    "'"
                            + n.asText()
                            + "' is not an ISO-8601 date-time with offset, e.g. 2026-11-25T09:30:00+08:00");
        }
        if (t.isAfter(now.plus(CLOCK_SKEW)))
            throw invalid("/reportedAt", "'reportedAt' " + t + " lies in the future");
        return t;
    }

    private static String requiredText(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) throw invalid("/" + name, "'" + name + "' is required");
        if (!n.isTextual())
            throw invalid("/" + name, "'" + name + "' must be a string, found " + JsonBody.kind(n));
        if (n.asText().isBlank()) throw invalid("/" + name, "'" + name + "' must not be blank");
        return n.asText();
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
