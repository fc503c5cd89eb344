package org.gridgov.live;

import org.gridgov.category.Platforms;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategoryParam;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Scope;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GET /api/v1/events: new incidents and state changes as server-sent events. Each event's id is
 * the incident event id; a client that reconnects with Last-Event-ID gets everything after it,
 * replayed from the database, then the live stream, without gaps or repeats.
 */
public final class LiveRoutes {

    static final int MAX_REPLAY = 100_000;
    static final long KEEP_ALIVE_MS = 15_000;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Which changes a screen wants (and may see); null fields match everything. */
    record Filter(String platform, Long gridId, Long communityId, String category) {
        boolean matches(Change c) {
            return (platform == null || platform.equals(c.platform()))
                    && (gridId == null || gridId.equals(c.gridId()))
                    && (communityId == null || communityId.equals(c.communityId()))
                    && (category == null || category.equals(c.category()));
        }
    }

    private final EventRelay relay;
    private final CategoryCatalog catalog;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();

    public LiveRoutes(EventRelay relay, CategoryCatalog catalog) {
        this.relay = relay;
        this.catalog = catalog;
        relay.listen(batch -> {
            for (Client c : clients) c.context.runOnContext(v -> c.offer(batch));
        });
    }

    public void mount(Router router) {
        router.get("/api/v1/events").handler(this::stream);
    }

    public int connections() {
        return clients.size();
    }

    private void stream(RoutingContext ctx) {
        Filter filter = filter(ctx);
        long lastEventId = lastEventId(ctx);
        if (relay.delivered() < 0) {
            throw new ProblemException(Problem.of(503, "feed-starting", "The live feed is starting", "try again in a second", null));
        }
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        res.write("retry: 2000\n\n");
        // Register before reading the mark: a batch the relay passes on meanwhile is buffered,
        // and the duplicates it may hold are skipped by id.
        Client client = new Client(ctx.vertx(), Vertx.currentContext(), res, filter);
        clients.add(client);
        long upTo = relay.delivered();
        client.lastSeen = lastEventId < 0 ? upTo : lastEventId;
        res.closeHandler(v -> client.close());
        res.exceptionHandler(e -> client.close());
        if (lastEventId < 0 || lastEventId >= upTo) {
            client.live();
            return;
        }
        ctx.vertx().executeBlocking(() -> relay.read(lastEventId, upTo, MAX_REPLAY), false).onComplete(ar -> {
            if (ar.failed()) {
                res.reset();
                client.close();
                return;
            }
            client.send(ar.result());
            client.live();
        });
    }

    /**
     * The screen's filter within the caller's scope: a grid worker sees their grid, a community's
     * leader their community, a platform's staff their platform; the command centre sees all.
     */
    private Filter filter(RoutingContext ctx) {
        Principal caller = Access.require(ctx);
        String platform = QueryParams.oneOf(ctx, "platform", Platforms.CODES);
        String category = CategoryParam.of(ctx, catalog);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        Scope scope = caller.scope();
        if (scope == null || scope.wholeSubdistrict()) return new Filter(platform, grid, null, category);
        return switch (scope.type()) {
            case "GRID" -> new Filter(platform, narrow("grid", grid, scope.gridId()), null, category);
            case "COMMUNITY" -> new Filter(platform, grid, scope.communityId(), category);
            case "PLATFORM" -> new Filter(narrow("platform", platform, scope.platform()), grid, null, category);
            default -> throw Access.forbidden("the scope " + scope.type() + " sees no live feed");
        };
    }

    /** The caller's own value, or 403 when they ask for someone else's. */
    private static <T> T narrow(String what, T asked, T own) {
        if (asked != null && !asked.equals(own)) throw Access.forbidden("your scope is " + what + " " + own + ", not " + asked);
        return own;
    }

    /** Last-Event-ID header (what EventSource sends on reconnect), or ?lastEventId=; -1 when absent. */
    private static long lastEventId(RoutingContext ctx) {
        String v = ctx.request().getHeader("Last-Event-ID");
        String where = "Last-Event-ID";
        if (v == null) {
            v = Handlers.param(ctx, "lastEventId");
            where = "lastEventId";
        }
        if (v == null || v.isBlank()) return -1;
        try {
            long id = Long.parseLong(v.trim());
            if (id >= 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(Problem.invalidParameter(where, "'" + v + "' is not an event id (a whole number ≥ 0)"));
    }

    /** One connected screen. Touched only on its own event-loop context. */
    private final class Client {
        final Vertx vertx;
        final Context context;
        final HttpServerResponse res;
        final Filter filter;
        final long keepAlive;
        long lastSeen;
        boolean replaying = true;
        final List<List<Change>> buffered = new ArrayList<>();

        Client(Vertx vertx, Context context, HttpServerResponse res, Filter filter) {
            this.vertx = vertx;
            this.context = context;
            this.res = res;
            this.filter = filter;
            this.keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, id -> {
                if (!res.closed()) res.write(": keep-alive\n\n");
            });
        }

        void offer(List<Change> batch) {
            if (replaying) buffered.add(batch);
            else send(batch);
        }

        void live() {
            replaying = false;
            for (List<Change> b : buffered) send(b);
            buffered.clear();
        }

        void send(List<Change> batch) {
            if (res.closed()) return;
            StringBuilder out = new StringBuilder();
            for (Change c : batch) {
                if (c.eventId() <= lastSeen) continue;
                lastSeen = c.eventId();
                if (!filter.matches(c)) continue;
                out.append("id: ").append(c.eventId()).append('\n')
                        .append("event: ").append("REPORTED".equals(c.type()) ? "incident.new" : "incident.changed").append('\n')
                        .append("data: ").append(json(c)).append("\n\n");
            }
            if (out.isEmpty()) return;
            res.write(out.toString());
            // A screen that cannot keep up is dropped; it reconnects with Last-Event-ID and misses nothing.
            if (res.writeQueueFull()) res.reset();
        }

        void close() {
            vertx.cancelTimer(keepAlive);
            clients.remove(this);
        }
    }

    static String json(Change c) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("eventId", c.eventId());
        n.put("incidentId", c.incidentId());
        n.put("at", c.at().atZoneSameInstant(ZONE).toOffsetDateTime().toString());
        n.put("type", c.type());
        n.put("fromStatus", c.fromStatus());
        n.put("toStatus", c.toStatus());
        n.put("status", c.status());
        n.put("version", c.version());
        n.put("category", c.category());
        n.put("platform", c.platform());
        if (c.gridId() == null) n.putNull("gridId");
        else n.put("gridId", c.gridId());
        ObjectNode loc = n.putObject("location");
        loc.put("type", "Point");
        loc.putArray("coordinates").add(c.lon()).add(c.lat());
        return n.toString();
    }
}
