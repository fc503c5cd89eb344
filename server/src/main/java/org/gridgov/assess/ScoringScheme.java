package org.gridgov.assess;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Csv;
import org.gridgov.category.RefKind;

/** Points per indicator, thresholds and penalties, from gis-data/assessment/scoring.csv. */
public final class ScoringScheme {

    static final String RESOURCE = "/gis-data/assessment/scoring.csv";

    /** The indicators a scheme may score (KPIs of GET /api/v1/analytics/kpis). */
    static final List<String> INDICATORS =
            List.of(
                    "onTimeClosureRate",
                    "onTimeAcceptanceRate",
                    "onTimeDispatchRate",
                    "reworks",
                    "overdue",
                    "satisfaction",
                    // field tasks due in the period done on time (by=worker|grid|leader only)
                    "taskOnTime");

    /** Versioned reference data (docs/reference-data.md), seeded from scoring.csv. */
    public static final RefKind<ScoringScheme> KIND =
            new RefKind<>(
                    "scoring",
                    RESOURCE,
                    List.of(
                            RefKind.text("indicator"),
                            RefKind.number("points"),
                            RefKind.number("target"),
                            RefKind.number("perPointBelow"),
                            RefKind.number("perEvent")),
                    ScoringScheme::of);

    private static final List<String> COLUMNS = KIND.columnNames();

    public record Item(
            String indicator,
            double points,
            double target,
            double perPointBelow,
            double perEvent) {}

    public record Score(double total, double max, Map<String, Double> items) {}

    private final List<Item> items;

    public ScoringScheme(List<Item> items) {
        this.items = List.copyOf(items);
    }

    public static ScoringScheme fromClasspath() {
        return of(Csv.rowsFromClasspath(ScoringScheme.class, RESOURCE, COLUMNS));
    }

    static ScoringScheme parse(InputStream in) {
        return of(Csv.rows(RESOURCE.substring(1), in, COLUMNS));
    }

    private static ScoringScheme of(List<Csv.Row> rows) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Item> items = new java.util.ArrayList<>();
        for (Csv.Row r : rows) {
            Item it = row(r);
            if (!seen.add(it.indicator()))
                throw r.error("indicator", "'" + it.indicator() + "' appears twice");
            items.add(it);
        }
        if (items.isEmpty()) throw new IllegalStateException("scoring: no indicator is scored");
        return new ScoringScheme(items);
    }

    private static Item row(Csv.Row r) {
        String indicator = r.text("indicator");
        if (!INDICATORS.contains(indicator))
            throw r.error("indicator", "'" + indicator + "' is not one of " + INDICATORS);
        if (!(r.number("points") > 0)) throw r.error("points", "must be positive");
        for (String c : List.of("target", "perPointBelow", "perEvent"))
            if (r.number(c) < 0) throw r.error(c, "must not be negative, found " + r.text(c));
        return new Item(
                indicator,
                r.number("points"),
                r.number("target"),
                r.number("perPointBelow"),
                r.number("perEvent"));
    }

    public List<Item> items() {
        return items;
    }

    public Score score(Kpi k) {
        return score(k, null);
    }

    /**
     * {@code tasks}: the unit's field tasks due in the period, null when it has none (or is not a
     * task unit): no base, full points. A scheme stored before task scoring has no such item and
     * scores it 0 of 0.
     */
    public Score score(Kpi k, KpiCalculator.TaskFigures tasks) {
        Map<String, Double> parts = new LinkedHashMap<>();
        double total = 0, max = 0;
        for (Item it : items) {
            double s =
                    switch (it.indicator()) {
                        case "onTimeClosureRate" -> rate(it, k.onTimeClosureRate());
                        case "onTimeAcceptanceRate" -> rate(it, k.onTimeAcceptanceRate());
                        case "onTimeDispatchRate" -> rate(it, k.onTimeDispatchRate());
                        case "reworks" -> it.points() - it.perEvent() * k.reworks();
                        case "overdue" -> it.points() - it.perEvent() * k.overdue();
                        case "satisfaction" ->
                                k.satisfaction() == null
                                        ? it.points()
                                        : it.points()
                                                - Math.max(0, (it.target() - k.satisfaction()) * 10)
                                                        * it.perPointBelow();
                        case "taskOnTime" -> rate(it, tasks == null ? null : tasks.onTimeRate());
                        default ->
                                throw new IllegalStateException(
                                        "unknown indicator " + it.indicator() + " in " + RESOURCE);
                    };
            s = Math.max(0, Math.min(it.points(), s));
            s = Math.round(s * 100) / 100.0;
            parts.put(it.indicator(), s);
            total += s;
            max += it.points();
        }
        return new Score(Math.round(total * 100) / 100.0, max, parts);
    }

    /** Full marks at or above the target; minus perPointBelow per percentage point below it. */
    private static double rate(Item it, Double v) {
        if (v == null) return it.points();
        double below = Math.max(0, (it.target() - v) * 100);
        return it.points() - below * it.perPointBelow();
    }
}
