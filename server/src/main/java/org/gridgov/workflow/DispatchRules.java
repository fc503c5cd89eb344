package org.gridgov.workflow;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Csv;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.RefKind;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.Versioned;

/** Category → kind of handler, from gis-data/workflow/dispatch.csv. */
public final class DispatchRules {

    static final String RESOURCE = "/gis-data/workflow/dispatch.csv";

    /** Versioned reference data (docs/reference-data.md), seeded from dispatch.csv. */
    public static final RefKind<DispatchRules> KIND =
            new RefKind<>(
                    "dispatch",
                    RESOURCE,
                    List.of(RefKind.text("category"), RefKind.text("handler")),
                    rows -> of(rows.stream().map(DispatchRules::row).toList()));

    private static final List<String> COLUMNS = KIND.columnNames();

    /**
     * The rules as the server keeps them, registered with {@code data}; a case is dispatched by the
     * rules in force when it was reported. Rule targets are checked as deadline rules' are.
     */
    public static Versioned<DispatchRules> register(ReferenceData data, CategoryCatalog categories)
            throws java.sql.SQLException {
        Versioned<DispatchRules> v = data.register(KIND);
        data.check(
                KIND,
                (rules, rows, from) -> {
                    for (int i = 0; i < rows.size(); i++)
                        RuleTargets.check(rows.get(i).get("category"), categories.at(from), i);
                });
        data.check(
                CategoryCatalog.KIND,
                (set, rows, from) ->
                        RuleTargets.stillNamed(
                                List.copyOf(v.at(from).handlerBy.keySet()), set, "dispatch rules"));
        return v;
    }

    private final Map<String, String> handlerBy;

    DispatchRules(Map<String, String> handlerBy) {
        if (!handlerBy.containsKey("*"))
            throw new IllegalStateException("dispatch rules: a default row '*' is required");
        this.handlerBy = Map.copyOf(handlerBy);
    }

    public static DispatchRules fromClasspath() {
        return of(Csv.fromClasspath(DispatchRules.class, RESOURCE, COLUMNS, DispatchRules::row));
    }

    static DispatchRules parse(InputStream in) {
        return of(Csv.read(RESOURCE.substring(1), in, COLUMNS, DispatchRules::row));
    }

    private record Row(String category, String handler) {}

    private static Row row(Csv.Row r) {
        String h = r.text("handler");
        if (!h.equals("GRID_WORKER") && !h.equals("PLATFORM_HANDLER"))
            throw r.error("handler", "must be GRID_WORKER or PLATFORM_HANDLER, found '" + h + "'");
        return new Row(r.text("category"), h);
    }

    private static DispatchRules of(List<Row> rows) {
        // a later row for the same category wins, as it always has
        Map<String, String> m = new HashMap<>();
        for (Row r : rows) m.put(r.category(), r.handler());
        return new DispatchRules(m);
    }

    /** GRID_WORKER or PLATFORM_HANDLER. */
    public String handlerKind(String category, String platform) {
        String h = handlerBy.get(category);
        if (h == null) h = handlerBy.get("platform:" + platform);
        return h == null ? handlerBy.get("*") : h;
    }
}
