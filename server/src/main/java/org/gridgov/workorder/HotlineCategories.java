package org.gridgov.workorder;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.gridgov.api.Csv;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.RefKind;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.Versioned;

/**
 * The hotline's category codes mapped to gridgov's: versioned reference data (kind {@code
 * hotline-categories}, docs/reference-data.md), seeded from gis-data/workorder/
 * hotline-categories.csv, edited through the reference-data API (history, CSV, admin log).
 */
public final class HotlineCategories {

    static final String RESOURCE = "/gis-data/workorder/hotline-categories.csv";

    public static final RefKind<HotlineCategories> KIND =
            new RefKind<>(
                    "hotline-categories",
                    RESOURCE,
                    List.of(
                            RefKind.text("sourceSystem"),
                            RefKind.text("code"),
                            RefKind.text("name"),
                            RefKind.text("category")),
                    HotlineCategories::of);

    /** One mapping: the hotline's code (and its name, for people) → a gridgov category. */
    public record Mapping(String sourceSystem, String code, String name, String category) {}

    private final Map<String, Mapping> byKey;

    HotlineCategories(List<Mapping> rows) {
        Map<String, Mapping> m = new HashMap<>();
        for (Mapping r : rows) m.put(key(r.sourceSystem(), r.code()), r);
        this.byKey = Map.copyOf(m);
    }

    /**
     * The mapping as the server keeps it, registered with {@code data}: every row names a category
     * in force when the version takes effect, and a category the mapping names cannot be removed.
     */
    public static Versioned<HotlineCategories> register(
            ReferenceData data, CategoryCatalog categories) throws SQLException {
        Versioned<HotlineCategories> v = data.register(KIND);
        data.check(
                KIND,
                (mapping, rows, from) -> {
                    for (int i = 0; i < rows.size(); i++) {
                        String c = rows.get(i).get("category");
                        if (categories.at(from).find(c).isEmpty())
                            throw new ProblemException(
                                    Problem.of(
                                            422,
                                            "invalid-reference-data",
                                            "The reference data is invalid",
                                            "row "
                                                    + i
                                                    + ", category: '"
                                                    + c
                                                    + "' is not a category in force then",
                                            "/rows/" + i + "/category"));
                    }
                });
        data.check(
                CategoryCatalog.KIND,
                (set, rows, from) -> {
                    TreeSet<String> gone = new TreeSet<>();
                    for (Mapping m : v.at(from).byKey.values())
                        if (set.find(m.category()).isEmpty()) gone.add(m.category());
                    if (!gone.isEmpty())
                        throw CategoryCatalog.inUse(
                                gone, "the hotline category mapping names it; change that first");
                });
        return v;
    }

    static HotlineCategories of(List<Csv.Row> rows) {
        List<Mapping> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Csv.Row r : rows) {
            String source = r.text("sourceSystem");
            if (!WorkOrder.SOURCE.matcher(source).matches())
                throw r.error(
                        "sourceSystem",
                        "'" + source + "' is not a source system name ([A-Za-z0-9_.-], 1-64)");
            String code = r.text("code");
            if (code.isEmpty()) throw r.error("code", "must not be empty");
            String category = r.text("category");
            if (category.isEmpty()) throw r.error("category", "must not be empty");
            if (!seen.add(key(source, code)))
                throw r.error("code", "'" + code + "' of " + source + " appears twice");
            out.add(new Mapping(source, code, r.text("name"), category));
        }
        return new HotlineCategories(out);
    }

    /** The gridgov category of a hotline code, if mapped. */
    public Optional<Mapping> find(String sourceSystem, String code) {
        return Optional.ofNullable(byKey.get(key(sourceSystem, code)));
    }

    private static String key(String source, String code) {
        return source + '\u0000' + code;
    }
}
