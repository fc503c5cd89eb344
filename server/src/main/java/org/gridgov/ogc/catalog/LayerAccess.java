package org.gridgov.ogc.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * Who may see which layer. Reads the caller's roles from {@code ctx.user()} (set by the
 * authentication handler when a valid bearer token came with the request; principal {@code roles}
 * lists role names). No user = anonymous: public layers only.
 */
public final class LayerAccess {

    private final LayerCatalog catalog;

    public LayerAccess(LayerCatalog catalog) {
        this.catalog = catalog;
    }

    public static Set<String> roles(RoutingContext ctx) {
        User user = ctx.user();
        if (user == null || user.principal() == null) return Set.of();
        JsonArray roles = user.principal().getJsonArray("roles");
        Set<String> out = new HashSet<>();
        if (roles != null) roles.forEach(r -> out.add(String.valueOf(r)));
        return out;
    }

    public static boolean authenticated(RoutingContext ctx) {
        return ctx.user() != null;
    }

    public boolean maySee(RoutingContext ctx, Layer layer) {
        if (catalog.isPublic(layer)) return true;
        Set<String> roles = roles(ctx);
        return layer.roles().stream().anyMatch(roles::contains);
    }

    /** The mapfile of exactly the layers this caller may see, so capabilities list only those. */
    public String mapName(RoutingContext ctx) {
        if (!authenticated(ctx)) return catalog.mapName(0);
        Set<Layer> visible = new HashSet<>();
        for (Layer l : catalog.restricted()) if (maySee(ctx, l)) visible.add(l);
        return catalog.mapName(visible);
    }

    /**
     * Whether every layer this caller may see is public (so the anonymous map suffices and answers
     * may be cached publicly).
     */
    public boolean publicOnly(RoutingContext ctx) {
        return !authenticated(ctx);
    }
}
