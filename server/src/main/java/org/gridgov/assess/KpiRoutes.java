package org.gridgov.assess;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.Versioned;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * GET
 * /api/v1/analytics/kpis?period=2026|2026-Q4|2026-11&by=worker|grid|leader|platform|agency|source|subdistrict
 */
public final class KpiRoutes {

    private final KpiCalculator calculator;
    private final Versioned<ScoringScheme> scheme;
    private final ZoneId zone;

    /** A period is scored by the scheme in force at its end (docs/reference-data.md). */
    public KpiRoutes(KpiCalculator calculator, Versioned<ScoringScheme> scheme, ZoneId zone) {
        this.calculator = calculator;
        this.scheme = scheme;
        this.zone = zone;
    }

    public void mount(Router r) {
        r.get("/api/v1/analytics/kpis").handler(this::kpis);
    }

    private void kpis(RoutingContext ctx) {
        Principal caller = Access.requireAny(ctx, Role.SEES_KPIS);
        String p = Handlers.param(ctx, "period");
        if (p == null)
            throw new ProblemException(
                    Problem.invalidParameter(
                            "period",
                            "'period' is required: a year (2026), a quarter (2026-Q4) or a month (2026-11)"));
        Period range = Period.named(p, zone);
        String byText = Handlers.param(ctx, "by");
        KpiCalculator.By by;
        try {
            by =
                    KpiCalculator.By.valueOf(
                            (byText == null ? "grid" : byText).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            "by",
                            "'by' is one of worker, grid, leader, platform, agency, source,"
                                    + " subdistrict"));
        }
        // the isolation rule: one subdistrict's staff assess their own cases, whatever the unit
        // (by=subdistrict: their own row); comparing subdistricts is the district's
        Long own = caller.subdistrictId();
        long t0 = System.nanoTime();
        Handlers.blocking(
                ctx,
                () -> {
                    List<Kpi> kpis = calculator.compute(by, range.from(), range.to(), own);
                    return Map.entry(kpis, calculator.tasks(by, range.from(), range.to(), own));
                },
                (c, both) -> {
                    Map<String, KpiCalculator.TaskFigures> tasks = both.getValue();
                    // a unit with tasks due but no reported case is listed too, scored alike
                    List<Kpi> list = new ArrayList<>(both.getKey());
                    Set<String> listed = new HashSet<>();
                    for (Kpi k : list) listed.add(k.unit());
                    for (String t : tasks.keySet())
                        if (!listed.contains(t)) list.add(Kpi.noCases(t));
                    list.sort(Comparator.comparing(Kpi::unit));
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("period", p)
                            .put("from", range.from().toString())
                            .put("to", range.to().toString())
                            .put("by", by.name().toLowerCase(Locale.ROOT));
                    n.put("computedMs", (System.nanoTime() - t0) / 1_000_000);
                    ArrayNode units = n.putArray("units");
                    var version = scheme.versionAt(range.to().toInstant().minusNanos(1));
                    n.put("scoringVersion", version.id());
                    for (Kpi k : list) {
                        ObjectNode u = Responses.JSON.valueToTree(k);
                        KpiCalculator.TaskFigures t = tasks.get(k.unit());
                        ScoringScheme.Score s = version.value().score(k, t);
                        ObjectNode sc = u.putObject("score");
                        sc.put("total", s.total()).put("max", s.max());
                        sc.set("items", Responses.JSON.valueToTree(s.items()));
                        // field tasks due in the period (docs/tasks.md), scored as taskOnTime
                        if (t != null) u.set("tasks", Responses.JSON.valueToTree(t));
                        units.add(u);
                    }
                    Responses.json(c, 200, n);
                });
    }
}
