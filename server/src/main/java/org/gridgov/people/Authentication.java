package org.gridgov.people;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.UserContextInternal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Reads {@code Authorization: Bearer <token>} on every request (and, on the OGC services only,
 * {@code Basic} user:password for desktop GIS clients such as QGIS that cannot fetch tokens). A
 * valid token sets ctx.user(), whose principal is the token's claims (not Vert.x's default
 * {"access_token": …}, so that {@code principal().getJsonArray("roles")} works everywhere); a
 * forged, expired or malformed one is refused with 401 at once, and so is one that was logged out
 * or whose account changed since ({@link Sessions}); no header leaves the request anonymous, and
 * each endpoint decides whether that is enough ({@link Access}). Failed logins are throttled
 * ({@link LoginThrottle}).
 */
public final class Authentication {

    /**
     * A verified Basic header stays good this long: BCrypt on every map tile would cost 0.1 s each.
     */
    static final long BASIC_TTL_MS = 5 * 60_000;

    private static final int BASIC_CACHE_MAX = 10_000;

    private record Verified(JsonObject claims, long until) {}

    private final Tokens tokens;
    private final StaffDirectory directory;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    // Keyed by the SHA-256 of the header, never by the password itself.
    private final Map<String, Verified> basic = new ConcurrentHashMap<>();

    public Authentication(
            Tokens tokens, StaffDirectory directory, Sessions sessions, LoginThrottle throttle) {
        this.tokens = tokens;
        this.directory = directory;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public void mount(Router router) {
        router.route().handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null) {
            ctx.next();
            return;
        }
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            // The path the router routes by: the raw one would let /ogc/../api/… pass as OGC.
            if (!forDesktopGis(ctx.normalizedPath())) {
                ctx.fail(
                        unauthorized(
                                "Basic credentials are taken only by the OGC services (/ows, /ogc, /tiles) for desktop GIS; "
                                        + "the API wants 'Bearer <token>' from POST /api/v1/auth/token"));
                return;
            }
            basic(ctx, h);
            return;
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() < 8) {
            ctx.fail(
                    unauthorized(
                            "the Authorization header must be 'Bearer <token>' with a token from POST /api/v1/auth/token"));
            return;
        }
        tokens.verify(h.substring(7).trim())
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(
                                        unauthorized(
                                                "the token is invalid or expired ("
                                                        + ar.cause().getMessage()
                                                        + "); get a new one from POST /api/v1/auth/token"));
                                return;
                            }
                            JsonObject claims = ar.result();
                            Principal p = Principal.fromClaims(claims);
                            if (p == null) {
                                ctx.fail(
                                        unauthorized(
                                                "the token does not carry gridgov's claims (sub, username, roles, scope)"));
                                return;
                            }
                            admitIfCurrent(ctx, p, claims, claims.getString("jti"));
                        });
    }

    /**
     * Lets the request on as p unless the token was logged out or the account changed since
     * (Sessions).
     */
    private void admitIfCurrent(RoutingContext ctx, Principal p, JsonObject claims, String jti) {
        sessions.current(ctx.vertx(), p.staffId(), claims.getInteger("ver", -1), jti)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                            } else if (!ar.result()) {
                                ctx.fail(
                                        unauthorized(
                                                "this login has ended: logged out, or the account was disabled or its role, scope or password "
                                                        + "changed since; log in again"));
                            } else {
                                setUser(ctx, claims);
                                ctx.next();
                            }
                        });
    }

    /**
     * Where HTTP Basic is accepted: the services QGIS, ArcGIS and GDAL call, which cannot fetch
     * tokens.
     */
    static boolean forDesktopGis(String path) {
        return path.equals("/ows") || path.startsWith("/ogc") || path.startsWith("/tiles/");
    }

    private void basic(RoutingContext ctx, String header) {
        String key = sha256(header);
        Verified v = basic.get(key);
        if (v != null && v.until() > System.currentTimeMillis()) {
            admitIfCurrent(ctx, Principal.fromClaims(v.claims()), v.claims(), null);
            return;
        }
        String decoded;
        try {
            decoded =
                    new String(
                            Base64.getDecoder().decode(header.substring(6).trim()),
                            StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            ctx.fail(unauthorized("the Basic credentials are not base64 of 'username:password'"));
            return;
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        throttle.begin(ctx, username);
        ctx.vertx()
                .executeBlocking(
                        () -> {
                            var account = directory.account(username);
                            // BCrypt runs for unknown users too (against a dummy hash): a wrong
                            // name takes as long as a wrong password.
                            boolean ok =
                                    Passwords.matches(
                                            password,
                                            account.map(StaffDirectory.Account::passwordHash)
                                                    .orElse(null));
                            // a one-time password opens nothing until it is changed
                            if (!ok
                                    || !account.get().active()
                                    || account.get().mustChangePassword()) return null;
                            Staff s = account.get().staff();
                            return new Principal(
                                            s.id(), s.username(), EnumSet.of(s.role()), s.scope())
                                    .claims()
                                    .put("ver", account.get().authVersion());
                        },
                        false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                                return;
                            }
                            if (ar.result() == null) {
                                ctx.fail(
                                        unauthorized(
                                                "no account matches this Basic username and password"));
                                return;
                            }
                            throttle.succeeded(ctx, username);
                            if (basic.size() >= BASIC_CACHE_MAX) basic.clear();
                            basic.put(
                                    key,
                                    new Verified(
                                            ar.result(),
                                            System.currentTimeMillis() + BASIC_TTL_MS));
                            admitIfCurrent(
                                    ctx, Principal.fromClaims(ar.result()), ar.result(), null);
                        });
    }

    private static void setUser(RoutingContext ctx, JsonObject claims) {
        // Vert.x 5 sets the user through its internal user context; there is no public setter.
        ((UserContextInternal) ctx.userContext()).setUser(User.create(claims.copy()));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProblemException unauthorized(String detail) {
        return new ProblemException(
                Problem.of(
                        401, "unauthorized", "Authentication required", detail, "Authorization"));
    }
}
