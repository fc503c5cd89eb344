package org.gridgov.place;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.gridgov.geo.Bbox;

/** The SQL of places, facilities and departments (V25, docs/places.md). */
public final class PlaceStore {

    /** Which places a list asks for; nulls ask for any. */
    public record PlaceQuery(Bbox bbox, String kind, Long unitId, Long gridId, int limit) {}

    /** Which facilities a list asks for; nulls ask for any. */
    public record FacilityQuery(Bbox bbox, String kind, String department, int limit) {}

    /** A place's distance from a point, as intake checks it. */
    public record Near(long id, String name, String kind, double metres) {}

    /** A facility with its department's routing, as intake needs it. */
    public record Owned(
            long id,
            String code,
            String kind,
            String department,
            String platform,
            Long handlerId,
            double metres) {}

    // The grid is the unit's under its subdistrict's plan in effect (one of plans_in_effect():
    // a unit is in one subdistrict's plans only): derived at read time, never stored, so a newly
    // adopted plan moves every place at once.
    private static final String PLACES =
            """
            WITH plan AS (SELECT ARRAY(SELECT plans_in_effect()) AS ids)
            SELECT p.id, p.code, p.kind, p.name, p.owner_name, p.owner_phone, p.unit_id, u.code,
                   g.id, g.code, g.name, ST_X(p.geom), ST_Y(p.geom), p.active, p.updated_at
            FROM place p
            JOIN base_unit u ON u.id = p.unit_id
            LEFT JOIN grid_unit gu ON gu.unit_id = p.unit_id
                                  AND gu.plan_id = ANY ((SELECT ids FROM plan)::bigint[])
            LEFT JOIN grid g ON g.id = gu.grid_id
            WHERE %s""";
    private static final String PLACE_LIST =
            PLACES.formatted(
                    """
                    p.active AND (?::text IS NULL OR p.kind = ?)
                      AND (?::bigint IS NULL OR p.unit_id = ?) AND (?::bigint IS NULL OR g.id = ?)
                      AND (?::float8 IS NULL OR p.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326))
                    ORDER BY p.id LIMIT ?""");
    private static final String PLACE_ONE = PLACES.formatted("p.id = ?");

    private static final String FACILITIES =
            """
            SELECT f.id, f.code, f.kind, f.department, f.unit_id, u.code, ST_X(f.geom), ST_Y(f.geom),
                   f.active, f.updated_at
            FROM facility f LEFT JOIN base_unit u ON u.id = f.unit_id
            WHERE %s""";
    private static final String FACILITY_LIST =
            FACILITIES.formatted(
                    """
                    f.active AND (?::text IS NULL OR f.kind = ?)
                      AND (?::text IS NULL OR f.department = ?)
                      AND (?::float8 IS NULL OR f.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326))
                    ORDER BY f.id LIMIT ?""");
    private static final String FACILITY_ONE = FACILITIES.formatted("f.code = ?");

    private static final String DEPARTMENTS =
            """
            SELECT d.code, d.name_zh, d.name_en, d.platform, d.handler_id,
                   (SELECT count(*) FROM facility f WHERE f.department = d.code AND f.active)
            FROM department d ORDER BY d.code""";

    // The file names the departments; a handler set in the database stays.
    private static final String UPSERT_DEPARTMENT =
            """
            INSERT INTO department (code, name_zh, name_en, platform) VALUES (?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh,
                name_en = excluded.name_en, platform = excluded.platform""";

    private static final String POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography";
    private static final String PLACE_NEAR =
            "SELECT id, name, kind, ST_Distance(geom::geography, "
                    + POINT
                    + ") FROM place WHERE id = ? AND active";
    private static final String FACILITY_OWNED =
            "SELECT f.id, f.code, f.kind, f.department, d.platform, d.handler_id,"
                    + " ST_Distance(f.geom::geography, "
                    + POINT
                    + ") FROM facility f JOIN department d ON d.code = f.department"
                    + " WHERE f.code = ? AND f.active";

    // an import (docs/places.md): the current base unit holding the point
    private static final String UNIT_AT =
            """
            SELECT id FROM base_unit WHERE retired_at IS NULL
              AND geom && ST_SetSRID(ST_MakePoint(?, ?), 4326)
              AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(?, ?), 4326)) ORDER BY id LIMIT 1""";
    private static final String UPSERT_PLACE =
            """
            INSERT INTO place (code, kind, name, owner_name, owner_phone, unit_id, geom)
            VALUES (?, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))
            ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                owner_name = excluded.owner_name, owner_phone = excluded.owner_phone,
                unit_id = excluded.unit_id, geom = excluded.geom, active = true, updated_at = now()
            RETURNING xmax = 0""";
    private static final String UPSERT_FACILITY =
            """
            INSERT INTO facility (code, kind, department, unit_id, geom)
            VALUES (?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))
            ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, department = excluded.department,
                unit_id = excluded.unit_id, geom = excluded.geom, active = true, updated_at = now()
            RETURNING xmax = 0""";

    private static final String LOG_OWNER_READ =
            "INSERT INTO place_owner_read (staff_id, role, place_id, endpoint) VALUES (?, ?, ?, ?)";

    /** What an import did: rows added and rows updated (matched by code), or why it did nothing. */
    record Imported(int inserted, int updated, List<PlaceImport.Issue> issues) {}

    private final DataSource ds;

    public PlaceStore(DataSource ds) {
        this.ds = ds;
    }

    public List<Place> places(PlaceQuery q) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(PLACE_LIST)) {
            int i = 1;
            ps.setString(i++, q.kind());
            ps.setString(i++, q.kind());
            ps.setObject(i++, q.unitId(), Types.BIGINT);
            ps.setObject(i++, q.unitId(), Types.BIGINT);
            ps.setObject(i++, q.gridId(), Types.BIGINT);
            ps.setObject(i++, q.gridId(), Types.BIGINT);
            i = bbox(ps, i, q.bbox());
            ps.setInt(i, q.limit());
            return readPlaces(ps);
        }
    }

    /** Logs an unmasked read of a place's owner (docs/personal-data.md), before it is answered. */
    public void logOwnerRead(long staffId, String roles, long placeId, String endpoint)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(LOG_OWNER_READ)) {
            ps.setLong(1, staffId);
            ps.setString(2, roles);
            ps.setLong(3, placeId);
            ps.setString(4, endpoint);
            ps.executeUpdate();
        }
    }

    public Optional<Place> place(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(PLACE_ONE)) {
            ps.setLong(1, id);
            return readPlaces(ps).stream().findFirst();
        }
    }

    public List<Facility> facilities(FacilityQuery q) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(FACILITY_LIST)) {
            int i = 1;
            ps.setString(i++, q.kind());
            ps.setString(i++, q.kind());
            ps.setString(i++, q.department());
            ps.setString(i++, q.department());
            i = bbox(ps, i, q.bbox());
            ps.setInt(i, q.limit());
            return readFacilities(ps);
        }
    }

    public Optional<Facility> facility(String code) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(FACILITY_ONE)) {
            ps.setString(1, code);
            return readFacilities(ps).stream().findFirst();
        }
    }

    /** Every department, with how many active facilities it owns. */
    public List<DepartmentCount> departments() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(DEPARTMENTS);
                ResultSet rs = ps.executeQuery()) {
            List<DepartmentCount> out = new ArrayList<>();
            while (rs.next())
                out.add(
                        new DepartmentCount(
                                new Department(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getObject(5, Long.class)),
                                rs.getLong(6)));
            return out;
        }
    }

    /** A department and the number of its active facilities. */
    public record DepartmentCount(Department department, long facilities) {}

    /** Writes the shipped departments (at start, and by the demo before its facilities). */
    public void syncDepartments(List<Department> departments) throws SQLException {
        try (Connection c = ds.getConnection()) {
            syncDepartments(c, departments);
        }
    }

    public static void syncDepartments(Connection c, List<Department> departments)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_DEPARTMENT)) {
            for (Department d : departments) {
                ps.setString(1, d.code());
                ps.setString(2, d.nameZh());
                ps.setString(3, d.nameEn());
                ps.setString(4, d.platform());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The active place {@code id} and its distance in metres from (lon, lat). */
    public Optional<Near> placeNear(long id, double lon, double lat) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(PLACE_NEAR)) {
            ps.setDouble(1, lon);
            ps.setDouble(2, lat);
            ps.setLong(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(
                        new Near(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4)));
            }
        }
    }

    /** The active facility {@code code}, its department's routing and its distance from a point. */
    public Optional<Owned> facilityOwned(String code, double lon, double lat) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(FACILITY_OWNED)) {
            ps.setDouble(1, lon);
            ps.setDouble(2, lat);
            ps.setString(3, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(
                        new Owned(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getObject(6, Long.class),
                                rs.getDouble(7)));
            }
        }
    }

    /**
     * Writes the rows in one transaction, matched by code (a matched one is updated and active
     * again); none when any row is refused: a place outside every current base unit, a facility of
     * an unknown department.
     */
    Imported importRows(List<PlaceImport.Row> rows, boolean places) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Imported out = importRows(c, rows, places);
                if (out.issues().isEmpty()) c.commit();
                else c.rollback();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Imported importRows(Connection c, List<PlaceImport.Row> rows, boolean places)
            throws SQLException {
        List<PlaceImport.Issue> issues = new ArrayList<>();
        java.util.Set<String> departments = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT code FROM department");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) departments.add(rs.getString(1));
        }
        int inserted = 0, updated = 0;
        try (PreparedStatement unitAt = c.prepareStatement(UNIT_AT);
                PreparedStatement upsert =
                        c.prepareStatement(places ? UPSERT_PLACE : UPSERT_FACILITY)) {
            for (PlaceImport.Row r : rows) {
                unitAt.setDouble(1, r.lon());
                unitAt.setDouble(2, r.lat());
                unitAt.setDouble(3, r.lon());
                unitAt.setDouble(4, r.lat());
                Long unit = null;
                try (ResultSet rs = unitAt.executeQuery()) {
                    if (rs.next()) unit = rs.getLong(1);
                }
                if (places && unit == null) {
                    issues.add(
                            new PlaceImport.Issue(
                                    r.where(),
                                    r.code(),
                                    "outside every base unit, at ("
                                            + r.lon()
                                            + ", "
                                            + r.lat()
                                            + "): a place stands in a unit"));
                    continue;
                }
                if (!places && !departments.contains(r.department())) {
                    issues.add(
                            new PlaceImport.Issue(
                                    r.where(),
                                    r.code(),
                                    "unknown department '"
                                            + r.department()
                                            + "'; one of "
                                            + new java.util.TreeSet<>(departments)));
                    continue;
                }
                if (!issues.isEmpty()) continue; // nothing is written anyway: only find the rest
                int i = 1;
                upsert.setString(i++, r.code());
                upsert.setString(i++, r.kind());
                if (places) {
                    upsert.setString(i++, r.name());
                    upsert.setString(i++, r.ownerName());
                    upsert.setString(i++, r.ownerPhone());
                } else upsert.setString(i++, r.department());
                upsert.setObject(i++, unit, Types.BIGINT);
                upsert.setDouble(i++, r.lon());
                upsert.setDouble(i, r.lat());
                try (ResultSet rs = upsert.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) inserted++;
                    else updated++;
                }
            }
        }
        return new Imported(inserted, updated, issues);
    }

    private static int bbox(PreparedStatement ps, int i, Bbox b) throws SQLException {
        ps.setObject(i++, b == null ? null : b.minLon(), Types.DOUBLE);
        ps.setObject(i++, b == null ? null : b.minLon(), Types.DOUBLE);
        ps.setObject(i++, b == null ? null : b.minLat(), Types.DOUBLE);
        ps.setObject(i++, b == null ? null : b.maxLon(), Types.DOUBLE);
        ps.setObject(i++, b == null ? null : b.maxLat(), Types.DOUBLE);
        return i;
    }

    private static List<Place> readPlaces(PreparedStatement ps) throws SQLException {
        List<Place> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.add(
                        new Place(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getLong(7),
                                rs.getString(8),
                                rs.getObject(9, Long.class),
                                rs.getString(10),
                                rs.getString(11),
                                rs.getDouble(12),
                                rs.getDouble(13),
                                rs.getBoolean(14),
                                rs.getObject(15, OffsetDateTime.class)));
        }
        return out;
    }

    private static List<Facility> readFacilities(PreparedStatement ps) throws SQLException {
        List<Facility> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.add(
                        new Facility(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getObject(5, Long.class),
                                rs.getString(6),
                                rs.getDouble(7),
                                rs.getDouble(8),
                                rs.getBoolean(9),
                                rs.getObject(10, OffsetDateTime.class)));
        }
        return out;
    }
}
