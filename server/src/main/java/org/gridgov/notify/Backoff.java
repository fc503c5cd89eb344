package org.gridgov.notify;

import java.time.Duration;

/**
 * When a failed message is tried again: {@code base · 2^(attempts-1)}, at most {@code cap}; after
 * {@code maxAttempts} attempts the row is dead.
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    public Backoff {
        if (base.isNegative() || base.isZero())
            throw new IllegalArgumentException("the backoff base must be positive");
        if (cap.compareTo(base) < 0)
            throw new IllegalArgumentException("the backoff cap must be at least its base");
        if (maxAttempts < 1) throw new IllegalArgumentException("at least one attempt");
    }

    /** The wait after the given number of failed attempts (1 = the first failed). */
    public Duration delay(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 40));
        long ms = base.toMillis();
        for (int i = 0; i < doublings && ms < cap.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, cap.toMillis()));
    }

    /** Whether a row that has had this many attempts gets no more. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
