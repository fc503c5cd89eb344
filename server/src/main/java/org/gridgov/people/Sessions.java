package org.gridgov.people;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Whether a verified token (or a verified Basic login) still speaks for its staff member: the
 * account is active, its auth_version is the one the token was stamped with (a trigger bumps it
 * when the username, role, scope or password changes, or the account is disabled), and the token
 * was not logged out. Both facts are read from the database and believed for at most {@code
 * recheck} (GRIDGOV_AUTH_RECHECK_SECONDS, at most 30 s), so a change made through any instance, or
 * in psql, stops old tokens everywhere within that time — without a query per request: one query
 * per active staff member and one for the revocation list per period.
 */
public final class Sessions {

    private record Cached<T>(Future<T> value, long loadedAt) {}

    private static final int MAX_STAFF = 100_000;
    private static final StaffDirectory.Stamp GONE = new StaffDirectory.Stamp(-1, false);

    private final StaffDirectory directory;
    private final RevocationStore revocations;
    private final long recheckNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<Long, Cached<StaffDirectory.Stamp>> stamps =
            new ConcurrentHashMap<>();
    private volatile Cached<Set<String>> revoked;

    public Sessions(DataSource ds, StaffDirectory directory, int recheckSeconds) {
        this(directory, new RevocationStore(ds), recheckSeconds, System::nanoTime);
    }

    Sessions(
            StaffDirectory directory,
            RevocationStore revocations,
            int recheckSeconds,
            LongSupplier nanoClock) {
        this.directory = directory;
        this.revocations = revocations;
        this.recheckNanos = recheckSeconds * 1_000_000_000L;
        this.nanoClock = nanoClock;
    }

    /**
     * True when staffId's account is active with this authVersion and the token jti (null for Basic
     * logins, which have no token) is not revoked.
     */
    Future<Boolean> current(Vertx vertx, long staffId, int authVersion, String jti) {
        Future<StaffDirectory.Stamp> stamp = stamp(vertx, staffId);
        if (jti == null) return stamp.map(s -> s.active() && s.authVersion() == authVersion);
        return stamp.compose(
                s ->
                        !s.active() || s.authVersion() != authVersion
                                ? Future.succeededFuture(false)
                                : revoked(vertx).map(set -> !set.contains(jti)));
    }

    /** Logs the token out on every instance: here at once, elsewhere within the recheck period. */
    Future<Void> revoke(Vertx vertx, String jti, long staffId, Instant expiresAt) {
        return vertx.executeBlocking(
                        () -> {
                            revocations.revoke(jti, staffId, expiresAt);
                            return null;
                        },
                        false)
                .map(
                        x -> {
                            // Read again, with this one, by the next request. Under the lock that
                            // revoked() starts loads under: a load that began before the commit
                            // must not be stored after this.
                            synchronized (this) {
                                revoked = null;
                            }
                            return null;
                        });
    }

    private Future<StaffDirectory.Stamp> stamp(Vertx vertx, long staffId) {
        long now = nanoClock.getAsLong();
        Cached<StaffDirectory.Stamp> c = stamps.get(staffId);
        if (c != null && now - c.loadedAt() < recheckNanos) return c.value();
        if (stamps.size() >= MAX_STAFF) stamps.clear();
        // One load per staff member and period, however many requests ask meanwhile.
        Cached<StaffDirectory.Stamp> fresh =
                stamps.compute(
                        staffId,
                        (id, old) ->
                                old != null && now - old.loadedAt() < recheckNanos
                                        ? old
                                        : new Cached<>(
                                                vertx.executeBlocking(
                                                        () -> directory.stamp(id).orElse(GONE),
                                                        false),
                                                now));
        fresh.value().onFailure(e -> stamps.remove(staffId, fresh));
        return fresh.value();
    }

    private Future<Set<String>> revoked(Vertx vertx) {
        long now = nanoClock.getAsLong();
        Cached<Set<String>> c = revoked;
        if (c != null && now - c.loadedAt() < recheckNanos) return c.value();
        synchronized (this) {
            c = revoked;
            if (c == null || now - c.loadedAt() >= recheckNanos) {
                Cached<Set<String>> load =
                        new Cached<>(vertx.executeBlocking(revocations::unexpired, false), now);
                load.value()
                        .onFailure(
                                e -> {
                                    synchronized (this) {
                                        if (revoked == load) revoked = null;
                                    }
                                });
                revoked = c = load;
            }
            return c.value();
        }
    }

    /** Reads the account's stamp again at its next request (its password just changed here). */
    void forget(long staffId) {
        stamps.remove(staffId);
    }

    /**
     * Forgets everything read, as if the recheck period had passed (tests: no 30-second sleeps).
     */
    synchronized void expire() {
        stamps.clear();
        revoked = null;
    }

    /** The period, for the docs and tests. */
    long recheckNanos() {
        return recheckNanos;
    }
}
