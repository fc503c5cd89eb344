package org.gridgov.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.Unit;
import org.gridgov.demo.DemoLandUse.Special;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Builds the demo subdistrict (新街街道, ≈30 km² near 120.29°E 30.19°N) as plain data: outline and base
 * units ({@link DemoGeography}: Voronoi cells of a seeded point process, denser in an urban core
 * and in village hamlets), communities ({@link DemoCommunities}), land use and households ({@link
 * DemoLandUse}), the initial grid plan ({@link DemoGrids}), the road network ({@link DemoRoads})
 * and the staff ({@link DemoStaff}). Pure Java, no database; the same {@link DemoParams} always
 * give the same result, bit for bit: every step draws from one random source, in a fixed order.
 *
 * <p>All geometry is planar EPSG:4549 on a 1 cm grid; coverages are built from one snap-rounded
 * linework, so neighbouring polygons share identical vertices.
 */
public final class DemoSubdistrict {

    public static final int SRID = 4549;

    /** 120.29°E 30.19°N in EPSG:4549 (checked with PostGIS ST_Transform). */
    public static final double CENTRE_X = 527_927.62;

    public static final double CENTRE_Y = 3_341_211.21;
    public static final double AREA_M2 = 30e6;
    public static final double DISTRICT_BUFFER_M = 6_000;
    public static final String SUBDISTRICT_CODE = "330108001";
    public static final String SUBDISTRICT_NAME = "新街街道";
    public static final String DISTRICT_CODE = "330108";
    public static final String DISTRICT_NAME = "滨江区";

    /**
     * Target total households for {@link DemoParams#defaults()}; scaled with the number of units.
     */
    public static final int HOUSEHOLDS_PER_6000_UNITS = 25_000;

    static final PrecisionModel PM = new PrecisionModel(100);
    public static final GeometryFactory GF = new GeometryFactory(PM, SRID);

    private DemoSubdistrict() {}

    /**
     * One subdistrict of a demo district ({@link DemoDistrict}).
     *
     * @param index 1-based position; subdistrict 1 holds the district's accounts
     * @param code 9 digits: the district's code and the index
     * @param outline the subdistrict's cell of the district, or null for the outline drawn around
     *     {@link #CENTRE_X}, {@link #CENTRE_Y} (the single-subdistrict demo)
     * @param seed the random seed this subdistrict is generated from
     */
    public record Site(int index, String code, String name, Polygon outline, long seed) {

        /** The demo subdistrict of a single-subdistrict demo. */
        public static Site alone(long seed) {
            return new Site(1, SUBDISTRICT_CODE, SUBDISTRICT_NAME, null, seed);
        }
    }

    public static DemoData generate(DemoParams p) {
        return generate(p, Site.alone(p.seed()));
    }

    /** The subdistrict at {@code site}, ids from 1 ({@link DemoData#shifted} moves them). */
    public static DemoData generate(DemoParams p, Site site) {
        if (p.communities() < 2 || p.communities() > DemoNames.URBAN.length) {
            throw new IllegalArgumentException(
                    "communities must be 2.." + DemoNames.URBAN.length + ": " + p.communities());
        }
        if (p.units() < p.communities() * 30) {
            throw new IllegalArgumentException(
                    "need at least 30 units per community: units=" + p.units());
        }
        if (p.householdsPerGrid() < 50)
            throw new IllegalArgumentException(
                    "householdsPerGrid too small: " + p.householdsPerGrid());
        SplittableRandom rnd = new SplittableRandom(site.seed());
        DemoGeography geo = new DemoGeography(p.units(), rnd, site.outline());
        DemoCommunities.assign(geo, p.communities(), rnd);
        DemoLandUse landUse = new DemoLandUse(geo, rnd);
        landUse.assign();
        List<Special> specials = landUse.carveSpecials();
        landUse.scaleHouseholds((double) HOUSEHOLDS_PER_6000_UNITS * p.units() / 6000);
        return assemble(geo, landUse, specials, p, site, rnd);
    }

    /** Numbers communities and units, then builds the grids, roads and staff on them. */
    private static DemoData assemble(
            DemoGeography geo,
            DemoLandUse landUse,
            List<Special> specials,
            DemoParams p,
            Site site,
            SplittableRandom rnd) {
        int c = p.communities();
        int n = geo.faces.size();
        Integer[] order = DemoCommunities.order(geo);
        int[] commId = new int[c];
        for (int i = 0; i < c; i++) commId[order[i]] = i + 1;

        // unit order: by community, then north to south, west to east
        Integer[] uo = new Integer[n];
        for (int i = 0; i < n; i++) uo[i] = i;
        Arrays.sort(
                uo,
                Comparator.comparingInt((Integer i) -> commId[geo.comm[i]])
                        .thenComparingDouble(i -> -Math.floor(geo.fy[i] / 50))
                        .thenComparingDouble(i -> geo.fx[i]));
        int[] unitId = new int[n];
        for (int i = 0; i < n; i++) unitId[uo[i]] = i + 1;
        List<List<Integer>> facesOf = new ArrayList<>();
        for (int k : order) {
            List<Integer> fs = new ArrayList<>();
            for (int f : uo) if (geo.comm[f] == k) fs.add(f);
            facesOf.add(fs);
        }
        List<Community> communities = DemoCommunities.number(geo, order, facesOf, site.code(), rnd);

        double[] hot = landUse.incidentWeights(specials);
        List<Unit> units = new ArrayList<>(n);
        int[] seqInComm = new int[c + 1];
        for (int i = 0; i < n; i++) {
            int f = uo[i];
            int cid = commId[geo.comm[f]];
            String code = communities.get(cid - 1).code() + String.format("%04d", ++seqInComm[cid]);
            int hh = geo.households[f];
            int pop = (int) Math.round(hh * (2.3 + 0.7 * rnd.nextDouble()));
            units.add(
                    new Unit(i + 1, cid, code, geo.landUse[f], hh, pop, geo.faces.get(f), hot[f]));
        }
        int[][] neighbours = new int[n][];
        for (int i = 0; i < n; i++)
            neighbours[i] =
                    Arrays.stream(geo.nbr[uo[i]]).map(q -> unitId[q] - 1).sorted().toArray();

        DemoGrids.Plan plan =
                DemoGrids.plan(
                        geo, communities, order, facesOf, specials, unitId, p.householdsPerGrid());
        Polygon sub = (Polygon) geo.union(IntStream.range(0, n).boxed().toList());
        Polygon district = (Polygon) sub.buffer(DISTRICT_BUFFER_M, 8);
        DemoRoads.Network roads = DemoRoads.build(geo, commId, communities);
        return new DemoData(
                sub,
                district,
                List.copyOf(communities),
                List.copyOf(units),
                neighbours,
                plan.grids(),
                plan.gridOfUnit(),
                roads.vertices(),
                roads.edges(),
                List.copyOf(DemoStaff.make(plan.grids(), communities, site.index() == 1, rnd)));
    }
}
