package org.gridgov.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.gridgov.demo.DemoData.RoadEdge;
import org.gridgov.demo.DemoData.Unit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.linearref.LengthIndexedLine;

/**
 * Places (场所) and facilities (部件) for the demo subdistrict (docs/demo-data.md, docs/places.md):
 * shops, restaurants, workshops and rental housing in the commercial, residential and village
 * units; street lights, manhole covers, hydrants and signs along the roads, bins in the units.
 * Drawn from a random source of its own (the seed's), so the rest of the demo is what it was
 * without them. Points are planar (the demo's CRS).
 */
final class DemoPlaces {

    /** A place in unit {@code unitId}, at (x, y). */
    record NewPlace(
            String code,
            String kind,
            String name,
            String ownerName,
            String ownerPhone,
            long unitId,
            double x,
            double y) {}

    /** A facility of {@code department} at (x, y); its unit is found once written. */
    record NewFacility(String code, String kind, String department, double x, double y) {}

    // metres between facilities along a road (lights on every road, the rest less often)
    private static final double LIGHT_M = 200, MANHOLE_M = 400, HYDRANT_M = 800, SIGN_M = 1200;

    private static final String[][] COMMERCIAL = {
        {"SHOP", "便利店"}, {"SHOP", "超市"}, {"SHOP", "五金店"}, {"RESTAURANT", "面馆"},
        {"RESTAURANT", "餐厅"}, {"RESTAURANT", "小吃店"}, {"HOTEL", "宾馆"}, {"ENTERTAINMENT", "KTV"},
        {"ENTERTAINMENT", "网吧"}, {"CLINIC", "诊所"}, {"EDUCATION", "培训中心"}, {"WORKSHOP", "汽修店"}
    };
    private static final String[][] RESIDENTIAL = {
        {"SHOP", "便利店"},
        {"SHOP", "水果店"},
        {"RESTAURANT", "早餐店"},
        {"CLINIC", "社区诊所"},
        {"EDUCATION", "托管班"},
        {"RENTAL_HOUSING", "出租房"},
        {"SCHOOL", "幼儿园"}
    };
    private static final String[][] VILLAGE = {
        {"RENTAL_HOUSING", "出租房"}, {"RENTAL_HOUSING", "群租房"}, {"WORKSHOP", "加工作坊"},
        {"WORKSHOP", "木器厂"}, {"SHOP", "小卖部"}, {"RESTAURANT", "农家菜馆"}
    };

    private DemoPlaces() {}

    static List<NewPlace> places(DemoData d, long seed) {
        return places(d, seed, "");
    }

    /** codePrefix: before every code, unique across a district's subdistricts ("" for one). */
    static List<NewPlace> places(DemoData d, long seed, String codePrefix) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x91ace5_0f_5eedL);
        List<NewPlace> out = new ArrayList<>();
        Set<String> phones = new HashSet<>();
        for (Unit u : d.units()) {
            String[][] pool;
            int n;
            switch (u.landUse()) {
                case "COMMERCIAL" -> {
                    pool = COMMERCIAL;
                    n = r.nextInt(3);
                }
                case "RESIDENTIAL" -> {
                    pool = RESIDENTIAL;
                    n = r.nextInt(4) == 0 ? 1 : 0;
                }
                case "VILLAGE" -> {
                    pool = VILLAGE;
                    n = r.nextInt(2);
                }
                default -> {
                    continue;
                }
            }
            for (int i = 0; i < n; i++) {
                String[] k = pool[r.nextInt(pool.length)];
                Coordinate at = inside(u, r);
                if (at == null) continue;
                String owner = DemoNames.person(r);
                // a name as on the sign: never the owner's (the name is published to staff maps)
                String name =
                        k[0].equals("RENTAL_HOUSING")
                                ? k[1] + (100 + r.nextInt(900)) + "号"
                                : DemoNames.person(r).substring(1) + k[1];
                out.add(
                        new NewPlace(
                                codePrefix + "P" + String.format("%06d", out.size() + 1),
                                k[0],
                                name,
                                owner,
                                DemoNames.phone(r, phones),
                                u.id(),
                                at.x,
                                at.y));
            }
        }
        return out;
    }

    static List<NewFacility> facilities(DemoData d, long seed) {
        return facilities(d, seed, "");
    }

    static List<NewFacility> facilities(DemoData d, long seed, String codePrefix) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xfac1_1e55L);
        List<NewFacility> out = new ArrayList<>();
        int[] n = new int[6];
        for (RoadEdge e : d.roadEdges()) {
            along(e.geom(), LIGHT_M, r, out, codePrefix + "SL", "STREET_LIGHT", "LIGHTING", n, 0);
            along(e.geom(), MANHOLE_M, r, out, codePrefix + "MH", "MANHOLE", "MUNICIPAL", n, 1);
            along(e.geom(), HYDRANT_M, r, out, codePrefix + "HY", "HYDRANT", "WATER", n, 2);
            along(e.geom(), SIGN_M, r, out, codePrefix + "SG", "SIGN", "TRAFFIC", n, 3);
        }
        for (Unit u : d.units()) {
            int bins =
                    switch (u.landUse()) {
                        case "COMMERCIAL", "RESIDENTIAL", "VILLAGE" -> r.nextInt(3) == 0 ? 1 : 0;
                        default -> 0;
                    };
            for (int i = 0; i < bins; i++) {
                Coordinate at = inside(u, r);
                if (at != null) out.add(facility(codePrefix + "BN", "BIN", "SANITATION", at, n, 4));
            }
            if (u.landUse().equals("OPEN") && r.nextInt(4) == 0) {
                Coordinate at = inside(u, r);
                if (at != null)
                    out.add(facility(codePrefix + "BC", "BENCH", "MUNICIPAL", at, n, 5));
            }
        }
        return out;
    }

    private static void along(
            LineString road,
            double spacing,
            SplittableRandom r,
            List<NewFacility> out,
            String prefix,
            String kind,
            String department,
            int[] n,
            int counter) {
        LengthIndexedLine line = new LengthIndexedLine(road);
        double length = road.getLength();
        // a random start, so roads meeting at a vertex do not stack their facilities
        for (double s = r.nextDouble() * spacing; s < length; s += spacing) {
            Coordinate c = line.extractPoint(s, 6); // 6 m off the centre line: the kerb
            out.add(facility(prefix, kind, department, c, n, counter));
        }
    }

    private static NewFacility facility(
            String prefix, String kind, String department, Coordinate c, int[] n, int counter) {
        return new NewFacility(
                prefix + "-" + String.format("%06d", ++n[counter]), kind, department, c.x, c.y);
    }

    /** A random point inside the unit (null if none is found in a few tries: a sliver). */
    private static Coordinate inside(Unit u, SplittableRandom r) {
        Envelope e = u.geom().getEnvelopeInternal();
        for (int i = 0; i < 30; i++) {
            double x = e.getMinX() + r.nextDouble() * e.getWidth();
            double y = e.getMinY() + r.nextDouble() * e.getHeight();
            Coordinate c = new Coordinate(x, y);
            if (u.geom().contains(DemoSubdistrict.GF.createPoint(c))) return c;
        }
        return null;
    }
}
