package org.gridgov.assess;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Csv;

/** Points per indicator, thresholds and penalties, from gis-data/assessment/scoring.csv. */
public final class ScoringScheme {

    static final String RESOURCE = "/gis-data/assessment/scoring.csv";
    private static final List<String> COLUMNS =
            List.of("indicator", "points", "target", "perPointBelow", "perEvent");

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
        return new ScoringScheme(
                Csv.fromClasspath(ScoringScheme.class, RESOURCE, COLUMNS, ScoringScheme::row));
    }

    static ScoringScheme parse(InputStream in) {
        return new ScoringScheme(Csv.read(RESOURCE.substring(1), in, COLUMNS, ScoringScheme::row));
    }

    private static Item row(Csv.Row r) {
        return new Item(
                r.text("indicator"),
                r.number("points"),
                r.number("target"),
                r.number("perPointBelow"),
                r.number("perEvent"));
    }

    public List<Item> items() {
        return items;
    }

    public Score score(Kpi k) {
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
