package org.gridgov.category;

import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.api.Csv;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * The category taxonomy: versioned reference data (docs/reference-data.md), seeded from
 * gis-data/taxonomy/categories.csv when a database is new and edited through the API afterwards.
 * {@link #find} and {@link #all} answer the version in force now; {@link #at} the one in force at a
 * report's time, whose deadline and authority the case keeps. The category table is the projection
 * of the version in force (foreign keys and joins), written by {@link #project}.
 */
public final class CategoryCatalog {

    static final String RESOURCE = "/gis-data/taxonomy/categories.csv";
    static final BigDecimal MAX_WEIGHT = new BigDecimal("100");

    public static final RefKind<CategorySet> KIND =
            new RefKind<>(
                    "categories",
                    RESOURCE,
                    List.of(
                            RefKind.text("code"),
                            RefKind.text("platform"),
                            RefKind.text("nameZh"),
                            RefKind.text("nameEn"),
                            RefKind.integer("deadlineHours"),
                            RefKind.number("weight"),
                            RefKind.text("authority"),
                            RefKind.text("urgency"),
                            RefKind.bool("public"),
                            // added with places (docs/places.md): older versions and files lack it
                            RefKind.bool("routeByFacility").absentAs("false")),
                    CategoryCatalog::set);

    private final Versioned<CategorySet> versions;

    public CategoryCatalog(Versioned<CategorySet> versions) {
        this.versions = versions;
    }

    /** One fixed set of categories. */
    public CategoryCatalog(List<Category> categories) {
        this(Versioned.fixed(KIND, new CategorySet(categories)));
    }

    public Optional<Category> find(String code) {
        return versions.current().find(code);
    }

    public Collection<Category> all() {
        return versions.current().all();
    }

    /** The categories in force at {@code t} (a report's time). */
    public CategorySet at(Instant t) {
        return versions.at(t);
    }

    public Versioned<CategorySet> versions() {
        return versions;
    }

    /**
     * The categories as the server keeps them: registered with {@code data} (seeded on a new
     * database), a code incidents refer to never leaves a version (409), and the category table
     * follows the version in force.
     */
    public static CategoryCatalog register(ReferenceData data) throws SQLException {
        Versioned<CategorySet> v = data.register(KIND);
        ReferenceStore store = data.store();
        data.check(
                KIND,
                (set, rows, from) -> {
                    Set<String> gone = new java.util.TreeSet<>();
                    for (Category c : v.current().all()) gone.add(c.code());
                    for (Category c : v.at(from).all()) gone.add(c.code());
                    for (Category c : set.all()) gone.remove(c.code());
                    Set<String> used = store.categoriesInUse(gone);
                    if (!used.isEmpty())
                        throw inUse(
                                used,
                                "cases refer to it, so it stays in every version (change its"
                                        + " names or deadline instead)");
                });
        data.onChange(
                KIND,
                () -> {
                    try {
                        store.project(v.current().all());
                    } catch (SQLException e) {
                        throw new IllegalStateException("projecting the categories: " + e, e);
                    }
                });
        return new CategoryCatalog(v);
    }

    /** 409: these codes cannot go (or be renamed). */
    public static ProblemException inUse(Collection<String> codes, String why) {
        return new ProblemException(
                Problem.of(
                        409,
                        "category-in-use",
                        "A category in use cannot be removed or recoded",
                        "category " + String.join(", ", codes) + ": " + why,
                        null));
    }

    /** Reads the taxonomy packaged with this build (the seed of a new database). */
    public static CategoryCatalog fromClasspath() {
        return new CategoryCatalog(
                set(
                                Csv.rowsFromClasspath(
                                        CategoryCatalog.class,
                                        RESOURCE,
                                        KIND.columnNames(),
                                        KIND.absent()))
                        .all()
                        .stream()
                        .toList());
    }

    static CategoryCatalog parse(InputStream in) {
        return new CategoryCatalog(
                List.copyOf(
                        set(Csv.rows(RESOURCE.substring(1), in, KIND.columnNames(), KIND.absent()))
                                .all()));
    }

    private static CategorySet set(List<Csv.Row> rows) {
        List<Category> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Csv.Row r : rows) {
            Category c = row(r);
            if (!seen.add(c.code())) throw r.error("code", "'" + c.code() + "' appears twice");
            out.add(c);
        }
        return new CategorySet(out);
    }

    private static Category row(Csv.Row r) {
        String code = r.text("code");
        if (!code.matches("[A-Z][A-Z0-9_]{1,47}"))
            throw r.error(
                    "code", "'" + code + "' is not 2 to 48 of A-Z, 0-9 and '_', starting A-Z");
        String platform = r.text("platform");
        if (!Platforms.CODES.contains(platform))
            throw r.error(
                    "platform", "unknown platform '" + platform + "', one of " + Platforms.CODES);
        int deadline = r.integer("deadlineHours");
        if (deadline <= 0)
            throw r.error("deadlineHours", "must be a positive number of hours, found " + deadline);
        BigDecimal weight = r.decimal("weight");
        if (weight.signum() <= 0 || weight.compareTo(MAX_WEIGHT) > 0 || weight.scale() > 2)
            throw r.error("weight", "must be above 0 and at most 100, two decimals at most");
        String authority = r.text("authority");
        if (!authority.equals("SUBDISTRICT") && !authority.equals("DISTRICT"))
            throw r.error(
                    "authority", "must be SUBDISTRICT or DISTRICT, found '" + authority + "'");
        String urgency = r.text("urgency");
        if (!urgency.equals("NORMAL") && !urgency.equals("URGENT"))
            throw r.error("urgency", "must be NORMAL or URGENT, found '" + urgency + "'");
        String nameZh = r.text("nameZh"), nameEn = r.text("nameEn");
        if (nameZh.isBlank()) throw r.error("nameZh", "must not be empty");
        if (nameEn.isBlank()) throw r.error("nameEn", "must not be empty");
        if (nameZh.length() > 100) throw r.error("nameZh", "at most 100 characters");
        if (nameEn.length() > 200) throw r.error("nameEn", "at most 200 characters");
        return new Category(
                code,
                platform,
                nameZh,
                nameEn,
                deadline,
                weight,
                authority,
                urgency,
                // spelt out: a typo must not quietly make a private category public, nor the
                // reverse
                r.bool("public"),
                r.bool("routeByFacility"));
    }

    /**
     * Seeds the category versions of a new database with this catalog and projects the version in
     * force onto the category table (tests and tools; the server registers the kind itself).
     */
    public void sync(DataSource ds) throws SQLException {
        ReferenceStore store = new ReferenceStore(ds);
        if (!store.versioned()) { // a schema before V16 (the upgrade test's release)
            store.project(all());
            return;
        }
        store.seedIfMissing(KIND.name(), rowsOf(all()));
        ReferenceData data = new ReferenceData(store);
        Versioned<CategorySet> v = data.register(KIND);
        store.project(v.current().all());
    }

    /** The cells of categories, as the file and the reference_version table hold them. */
    static List<java.util.Map<String, String>> rowsOf(Collection<Category> cats) {
        List<java.util.Map<String, String>> out = new ArrayList<>();
        for (Category c : cats) {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("code", c.code());
            m.put("platform", c.platform());
            m.put("nameZh", c.nameZh());
            m.put("nameEn", c.nameEn());
            m.put("deadlineHours", Integer.toString(c.deadlineHours()));
            m.put("weight", c.weight().toPlainString());
            m.put("authority", c.authority());
            m.put("urgency", c.urgency());
            m.put("public", Boolean.toString(c.isPublic()));
            m.put("routeByFacility", Boolean.toString(c.routeByFacility()));
            out.add(m);
        }
        return out;
    }

    /** Reads the active categories as the category table holds them (tools and benchmarks). */
    public static CategoryCatalog load(DataSource ds) throws SQLException {
        try (var c = ds.getConnection();
                var ps =
                        c.prepareStatement(
                                """
                     SELECT code, platform, name_zh, name_en, deadline_hours, weight, authority, urgency, public
                     FROM category WHERE active ORDER BY platform, code""");
                ResultSet rs = ps.executeQuery()) {
            List<Category> list = new ArrayList<>();
            while (rs.next()) {
                list.add(
                        new Category(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getInt(5),
                                rs.getBigDecimal(6),
                                rs.getString(7),
                                rs.getString(8),
                                rs.getBoolean(9)));
            }
            return new CategoryCatalog(list);
        }
    }
}
