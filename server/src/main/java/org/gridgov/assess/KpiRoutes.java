package org.gridgov.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
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
    private final KpiLedger ledger;
    private final KpiSettlementStore settlements;
    private final Versioned<ScoringScheme> scheme;
    private final ZoneId zone;
    private final Clock clock;

    /** A period is scored by the scheme in force at its end (docs/reference-data.md). */
    public KpiRoutes(
            KpiCalculator calculator,
            KpiSettlementStore settlements,
            Versioned<ScoringScheme> scheme,
            ZoneId zone,
            Clock clock) {
        this.calculator = calculator;
        this.ledger = new KpiLedger(calculator, settlements);
        this.settlements = settlements;
        this.scheme = scheme;
        this.zone = zone;
        this.clock = clock;
    }

    public void mount(Router r) {
        r.get("/api/v1/analytics/kpis").handler(this::kpis);
        r.get("/api/v1/analytics/kpis/settlements").handler(this::settlements);
        r.post("/api/v1/analytics/kpis/settlements").handler(this::settle);
    }

    /** The settled months (docs/assessment.md, "Settled months"). */
    private void settlements(RoutingContext ctx) {
        Access.requireAny(ctx, Role.SEES_KPIS);
        Handlers.blocking(
                ctx,
                settlements::list,
                (c, list) -> {
                    ObjectNode n = Responses.JSON.createObjectNode();
                    n.put("zone", zone.getId());
                    ArrayNode months = n.putArray("months");
                    for (var s : list) months.add(settledJson(s));
                    Responses.json(c, 200, n);
                });
    }

    /**
     * Settles a month now, or again (a correction after it was settled): admins, as for the other
     * deployment-wide reference data; only a month that is over. The answer names no count of
     * cases, which would tell a subdistrict's admin about the others'.
     */
    private void settle(RoutingContext ctx) {
        Principal caller = Access.requireAny(ctx, Role.ADMINS);
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("month"))
                throw new ProblemException(
                        Problem.invalidField(f, "unknown field '" + f + "': give only 'month'"));
        }
        JsonNode m = body.get("month");
        YearMonth month;
        try {
            if (m == null || !m.isTextual() || !m.asText().matches("\\d{4}-\\d{2}"))
                throw new DateTimeParseException("not YYYY-MM", String.valueOf(m), 0);
            month = YearMonth.parse(m.asText());
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidField(
                            "month", "'month' is the month to settle, as YYYY-MM (2026-10)"));
        }
        Instant now = clock.instant();
        if (Period.month(month, zone).to().toInstant().isAfter(now))
            throw new ProblemException(
                    Problem.of(
                            409,
                            "month-not-over",
                            "Month not over",
                            month
                                    + " is not over yet in "
                                    + zone
                                    + ": a month is settled after"
                                    + " its last day",
                            "month"));
        Handlers.blocking(
                ctx,
                () -> settlements.settle(month, caller.staffId(), now),
                (c, done) -> {
                    if (done.isEmpty())
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "settlement-running",
                                        "Settlement running",
                                        "another settlement is running; ask again when it is"
                                                + " done",
                                        null));
                    Responses.json(c, 200, settledJson(done.get()));
                });
    }

    private static ObjectNode settledJson(KpiSettlementStore.Settled s) {
        return Responses.JSON
                .createObjectNode()
                .put("month", s.month().toString())
                .put("settledAt", s.settledAt().toString());
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
                    KpiLedger.Figures kpis = ledger.compute(by, range.from(), range.to(), own);
                    return Map.entry(kpis, calculator.tasks(by, range.from(), range.to(), own));
                },
                (c, both) -> {
                    Map<String, KpiCalculator.TaskFigures> tasks = both.getValue();
                    // a unit with tasks due but no reported case is listed too, scored alike
                    List<Kpi> list = new ArrayList<>(both.getKey().kpis());
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
                    // the months whose figures are their settlement's, not computed now
                    ArrayNode settled = n.putArray("settledMonths");
                    for (YearMonth m : both.getKey().settledMonths()) settled.add(m.toString());
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
