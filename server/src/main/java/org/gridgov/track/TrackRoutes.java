package org.gridgov.track;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Lang;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.incident.LookupCode;

/**
 * The public tracking page's API, without a token: ticket number + lookup code → the case in plain
 * public wording (POST /api/v1/track), and the reporter's rating (POST /api/v1/track/rating). The
 * code is posted, never put in a URL. A wrong code and an unknown ticket get the same 404, and
 * failed attempts are throttled per address and per ticket ({@link Guesses}). docs/tracking.md.
 */
public final class TrackRoutes {

    private final TrackStore store;
    private final LookupCode codes;
    private final Guesses guesses;
    private final PhotoSource photos;

    public TrackRoutes(TrackStore store, LookupCode codes, Guesses guesses, PhotoSource photos) {
        this.store = store;
        this.codes = codes;
        this.guesses = guesses;
        this.photos = photos;
    }

    public void mount(Router r) {
        r.post("/api/v1/track").handler(this::lookup);
        r.post("/api/v1/track/rating").handler(this::rate);
    }

    private void lookup(RoutingContext ctx) {
        TrackRequest q = TrackRequest.lookup(JsonBody.object(ctx.body().buffer()), lang(ctx));
        checkCode(ctx, q);
        Handlers.blocking(
                ctx,
                () -> {
                    TrackStore.Tracked t = store.find(q.ticket()).orElseThrow(TrackRoutes::noSuch);
                    return TrackView.of(t, q.lang(), photos.publicPhotos(t.id()));
                },
                TrackRoutes::answer);
    }

    private void rate(RoutingContext ctx) {
        TrackRequest q = TrackRequest.rating(JsonBody.object(ctx.body().buffer()), lang(ctx));
        checkCode(ctx, q);
        Handlers.blocking(
                ctx,
                () -> {
                    TrackStore.Tracked t = store.rate(q.ticket(), q.rating());
                    return TrackView.of(t, q.lang(), photos.publicPhotos(t.id()));
                },
                TrackRoutes::answer);
    }

    private static void answer(RoutingContext c, com.fasterxml.jackson.databind.JsonNode n) {
        // one reporter's case: not for shared caches
        c.response().putHeader("Cache-Control", "no-store");
        Responses.json(c, 200, n);
    }

    /**
     * The code is checked before the database is asked, in constant time, so an unknown ticket and
     * a wrong code look alike; each failure is counted against the address and the ticket.
     */
    private void checkCode(RoutingContext ctx, TrackRequest q) {
        String address = ClientAddress.of(ctx);
        Guesses.Refusal refused = guesses.take(address, q.ticket());
        if (refused != null) {
            ctx.response().putHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
            throw new ProblemException(
                    Problem.of(
                            429,
                            "too-many-requests",
                            "Too many attempts",
                            "too many wrong ticket numbers or lookup codes; wait "
                                    + refused.retryAfterSeconds()
                                    + " s and check the code you were given",
                            null));
        }
        if (!codes.matches(q.ticket(), q.code())) throw noSuch();
        guesses.giveBack(address, q.ticket());
    }

    private static ProblemException noSuch() {
        return new ProblemException(
                Problem.of(
                        404,
                        "no-such-ticket",
                        "No such ticket",
                        "no case has this ticket number and lookup code; check both as you were"
                                + " given them",
                        null));
    }

    private static Lang lang(RoutingContext ctx) {
        return Lang.ofHeader(ctx.request().getHeader("Accept-Language"));
    }
}
