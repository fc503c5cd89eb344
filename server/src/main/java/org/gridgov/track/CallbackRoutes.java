package org.gridgov.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * The command centre's callback tasks (二次回访) left by "not solved" ratings: GET /api/v1/callbacks
 * and POST /api/v1/callbacks/{id}/done with the outcome of the call.
 */
public final class CallbackRoutes {

    static final int MAX_OUTCOME = 2000;
    private static final Set<String> STATUSES = Set.of("open", "done", "all");

    private final CallbackStore store;

    public CallbackRoutes(CallbackStore store) {
        this.store = store;
    }

    public void mount(Router r) {
        r.get("/api/v1/callbacks").handler(this::list);
        r.post("/api/v1/callbacks/:id/done").handler(this::done);
    }

    private void list(RoutingContext ctx) {
        Access.requireAny(ctx, Role.COMMAND_CENTRE);
        String status = Handlers.param(ctx, "status");
        if (status == null) status = "open";
        if (!STATUSES.contains(status))
            throw new ProblemException(
                    Problem.invalidParameter("status", "'status' is open, done or all"));
        int limit = limit(Handlers.param(ctx, "limit"));
        String s = status;
        Handlers.blocking(ctx, () -> store.list(s, limit), (c, n) -> Responses.json(c, 200, n));
    }

    private void done(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        long id = Handlers.pathId(ctx, "id");
        ObjectNode b = JsonBody.object(ctx.body().buffer());
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("outcome"))
                throw invalid("/" + f, "unknown field '" + f + "'; the one field is 'outcome'");
        }
        JsonNode o = b.get("outcome");
        if (o == null || o.isNull() || (o.isTextual() && o.asText().isBlank()))
            throw invalid("/outcome", "'outcome' (what the call found) is required");
        if (!o.isTextual()) throw invalid("/outcome", "'outcome' must be a string");
        String outcome = o.asText().strip();
        if (outcome.length() > MAX_OUTCOME)
            throw invalid("/outcome", "'outcome' is at most " + MAX_OUTCOME + " characters");
        if (outcome.indexOf('\0') >= 0)
            throw invalid("/outcome", "'outcome' must not contain NUL characters");
        String role =
                p.roles().stream()
                        .filter(Role.COMMAND_CENTRE::contains)
                        .findFirst()
                        .orElseThrow()
                        .name();
        Handlers.blocking(
                ctx,
                () -> store.done(id, p.staffId(), role, outcome),
                (c, n) -> Responses.json(c, 200, n));
    }

    private static int limit(String v) {
        if (v == null) return 100;
        try {
            int x = Integer.parseInt(v);
            if (x >= 1 && x <= 1000) return x;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidParameter("limit", "'limit' must be a whole number from 1 to 1000"));
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
