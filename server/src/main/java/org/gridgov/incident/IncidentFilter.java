package org.gridgov.incident;

import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.geo.Bbox;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;

/**
 * The query of {@code GET /api/v1/incidents}. Paging is by keyset, newest first: the cursor
 * carries the last id returned, so pages stay stable while new reports arrive.
 */
public record IncidentFilter(Bbox bbox, OffsetDateTime from, OffsetDateTime to, String category, String platform,
                             String status, Long gridId, Long beforeId, int limit) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String CURSOR_PREFIX = "i1:";
    private static final Set<String> STATUSES = Set.of("REPORTED", "ACCEPTED", "REJECTED", "DISPATCHED", "IN_PROGRESS",
            "RESOLVED", "VERIFIED", "CLOSED", "ESCALATED", "COORDINATION");
    private static final Set<String> PLATFORMS = Set.of("GOVERNANCE", "MARKET", "ENFORCEMENT", "SERVICE");

    public static IncidentFilter parse(RoutingContext ctx, CategoryCatalog catalog) {
        String bbox = Handlers.param(ctx, "bbox");
        String category = Handlers.param(ctx, "category");
        if (category != null && catalog.find(category).isEmpty()) {
            throw new ProblemException(Problem.of(400, "unknown-category", "Unknown category", "'" + category + "' is not a category", "category"));
        }
        String platform = oneOf(ctx, "platform", PLATFORMS);
        String status = oneOf(ctx, "status", STATUSES);
        OffsetDateTime from = time(ctx, "from"), to = time(ctx, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ProblemException(Problem.invalidParameter("to", "'to' must be later than 'from'"));
        }
        Long grid = positiveLong(ctx, "grid");
        String limitText = Handlers.param(ctx, "limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) throw new ProblemException(Problem.invalidParameter("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '" + limitText + "'"));
        }
        String cursor = Handlers.param(ctx, "cursor");
        return new IncidentFilter(bbox == null ? null : Bbox.parse("bbox", bbox), from, to, category, platform, status, grid,
                cursor == null ? null : decodeCursor(cursor), limit);
    }

    public static String encodeCursor(long lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith(CURSOR_PREFIX)) {
                long id = Long.parseLong(s.substring(CURSOR_PREFIX.length()));
                if (id > 0) return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new ProblemException(Problem.of(400, "invalid-cursor", "The paging cursor is invalid",
                "'" + cursor + "' is not a cursor this server issued; start again without 'cursor' and follow the 'next' links", "cursor"));
    }

    private static String oneOf(RoutingContext ctx, String name, Set<String> allowed) {
        String v = Handlers.param(ctx, name);
        if (v != null && !allowed.contains(v)) {
            throw new ProblemException(Problem.invalidParameter(name, "'" + v + "' is not a valid " + name + "; one of " + allowed.stream().sorted().toList()));
        }
        return v;
    }

    private static OffsetDateTime time(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.invalidParameter(name, "'" + v + "' is not an ISO-8601 date-time with offset"));
        }
    }

    private static Long positiveLong(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            long id = Long.parseLong(v);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(Problem.invalidParameter(name, "'" + name + "' must be a positive id, got '" + v + "'"));
    }
}
