package org.gridgov.demo;

import static org.gridgov.demo.DemoSubdistrict.AREA_M2;
import static org.gridgov.demo.DemoSubdistrict.CENTRE_X;
import static org.gridgov.demo.DemoSubdistrict.CENTRE_Y;
import static org.gridgov.demo.DemoSubdistrict.GF;
import static org.gridgov.demo.DemoSubdistrict.PM;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gridgov.demo.DemoSubdistrict.Site;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.CoverageUnion;

/**
 * The layout of a demo district of N subdistricts (docs/demo-data.md): a grid of cells of the
 * single demo subdistrict's size ({@link DemoSubdistrict#AREA_M2}), {@code ceil(sqrt(N))} columns,
 * filled row by row from the north-west, centred on the demo's centre. The cells' corners and a few
 * points along each side are jittered, and a side is drawn once for the two cells it parts, so
 * neighbours share their boundary exactly. Each cell is then generated as the demo subdistrict is
 * ({@link DemoSubdistrict#generate(DemoParams, Site)}), from a seed of its own.
 *
 * <p>One subdistrict is not a district of one cell: it is today's demo, outline and all, so the
 * same seed gives the same data as before districts existed.
 */
public final class DemoDistrict {

    /** Subdistrict names after 新街街道 (invented; the district is 滨江区). */
    static final String[] NAMES = {
        "新街街道", "西兴街道", "长河街道", "浦沿街道", "闻堰街道", "义桥街道", "宁围街道", "北干街道",
        "城厢街道", "蜀山街道", "新塘街道", "衙前街道", "瓜沥街道", "益农街道", "党湾街道", "河上街道",
        "戴村街道", "楼塔街道", "进化街道", "所前街道", "临浦街道", "靖江街道", "南阳街道", "新湾街道"
    };

    /** Points along each side between two corners (each jittered across the side). */
    private static final int SIDE_POINTS = 3;

    private DemoDistrict() {}

    /** At most this many subdistricts: three-digit codes. */
    public static final int MAX = 999;

    /** The N subdistricts of the district, in code order. */
    public static List<Site> sites(int n, long seed) {
        if (n < 1 || n > MAX)
            throw new IllegalArgumentException("subdistricts must be 1.." + MAX + ": " + n);
        if (n == 1) return List.of(Site.alone(seed));
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        double side = Math.sqrt(AREA_M2);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0xd157_12c7L);
        // corners (i, j), i west to east 0..cols, j north to south 0..rows
        double x0 = CENTRE_X - cols * side / 2, y0 = CENTRE_Y + rows * side / 2;
        Coordinate[][] corner = new Coordinate[cols + 1][rows + 1];
        for (int i = 0; i <= cols; i++)
            for (int j = 0; j <= rows; j++)
                corner[i][j] =
                        new Coordinate(
                                PM.makePrecise(
                                        x0 + i * side + (rnd.nextDouble() - 0.5) * 0.24 * side),
                                PM.makePrecise(
                                        y0 - j * side + (rnd.nextDouble() - 0.5) * 0.24 * side));
        // sides: horizontal (i, j)->(i+1, j) and vertical (i, j)->(i, j+1), points from the first
        Coordinate[][][] horizontal = new Coordinate[cols][rows + 1][];
        Coordinate[][][] vertical = new Coordinate[cols + 1][rows][];
        for (int i = 0; i < cols; i++)
            for (int j = 0; j <= rows; j++)
                horizontal[i][j] = side(corner[i][j], corner[i + 1][j], side, rnd);
        for (int i = 0; i <= cols; i++)
            for (int j = 0; j < rows; j++)
                vertical[i][j] = side(corner[i][j], corner[i][j + 1], side, rnd);
        List<Site> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = k % cols, j = k / cols;
            List<Coordinate> ring = new ArrayList<>();
            // clockwise from the north-west corner: north side, east, south (reversed), west
            ring.add(corner[i][j]);
            ring.addAll(List.of(horizontal[i][j]));
            ring.add(corner[i + 1][j]);
            ring.addAll(List.of(vertical[i + 1][j]));
            ring.add(corner[i + 1][j + 1]);
            ring.addAll(List.of(reversed(horizontal[i][j + 1])));
            ring.add(corner[i][j + 1]);
            ring.addAll(List.of(reversed(vertical[i][j])));
            ring.add(corner[i][j]);
            Polygon cell = GF.createPolygon(ring.toArray(Coordinate[]::new));
            cell.normalize();
            int index = k + 1;
            out.add(
                    new Site(
                            index,
                            DemoSubdistrict.DISTRICT_CODE + String.format("%03d", index),
                            name(index),
                            cell,
                            index == 1 ? seed : seed * 0x9E3779B97F4A7C15L + index));
        }
        return out;
    }

    static String name(int index) {
        return index <= NAMES.length ? NAMES[index - 1] : "第" + index + "街道";
    }

    /** The union of the cells: the area the subdistricts cover together. */
    public static Polygon served(List<Site> sites) {
        Polygon[] cells = sites.stream().map(Site::outline).toArray(Polygon[]::new);
        Geometry u = CoverageUnion.union(GF.createMultiPolygon(cells));
        u.normalize();
        return (Polygon) u;
    }

    /** The district: the subdistricts' area and a service margin around it, as for one. */
    public static Polygon district(Polygon served) {
        return (Polygon) served.buffer(DemoSubdistrict.DISTRICT_BUFFER_M, 8);
    }

    private static Coordinate[] side(Coordinate a, Coordinate b, double side, SplittableRandom r) {
        Coordinate[] pts = new Coordinate[SIDE_POINTS];
        double dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
        for (int k = 0; k < SIDE_POINTS; k++) {
            double t = (k + 1.0) / (SIDE_POINTS + 1) + (r.nextDouble() - 0.5) * 0.1;
            double off = (r.nextDouble() - 0.5) * 0.08 * side;
            pts[k] =
                    new Coordinate(
                            PM.makePrecise(a.x + t * dx - off * dy / len),
                            PM.makePrecise(a.y + t * dy + off * dx / len));
        }
        return pts;
    }

    private static Coordinate[] reversed(Coordinate[] pts) {
        Coordinate[] r = new Coordinate[pts.length];
        for (int i = 0; i < pts.length; i++) r[i] = pts[pts.length - 1 - i];
        return r;
    }
}
