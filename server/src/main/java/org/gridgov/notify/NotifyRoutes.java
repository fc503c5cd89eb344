package org.gridgov.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.RateLimit;
import org.gridgov.api.Responses;

/**
 * The outbox as administrators see it, webhook subscriptions, and the reporter's opt-out link
 * (docs/notifications.md). Who may call each is in people/AccessRules.
 */
public final class NotifyRoutes {

    static final int MAX_URL = 2000, MAX_DESCRIPTION = 200;

    private final OutboxStore outbox;
    private final WebhookStore hooks;
    private final TicketCodes codes;
    private final SecureRandom random = new SecureRandom();

    /** Per client address, opt-out pages and requests: lookup codes are not to be guessed. */
    private final RateLimit guesses = new RateLimit("opt-out attempts", 60);

    public NotifyRoutes(OutboxStore outbox, WebhookStore hooks, TicketCodes codes) {
        this.outbox = outbox;
        this.hooks = hooks;
        this.codes = codes;
    }

    public void mount(Router r) {
        r.get("/api/v1/outbox").handler(this::list);
        r.get("/api/v1/outbox/counts").handler(this::counts);
        r.post("/api/v1/outbox/:id/retry").handler(this::retry);
        r.post("/api/v1/webhooks").handler(this::createHook);
        r.get("/api/v1/webhooks").handler(this::listHooks);
        r.delete("/api/v1/webhooks/:id").handler(this::deleteHook);
        r.get("/api/v1/opt-out").handler(this::optOutPage);
        r.post("/api/v1/opt-out").handler(this::optOut);
    }

    private void list(RoutingContext ctx) {
        String s = QueryParams.oneOf(ctx, "state", names());
        OutboxState state = s == null ? null : OutboxState.valueOf(s);
        Long before = QueryParams.positiveLong(ctx, "before");
        int limit = QueryParams.whole(ctx, "limit", 1, 500, 100);
        Handlers.blocking(
                ctx,
                () -> outbox.list(state, before, limit),
                (c, rows) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.set("messages", rows);
                    Responses.json(c, 200, n);
                });
    }

    private static java.util.List<String> names() {
        return java.util.Arrays.stream(OutboxState.values()).map(Enum::name).toList();
    }

    private void counts(RoutingContext ctx) {
        Handlers.blocking(ctx, outbox::counts, (c, n) -> Responses.json(c, 200, n));
    }

    private void retry(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> outbox.requeue(id),
                (c, result) -> {
                    switch (result) {
                        case NOT_FOUND ->
                                throw new ProblemException(
                                        Problem.notFound("no outbox message " + id));
                        case NOT_DEAD ->
                                throw new ProblemException(
                                        Problem.of(
                                                409,
                                                "not-dead",
                                                "Only a dead message is retried",
                                                "message "
                                                        + id
                                                        + " is not DEAD: it is queued, sent or"
                                                        + " cancelled",
                                                null));
                        case REQUEUED -> {
                            ObjectNode n = Responses.JSON.createObjectNode();
                            n.put("id", id);
                            n.put("state", OutboxState.PENDING.name());
                            Responses.json(c, 200, n);
                        }
                    }
                });
    }

    private void createHook(RoutingContext ctx) {
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        onlyFields(body, Set.of("url", "description"));
        JsonNode u = body.get("url");
        if (u == null || u.isNull()) throw invalid("/url", "'url' is required");
        if (!u.isTextual()) throw invalid("/url", "'url' must be a string");
        String url = u.asText();
        checkUrl(url);
        JsonNode d = body.get("description");
        String description = "";
        if (d != null && !d.isNull()) {
            if (!d.isTextual()) throw invalid("/description", "'description' must be a string");
            description = d.asText();
            if (description.length() > MAX_DESCRIPTION)
                throw invalid(
                        "/description", "'description' is at most " + MAX_DESCRIPTION + " long");
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        String by = ctx.user() == null ? null : ctx.user().principal().getString("sub");
        String desc = description;
        Handlers.blocking(
                ctx,
                () -> hooks.create(url, secret, desc, by),
                (c, id) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("id", id);
                    n.put("url", url);
                    n.put("description", desc);
                    // shown this once: the receiver keeps it to check signatures
                    n.put("secret", secret);
                    c.response().putHeader("Location", "/api/v1/webhooks/" + id);
                    Responses.json(c, 201, n);
                });
    }

    /** An absolute http(s) address with a host and no credentials in it. */
    static void checkUrl(String url) {
        if (url.length() > MAX_URL) throw invalid("/url", "'url' is at most " + MAX_URL + " long");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("/url", "'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw invalid("/url", "'" + url + "' is not an http:// or https:// URL");
        if (uri.getHost() == null || uri.getHost().isBlank())
            throw invalid("/url", "'" + url + "' names no host");
        if (uri.getRawUserInfo() != null)
            throw invalid("/url", "credentials do not belong in the URL; the body is signed");
        if (uri.getRawFragment() != null) throw invalid("/url", "a URL with a #fragment");
    }

    private void listHooks(RoutingContext ctx) {
        Handlers.blocking(
                ctx,
                hooks::list,
                (c, rows) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.set("webhooks", rows);
                    Responses.json(c, 200, n);
                });
    }

    private void deleteHook(RoutingContext ctx) {
        long id = Handlers.pathId(ctx, "id");
        Handlers.blocking(
                ctx,
                () -> hooks.delete(id),
                (c, deleted) -> {
                    if (!deleted)
                        throw new ProblemException(
                                Problem.notFound("no webhook " + id + " (or it was deleted)"));
                    c.response().setStatusCode(204).end();
                });
    }

    /** The link in a message: a page with one button, so a link preview opts nobody out. */
    private void optOutPage(RoutingContext ctx) {
        guesses.take(ClientAddress.of(ctx));
        long ticket = ticket(Handlers.param(ctx, "ticket"), "ticket");
        String code = Handlers.param(ctx, "code");
        if (code == null) throw new ProblemException(Problem.invalidParameter("code", "required"));
        if (!codes.matches(ticket, code)) throw wrongCode();
        String html =
                """
                <!doctype html><html lang="zh"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>退订工单通知</title></head><body>
                <h1>退订工单 %d 的通知</h1>
                <p>退订后，您将不再收到本工单的短信和邮件通知。</p>
                <form method="post" action="/api/v1/opt-out">
                <input type="hidden" name="ticket" value="%d">
                <input type="hidden" name="code" value="%s">
                <button type="submit">确认退订 (opt out)</button></form></body></html>
                """
                        .formatted(ticket, ticket, escape(code));
        ctx.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(html);
    }

    private void optOut(RoutingContext ctx) {
        guesses.take(ClientAddress.of(ctx));
        String type = ctx.request().getHeader("Content-Type");
        boolean form =
                type != null
                        && type.toLowerCase(Locale.ROOT)
                                .startsWith("application/x-www-form-urlencoded");
        long ticket;
        String code;
        if (form) {
            Map<String, String> f = form(ctx.body().asString());
            ticket = ticket(f.get("ticket"), "/ticket");
            code = f.get("code");
        } else {
            ObjectNode body = JsonBody.object(ctx.body().buffer());
            onlyFields(body, Set.of("ticket", "code"));
            JsonNode t = body.get("ticket");
            if (t == null || !t.canConvertToLong() || t.asLong() <= 0)
                throw invalid("/ticket", "'ticket' is required: the ticket number, a whole number");
            ticket = t.asLong();
            JsonNode c = body.get("code");
            code = c == null || !c.isTextual() ? null : c.asText();
        }
        if (code == null || code.isBlank())
            throw invalid("/code", "'code' is required: the lookup code the messages carry");
        if (!codes.matches(ticket, code)) throw wrongCode();
        long t = ticket;
        Handlers.blocking(
                ctx,
                () -> outbox.optOut(t, "LINK"),
                (c, result) -> {
                    if (form) {
                        c.response()
                                .putHeader("Content-Type", "text/html; charset=utf-8")
                                .end(
                                        "<!doctype html><html lang=\"zh\"><head><meta"
                                                + " charset=\"utf-8\"><title>已退订</title></head>"
                                                + "<body><p>已退订工单 "
                                                + t
                                                + " 的通知。(You will receive no more messages"
                                                + " about this case.)</p></body></html>");
                        return;
                    }
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("ticket", t);
                    n.put("optedOut", true);
                    // false: there was nothing to stop (no contact, or opted out before)
                    n.put("changed", result.isPresent());
                    n.put("cancelled", result.orElse(0));
                    Responses.json(c, 200, n);
                });
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        if (body == null) return out;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long ticket(String v, String where) {
        if (v == null)
            throw new ProblemException(Problem.invalidParameter(where, "'ticket' is required"));
        try {
            long t = Long.parseLong(v.trim());
            if (t <= 0) throw new NumberFormatException();
            return t;
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    Problem.invalidParameter(where, "'" + v + "' is not a ticket number"));
        }
    }

    /** The same answer for an unknown ticket and a wrong code: nothing to learn by guessing. */
    private static ProblemException wrongCode() {
        return new ProblemException(
                Problem.of(
                        404,
                        "wrong-lookup-code",
                        "No such ticket, or a wrong lookup code",
                        "the ticket number and the lookup code come together in the messages",
                        "code"));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    private static void onlyFields(ObjectNode body, Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f))
                throw invalid(
                        "/" + f,
                        "unknown field '"
                                + f
                                + "'; allowed: "
                                + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
