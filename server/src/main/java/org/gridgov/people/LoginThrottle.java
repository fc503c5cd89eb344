package org.gridgov.people;

import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.RateLimit;

/**
 * Failed logins (POST /api/v1/auth/token, POST /api/v1/auth/password and HTTP Basic) per username
 * (whatever the address: 10 per 15 minutes by default, against a slow guesser spread over many
 * addresses) and per client address (30 a minute): past either limit an attempt answers 429 with
 * Retry-After before any password is checked, so a guesser gets no answer and costs no BCrypt. Each
 * attempt takes one from both buckets; one that succeeds gives them back, so staff logging in
 * behind one office proxy do not lock each other out.
 */
public final class LoginThrottle {

    private final RateLimit perUser;
    private final RateLimit perAddress;
    // null, or the instant tests hold the buckets' clock at (no refill while they count attempts)
    private volatile Long heldAt;

    public LoginThrottle(int failuresPerUser, Duration userWindow, int failuresPerAddress) {
        LongSupplier clock =
                () -> {
                    Long held = heldAt;
                    return held != null ? held : System.nanoTime();
                };
        this.perUser =
                new RateLimit("failed logins to one account", failuresPerUser, userWindow, clock);
        this.perAddress =
                new RateLimit("failed logins from one address", failuresPerAddress, clock);
    }

    /**
     * Tests: stops the clock, so attempts are counted against the limit whatever the machine's
     * speed.
     */
    void holdClock() {
        heldAt = System.nanoTime();
    }

    void releaseClock() {
        heldAt = null;
    }

    /**
     * Reserves one failure for this attempt; 429 (Retry-After: the seconds until one more is
     * allowed) when the username or the client's address has none left.
     */
    void begin(RoutingContext ctx, String username) {
        String user = username.toLowerCase(Locale.ROOT);
        String address = ClientAddress.of(ctx);
        if (!perUser.tryTake(user)) throw tooMany(ctx, "account", perUser, user);
        if (!perAddress.tryTake(address)) {
            perUser.giveBack(user);
            throw tooMany(ctx, "address", perAddress, address);
        }
    }

    /** The attempt succeeded: it was no failure. */
    void succeeded(RoutingContext ctx, String username) {
        perUser.giveBack(username.toLowerCase(Locale.ROOT));
        perAddress.giveBack(ClientAddress.of(ctx));
    }

    private static ProblemException tooMany(
            RoutingContext ctx, String what, RateLimit limit, String key) {
        long wait = limit.secondsUntilNext(key);
        ctx.response().putHeader("Retry-After", Long.toString(wait));
        long minutes = limit.period().toMinutes();
        return new ProblemException(
                Problem.of(
                        429,
                        "too-many-logins",
                        "Too many failed logins",
                        "more than "
                                + limit.limit()
                                + " failed logins "
                                + (minutes == 1 ? "a minute" : "in " + minutes + " minutes")
                                + " for this "
                                + what
                                + "; retry in "
                                + wait
                                + " s",
                        null));
    }
}
