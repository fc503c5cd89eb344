package org.gridgov.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategoryParam;
import org.gridgov.category.Platforms;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Scope;

/**
 * GET /api/v1/events: new incidents and state changes as server-sent events. Each event's id is the
 * incident event id; a client that reconnects with Last-Event-ID gets everything after it, replayed
 * from the database, then the live stream, without gaps or repeats — up to {@link
 * LiveLimits#replayMax()} events: a client further behind gets the newest that many after an {@code
 * event: reload} (it reloads its picture from the REST API). A stream ends at its token's expiry
 * (after an {@code event: token-expired}); each member of staff may hold {@link
 * LiveLimits#streamsPerUser()} streams on an instance (429 beyond).
 */
public final class LiveRoutes {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** Which changes a screen wants (and may see); null fields match everything. */
    /** subdistrictId: the one subdistrict the screen sees, null = every one (district scope). */
    record Filter(
            String platform, Long gridId, Long communityId, String category, Long subdistrictId) {
        boolean matches(Change c) {
            return (subdistrictId == null || subdistrictId.equals(c.subdistrictId()))
                    && (platform == null || platform.equals(c.platform()))
                    && (gridId == null || gridId.equals(c.gridId()))
                    && (communityId == null || communityId.equals(c.communityId()))
                    && (category == null || category.equals(c.category()));
        }
    }

    private final EventRelay relay;
    private final CategoryCatalog catalog;
    private final LiveLimits limits;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicInteger> streamsOf = new ConcurrentHashMap<>();

    public LiveRoutes(EventRelay relay, CategoryCatalog catalog, LiveLimits limits) {
        this.relay = relay;
        this.catalog = catalog;
        this.limits = limits;
        relay.listen(
                batch -> {
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
            throw new ProblemException(
                    Problem.of(
                            503,
                            "feed-starting",
                            "The live feed is starting",
                            "try again in a second",
                            null));
        }
        Principal caller = Access.require(ctx);
        // seconds; a token always has one (Authentication refuses expired tokens before this)
        long exp = ctx.user().principal().getLong("exp", 0L);
        AtomicInteger open = streamsOf.computeIfAbsent(caller.staffId(), k -> new AtomicInteger());
        if (open.incrementAndGet() > limits.streamsPerUser()) {
            open.decrementAndGet();
            throw new ProblemException(
                    Problem.of(
                            429,
                            "too-many-streams",
                            "Too many live streams",
                            "you have "
                                    + limits.streamsPerUser()
                                    + " live streams open already (GRIDGOV_LIVE_STREAMS_PER_USER); close one first",
                            null));
        }
        HttpServerResponse res = ctx.response();
        res.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        res.write("retry: 2000\n\n");
        // Register before reading the mark: a batch the relay passes on meanwhile is buffered,
        // and the duplicates it may hold are skipped by id.
        Client client = new Client(ctx.vertx(), Vertx.currentContext(), res, filter, open);
        clients.add(client);
        long upTo = relay.delivered();
        client.lastSeen = lastEventId < 0 ? upTo : lastEventId;
        res.closeHandler(v -> client.close());
        res.exceptionHandler(e -> client.close());
        if (exp > 0) client.endAt(exp * 1000);
        if (lastEventId < 0 || lastEventId >= upTo) {
            client.live();
            return;
        }
        // Ids come from a sequence, so (upTo - replayMax, upTo] holds at most replayMax events.
        long from = Math.max(lastEventId, upTo - limits.replayMax());
        if (from > lastEventId) {
            res.write(
                    "event: reload\ndata: {\"reason\":\"more than "
                            + limits.replayMax()
                            + " events were missed; reload, then follow the stream\",\"replayedAfter\":"
                            + from
                            + "}\n\n");
        }
        ctx.vertx()
                .executeBlocking(() -> relay.read(from, upTo, limits.replayMax()), false)
                .onComplete(
                        ar -> {
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
     * leader their community, a platform's staff their platform; the command centre sees all of its
     * subdistrict, and only a district-scoped screen sees every subdistrict (or the one it asks for
     * with {@code subdistrict}; THE ISOLATION RULE, docs/access.md).
     */
    private Filter filter(RoutingContext ctx) {
        Principal caller = Access.require(ctx);
        String platform = QueryParams.oneOf(ctx, "platform", Platforms.CODES);
        String category = CategoryParam.of(ctx, catalog);
        Long grid = QueryParams.positiveLong(ctx, "grid");
        Long asked = QueryParams.positiveLong(ctx, "subdistrict");
        Long own = caller.subdistrictId();
        Long sd = own == null ? asked : narrow("subdistrict", asked, own);
        Scope scope = caller.scope();
        if (scope == null || scope.wholeSubdistrict() || scope.wholeDistrict())
            return new Filter(platform, grid, null, category, sd);
        return switch (scope.type()) {
            case "GRID" ->
                    new Filter(platform, narrow("grid", grid, scope.gridId()), null, category, sd);
            case "COMMUNITY" -> new Filter(platform, grid, scope.communityId(), category, sd);
            case "PLATFORM" ->
                    new Filter(
                            narrow("platform", platform, scope.platform()),
                            grid,
                            null,
                            category,
                            sd);
            default -> throw Access.forbidden("the scope " + scope.type() + " sees no live feed");
        };
    }

    /** The caller's own value, or 403 when they ask for someone else's. */
    private static <T> T narrow(String what, T asked, T own) {
        if (asked != null && !asked.equals(own))
            throw Access.forbidden("your scope is " + what + " " + own + ", not " + asked);
        return own;
    }

    /**
     * Last-Event-ID header (what EventSource sends on reconnect), or ?lastEventId=; -1 when absent.
     */
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
        throw new ProblemException(
                Problem.invalidParameter(
                        where, "'" + v + "' is not an event id (a whole number ≥ 0)"));
    }

    /** One connected screen. Touched only on its own event-loop context. */
    private final class Client {
        final Vertx vertx;
        final Context context;
        final HttpServerResponse res;
        final Filter filter;
        final long keepAlive;
        final AtomicInteger openOfUser;
        long expiry = -1;
        boolean closed;
        long lastSeen;
        boolean replaying = true;
        final List<List<Change>> buffered = new ArrayList<>();

        Client(
                Vertx vertx,
                Context context,
                HttpServerResponse res,
                Filter filter,
                AtomicInteger openOfUser) {
            this.vertx = vertx;
            this.context = context;
            this.res = res;
            this.filter = filter;
            this.openOfUser = openOfUser;
            this.keepAlive =
                    vertx.setPeriodic(
                            limits.keepAliveMs(),
                            id -> {
                                if (!res.closed() && !res.ended()) res.write(": keep-alive\n\n");
                            });
        }

        /**
         * Ends the stream when the token expires (epoch ms): a stream may not outlive its
         * credentials.
         */
        void endAt(long epochMs) {
            expiry =
                    vertx.setTimer(
                            Math.max(1, epochMs - System.currentTimeMillis()),
                            id -> {
                                if (!res.closed() && !res.ended())
                                    res.end("event: token-expired\ndata: {}\n\n");
                                close();
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
            if (res.closed() || res.ended()) return;
            StringBuilder out = new StringBuilder();
            for (Change c : batch) {
                if (c.eventId() <= lastSeen) continue;
                lastSeen = c.eventId();
                if (!filter.matches(c)) continue;
                out.append("id: ")
                        .append(c.eventId())
                        .append('\n')
                        .append("event: ")
                        .append("REPORTED".equals(c.type()) ? "incident.new" : "incident.changed")
                        .append('\n')
                        .append("data: ")
                        .append(json(c))
                        .append("\n\n");
            }
            if (out.isEmpty()) return;
            res.write(out.toString());
            // A screen that cannot keep up is dropped; it reconnects with Last-Event-ID and misses
            // nothing.
            if (res.writeQueueFull()) res.reset();
        }

        void close() {
            if (closed) return;
            closed = true;
            vertx.cancelTimer(keepAlive);
            if (expiry >= 0) vertx.cancelTimer(expiry);
            clients.remove(this);
            openOfUser.decrementAndGet();
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
