package org.gridgov.category;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.db.AdminLog;
import org.gridgov.db.Jdbc;

/** The reference_version table (V16) and the category table it projects onto. */
public final class ReferenceStore {

    /** When the seed versions take effect: before any case a database can hold. */
    static final Instant SEED_FROM = Instant.EPOCH;

    private static final TypeReference<List<Map<String, String>>> ROWS = new TypeReference<>() {};

    /** A stored version, rows still as cells. */
    public record Stored(
            long id,
            Instant effectiveFrom,
            Instant createdAt,
            Long createdBy,
            String note,
            List<Map<String, String>> rows) {}

    private static final String VERSIONS =
            """
            SELECT id, effective_from, created_at, created_by, note, rows::text
            FROM reference_version WHERE kind = ? ORDER BY effective_from, id""";
    private static final String LAST_IDS =
            "SELECT kind, max(id) FROM reference_version GROUP BY kind";
    private static final String SEED =
            """
            INSERT INTO reference_version (kind, effective_from, rows, note)
            SELECT ?, ?, ?::jsonb, ? WHERE NOT EXISTS (SELECT 1 FROM reference_version WHERE kind = ?)
            ON CONFLICT DO NOTHING""";
    private static final String INSERT =
            """
            INSERT INTO reference_version (kind, effective_from, rows, note, created_by)
            VALUES (?, ?, ?::jsonb, ?, ?) RETURNING id""";
    // The version in force at a time: to refuse an edit made on a base that changed meanwhile,
    // and what the admin log compares the new version with.
    private static final String IN_FORCE =
            """
            SELECT id, rows::text FROM reference_version WHERE kind = ? AND effective_from <= ?
            ORDER BY effective_from DESC, id DESC LIMIT 1""";
    private static final String IN_USE =
            "SELECT DISTINCT category FROM incident WHERE category = ANY (?)";
    // A code of a new version gets its category row at once (incident.category refers to it),
    // taking no reports until the version is in force and projected.
    private static final String ADD_CODE =
            """
            INSERT INTO category (code, platform, name_zh, name_en, deadline_hours, weight, authority, urgency, public, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, false) ON CONFLICT (code) DO NOTHING""";
    private static final String UPSERT =
            """
            INSERT INTO category (code, platform, name_zh, name_en, deadline_hours, weight, authority, urgency, public, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)
            ON CONFLICT (code) DO UPDATE SET
                platform = excluded.platform, name_zh = excluded.name_zh, name_en = excluded.name_en,
                deadline_hours = excluded.deadline_hours, weight = excluded.weight,
                authority = excluded.authority, urgency = excluded.urgency, public = excluded.public, active = true""";
    // V25 and later: which categories a named facility's department routes (docs/places.md)
    private static final String ROUTE_BY_FACILITY =
            "UPDATE category SET route_by_facility = (code = ANY (?)) WHERE active";
    private static final String HAS_ROUTE_BY_FACILITY =
            """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_name = 'category' AND column_name = 'route_by_facility')""";
    // Categories no longer in force stay (old incidents refer to them) but take no new reports.
    private static final String RETIRE_MISSING =
            "UPDATE category SET active = false WHERE active AND NOT (code = ANY (?))";

    private final DataSource ds;

    public ReferenceStore(DataSource ds) {
        this.ds = ds;
    }

    public List<Stored> versions(String kind) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(VERSIONS)) {
            ps.setString(1, kind);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long by = rs.getLong(4);
                    out.add(
                            new Stored(
                                    rs.getLong(1),
                                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                                    rs.getObject(3, OffsetDateTime.class).toInstant(),
                                    rs.wasNull() ? null : by,
                                    rs.getString(5),
                                    rows(rs.getString(6))));
                }
            }
            return out;
        }
    }

    /** The newest version id of each kind: changes whenever anyone writes a version. */
    public Map<String, Long> lastIds() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(LAST_IDS);
                ResultSet rs = ps.executeQuery()) {
            Map<String, Long> m = new HashMap<>();
            while (rs.next()) m.put(rs.getString(1), rs.getLong(2));
            return m;
        }
    }

    /** Whether the schema has reference_version (V16): an older one keeps only the table. */
    public boolean versioned() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT to_regclass('reference_version') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Writes the seed of a kind that has no version yet (a new database); true if written. */
    public boolean seedIfMissing(String kind, List<Map<String, String>> rows) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(SEED)) {
            ps.setString(1, kind);
            ps.setObject(2, SEED_FROM.atOffset(ZoneOffset.UTC));
            ps.setString(3, json(rows));
            ps.setString(4, "seeded from gis-data");
            ps.setString(5, kind);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Adds a version in one transaction; {@code basedOn}, when given, must still be the version in
     * force at {@code effectiveFrom} (an edit of one item was made on it), else 409. New category
     * codes get their category row, and the admin log its entry (kind reference: the rows added,
     * removed and changed against the version in force at {@code effectiveFrom}), in the same
     * transaction; a version written by nobody (the seed) is not logged.
     *
     * @param source "/rows" for a JSON body, else the name of an imported file
     */
    public long insert(
            String kind,
            Instant effectiveFrom,
            List<Map<String, String>> rows,
            List<Category> newCategories,
            String note,
            Long by,
            Long basedOn,
            String source)
            throws SQLException {
        return Jdbc.inTransaction(
                ds,
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                        ps.setString(1, "reference_version:" + kind);
                        ps.execute();
                    }
                    long now;
                    List<Map<String, String>> before;
                    try (PreparedStatement ps = c.prepareStatement(IN_FORCE)) {
                        ps.setString(1, kind);
                        ps.setObject(2, effectiveFrom.atOffset(ZoneOffset.UTC));
                        try (ResultSet rs = ps.executeQuery()) {
                            boolean found = rs.next();
                            now = found ? rs.getLong(1) : 0;
                            before = found ? rows(rs.getString(2)) : List.of();
                        }
                    }
                    if (basedOn != null && now != basedOn)
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "reference-changed",
                                        "The reference data changed meanwhile",
                                        kind
                                                + " version "
                                                + now
                                                + " is now in force at "
                                                + effectiveFrom
                                                + " (the edit was made on version "
                                                + basedOn
                                                + "); read it again and retry",
                                        null));
                    try (PreparedStatement ps = c.prepareStatement(ADD_CODE)) {
                        for (Category cat : newCategories) {
                            bind(ps, cat);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    long id;
                    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                        ps.setString(1, kind);
                        ps.setObject(2, effectiveFrom.atOffset(ZoneOffset.UTC));
                        ps.setString(3, json(rows));
                        ps.setString(4, note == null ? "" : note);
                        if (by == null) ps.setNull(5, Types.BIGINT);
                        else ps.setLong(5, by);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    if (by != null) {
                        ObjectNode change = RowDiff.of(before, rows);
                        change.put("version", id);
                        change.put("basedOn", now);
                        change.put("effectiveFrom", effectiveFrom.toString());
                        change.put("note", note == null ? "" : note);
                        change.put("via", source.startsWith("/") ? "json" : "csv");
                        AdminLog.append(c, by, "reference", "reference/" + kind, change.toString());
                    }
                    return id;
                });
    }

    /** Which of these category codes incidents refer to. */
    public Set<String> categoriesInUse(Collection<String> codes) throws SQLException {
        if (codes.isEmpty()) return Set.of();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(IN_USE)) {
            ps.setArray(1, c.createArrayOf("text", codes.toArray()));
            Set<String> out = new LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Makes the category table show the categories in force, in one transaction. */
    public void project(Collection<Category> inForce) throws SQLException {
        Jdbc.inTransaction(
                ds,
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                        for (Category cat : inForce) {
                            bind(ps, cat);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps = c.prepareStatement(RETIRE_MISSING)) {
                        ps.setArray(
                                1,
                                c.createArrayOf(
                                        "text", inForce.stream().map(Category::code).toArray()));
                        ps.executeUpdate();
                    }
                    boolean hasColumn; // not on a schema before V25 (the upgrade test's release)
                    try (PreparedStatement ps = c.prepareStatement(HAS_ROUTE_BY_FACILITY);
                            ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        hasColumn = rs.getBoolean(1);
                    }
                    if (hasColumn)
                        try (PreparedStatement ps = c.prepareStatement(ROUTE_BY_FACILITY)) {
                            ps.setArray(
                                    1,
                                    c.createArrayOf(
                                            "text",
                                            inForce.stream()
                                                    .filter(Category::routeByFacility)
                                                    .map(Category::code)
                                                    .toArray()));
                            ps.executeUpdate();
                        }
                    return null;
                });
    }

    private static void bind(PreparedStatement ps, Category cat) throws SQLException {
        ps.setString(1, cat.code());
        ps.setString(2, cat.platform());
        ps.setString(3, cat.nameZh());
        ps.setString(4, cat.nameEn());
        ps.setInt(5, cat.deadlineHours());
        ps.setBigDecimal(6, cat.weight());
        ps.setString(7, cat.authority());
        ps.setString(8, cat.urgency());
        ps.setBoolean(9, cat.isPublic());
    }

    private static String json(List<Map<String, String>> rows) {
        try {
            return Responses.JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, String>> rows(String json) {
        try {
            return Responses.JSON.readValue(json, ROWS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored reference version is not rows: " + e, e);
        }
    }
}
