package org.gridgov.people;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.RateLimit;

/**
 * Failed logins (POST /api/v1/auth/token and HTTP Basic) per username and per client address: past
 * either limit an attempt answers 429 before any password is checked, so a guesser gets no answer
 * and costs no BCrypt. Each attempt takes one from both buckets; one that succeeds gives them back,
 * so staff logging in behind one office proxy do not lock each other out.
 */
public final class LoginThrottle {

    private final RateLimit perUser;
    private final RateLimit perAddress;
    // null, or the instant tests hold the buckets' clock at (no refill while they count attempts)
    private volatile Long heldAt;

    public LoginThrottle(int failuresPerUser, int failuresPerAddress) {
        LongSupplier clock =
                () -> {
                    Long held = heldAt;
                    return held != null ? held : System.nanoTime();
                };
        this.perUser = new RateLimit("failed logins to one account", failuresPerUser, clock);
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
     * Reserves one failure for this attempt; 429 (Retry-After: 60) when the username or the
     * client's address has none left.
     */
    void begin(RoutingContext ctx, String username) {
        String user = username.toLowerCase(Locale.ROOT);
        String address = ClientAddress.of(ctx);
        if (!perUser.tryTake(user)) throw tooMany(ctx, "account", perUser.perMinute());
        if (!perAddress.tryTake(address)) {
            perUser.giveBack(user);
            throw tooMany(ctx, "address", perAddress.perMinute());
        }
    }

    /** The attempt succeeded: it was no failure. */
    void succeeded(RoutingContext ctx, String username) {
        perUser.giveBack(username.toLowerCase(Locale.ROOT));
        perAddress.giveBack(ClientAddress.of(ctx));
    }

    private static ProblemException tooMany(RoutingContext ctx, String what, int perMinute) {
        ctx.response().putHeader("Retry-After", "60");
        return new ProblemException(
                Problem.of(
                        429,
                        "too-many-logins",
                        "Too many failed logins",
                        "more than "
                                + perMinute
                                + " failed logins a minute for this "
                                + what
                                + "; wait a minute and retry",
                        null));
    }
}
