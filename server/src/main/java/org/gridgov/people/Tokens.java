package org.gridgov.people;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Signed access tokens (JWT, HS256) carrying a {@link Principal}'s claims, plus {@code jti} (the
 * token's id, which logging out revokes), {@code ver} (the staff row's auth_version when it was
 * issued, see {@link Sessions}) and a mandatory {@code exp}.
 */
public final class Tokens {

    /** HS256 wants a key at least as long as its 256-bit hash. */
    public static final int MIN_SECRET_BYTES = 32;

    static final String ISSUER = "gridgov";

    private final JWTAuth jwt;
    private final int ttlSeconds;

    /**
     * Tokens verified already, until their exp: a staff client sends the same token with every
     * request, and checking its signature and decoding it again each time was a tenth of a report's
     * CPU in the server. Revocation is not decided here ({@link Sessions}, every request). Emptied
     * when full, as the Basic logins' cache is.
     */
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(JsonObject claims, long expiresAtSecond) {}

    static final int VERIFIED_MAX = 10_000;

    private final LongSupplier epochSeconds;

    /**
     * @param secret from Config.jwtSecret(), which says where to set it; there is no default secret
     */
    public Tokens(Vertx vertx, String secret, int ttlSeconds) {
        this(vertx, secret, ttlSeconds, () -> System.currentTimeMillis() / 1000);
    }

    Tokens(Vertx vertx, String secret, int ttlSeconds, LongSupplier epochSeconds) {
        this.epochSeconds = epochSeconds;
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the token signing secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.jwt =
                JWTAuth.create(
                        vertx,
                        new JWTAuthOptions()
                                .addPubSecKey(
                                        new PubSecKeyOptions()
                                                .setAlgorithm("HS256")
                                                .setBuffer(secret))
                                .setJWTOptions(new JWTOptions().setIssuer(ISSUER)));
        this.ttlSeconds = ttlSeconds;
    }

    /** A token for p, stamped with its staff row's auth_version. */
    public String issue(Principal p, int authVersion) {
        JsonObject claims =
                p.claims().put("ver", authVersion).put("jti", UUID.randomUUID().toString());
        return jwt.generateToken(
                claims,
                new JWTOptions()
                        .setAlgorithm("HS256")
                        .setIssuer(ISSUER)
                        .setExpiresInSeconds(ttlSeconds));
    }

    /**
     * Signs any claims; expiresInSeconds 0 = no exp added (tests: expired, exp-less and forged
     * tokens).
     */
    public String issue(JsonObject claims, int expiresInSeconds) {
        return jwt.generateToken(
                claims,
                new JWTOptions()
                        .setAlgorithm("HS256")
                        .setIssuer(ISSUER)
                        .setExpiresInSeconds(expiresInSeconds));
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    /**
     * The verified claims of a token; fails on a bad signature, an expired or foreign token, and on
     * one without exp, jti or ver (a token that never expires or cannot be revoked is not ours).
     * The claims are shared by every request with the token: read them, do not change them.
     */
    public Future<JsonObject> verify(String token) {
        Verified seen = verified.get(token);
        if (seen != null) {
            if (epochSeconds.getAsLong() < seen.expiresAtSecond())
                return Future.succeededFuture(seen.claims());
            verified.remove(token);
            return Future.failedFuture(new IllegalArgumentException("the token has expired"));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .map(
                        u -> {
                            JsonObject claims = u.attributes().getJsonObject("accessToken");
                            if (claims == null || !ISSUER.equals(claims.getString("iss")))
                                throw new IllegalArgumentException("not a gridgov token");
                            if (!(claims.getValue("exp") instanceof Number))
                                throw new IllegalArgumentException("the token has no expiry (exp)");
                            if (!(claims.getValue("jti") instanceof String)
                                    || !(claims.getValue("ver") instanceof Number)) {
                                throw new IllegalArgumentException(
                                        "the token has no id (jti) or account stamp (ver)");
                            }
                            if (verified.size() >= VERIFIED_MAX) verified.clear();
                            verified.put(token, new Verified(claims, claims.getLong("exp")));
                            return claims;
                        });
    }
}
