package org.gridgov.category;

import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.api.Csv;
import org.gridgov.db.Jdbc;

/**
 * The category taxonomy. Its source is gis-data/taxonomy/categories.csv (packaged into the jar);
 * {@link #sync} copies it into the category table so SQL can join on it, and the server keeps it in
 * memory for intake.
 */
public final class CategoryCatalog {

    static final String RESOURCE = "/gis-data/taxonomy/categories.csv";
    private static final List<String> COLUMNS =
            List.of(
                    "code",
                    "platform",
                    "nameZh",
                    "nameEn",
                    "deadlineHours",
                    "weight",
                    "authority",
                    "urgency",
                    "public");

    private static final String UPSERT =
            """
            INSERT INTO category (code, platform, name_zh, name_en, deadline_hours, weight, authority, urgency, public, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)
            ON CONFLICT (code) DO UPDATE SET
                platform = excluded.platform, name_zh = excluded.name_zh, name_en = excluded.name_en,
                deadline_hours = excluded.deadline_hours, weight = excluded.weight,
                authority = excluded.authority, urgency = excluded.urgency, public = excluded.public, active = true
            """;
    // Categories dropped from the file stay (old incidents refer to them) but take no new reports.
    private static final String RETIRE_MISSING =
            "UPDATE category SET active = false WHERE NOT (code = ANY (?))";

    private final Map<String, Category> byCode;

    public CategoryCatalog(List<Category> categories) {
        Map<String, Category> map = new LinkedHashMap<>();
        for (Category c : categories) map.put(c.code(), c);
        this.byCode = Map.copyOf(map);
        this.ordered = List.copyOf(categories);
    }

    private final List<Category> ordered;

    public Optional<Category> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Collection<Category> all() {
        return ordered;
    }

    /** Reads the taxonomy packaged with this build. */
    public static CategoryCatalog fromClasspath() {
        return new CategoryCatalog(
                Csv.fromClasspath(CategoryCatalog.class, RESOURCE, COLUMNS, CategoryCatalog::row));
    }

    static CategoryCatalog parse(InputStream in) {
        return new CategoryCatalog(
                Csv.read(RESOURCE.substring(1), in, COLUMNS, CategoryCatalog::row));
    }

    private static Category row(Csv.Row r) {
        return new Category(
                r.text("code"),
                r.text("platform"),
                r.text("nameZh"),
                r.text("nameEn"),
                r.integer("deadlineHours"),
                r.decimal("weight"),
                r.text("authority"),
                r.text("urgency"),
                // spelt out: a typo must not quietly make a private category public, nor the
                // reverse
                r.bool("public"));
    }

    /** Makes the category table match this catalog, in one transaction. */
    public void sync(DataSource ds) throws SQLException {
        Jdbc.inTransaction(
                ds,
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                        for (Category cat : ordered) {
                            ps.setString(1, cat.code());
                            ps.setString(2, cat.platform());
                            ps.setString(3, cat.nameZh());
                            ps.setString(4, cat.nameEn());
                            ps.setInt(5, cat.deadlineHours());
                            ps.setBigDecimal(6, cat.weight());
                            ps.setString(7, cat.authority());
                            ps.setString(8, cat.urgency());
                            ps.setBoolean(9, cat.isPublic());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps = c.prepareStatement(RETIRE_MISSING)) {
                        ps.setArray(1, c.createArrayOf("text", byCode.keySet().toArray()));
                        ps.executeUpdate();
                    }
                    return null;
                });
    }

    /** Reads the active categories as the database holds them. */
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
