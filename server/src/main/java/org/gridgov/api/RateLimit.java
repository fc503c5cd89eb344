package org.gridgov.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a client address, a username), from bucket4j: at most {@code limit} per
 * period (a minute unless said otherwise), in bursts of that many. In memory, so each instance
 * limits on its own: enough against a runaway or hostile client. Memory stays bounded under an
 * address sweep.
 */
public final class RateLimit {

    private static final int MAX_KEYS = 100_000;

    private final String what;
    private final int perMinute;
    private final Duration period;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final TimeMeter clock;

    /**
     * @param what what is limited, for the error ("anonymous reports", "logins")
     */
    public RateLimit(String what, int perMinute) {
        this(what, perMinute, null);
    }

    /**
     * @param nanoTime the buckets' clock (a test holds it still so no token refills mid-test); null
     *     = the system's
     */
    public RateLimit(String what, int perMinute, LongSupplier nanoTime) {
        this(what, perMinute, Duration.ofMinutes(1), nanoTime);
    }

    /**
     * @param limit at most this many per period (the bucket's size; it refills gradually)
     */
    public RateLimit(String what, int limit, Duration period, LongSupplier nanoTime) {
        int perMinute = limit;
        if (perMinute <= 0)
            throw new IllegalArgumentException(
                    what + ": the limit per minute must be positive, got " + perMinute);
        this.what = what;
        this.perMinute = perMinute;
        this.period = period;
        this.clock =
                nanoTime == null
                        ? TimeMeter.SYSTEM_MILLISECONDS
                        : new TimeMeter() {
                            @Override
                            public long currentTimeNanos() {
                                return nanoTime.getAsLong();
                            }

                            @Override
                            public boolean isWallClockBased() {
                                return false;
                            }
                        };
    }

    /** true (a token taken) when the key may go on. */
    public boolean tryTake(String key) {
        if (buckets.size() > MAX_KEYS) buckets.clear();
        return buckets.computeIfAbsent(
                        key,
                        k ->
                                Bucket.builder()
                                        .withCustomTimePrecision(clock)
                                        .addLimit(
                                                Bandwidth.builder()
                                                        .capacity(perMinute)
                                                        .refillGreedy(perMinute, period)
                                                        .build())
                                        .build())
                .tryConsume(1);
    }

    /**
     * Gives back a token tryTake took (a login that succeeded is no failed attempt); never above
     * the limit.
     */
    public void giveBack(String key) {
        Bucket b = buckets.get(key);
        if (b != null) b.addTokens(1);
    }

    /** Takes a token or throws 429 problem+json with a Retry-After hint. */
    public void take(String key) {
        if (!tryTake(key)) throw new ProblemException(tooMany());
    }

    public Problem tooMany() {
        return Problem.of(
                429,
                "too-many-requests",
                "Too many requests",
                "at most " + perMinute + " " + what + " a minute from one client; wait and retry",
                null);
    }

    public int perMinute() {
        return perMinute;
    }

    /** The limit per {@link #period()}. */
    public int limit() {
        return perMinute;
    }

    public Duration period() {
        return period;
    }

    /** Whole seconds until the key may go on again (at least 1): for Retry-After. */
    public long secondsUntilNext(String key) {
        Bucket b = buckets.get(key);
        if (b == null) return 1;
        long nanos = b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
