package org.gridgov.open311;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * jurisdiction_id on every Open311 call. gridgov serves the district's subdistricts, each a
 * jurisdiction whose id is its code in the jurisdiction table (the administrative division code,
 * e.g. 330108001), and the district as a whole by its code (e.g. 330108); read again after a
 * boundary import. GeoReport v2 lets a server treat the parameter as optional: absent, empty or the
 * district's code is the whole service area; a subdistrict's code narrows the request list to that
 * subdistrict's cases; any other value is answered 404 in GeoReport's error format, before the call
 * does anything (nothing is stored, no write is counted).
 */
public final class JurisdictionCheck {

    /** Where the accepted jurisdiction_id waits for the route (see {@link #subdistrictOf}). */
    private static final String KEY = "open311.jurisdiction";

    private final Supplier<Set<String>> codes;

    /**
     * @param codes every subdistrict's code and the district's now; empty before a boundary is
     *     imported
     */
    public JurisdictionCheck(Supplier<Set<String>> codes) {
        this.codes = codes;
    }

    /** The subdistrict code the call named as jurisdiction_id; null for the whole district. */
    static String subdistrictOf(RoutingContext ctx) {
        String given = ctx.get(KEY);
        return given != null && given.length() == 9 ? given : null;
    }

    /** Mount before the Open311 routes (after the body handler: a POST's form is read by then). */
    public void mount(Router r) {
        r.route("/open311/*").handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String problem = problem(ctx.request().params().getAll("jurisdiction_id"));
        if (problem == null) {
            ctx.request().params().getAll("jurisdiction_id").stream()
                    .filter(v -> v != null && !v.isBlank())
                    .findFirst()
                    .ifPresent(v -> ctx.put(KEY, v.strip()));
            ctx.next();
            return;
        }
        boolean xml = ctx.request().path().endsWith(".xml");
        Format.error(ctx, xml, problem.startsWith("jurisdiction_id is given") ? 400 : 404, problem);
    }

    /** Why the given jurisdiction_id values are refused; null when they are fine. */
    String problem(List<String> given) {
        List<String> values =
                given.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
        if (values.isEmpty()) return null;
        if (given.size() > 1) return "jurisdiction_id is given " + given.size() + " times";
        Set<String> ours = codes.get();
        if (ours.contains(values.get(0))) return null;
        return "jurisdiction_id '"
                + values.get(0)
                + "' was not found: "
                + (ours.isEmpty()
                        ? "no boundary has been imported yet"
                        : "this server serves " + String.join(", ", ours) + " only");
    }
}
