package org.gridgov.ogc.catalog;

import io.vertx.ext.web.RoutingContext;
import org.gridgov.people.Principal;

/**
 * Which subdistrict's rows a per-subdistrict layer answers (a layer whose SQL has {@code
 * %subdistrict%}; THE ISOLATION RULE, docs/access.md): {@code id} 0 = every subdistrict, the
 * district-wide layer; else that subdistrict only. A caller whose scope lies in one subdistrict
 * always gets its own (asking for another is refused); a district-scoped or anonymous caller gets
 * the one it names with {@code subdistrict=ID} (the jurisdiction row's id, the {@code subdistrict}
 * layer's feature id), or all. The id reaches SQL only as a number, never as request text.
 */
public record SubdistrictFilter(long id) {

    /** Every subdistrict: the district-wide layer. */
    public static final SubdistrictFilter ALL = new SubdistrictFilter(0);

    /** The request parameter (WMS/WFS vendor parameter, OGC API query parameter, tiles). */
    public static final String PARAMETER = "subdistrict";

    /**
     * MapServer's vendor parameter, written by the gateway alone (a client's is never forwarded);
     * without it MapServer substitutes -1, which matches no row: a request that forgot the filter
     * shows nothing rather than everything.
     */
    public static final String MAPSERVER = "subdistrict_id";

    public static final String MAPSERVER_PATTERN = "^-?[0-9]{1,12}$";
    public static final String MAPSERVER_DEFAULT = "-1";

    /** Where a layer's SQL names the subdistrict it is narrowed to (0 = all). */
    public static final String PLACEHOLDER = "%subdistrict%";

    public SubdistrictFilter {
        if (id < 0) throw new IllegalArgumentException("subdistrict id " + id);
    }

    public boolean all() {
        return id == 0;
    }

    /** Why a request's subdistrict is refused: 400 malformed, 403 another subdistrict's. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * The caller's own subdistrict: null for anonymous and district-scoped callers (and a scope
     * with no subdistrict, in a deployment without a boundary, which sees everything there is).
     */
    public static Long callers(RoutingContext ctx) {
        if (ctx.user() == null) return null;
        Principal p = Principal.fromClaims(ctx.user().principal());
        // a verified token we cannot read the scope of sees nothing per subdistrict
        if (p == null) throw new Refused(403, "your token carries no readable scope");
        return p.subdistrictId();
    }

    /**
     * The filter for this caller and the subdistrict it asks for (the parameter's value, or null).
     *
     * @throws Refused 400 for a value that is not a subdistrict id, 403 for another subdistrict
     *     than the caller's own
     */
    public static SubdistrictFilter of(RoutingContext ctx, String asked) {
        Long own = callers(ctx);
        Long wanted = null;
        if (asked != null && !asked.isEmpty() && !asked.equals("all")) {
            if (!asked.matches("^[0-9]{1,12}$") || Long.parseLong(asked) == 0)
                throw new Refused(
                        400,
                        "subdistrict must be a subdistrict id (a whole number > 0) or 'all', not '"
                                + ClientText.shorten(asked)
                                + "'");
            wanted = Long.parseLong(asked);
        }
        if (own == null) return wanted == null ? ALL : new SubdistrictFilter(wanted);
        if (wanted != null && !wanted.equals(own))
            throw new Refused(
                    403, "your scope is subdistrict " + own + ", not subdistrict " + wanted);
        if (asked != null && asked.equals("all"))
            throw new Refused(403, "your scope is subdistrict " + own + ", not the whole district");
        return new SubdistrictFilter(own);
    }

    /** What {@link #PLACEHOLDER} stands for in SQL. */
    public String sql() {
        return Long.toString(id);
    }
}
