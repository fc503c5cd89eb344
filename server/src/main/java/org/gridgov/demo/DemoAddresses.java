package org.gridgov.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.gridgov.demo.DemoData.Unit;
import org.gridgov.geocode.DoorPlate;
import org.gridgov.geocode.GazetteerStore.NewPlate;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Door plates for the demo's base units: named roads run east–west and north–south across the
 * subdistrict every {@value #SPACING_M} m, and each unit takes its number on the nearer one (odd on
 * the north or west side, even on the other, rising from the west or south, as Hangzhou numbers
 * them). A residential unit is a compound (小区) with buildings (幢) and their units (单元), a
 * commercial one a block with buildings, the rest a plain number. Drawn from a random source of its
 * own (the seed's), so the rest of the demo is what it was without addresses.
 */
final class DemoAddresses {

    static final double SPACING_M = 450;

    /** Metres of road front per number on one side. */
    private static final double FRONT_M = 8;

    private static final String[] EAST_WEST = {
        "江南大道", "滨盛路", "长河路", "江虹路", "滨安路", "闻涛路", "月明路", "东信大道", "春波路",
        "丹枫路", "秋水路", "火炬大道", "滨康路", "浦沿路", "南环路", "湘湖路", "冠山路", "越达巷"
    };
    private static final String[] NORTH_SOUTH = {
        "江汉路", "西兴路", "时代大道", "长江路", "信诚路", "风情大道", "聚才路", "秋溢路", "建业路",
        "伟业路", "六和路", "物联网街", "诚业路", "东冠路", "中兴路", "连心街", "育才路", "明德路"
    };
    private static final String[] COMPOUND_SUFFIX = {
        "花园", "小区", "家园", "公寓", "苑", "新村", "府", "嘉园", "雅苑", "华庭", "名邸", "御园"
    };
    private static final String[] BLOCK_SUFFIX = {"大厦", "广场", "中心", "商务楼"};

    private DemoAddresses() {}

    /** Every unit's plates, planar (the demo's CRS), in unit order. */
    static List<NewPlate> of(DemoData d, long seed) {
        return of(d, seed, "");
    }

    /**
     * As {@link #of(DemoData, long)} with every road name prefixed (a district's later
     * subdistricts: the gazetteer holds one plate per address, and each has its own roads).
     */
    static List<NewPlate> of(DemoData d, long seed, String roadPrefix) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5a17_a00d_7e55L);
        Envelope env = d.subdistrict().getEnvelopeInternal();
        Map<String, Set<Integer>> used = new HashMap<>();
        Set<String> compounds = new HashSet<>();
        List<String> prefixes = new ArrayList<>(List.of(DemoNames.URBAN));
        prefixes.addAll(
                List.of(
                        "金色", "钱江", "绿城", "东方", "万科", "滨江", "星耀", "云栖", "翠苑", "紫金", "银泰", "白云",
                        "青山", "碧水", "香樟", "玉兰", "金都", "华润", "龙湖", "融创"));
        List<NewPlate> out = new ArrayList<>();
        for (Unit u : d.units()) {
            Point c = u.geom().getInteriorPoint();
            String road;
            double along;
            boolean firstSide;
            int ew = (int) Math.round((c.getY() - env.getMinY()) / SPACING_M);
            int ns = (int) Math.round((c.getX() - env.getMinX()) / SPACING_M);
            double dy = Math.abs(c.getY() - (env.getMinY() + ew * SPACING_M));
            double dx = Math.abs(c.getX() - (env.getMinX() + ns * SPACING_M));
            if (dy <= dx) {
                road = roadPrefix + EAST_WEST[ew % EAST_WEST.length];
                along = c.getX() - env.getMinX();
                firstSide = c.getY() > env.getMinY() + ew * SPACING_M;
            } else {
                road = roadPrefix + NORTH_SOUTH[ns % NORTH_SOUTH.length];
                along = c.getY() - env.getMinY();
                firstSide = c.getX() < env.getMinX() + ns * SPACING_M;
            }
            Set<Integer> taken = used.computeIfAbsent(road, k -> new HashSet<>());
            int number = 2 * (int) (along / FRONT_M) + (firstSide ? 1 : 2);
            while (!taken.add(number)) number += 2;
            String no = Integer.toString(number);
            long comm = u.communityId();
            switch (u.landUse()) {
                case "RESIDENTIAL" -> {
                    String name = name(prefixes, COMPOUND_SUFFIX, compounds, r);
                    out.add(plate(road, no, name, null, null, comm, u, c));
                    int buildings = 1 + Math.min(7, u.households() / 60 + r.nextInt(3));
                    for (int b = 1; b <= buildings; b++) {
                        int units = 1 + r.nextInt(3);
                        for (int k = 1; k <= units; k++) {
                            out.add(
                                    plate(
                                            road,
                                            no,
                                            name,
                                            Integer.toString(b),
                                            Integer.toString(k),
                                            comm,
                                            u,
                                            inside(u.geom(), r)));
                        }
                    }
                }
                case "COMMERCIAL" -> {
                    String name = name(prefixes, BLOCK_SUFFIX, compounds, r);
                    out.add(plate(road, no, name, null, null, comm, u, c));
                    int buildings = r.nextInt(3);
                    for (int b = 1; b <= buildings; b++)
                        out.add(
                                plate(
                                        road,
                                        no,
                                        name,
                                        Integer.toString(b),
                                        null,
                                        comm,
                                        u,
                                        inside(u.geom(), r)));
                }
                default -> out.add(plate(road, no, null, null, null, comm, u, c));
            }
        }
        return out;
    }

    private static NewPlate plate(
            String road,
            String number,
            String compound,
            String building,
            String unit,
            long communityId,
            Unit u,
            Point at) {
        return new NewPlate(
                DoorPlate.label(road, number, compound, building, unit),
                communityId,
                u.id(),
                at.getX(),
                at.getY());
    }

    /** A name not given yet, while the pool lasts; then a second phase (二期) of one. */
    private static String name(
            List<String> prefixes, String[] suffixes, Set<String> taken, SplittableRandom r) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String n =
                    prefixes.get(r.nextInt(prefixes.size())) + suffixes[r.nextInt(suffixes.length)];
            if (taken.add(n)) return n;
        }
        for (int phase = 2; ; phase++) {
            String n =
                    prefixes.get(r.nextInt(prefixes.size()))
                            + suffixes[r.nextInt(suffixes.length)]
                            + phase
                            + "期";
            if (taken.add(n)) return n;
        }
    }

    /** A point inside the unit, drawn in its envelope; its interior point after a few misses. */
    private static Point inside(Polygon g, SplittableRandom r) {
        Envelope e = g.getEnvelopeInternal();
        for (int i = 0; i < 12; i++) {
            Coordinate c =
                    new Coordinate(
                            e.getMinX() + r.nextDouble() * e.getWidth(),
                            e.getMinY() + r.nextDouble() * e.getHeight());
            Point p = DemoSubdistrict.GF.createPoint(c);
            if (g.contains(p)) return p;
        }
        return g.getInteriorPoint();
    }
}
