package org.gridgov.webapp;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;

/**
 * Serves the web map (web-map/, built by Vite into the jar's webroot/) at /. Vite names every
 * asset by its content hash, so /assets/… may be cached for a year ("immutable"); index.html
 * must be revalidated on every visit ("no-cache") so a new release is picked up at once.
 * Mounted last: API, OGC and tile routes answer first and keep their own 404s.
 */
public final class WebApp {

    static final String WEBROOT = "webroot";
    static final String INDEX = WEBROOT + "/index.html";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String SHORT = "public, max-age=3600";
    /** Paths owned by the server: never the app, never the index.html fallback. */
    static final List<String> SERVER_PATHS = List.of("/api/", "/tiles/", "/ows", "/ogc", "/open311/", "/health", "/openapi.json");

    private WebApp() {
    }

    public static void mount(Router router) {
        // Cache-Control is ours: StaticHandler's own caching would send max-age=86400 for everything.
        StaticHandler files = StaticHandler.create(WEBROOT).setCachingEnabled(false).setIndexPage("index.html")
                .setDefaultContentEncoding("UTF-8").setIncludeHidden(false).setDirectoryListing(false);
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (serverPath(path)) {
                ctx.next();
                return;
            }
            ctx.response().putHeader("Cache-Control", cacheControl(path));
            files.handle(ctx);
        });
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(WebApp::fallback);
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
        if (path.equals("/") || path.endsWith(".html")) return REVALIDATE;
        return SHORT;
    }

    /**
     * A browser navigating to an app path that is no file (a bookmark like /intake) gets the app,
     * which routes by its #hash; anything else (a missing asset, a script's request) keeps the 404.
     */
    private static void fallback(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String accept = ctx.request().getHeader("Accept");
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (serverPath(path) || path.startsWith("/assets/") || last.contains(".") || accept == null || !accept.contains("text/html")) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Cache-Control", REVALIDATE).putHeader("Content-Type", "text/html; charset=utf-8");
        ctx.response().sendFile(INDEX).onFailure(e -> {
            ctx.response().headers().remove("Cache-Control").remove("Content-Type");
            if (!ctx.response().headWritten()) ctx.next();
        });
    }
}
