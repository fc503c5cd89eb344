package org.gridgov.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKBWriter;

/**
 * The generated demo subdistrict as plain Java data, all geometry in planar EPSG:4549 metres on a 1
 * cm precision grid. Ids are the database ids the loader writes (1-based, dense).
 *
 * @param subdistrict the jurisdiction polygon: exactly the union of all units
 * @param district the district service area (the subdistrict buffered by {@link
 *     DemoSubdistrict#DISTRICT_BUFFER_M})
 * @param communities communities in id order
 * @param units base units in id order ({@code units.get(i).id() == i + 1})
 * @param neighbours unit adjacency by shared edge, by unit index (id - 1)
 * @param grids grids of plan 1 in id order
 * @param gridOfUnit grid id of each unit, by unit index
 * @param roadVertices road vertices in id order
 * @param roadEdges road edges in id order
 * @param staff staff in id order
 */
public record DemoData(
        Polygon subdistrict,
        Polygon district,
        List<Community> communities,
        List<Unit> units,
        int[][] neighbours,
        List<Grid> grids,
        long[] gridOfUnit,
        List<RoadVertex> roadVertices,
        List<RoadEdge> roadEdges,
        List<Staff> staff) {

    public enum CommunityKind {
        URBAN,
        VILLAGE
    }

    /** geom is a Polygon (possibly with holes where it surrounds another community). */
    public record Community(long id, String code, String name, CommunityKind kind, Geometry geom) {}

    /** incidentWeight: relative chance that a historical incident happens in this unit. */
    public record Unit(
            long id,
            long communityId,
            String code,
            String landUse,
            int households,
            int population,
            Polygon geom,
            double incidentWeight) {}

    /** kind BASIC or SPECIAL; workerId is the grid's full-time grid worker (staff id). */
    public record Grid(
            long id,
            long communityId,
            String code,
            String name,
            String kind,
            long[] unitIds,
            int households,
            long workerId) {}

    public record RoadVertex(long id, Coordinate coordinate) {}

    /** cost and reverse cost are equal (two-way), in seconds. */
    public record RoadEdge(
            long id,
            long source,
            long target,
            String roadClass,
            double lengthM,
            double cost,
            LineString geom) {}

    /** scopeType GRID / COMMUNITY / PLATFORM / SUBDISTRICT with the matching reference set. */
    public record Staff(
            long id,
            String name,
            String role,
            String employment,
            String scopeType,
            Long gridId,
            Long communityId,
            String platform,
            String phone,
            boolean onDuty) {}

    public int totalHouseholds() {
        int h = 0;
        for (Unit u : units) h += u.households();
        return h;
    }

    /** Ids are dense and ascending from the first one (1, or a later subdistrict's base). */
    public Community community(long id) {
        return communities.get((int) (id - communities.get(0).id()));
    }

    public Grid grid(long id) {
        return grids.get((int) (id - grids.get(0).id()));
    }

    /** The index of unit {@code id} in {@link #units()} (and {@link #gridOfUnit()}). */
    public int unitIndex(long id) {
        return (int) (id - units.get(0).id());
    }

    /**
     * The same data with every id moved up by the given bases (0 keeps them): how a district lays
     * its subdistricts, each generated with ids from 1, one after another in the database.
     *
     * @param district the district polygon in place of this one's
     */
    DemoData shifted(Bases b, Polygon district) {
        List<Community> cs =
                communities.stream()
                        .map(
                                c ->
                                        new Community(
                                                c.id() + b.community(),
                                                c.code(),
                                                c.name(),
                                                c.kind(),
                                                c.geom()))
                        .toList();
        List<Unit> us =
                units.stream()
                        .map(
                                u ->
                                        new Unit(
                                                u.id() + b.unit(),
                                                u.communityId() + b.community(),
                                                u.code(),
                                                u.landUse(),
                                                u.households(),
                                                u.population(),
                                                u.geom(),
                                                u.incidentWeight()))
                        .toList();
        List<Grid> gs =
                grids.stream()
                        .map(
                                g ->
                                        new Grid(
                                                g.id() + b.grid(),
                                                g.communityId() + b.community(),
                                                g.code(),
                                                g.name(),
                                                g.kind(),
                                                java.util.Arrays.stream(g.unitIds())
                                                        .map(u -> u + b.unit())
                                                        .toArray(),
                                                g.households(),
                                                g.workerId() + b.staff()))
                        .toList();
        long[] gou = java.util.Arrays.stream(gridOfUnit).map(g -> g + b.grid()).toArray();
        List<RoadVertex> vs =
                roadVertices.stream()
                        .map(v -> new RoadVertex(v.id() + b.roadVertex(), v.coordinate()))
                        .toList();
        List<RoadEdge> es =
                roadEdges.stream()
                        .map(
                                e ->
                                        new RoadEdge(
                                                e.id() + b.roadEdge(),
                                                e.source() + b.roadVertex(),
                                                e.target() + b.roadVertex(),
                                                e.roadClass(),
                                                e.lengthM(),
                                                e.cost(),
                                                e.geom()))
                        .toList();
        List<Staff> ss =
                staff.stream()
                        .map(
                                s ->
                                        new Staff(
                                                s.id() + b.staff(),
                                                s.name(),
                                                s.role(),
                                                s.employment(),
                                                s.scopeType(),
                                                s.gridId() == null ? null : s.gridId() + b.grid(),
                                                s.communityId() == null
                                                        ? null
                                                        : s.communityId() + b.community(),
                                                s.platform(),
                                                s.phone(),
                                                s.onDuty()))
                        .toList();
        return new DemoData(subdistrict, district, cs, us, neighbours, gs, gou, vs, es, ss);
    }

    /** How many ids of each kind come before a subdistrict's own. */
    record Bases(long community, long unit, long grid, long roadVertex, long roadEdge, long staff) {
        static final Bases NONE = new Bases(0, 0, 0, 0, 0, 0);

        /** The bases of the next subdistrict, after {@code d}'s rows. */
        Bases after(DemoData d) {
            return new Bases(
                    community + d.communities().size(),
                    unit + d.units().size(),
                    grid + d.grids().size(),
                    roadVertex + d.roadVertices().size(),
                    roadEdge + d.roadEdges().size(),
                    staff + d.staff().size());
        }
    }

    /**
     * SHA-256 over every geometry (WKB) and attribute: equal for equal data, the determinism check.
     */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            WKBWriter wkb = new WKBWriter(2);
            md.update(wkb.write(subdistrict));
            md.update(wkb.write(district));
            for (Community c : communities) {
                md.update(
                        (c.id() + c.code() + c.name() + c.kind()).getBytes(StandardCharsets.UTF_8));
                md.update(wkb.write(c.geom()));
            }
            for (Unit u : units) {
                md.update(
                        (u.id()
                                        + "|"
                                        + u.communityId()
                                        + u.code()
                                        + u.landUse()
                                        + u.households()
                                        + "|"
                                        + u.population()
                                        + "|"
                                        + u.incidentWeight())
                                .getBytes(StandardCharsets.UTF_8));
                md.update(wkb.write(u.geom()));
            }
            for (long g : gridOfUnit) md.update(Long.toString(g).getBytes(StandardCharsets.UTF_8));
            for (Grid g : grids)
                md.update(
                        (g.code() + g.name() + g.kind() + g.workerId())
                                .getBytes(StandardCharsets.UTF_8));
            for (RoadEdge e : roadEdges) {
                md.update(
                        (e.source() + "-" + e.target() + e.roadClass())
                                .getBytes(StandardCharsets.UTF_8));
                md.update(wkb.write(e.geom()));
            }
            for (Staff s : staff) md.update(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
