package org.gridgov.area;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The subdistricts of the district and the district service area around them, prepared for point
 * tests at intake (docs/district.md, "Many subdistricts"). A report inside a subdistrict is that
 * subdistrict's; inside the district but in no subdistrict it is accepted and goes to the district;
 * beyond the district it is refused as out of area. A point covered by two subdistricts (on their
 * shared boundary) belongs to the one with the lowest code.
 */
public final class Jurisdictions {

    public enum Where {
        SUBDISTRICT,
        DISTRICT,
        OUTSIDE
    }

    /** One subdistrict (a jurisdiction row of kind SUBDISTRICT). */
    public record Subdistrict(long id, String code, String name) {}

    /**
     * Where a point lies: in one subdistrict ({@code subdistrict} set), in the district outside
     * every subdistrict, or outside the district.
     */
    public record Location(Where where, Subdistrict subdistrict) {
        static final Location DISTRICT = new Location(Where.DISTRICT, null);
        static final Location OUTSIDE = new Location(Where.OUTSIDE, null);

        /** The subdistrict's id; null unless {@link #where} is SUBDISTRICT. */
        public Long subdistrictId() {
            return subdistrict == null ? null : subdistrict.id();
        }
    }

    private static final GeometryFactory GF = new GeometryFactory();

    /** A subdistrict with its shape, for point tests. */
    private record Shape(Subdistrict subdistrict, PreparedGeometry geom, Envelope envelope) {}

    /**
     * One reading of the jurisdiction table: subdistricts ordered by code (the tie rule); district
     * null when there is no district row.
     */
    private record Area(
            List<Shape> subdistricts,
            PreparedGeometry district,
            String districtName,
            String districtCode,
            String fingerprint) {}

    // Changes when a jurisdiction row is added, removed, renamed or reshaped (another instance's
    // boundary import, a district's new subdistrict).
    private static final String FINGERPRINT =
            """
            SELECT count(*) || ':' || coalesce(md5(string_agg(
                       concat_ws('/', id, kind, code, name, md5(ST_AsBinary(geom))), ',' ORDER BY id)), '')
            FROM jurisdiction""";

    private final DataSource ds;
    private volatile Area area;

    private Jurisdictions(DataSource ds, Area area) {
        this.ds = ds;
        this.area = area;
    }

    /**
     * Reads the jurisdiction table. A new deployment has none yet (GRIDGOV_DEMO=off, before the
     * boundary is imported): then every point is OUTSIDE until {@link #refreshIfChanged} finds one.
     */
    public static Jurisdictions load(DataSource ds) throws SQLException {
        return new Jurisdictions(ds, read(ds));
    }

    /** Reads the table again. */
    private void reload() throws SQLException {
        area = read(ds);
    }

    /** Re-reads the table when it changed (on a timer: another instance's import). */
    public synchronized boolean refreshIfChanged() throws SQLException {
        if (fingerprint(ds).equals(area.fingerprint())) return false;
        reload();
        return true;
    }

    /**
     * The fingerprint of the boundaries this copy holds (what {@link #refreshIfChanged} compares).
     */
    public String loadedFingerprint() {
        return area.fingerprint();
    }

    /** Whether a subdistrict has been loaded or imported. */
    public boolean present() {
        return !area.subdistricts().isEmpty();
    }

    private static String fingerprint(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Area read(DataSource ds) throws SQLException {
        List<Shape> subs = new ArrayList<>();
        PreparedGeometry dist = null;
        String distName = null, distCode = null;
        WKBReader wkb = new WKBReader();
        String fp = fingerprint(ds);
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT kind, name, ST_AsBinary(geom), code, id FROM jurisdiction"
                                        + " ORDER BY code")) {
            while (rs.next()) {
                Geometry geom = wkb.read(rs.getBytes(3));
                PreparedGeometry g = PreparedGeometryFactory.prepare(geom);
                if ("SUBDISTRICT".equals(rs.getString(1))) {
                    subs.add(
                            new Shape(
                                    new Subdistrict(
                                            rs.getLong(5), rs.getString(4), rs.getString(2)),
                                    g,
                                    geom.getEnvelopeInternal()));
                } else {
                    dist = g;
                    distName = rs.getString(2);
                    distCode = rs.getString(4);
                }
            }
        } catch (ParseException e) {
            throw new SQLException("unreadable jurisdiction geometry", e);
        }
        subs.sort(Comparator.comparing(s -> s.subdistrict().code()));
        if (subs.isEmpty()) return new Area(List.of(), null, "the district", null, fp);
        // Without a district service area, only the subdistricts themselves are accepted.
        return new Area(
                List.copyOf(subs),
                dist,
                distName == null ? subs.get(0).subdistrict().name() : distName,
                distCode,
                fp);
    }

    /** Where the point lies; on a boundary shared by subdistricts, the lowest code's. */
    public Location locate(double lon, double lat) {
        Area a = area;
        if (a.subdistricts().isEmpty()) return Location.OUTSIDE;
        Point p = GF.createPoint(new Coordinate(lon, lat));
        for (Shape s : a.subdistricts()) // ordered by code: the first that covers it wins
        if (s.envelope().covers(lon, lat) && s.geom().covers(p))
                return new Location(Where.SUBDISTRICT, s.subdistrict());
        if (a.district() != null && a.district().covers(p)) return Location.DISTRICT;
        return Location.OUTSIDE;
    }

    /**
     * Why (lon, lat) is outside the service area, for an out-of-area answer: the service area, or
     * that there is none yet (an empty deployment before its boundary import, docs/onboarding.md).
     */
    public String outsideDetail(double lon, double lat) {
        Area a = area;
        String where = "(" + lon + ", " + lat + ")";
        if (a.subdistricts().isEmpty())
            return where
                    + " cannot be placed: no boundary has been imported yet, so every location"
                    + " is refused until an admin imports one (POST /api/v1/imports?kind=boundary)";
        return where + " lies outside " + a.districtName();
    }

    /** False in an empty deployment, until its boundary is imported. */
    public boolean hasBoundary() {
        return present();
    }

    /** Every subdistrict, by code. */
    public List<Subdistrict> subdistricts() {
        return area.subdistricts().stream().map(Shape::subdistrict).toList();
    }

    /** The subdistrict of that id, if there is one. */
    public Optional<Subdistrict> subdistrict(Long id) {
        if (id == null) return Optional.empty();
        return subdistricts().stream().filter(s -> s.id() == id).findFirst();
    }

    /**
     * The name of the one subdistrict, or with several the district's (whoever the service is for
     * as a whole); "the subdistrict" before a boundary exists.
     */
    public String subdistrictName() {
        List<Shape> subs = area.subdistricts();
        if (subs.isEmpty()) return "the subdistrict";
        return subs.size() == 1 ? subs.get(0).subdistrict().name() : area.districtName();
    }

    /**
     * The code of the subdistrict with the lowest code (the only one in a single-subdistrict
     * deployment), which Open311 clients gave as jurisdiction_id; null before a boundary is
     * imported.
     */
    public String subdistrictCode() {
        List<Shape> subs = area.subdistricts();
        return subs.isEmpty() ? null : subs.get(0).subdistrict().code();
    }

    /**
     * Every code a client may name this deployment's jurisdictions by: each subdistrict's and the
     * district's (Open311 jurisdiction_id). Empty before a boundary is imported.
     */
    public Set<String> codes() {
        Area a = area;
        Set<String> codes = new LinkedHashSet<>();
        a.subdistricts().forEach(s -> codes.add(s.subdistrict().code()));
        if (a.districtCode() != null && !codes.isEmpty()) codes.add(a.districtCode());
        return codes;
    }

    /** The district's code; null when there is no district row. */
    public String districtCode() {
        return area.districtCode();
    }

    public String districtName() {
        return area.districtName();
    }
}
