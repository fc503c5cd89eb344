package org.gridgov.webapp;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;

/**
 * Serves the web map (web-map/, built by Vite into the jar's webroot/) at /. Vite names every asset
 * by its content hash, so /assets/… may be cached for a year ("immutable"); index.html must be
 * revalidated on every visit ("no-cache") so a new release is picked up at once. Mounted last: API,
 * OGC and tile routes answer first and keep their own 404s.
 */
public final class WebApp {

    static final String WEBROOT = "webroot";
    static final String INDEX = WEBROOT + "/index.html";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String SHORT = "public, max-age=3600";

    /**
     * The phone screen's installable parts (docs/field-app.md): the service worker must come back
     * fresh on every check, or a phone keeps an old app shell; the manifest likewise. Their types
     * are given here, as StaticHandler would guess the manifest's.
     */
    static final String WORKER = "/sw.js";

    static final String MANIFEST = "/manifest.webmanifest";

    /** Paths owned by the server: never the app, never the index.html fallback. */
    static final List<String> SERVER_PATHS =
            List.of("/api/", "/tiles/", "/ows", "/ogc", "/open311/", "/health", "/openapi.json");

    private WebApp() {}

    /**
     * @param baseMapUrl GRIDGOV_BASEMAP_URL (null: none), the one other origin the app may load
     *     images from
     */
    public static void mount(Router router, String baseMapUrl) {
        String csp = contentSecurityPolicy(baseMapUrl);
        // Every answer, the API's too: a browser must never guess a type (run a JSON or text answer
        // as a script or page).
        router.route()
                .order(-900)
                .handler(
                        ctx -> {
                            ctx.response().putHeader("X-Content-Type-Options", "nosniff");
                            ctx.next();
                        });
        // Cache-Control is ours: StaticHandler's own caching would send max-age=86400 for
        // everything.
        StaticHandler files =
                StaticHandler.create(WEBROOT)
                        .setCachingEnabled(false)
                        .setIndexPage("index.html")
                        .setDefaultContentEncoding("UTF-8")
                        .setIncludeHidden(false)
                        .setDirectoryListing(false);
        router.route()
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(
                        ctx -> {
                            String path = ctx.normalizedPath();
                            if (serverPath(path)) {
                                ctx.next();
                                return;
                            }
                            pageHeaders(ctx, csp);
                            ctx.response().putHeader("Cache-Control", cacheControl(path));
                            if (path.equals(MANIFEST))
                                ctx.response()
                                        .putHeader("Content-Type", "application/manifest+json");
                            else if (path.equals(WORKER))
                                ctx.response()
                                        .putHeader("Content-Type", "text/javascript; charset=utf-8")
                                        // the worker at the root controls the whole app: / is
                                        // its scope already; said so for a proxy that moves it
                                        .putHeader("Service-Worker-Allowed", "/");
                            files.handle(ctx);
                        });
        router.route()
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(ctx -> fallback(ctx, csp));
    }

    /**
     * The app's own files only: scripts from this origin alone (the build has no inline script);
     * inline style attributes, which OpenLayers' controls and the charts' tooltips write; images
     * also from data:/blob: URLs (canvas exports) and the base map's host; no plugins, no framing.
     */
    static String contentSecurityPolicy(String baseMapUrl) {
        String baseMap = baseMapSource(baseMapUrl);
        String extra = baseMap == null ? "" : " " + baseMap;
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:"
                + extra
                + "; connect-src 'self'"
                + extra
                + "; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    /**
     * The CSP source of a base-map URL template: https://{a-c}.tile.example.org/{z}/{x}/{y}.png →
     * https://*.tile.example.org, https://t{0-7}.tianditu.gov.cn/… → https://*.tianditu.gov.cn (a
     * placeholder in the first label becomes CSP's wildcard); a placeholder elsewhere in the host
     * leaves only the scheme (https:).
     */
    static String baseMapSource(String url) {
        if (url == null) return null;
        int sep = url.indexOf("://");
        if (sep < 0) return null;
        String scheme = url.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        String rest = url.substring(sep + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        String authority = rest.substring(0, end);
        authority =
                authority.substring(authority.indexOf('@') + 1); // never credentials in a policy
        int dot = authority.indexOf('.');
        if (dot > 0 && authority.substring(0, dot).contains("{") && authority.indexOf('{', dot) < 0)
            authority = "*" + authority.substring(dot);
        else if (authority.contains("{") || authority.isEmpty()) return scheme + ":";
        return scheme + "://" + authority;
    }

    /**
     * The app's pages and files: its policy, never in a frame (clickjacking), only the origin as
     * referrer elsewhere.
     */
    private static void pageHeaders(RoutingContext ctx, String csp) {
        ctx.response()
                .putHeader("Content-Security-Policy", csp)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    }

    static boolean serverPath(String path) {
        for (String p : SERVER_PATHS) {
            String bare = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            if (path.equals(bare) || path.startsWith(bare + "/")) return true;
        }
        return false;
    }

    static String cacheControl(String path) {
        if (path.startsWith("/assets/")) return IMMUTABLE;
        if (path.equals("/")
                || path.endsWith(".html")
                || path.equals(WORKER)
                || path.equals(MANIFEST)) return REVALIDATE;
        return SHORT;
    }

    /**
     * A browser navigating to an app path that is no file (a bookmark like /intake) gets the app,
     * which routes by its #hash; anything else (a missing asset, a script's request) keeps the 404.
     */
    private static void fallback(RoutingContext ctx, String csp) {
        String path = ctx.normalizedPath();
        String accept = ctx.request().getHeader("Accept");
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (serverPath(path)
                || path.startsWith("/assets/")
                || last.contains(".")
                || accept == null
                || !accept.contains("text/html")) {
            ctx.next();
            return;
        }
        pageHeaders(ctx, csp);
        ctx.response()
                .putHeader("Cache-Control", REVALIDATE)
                .putHeader("Content-Type", "text/html; charset=utf-8");
        ctx.response()
                .sendFile(INDEX)
                .onFailure(
                        e -> {
                            ctx.response().headers().remove("Cache-Control").remove("Content-Type");
                            if (!ctx.response().headWritten()) ctx.next();
                        });
    }
}
