package org.gridgov.open311;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client (api_key, else the remote address): at most {@code perMinute} new
 * requests a minute, in bursts of up to that many. In memory: each server instance limits on its
 * own, which is enough against a runaway client.
 */
final class RateLimiter {

    private record Bucket(double tokens, long at) {
    }

    private final double perMinute;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    /** true when the client may go on (a token is taken), false when it must wait. */
    boolean tryTake(String client, long nowMillis) {
        boolean[] ok = {false};
        buckets.compute(client, (k, b) -> {
            double tokens = b == null ? perMinute : Math.min(perMinute, b.tokens + (nowMillis - b.at) * perMinute / 60_000.0);
            if (tokens >= 1) {
                ok[0] = true;
                tokens -= 1;
            }
            return new Bucket(tokens, nowMillis);
        });
        if (buckets.size() > 100_000) buckets.clear();   // bounded memory under an address sweep
        return ok[0];
    }
}
