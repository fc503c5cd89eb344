package org.gridgov.open311;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * jurisdiction_id on every Open311 call. gridgov serves one jurisdiction, the subdistrict, whose id
 * is its code in the jurisdiction table (the administrative division code, e.g. 330108001; read
 * again after a boundary import). GeoReport v2 lets a single-jurisdiction server treat the
 * parameter as optional: absent or empty is fine; any other value is answered 404 in GeoReport's
 * error format, before the call does anything (nothing is stored, no write is counted).
 */
public final class JurisdictionCheck {

    private final Supplier<String> subdistrictCode;

    /**
     * @param subdistrictCode the subdistrict's code now; null before a boundary is imported
     */
    public JurisdictionCheck(Supplier<String> subdistrictCode) {
        this.subdistrictCode = subdistrictCode;
    }

    /** Mount before the Open311 routes (after the body handler: a POST's form is read by then). */
    public void mount(Router r) {
        r.route("/open311/*").handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String problem = problem(ctx.request().params().getAll("jurisdiction_id"));
        if (problem == null) {
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
        String ours = subdistrictCode.get();
        if (values.get(0).equals(ours)) return null;
        return "jurisdiction_id '"
                + values.get(0)
                + "' was not found: "
                + (ours == null
                        ? "no boundary has been imported yet"
                        : "this server serves '" + ours + "' only");
    }
}
