package org.gridgov.geocode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The door plates in PostgreSQL: trigram candidates for an address, the nearest plate to a point,
 * and the writing of plates (the demo's, and those parsed from imported units' addresses).
 */
public final class GazetteerStore {

    /** A plate to write: its written form, where it is (in {@code srid}), what it belongs to. */
    public record NewPlate(String label, Long communityId, Long baseUnitId, double x, double y) {}

    /** A candidate plate and the trigram similarity of its normalised text to the query's. */
    record Candidate(DoorPlate plate, double similarity) {}

    /** A plate near a point and how far it is, in metres. */
    public record Nearby(DoorPlate plate, double distanceM) {}

    private static final String PLATE =
            """
            d.id, d.label, d.road, d.number, d.compound, d.building, d.unit, d.community_id, c.name,
            ST_X(d.geom), ST_Y(d.geom)""";

    /**
     * The plates whose text contains the query's closely (word similarity, the trigram index), best
     * first, and every plate of the road and number the query names (a right number under a
     * similar-looking text must not drop out of the first ones).
     */
    private static final String CANDIDATES =
            """
            WITH ids AS (
                (SELECT d.id FROM door_plate d WHERE ? <%% d.normalised
                 ORDER BY similarity(d.normalised, ?) DESC, d.id LIMIT ?)
                UNION
                (SELECT d.id FROM door_plate d WHERE d.road = ? AND d.number = ? ORDER BY d.id LIMIT ?)
            )
            SELECT %s, similarity(d.normalised, ?)
            FROM ids JOIN door_plate d USING (id) LEFT JOIN community c ON c.id = d.community_id"""
                    .formatted(PLATE);

    /** The plates of one road and number: the fast path when the query names both. */
    private static final String BY_ROAD_NUMBER =
            """
            SELECT %s, similarity(d.normalised, ?)
            FROM door_plate d LEFT JOIN community c ON c.id = d.community_id
            WHERE d.road = ? AND d.number = ? ORDER BY d.id LIMIT ?"""
                    .formatted(PLATE);

    private static final String NEAREST =
            """
            WITH p AS (SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326) AS g)
            SELECT %s, ST_Distance(d.geom::geography, p.g::geography)
            FROM p, LATERAL (SELECT * FROM door_plate d ORDER BY d.geom <-> p.g, d.id LIMIT 1) d
            LEFT JOIN community c ON c.id = d.community_id"""
                    .formatted(PLATE);

    private static final String INSERT =
            """
            INSERT INTO door_plate (road, number, compound, building, unit, community_id, base_unit_id,
                                    source, label, normalised, geom)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), 4326))
            ON CONFLICT (normalised) DO NOTHING""";

    private final DataSource ds;

    public GazetteerStore(DataSource ds) {
        this.ds = ds;
    }

    List<Candidate> candidates(NormalisedAddress q, int limit) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(CANDIDATES)) {
            int i = 1;
            ps.setString(i++, q.text());
            ps.setString(i++, q.text());
            ps.setInt(i++, limit);
            ps.setString(i++, q.road());
            ps.setString(i++, q.number());
            ps.setInt(i++, limit);
            ps.setString(i, q.text());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Candidate(plate(rs), rs.getDouble(12)));
            }
        }
        return out;
    }

    /** The plates of the road and number the query names (none when it names no both). */
    List<Candidate> byRoadNumber(NormalisedAddress q, int limit) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        if (q.road() == null || q.number() == null) return out;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(BY_ROAD_NUMBER)) {
            ps.setString(1, q.text());
            ps.setString(2, q.road());
            ps.setString(3, q.number());
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Candidate(plate(rs), rs.getDouble(12)));
            }
        }
        return out;
    }

    /** The plate nearest to the point, if one lies within {@code withinM} metres. */
    public Optional<Nearby> nearest(double lon, double lat, double withinM) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(NEAREST)) {
            ps.setDouble(1, lon);
            ps.setDouble(2, lat);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                double d = rs.getDouble(12);
                return d <= withinM ? Optional.of(new Nearby(plate(rs), d)) : Optional.empty();
            }
        }
    }

    public Optional<DoorPlate> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + PLATE
                                        + " FROM door_plate d LEFT JOIN community c"
                                        + " ON c.id = d.community_id WHERE d.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(plate(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Writes plates on the caller's connection (inside its transaction); a plate whose normalised
     * form is already there, or that the normaliser cannot read as one of ours, is left out.
     *
     * @param source DEMO or IMPORT
     * @param srid the coordinates' CRS
     * @return how many were written
     */
    public static int insert(
            Connection c, String source, int srid, List<NewPlate> plates, AddressNormaliser n)
            throws SQLException {
        int written = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int batch = 0;
            for (NewPlate p : plates) {
                NormalisedAddress a;
                try {
                    a = n.normalise(p.label());
                } catch (AddressNormaliser.Elsewhere e) {
                    continue;
                }
                if (a.road() == null || a.number() == null) continue;
                int i = 1;
                ps.setString(i++, a.road());
                ps.setString(i++, a.number());
                ps.setString(i++, a.compound());
                ps.setString(i++, a.building());
                ps.setString(i++, a.unit());
                setLong(ps, i++, p.communityId());
                setLong(ps, i++, p.baseUnitId());
                ps.setString(i++, source);
                ps.setString(i++, p.label().strip());
                ps.setString(i++, a.text());
                ps.setDouble(i++, p.x());
                ps.setDouble(i++, p.y());
                ps.setInt(i, srid);
                ps.addBatch();
                if (++batch % 2000 == 0) written += sum(ps.executeBatch());
            }
            written += sum(ps.executeBatch());
        }
        return written;
    }

    /**
     * The imported units' addresses (base_unit.address, the unit import's 'address' property) as
     * the gazetteer's IMPORT plates, at a point inside each unit, in one transaction: what an
     * import changed or retired is replaced.
     *
     * @return the plates written
     */
    public int syncImported(AddressNormaliser n) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<NewPlate> plates = new ArrayList<>();
                try (Statement st = c.createStatement()) {
                    st.execute("DELETE FROM door_plate WHERE source = 'IMPORT'");
                    try (ResultSet rs =
                            st.executeQuery(
                                    """
                                    SELECT u.address, u.community_id, u.id,
                                           ST_X(ST_PointOnSurface(u.geom)), ST_Y(ST_PointOnSurface(u.geom))
                                    FROM base_unit u
                                    WHERE u.address IS NOT NULL AND u.retired_at IS NULL ORDER BY u.id""")) {
                        while (rs.next())
                            plates.add(
                                    new NewPlate(
                                            rs.getString(1),
                                            rs.getLong(2),
                                            rs.getLong(3),
                                            rs.getDouble(4),
                                            rs.getDouble(5)));
                    }
                }
                int n1 = insert(c, "IMPORT", 4326, plates, n);
                c.commit();
                return n1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static int sum(int[] counts) {
        int s = 0;
        for (int k : counts) s += Math.max(k, 0);
        return s;
    }

    private static DoorPlate plate(ResultSet rs) throws SQLException {
        long community = rs.getLong(8);
        Long communityId = rs.wasNull() ? null : community;
        return new DoorPlate(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                communityId,
                rs.getString(9),
                rs.getDouble(10),
                rs.getDouble(11));
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }
}
