package org.gridgov.area;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * The subdistrict and the district service area around it, prepared for point tests at intake. A
 * report inside the subdistrict is ours; inside the district but outside the subdistrict it is
 * accepted and transferred to the district; beyond the district it is refused as out of area.
 */
public final class Jurisdictions {

    public enum Where {
        SUBDISTRICT,
        DISTRICT,
        OUTSIDE
    }

    private static final GeometryFactory GF = new GeometryFactory();

    private final PreparedGeometry subdistrict;
    private final PreparedGeometry district;
    private final String subdistrictName;
    private final String districtName;

    private Jurisdictions(
            PreparedGeometry subdistrict,
            String subdistrictName,
            PreparedGeometry district,
            String districtName) {
        this.subdistrict = subdistrict;
        this.district = district;
        this.subdistrictName = subdistrictName;
        this.districtName = districtName;
    }

    public static Jurisdictions load(DataSource ds) throws SQLException {
        PreparedGeometry sub = null, dist = null;
        String subName = null, distName = null;
        WKBReader wkb = new WKBReader();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT kind, name, ST_AsBinary(geom) FROM jurisdiction")) {
            while (rs.next()) {
                PreparedGeometry g = PreparedGeometryFactory.prepare(wkb.read(rs.getBytes(3)));
                if ("SUBDISTRICT".equals(rs.getString(1))) {
                    sub = g;
                    subName = rs.getString(2);
                } else {
                    dist = g;
                    distName = rs.getString(2);
                }
            }
        } catch (ParseException e) {
            throw new SQLException("unreadable jurisdiction geometry", e);
        }
        if (sub == null) {
            throw new IllegalStateException(
                    "no subdistrict in the jurisdiction table: load the demo (scripts/run does) or import your area");
        }
        // Without a district service area, only the subdistrict itself is accepted.
        return new Jurisdictions(
                sub, subName, dist == null ? sub : dist, distName == null ? subName : distName);
    }

    public Where locate(double lon, double lat) {
        Point p = GF.createPoint(new Coordinate(lon, lat));
        if (subdistrict.covers(p)) return Where.SUBDISTRICT;
        if (district.covers(p)) return Where.DISTRICT;
        return Where.OUTSIDE;
    }

    public String subdistrictName() {
        return subdistrictName;
    }

    public String districtName() {
        return districtName;
    }
}
