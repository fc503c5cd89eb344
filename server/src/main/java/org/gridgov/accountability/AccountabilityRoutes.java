package org.gridgov.accountability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.Lang;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.QueryParams;
import org.gridgov.api.Responses;
import org.gridgov.assess.Period;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * GET /api/v1/accountability (JSON), /api/v1/accountability.csv and /api/v1/accountability.html:
 * the discipline committee's findings over the event log (docs/accountability.md), for auditors and
 * administrators. Read-only; every use is written to the admin log (kind accountability) with who,
 * the request and the query, before anything is read.
 */
public final class AccountabilityRoutes {

    /** What the routes answer; the admin log names it. */
    enum Format {
        JSON,
        CSV,
        HTML
    }

    private final AccountabilityQueries queries;
    private final Exports exports;
    private final ZoneId zone;
    private final Clock clock;

    public AccountabilityRoutes(AccountabilityQueries queries, ZoneId zone, Clock clock) {
        this.queries = queries;
        this.exports = new Exports(zone);
        this.zone = zone;
        this.clock = clock;
    }

    public void mount(Router r) {
        r.get("/api/v1/accountability").handler(ctx -> answer(ctx, Format.JSON));
        r.get("/api/v1/accountability.csv").handler(ctx -> answer(ctx, Format.CSV));
        r.get("/api/v1/accountability.html").handler(ctx -> answer(ctx, Format.HTML));
    }

    private void answer(RoutingContext ctx, Format format) {
        Principal p = Access.requireAny(ctx, Role.AUDITS);
        Period period =
                Period.of(
                        Handlers.param(ctx, "period"),
                        Handlers.param(ctx, "from"),
                        Handlers.param(ctx, "to"),
                        zone);
        By by = by(Handlers.param(ctx, "by"));
        Set<FindingKind> kinds = kinds(Handlers.param(ctx, "kind"));
        Lang lang = lang(Handlers.param(ctx, "lang"));
        Thresholds limits =
                new Thresholds(
                        QueryParams.whole(ctx, "minHops", 1, 100, Thresholds.DEFAULT.minHops()),
                        QueryParams.whole(
                                ctx, "minExtensions", 1, 100, Thresholds.DEFAULT.minExtensions()),
                        QueryParams.whole(
                                ctx, "minReworks", 1, 100, Thresholds.DEFAULT.minReworks()),
                        QueryParams.number(
                                ctx, "noOwnerHours", 0, 10_000, Thresholds.DEFAULT.noOwnerHours()));
        int limit =
                QueryParams.whole(ctx, "limit", 1, 10_000, format == Format.JSON ? 1000 : 10_000);

        ObjectNode logged = Responses.JSON.createObjectNode();
        logged.put("format", format.name().toLowerCase(Locale.ROOT));
        ObjectNode q = logged.putObject("query");
        if (period.label() != null) q.put("period", period.label());
        q.put("from", period.from().toString()).put("to", period.to().toString());
        q.put("by", by.wire());
        var ks = q.putArray("kinds");
        kinds.forEach(k -> ks.add(k.wire));
        q.put("minHops", limits.minHops())
                .put("minExtensions", limits.minExtensions())
                .put("minReworks", limits.minReworks())
                .put("noOwnerHours", limits.noOwnerHours())
                .put("limit", limit)
                .put("lang", lang.tag);
        logged.put("role", p.roles().iterator().next().name());
        String target = ctx.request().uri();
        if (target.length() > 2000) target = target.substring(0, 2000);
        String t = target;
        // an auditor of one subdistrict reads its cases' findings only (JSON, CSV and HTML alike)
        var question =
                new AccountabilityQueries.Query(
                        period.from(), period.to(), kinds, limits, p.subdistrictId());
        Handlers.blocking(
                ctx,
                () ->
                        Report.of(
                                period.label(),
                                period.from(),
                                period.to(),
                                by,
                                kinds,
                                limits,
                                queries.findings(p.staffId(), t, logged, question)),
                (c, report) -> {
                    switch (format) {
                        case JSON -> Responses.json(c, 200, report.json(limit));
                        case CSV -> {
                            Report r = cut(report, limit);
                            c.response()
                                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                                    .putHeader(
                                            "Content-Disposition",
                                            "attachment; filename=\"accountability-"
                                                    + fileName(period)
                                                    + ".csv\"")
                                    .putHeader("Cache-Control", "no-store")
                                    .end(Buffer.buffer(exports.csv(r, lang)));
                        }
                        case HTML -> {
                            Report r = cut(report, limit);
                            c.response()
                                    .putHeader("Content-Type", "text/html; charset=utf-8")
                                    .putHeader("Cache-Control", "no-store")
                                    .end(
                                            exports.html(
                                                    r,
                                                    lang,
                                                    p.username(),
                                                    OffsetDateTime.now(clock)));
                        }
                    }
                });
    }

    private static Report cut(Report r, int limit) {
        if (r.findings().size() <= limit) return r;
        return new Report(
                r.periodLabel(),
                r.from(),
                r.to(),
                r.by(),
                r.kinds(),
                r.limits(),
                r.groups(),
                r.findings().subList(0, limit));
    }

    private static String fileName(Period p) {
        return p.label() != null ? p.label() : p.from().toLocalDate() + "_" + p.to().toLocalDate();
    }

    static By by(String v) {
        if (v == null) return By.PLATFORM;
        for (By b : By.values()) if (b.wire().equals(v)) return b;
        throw new ProblemException(
                Problem.invalidParameter(
                        "by", "'by' is one of platform, agency, grid, person; got '" + v + "'"));
    }

    static Set<FindingKind> kinds(String v) {
        if (v == null) return EnumSet.allOf(FindingKind.class);
        Set<FindingKind> out = EnumSet.noneOf(FindingKind.class);
        for (String s : v.split(",", -1)) {
            out.add(
                    FindingKind.parse(s.trim())
                            .orElseThrow(
                                    () ->
                                            new ProblemException(
                                                    Problem.invalidParameter(
                                                            "kind",
                                                            "'"
                                                                    + s
                                                                    + "' is not a kind of finding;"
                                                                    + " one or more (comma"
                                                                    + " separated) of "
                                                                    + FindingKind.wires()))));
        }
        return out;
    }

    static Lang lang(String v) {
        if (v == null) return Lang.ZH;
        Lang l = Lang.ofTag(v);
        if (l != null) return l;
        throw new ProblemException(
                Problem.invalidParameter("lang", "'lang' is zh-CN or en; got '" + v + "'"));
    }
}
