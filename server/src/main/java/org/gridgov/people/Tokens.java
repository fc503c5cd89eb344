package org.gridgov.people;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signed access tokens (JWT, HS256) carrying a {@link Principal}'s claims. */
public final class Tokens {

    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    public static final String DEV_SECRET = "gridgov-development-secret-change-me-with-GRIDGOV_JWT_SECRET";
    static final String ISSUER = "gridgov";

    private final JWTAuth jwt;
    private final int ttlSeconds;

    public Tokens(Vertx vertx, String secret, int ttlSeconds) {
        if (secret == null || secret.isBlank()) {
            log.warn("GRIDGOV_JWT_SECRET is not set: tokens are signed with the published development secret; "
                    + "set a long random GRIDGOV_JWT_SECRET in any real deployment");
            secret = DEV_SECRET;
        } else if (secret.length() < 32) {
            throw new IllegalStateException("GRIDGOV_JWT_SECRET must be at least 32 characters");
        }
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER)));
        this.ttlSeconds = ttlSeconds;
    }

    public String issue(Principal p) {
        return jwt.generateToken(p.claims(), new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setExpiresInSeconds(ttlSeconds));
    }

    /** Issues a token with any claims and lifetime (tests: expired and forged tokens). */
    public String issue(JsonObject claims, int expiresInSeconds) {
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setExpiresInSeconds(expiresInSeconds));
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    /** The verified claims of a token; fails on a bad signature, an expired or foreign token. */
    public Future<JsonObject> verify(String token) {
        return jwt.authenticate(new TokenCredentials(token)).map(u -> {
            JsonObject claims = u.attributes().getJsonObject("accessToken");
            if (claims == null || !ISSUER.equals(claims.getString("iss"))) throw new IllegalArgumentException("not a gridgov token");
            return claims;
        });
    }
}
