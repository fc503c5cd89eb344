package org.gridgov.ogc.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

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

    /**
     * The OGC API collection (a vector layer) of that id, when this caller may see it: 404 for no
     * such collection, else as {@link #requireVisible}.
     */
    public Layer visibleCollection(RoutingContext ctx, String id) {
        Layer l =
                catalog.find(id)
                        .filter(x -> !x.isRaster())
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.notFound(
                                                        "no collection '"
                                                                + ClientText.shorten(id)
                                                                + "'")));
        requireVisible(ctx, l, "collection");
        return l;
    }

    /**
     * Throws the REST answer for a layer this caller may not see: 401 with the schemes to log in by
     * when anonymous, else 403. noun names the layer as the API does ("collection", "layer").
     */
    public void requireVisible(RoutingContext ctx, Layer l, String noun) {
        if (maySee(ctx, l)) return;
        if (!authenticated(ctx)) {
            ctx.response()
                    .headers()
                    .add("WWW-Authenticate", "Bearer")
                    .add("WWW-Authenticate", "Basic realm=\"gridgov\"");
            throw new ProblemException(
                    Problem.of(
                            401,
                            "unauthorized",
                            "Authentication required",
                            noun + " " + l.name() + " needs a token",
                            null));
        }
        throw new ProblemException(
                Problem.of(
                        403,
                        "forbidden",
                        "Forbidden",
                        "your roles do not include " + noun + " " + l.name(),
                        null));
    }

    /**
     * The subdistrict filter of a REST request (OGC API Features, tiles): the query parameter
     * {@code subdistrict} within the caller's scope, as problem+json when refused (400 malformed,
     * 403 another subdistrict's).
     */
    public static SubdistrictFilter subdistrict(RoutingContext ctx) {
        try {
            return SubdistrictFilter.of(ctx, ctx.queryParams().get(SubdistrictFilter.PARAMETER));
        } catch (SubdistrictFilter.Refused e) {
            throw new ProblemException(
                    e.status() == 400
                            ? Problem.invalidParameter(SubdistrictFilter.PARAMETER, e.getMessage())
                            : Problem.of(403, "forbidden", "Forbidden", e.getMessage(), null));
        }
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
