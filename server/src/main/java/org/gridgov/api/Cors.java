package org.gridgov.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-origin access (CORS) to the public map services — {@code /ows} (WMS/WFS), {@code /ogc} (OGC
 * API) and {@code /tiles} — so that a city's own OpenLayers or MapLibre page, on its own origin,
 * can read tiles, GeoJSON and feature info. {@code GRIDGOV_CORS_ORIGINS} is {@code *} (any origin,
 * the default: the anonymous data is public) or a list of origins. A response is never {@code *}
 * together with credentials: a request that carries them (Authorization, a cookie) gets its own
 * origin echoed with {@code Vary: Origin}, and only a listed origin may use the browser's own
 * credentials ({@code Access-Control-Allow-Credentials}); with a list, an origin not on it gets no
 * CORS headers at all. Preflights ({@code OPTIONS}) are answered here, before authentication. The
 * headers are added as the response is sent, so errors (401, OGC exceptions) carry them too and a
 * script can read why. Other paths (the REST API, the web app) are same-origin only.
 */
public final class Cors {

    /** The paths served to other origins; a path is covered when it is one of these or below. */
    public static final List<String> PATHS = List.of("/ows", "/ogc", "/tiles");

    private static final Pattern ORIGIN = Pattern.compile("^https?://[a-z0-9.\\-\\[\\]:]+$");
    private static final Pattern HEADER_LIST = Pattern.compile("^[A-Za-z0-9\\-, ]{0,512}$");
    private static final String EXPOSED =
            "ETag, Link, Content-Crs, Content-Disposition, WWW-Authenticate, Retry-After,"
                    + " Server-Timing";

    /** Listed origins; empty = any. */
    private final Set<String> origins;

    private Cors(Set<String> origins) {
        this.origins = origins;
    }

    /**
     * From the setting: {@code *}, or origins ({@code https://maps.example.org}, scheme and host
     * with an optional port, no path) separated by commas or spaces.
     *
     * @throws IllegalStateException naming the bad entry
     */
    public static Cors allowing(String setting) {
        String s = setting == null ? "*" : setting.trim();
        if (s.equals("*") || s.isEmpty()) return new Cors(Set.of());
        Set<String> out = new LinkedHashSet<>();
        for (String part : s.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            String o = part.toLowerCase(Locale.ROOT);
            if (!ORIGIN.matcher(o).matches())
                throw new IllegalStateException(
                        "GRIDGOV_CORS_ORIGINS: '"
                                + part
                                + "' is not an origin (scheme://host[:port], no path), nor is the"
                                + " setting * alone");
            out.add(o);
        }
        return new Cors(Set.copyOf(out));
    }

    public void mount(Router router) {
        router.route().handler(this::handle);
    }

    static boolean covered(String path) {
        if (path == null) return false;
        for (String p : PATHS) if (path.equals(p) || path.startsWith(p + "/")) return true;
        return false;
    }

    private void handle(RoutingContext ctx) {
        if (!covered(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        HttpServerRequest req = ctx.request();
        String origin = req.getHeader("Origin");
        boolean credentials =
                req.headers().contains("Authorization") || req.headers().contains("Cookie");
        boolean preflight =
                req.method() == HttpMethod.OPTIONS
                        && origin != null
                        && req.getHeader("Access-Control-Request-Method") != null;
        HttpServerResponse res = ctx.response();
        ctx.addHeadersEndHandler(v -> decorate(res, origin, credentials, preflight));
        if (req.method() != HttpMethod.OPTIONS) {
            ctx.next();
            return;
        }
        String methods =
                ctx.normalizedPath().equals("/ows") ? "GET, POST, OPTIONS" : "GET, OPTIONS";
        res.setStatusCode(204).putHeader("Allow", methods);
        if (preflight && allowedOrigin(origin, credentials) != null) {
            res.putHeader("Access-Control-Allow-Methods", methods);
            String asked = req.getHeader("Access-Control-Request-Headers");
            if (asked != null && HEADER_LIST.matcher(asked).matches())
                res.putHeader("Access-Control-Allow-Headers", asked);
            res.putHeader("Access-Control-Max-Age", "600");
        }
        res.end();
    }

    /**
     * The Access-Control-Allow-Origin value for a request from this origin, or null: {@code *} for
     * any origin without credentials, else the origin itself when it may read the answer.
     */
    String allowedOrigin(String origin, boolean credentials) {
        if (origin == null) return null;
        if (origins.isEmpty()) return credentials ? origin : "*";
        return origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
    }

    private void decorate(
            HttpServerResponse res, String origin, boolean credentials, boolean preflight) {
        String allow = allowedOrigin(origin, credentials);
        // the answer differs by origin whenever it is not the same "*" for everyone
        if (origin != null && !"*".equals(allow) || !origins.isEmpty()) vary(res);
        if (allow == null) return;
        res.putHeader("Access-Control-Allow-Origin", allow);
        if (!origins.isEmpty()) res.putHeader("Access-Control-Allow-Credentials", "true");
        if (!preflight) res.putHeader("Access-Control-Expose-Headers", EXPOSED);
    }

    private static void vary(HttpServerResponse res) {
        List<String> vary = res.headers().getAll("Vary");
        for (String v : vary)
            for (String name : v.split(","))
                if (name.trim().equalsIgnoreCase("Origin") || name.trim().equals("*")) return;
        if (vary.isEmpty()) res.putHeader("Vary", "Origin");
        else res.putHeader("Vary", String.join(", ", vary) + ", Origin");
    }
}
