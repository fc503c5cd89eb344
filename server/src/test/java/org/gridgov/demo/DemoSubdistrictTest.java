package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.RoadEdge;
import org.gridgov.demo.DemoData.Staff;
import org.gridgov.demo.DemoData.Unit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.CoverageUnion;

class DemoSubdistrictTest {

    static DemoParams params;
    static DemoData data;

    @BeforeAll
    static void generate() {
        params = DemoParams.small();
        data = DemoSubdistrict.generate(params);
    }

    @Test
    void unitsTileTheSubdistrictWithoutGapsOrHoles() {
        double sum = 0;
        Polygon[] ps = new Polygon[data.units().size()];
        for (int i = 0; i < ps.length; i++) {
            Unit u = data.units().get(i);
            assertTrue(u.geom().isValid(), "unit " + u.id() + " valid");
            assertEquals(0, u.geom().getNumInteriorRing());
            sum += u.geom().getArea();
            ps[i] = u.geom();
        }
        double area = data.subdistrict().getArea();
        assertEquals(area, sum, area * 1e-6, "sum of unit areas = subdistrict area");
        assertEquals(30e6, area, 30e6 * 0.01, "about 30 km2");
        Geometry union = CoverageUnion.union(DemoSubdistrict.GF.createMultiPolygon(ps));
        assertTrue(union instanceof Polygon, "the units form one piece");
        assertEquals(0, ((Polygon) union).getNumInteriorRing(), "no holes");
        assertTrue(
                union.equalsExact(data.subdistrict().norm())
                        || Math.abs(union.getArea() - area) < 1e-6 * area);
        assertTrue(data.subdistrict().isValid());
        assertTrue(data.district().isValid());
        assertTrue(data.district().contains(data.subdistrict()));
    }

    @Test
    void communitiesAreContiguousUnionsOfTheirUnits() {
        assertEquals(params.communities(), data.communities().size());
        double total = 0;
        for (Community c : data.communities()) {
            assertTrue(c.code().matches("330108001\\d{3}"), c.code());
            assertTrue(
                    c.name().endsWith(c.kind() == DemoData.CommunityKind.URBAN ? "社区" : "村"),
                    c.name());
            assertTrue(c.geom().isValid());
            assertTrue(c.geom() instanceof Polygon, c.name() + " is one piece");
            double units = 0;
            Set<Integer> members = new HashSet<>();
            for (Unit u : data.units()) {
                if (u.communityId() == c.id()) {
                    units += u.geom().getArea();
                    members.add((int) u.id() - 1);
                }
            }
            assertEquals(c.geom().getArea(), units, c.geom().getArea() * 1e-6);
            assertTrue(connected(members), c.name() + " contiguous by shared edges");
            total += c.geom().getArea();
        }
        assertEquals(data.subdistrict().getArea(), total, total * 1e-6);
    }

    @Test
    void gridsAreContiguousWithinOneCommunityAndCoverEveryUnitOnce() {
        int[] seen = new int[data.units().size()];
        Set<String> codes = new HashSet<>();
        for (Grid g : data.grids()) {
            assertTrue(
                    g.code().matches("\\d{15}")
                            && g.code().startsWith(data.community(g.communityId()).code()),
                    g.code());
            assertTrue(codes.add(g.code()));
            Set<Integer> members = new HashSet<>();
            for (long id : g.unitIds()) {
                Unit u = data.units().get((int) id - 1);
                assertEquals(
                        g.communityId(),
                        u.communityId(),
                        "grid " + g.code() + " stays in its community");
                assertEquals(g.id(), data.gridOfUnit()[(int) id - 1]);
                members.add((int) id - 1);
                seen[(int) id - 1]++;
            }
            assertTrue(connected(members), "grid " + g.name() + " contiguous");
        }
        for (int s : seen) assertEquals(1, s);
        long special = data.grids().stream().filter(g -> g.kind().equals("SPECIAL")).count();
        assertTrue(special >= 2 && special <= 3, "2–3 special grids");
    }

    @Test
    void householdsAreNearTheTarget() {
        int target = params.householdsPerGrid();
        double expected = DemoSubdistrict.HOUSEHOLDS_PER_6000_UNITS * params.units() / 6000.0;
        assertEquals(expected, data.totalHouseholds(), expected * 0.05);
        for (Grid g : data.grids()) {
            if (!g.kind().equals("BASIC")) continue;
            int communityHouseholds =
                    data.units().stream()
                            .filter(u -> u.communityId() == g.communityId())
                            .mapToInt(Unit::households)
                            .sum();
            if (communityHouseholds < target) continue; // a small village is one grid
            assertTrue(
                    g.households() >= target * 0.6 && g.households() <= target * 1.5,
                    g.name() + " has " + g.households() + " households");
        }
        for (Unit u : data.units()) {
            assertTrue(
                    u.population() >= Math.round(u.households() * 2.3)
                            && u.population() <= Math.round(u.households() * 3.0));
        }
    }

    @Test
    void roadNetworkIsOneConnectedComponentTouchingEveryUnit() {
        int nv = data.roadVertices().size();
        int[] parent = new int[nv + 1];
        for (int i = 0; i <= nv; i++) parent[i] = i;
        Set<String> classes = new HashSet<>();
        for (RoadEdge e : data.roadEdges()) {
            assertTrue(e.lengthM() > 0 && e.cost() > 0);
            classes.add(e.roadClass());
            parent[find(parent, (int) e.source())] = find(parent, (int) e.target());
        }
        int root = find(parent, 1);
        for (int v = 1; v <= nv; v++)
            assertEquals(root, find(parent, v), "vertex " + v + " connected");
        assertEquals(Set.of("MAIN", "STREET", "LANE"), classes);
        Set<Long> vertexKeys = new HashSet<>();
        data.roadVertices().forEach(v -> vertexKeys.add(DemoGeography.key(v.coordinate())));
        for (Unit u : data.units()) {
            boolean touches = false;
            for (var c : u.geom().getExteriorRing().getCoordinates())
                touches |= vertexKeys.contains(DemoGeography.key(c));
            assertTrue(touches, "unit " + u.id() + " touches the road network");
        }
    }

    @Test
    void staffCoversEveryGridCommunityAndPlatform() {
        List<Staff> staff = data.staff();
        for (Grid g : data.grids()) {
            long ft =
                    staff.stream()
                            .filter(
                                    s ->
                                            s.role().equals("GRID_WORKER")
                                                    && s.employment().equals("FULL_TIME")
                                                    && g.id() == s.gridId())
                            .count();
            assertEquals(1, ft, g.name());
            Staff w = staff.get((int) g.workerId() - 1);
            assertEquals(g.id(), w.gridId());
        }
        for (Community c : data.communities()) {
            assertEquals(
                    1,
                    staff.stream()
                            .filter(
                                    s ->
                                            s.role().equals("GRID_LEADER")
                                                    && c.id() == s.communityId())
                            .count());
        }
        for (String pf : org.gridgov.category.Platforms.CODES) {
            long h =
                    staff.stream()
                            .filter(
                                    s ->
                                            s.role().equals("PLATFORM_HANDLER")
                                                    && pf.equals(s.platform()))
                            .count();
            assertTrue(h >= 3 && h <= 5);
        }
        assertEquals(
                staff.size(), staff.stream().map(Staff::phone).distinct().count(), "phones unique");
        for (int i = 0; i < staff.size(); i++) assertEquals(i + 1, staff.get(i).id());
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        DemoData again = DemoSubdistrict.generate(params);
        assertEquals(data.fingerprint(), again.fingerprint());
        DemoParams other =
                new DemoParams(
                        params.seed() + 1,
                        params.incidents(),
                        params.householdsPerGrid(),
                        params.units(),
                        params.communities());
        assertNotEquals(data.fingerprint(), DemoSubdistrict.generate(other).fingerprint());
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) v = parent[v] = parent[parent[v]];
        return v;
    }

    private static boolean connected(Set<Integer> members) {
        if (members.isEmpty()) return false;
        int start = members.iterator().next();
        Set<Integer> seen = new HashSet<>(List.of(start));
        ArrayDeque<Integer> q = new ArrayDeque<>(List.of(start));
        while (!q.isEmpty()) {
            int f = q.poll();
            for (int g : data.neighbours()[f]) if (members.contains(g) && seen.add(g)) q.add(g);
        }
        return seen.size() == members.size();
    }
}
