package org.gridgov.incident;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.cases.CaseStatus;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategoryParam;
import org.gridgov.category.Platforms;
import org.gridgov.geo.Bbox;

/**
 * The query of {@code GET /api/v1/incidents}. Paging is by keyset, newest first: the cursor carries
 * the last id returned, so pages stay stable while new reports arrive.
 */
public record IncidentFilter(
        Bbox bbox,
        OffsetDateTime from,
        OffsetDateTime to,
        String category,
        String platform,
        String status,
        Long gridId,
        boolean sentToDistrict,
        Long beforeId,
        int limit) {

    /** The list of what the caller's subdistrict sent to the district (docs/access.md). */
    static final String SENT_TO_DISTRICT = "sentToDistrict";

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String CURSOR_PREFIX = "i1:";

    public static IncidentFilter parse(RoutingContext ctx, CategoryCatalog catalog) {
        String bbox = Handlers.param(ctx, "bbox");
        String category = CategoryParam.of(ctx, catalog);
        String platform = QueryParams.oneOf(ctx, "platform", Platforms.CODES);
        String status = statuses(Handlers.param(ctx, "status"));
        OffsetDateTime from = QueryParams.time(ctx, "from"), to = QueryParams.time(ctx, "to");
        QueryParams.requireOrder(from, to);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        boolean sent =
                "true".equals(QueryParams.oneOf(ctx, SENT_TO_DISTRICT, Set.of("true", "false")));
        int limit = QueryParams.whole(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursor = Handlers.param(ctx, "cursor");
        return new IncidentFilter(
                bbox == null ? null : Bbox.parse("bbox", bbox),
                from,
                to,
                category,
                platform,
                status,
                grid,
                sent,
                cursor == null ? null : decodeCursor(cursor),
                limit);
    }

    /**
     * 'status' is one status or a comma list (a board's "open cases"); kept as the checked comma
     * list.
     */
    static String statuses(String v) {
        if (v == null) return null;
        for (String s : v.split(",", -1)) {
            if (!CaseStatus.NAMES.contains(s)) {
                throw new ProblemException(
                        Problem.invalidParameter(
                                "status",
                                "'"
                                        + s
                                        + "' is not a valid status; one of "
                                        + CaseStatus.NAMES.stream().sorted().toList()
                                        + ", or several separated by commas"));
            }
        }
        return v;
    }

    public static String encodeCursor(long lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
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
        throw new ProblemException(
                Problem.of(
                        400,
                        "invalid-cursor",
                        "The paging cursor is invalid",
                        "'"
                                + cursor
                                + "' is not a cursor this server issued; start again without 'cursor' and follow the 'next' links",
                        "cursor"));
    }
}
