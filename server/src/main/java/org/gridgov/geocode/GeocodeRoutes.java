package org.gridgov.geocode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.RateLimit;
import org.gridgov.api.Responses;
import org.gridgov.area.Jurisdictions;
import org.gridgov.people.Access;

/**
 * {@code GET /api/v1/geocode?q=} (ranked door plates for an address) and {@code GET
 * /api/v1/geocode/reverse?lon=&lat=} (the nearest door plate). Public — the intake form searches as
 * its user types, without a token — and so limited per client address; a token lifts the limit.
 * Only what a door plate is: its address, community and point, nothing about anyone.
 * docs/addresses.md.
 */
public final class GeocodeRoutes {

    static final int DEFAULT_LIMIT = 5, MAX_LIMIT = 20;
    static final double DEFAULT_WITHIN_M = 100, MAX_WITHIN_M = 500;

    private final Geocoder geocoder;
    private final Jurisdictions areas;
    private final RateLimit lookups;

    /**
     * @param lookups the per-address limit of lookups without a token
     */
    public GeocodeRoutes(Geocoder geocoder, Jurisdictions areas, RateLimit lookups) {
        this.geocoder = geocoder;
        this.areas = areas;
        this.lookups = lookups;
    }

    public void mount(Router r) {
        r.get("/api/v1/geocode").handler(this::search);
        r.get("/api/v1/geocode/reverse").handler(this::reverse);
    }

    private void search(RoutingContext ctx) {
        limit(ctx);
        String q = AddressInput.check(Handlers.param(ctx, "q"), "q", 400);
        int limit = QueryParams.whole(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        Handlers.blocking(
                ctx,
                () -> {
                    try {
                        NormalisedAddress n = geocoder.normaliser().normalise(q);
                        if (n.isEmpty()) throw AddressInput.nothingLeft("q", 400);
                        return new Found(n, geocoder.search(q, limit));
                    } catch (AddressNormaliser.Elsewhere e) {
                        throw AddressInput.elsewhere(e, "q");
                    }
                },
                (c, found) -> {
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("query", q).put("normalised", found.query().text());
                    ArrayNode arr = out.putArray("candidates");
                    for (GeocodeMatch m : found.matches()) arr.add(json(m.plate(), m.score()));
                    Responses.json(c, 200, out);
                });
    }

    private record Found(NormalisedAddress query, List<GeocodeMatch> matches) {}

    private void reverse(RoutingContext ctx) {
        limit(ctx);
        if (Handlers.param(ctx, "lon") == null || Handlers.param(ctx, "lat") == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            Handlers.param(ctx, "lon") == null ? "lon" : "lat",
                            "give the point as lon and lat (WGS 84 degrees)"));
        double lon = QueryParams.number(ctx, "lon", -180, 180, 0);
        double lat = QueryParams.number(ctx, "lat", -90, 90, 0);
        double within = QueryParams.number(ctx, "within", 1, MAX_WITHIN_M, DEFAULT_WITHIN_M);
        if (areas.locate(lon, lat).where() != Jurisdictions.Where.SUBDISTRICT)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "out-of-area",
                            "The point is outside the gazetteer's area",
                            "("
                                    + lon
                                    + ", "
                                    + lat
                                    + ") lies outside "
                                    + areas.subdistrictName()
                                    + ", whose door plates the gazetteer holds",
                            "lon"));
        Handlers.blocking(
                ctx,
                () -> geocoder.reverse(lon, lat, within),
                (c, near) -> {
                    if (near.isEmpty())
                        throw new ProblemException(
                                Problem.notFound(
                                        "no door plate within "
                                                + within
                                                + " m of ("
                                                + lon
                                                + ", "
                                                + lat
                                                + ")"));
                    ObjectNode out = json(near.get().plate(), null);
                    out.put("distanceM", Math.round(near.get().distanceM() * 10) / 10.0);
                    Responses.json(c, 200, out);
                });
    }

    /** Without a token, lookups count against the caller's address. */
    private void limit(RoutingContext ctx) {
        if (Access.caller(ctx) != null) return;
        String who = ClientAddress.of(ctx);
        if (lookups.tryTake(who)) return;
        ctx.response().putHeader("Retry-After", Long.toString(lookups.secondsUntilNext(who)));
        throw new ProblemException(lookups.tooMany());
    }

    /** A door plate as the API answers it; score null for a reverse lookup. */
    public static ObjectNode json(DoorPlate p, Double score) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("id", p.id()).put("address", p.label());
        if (score != null) o.put("score", Math.round(score * 1000) / 1000.0);
        ObjectNode parts = o.putObject("parts");
        parts.put("road", p.road()).put("number", p.number());
        parts.put("compound", p.compound()).put("building", p.building()).put("unit", p.unit());
        if (p.communityId() == null) o.putNull("community");
        else o.putObject("community").put("id", p.communityId()).put("name", p.communityName());
        o.putObject("location").put("lon", p.lon()).put("lat", p.lat());
        return o;
    }
}
