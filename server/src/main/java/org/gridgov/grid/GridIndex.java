package org.gridgov.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Point-to-grid lookup for one plan, or for every subdistrict's plan in effect at once ({@link
 * #union}), in memory. Intake routes every report through here: a PostGIS query per report costs a
 * round trip and a plan; an STR-tree over prepared polygons answers in microseconds (scripts/bench
 * measures both). PostGIS stays the truth: the index is rebuilt from the grid table whenever the
 * plan changes.
 *
 * <p>Tie rule: a point lies in a grid when the grid's polygon <em>covers</em> it (interior or
 * boundary). A point on a boundary shared by several grids goes to the grid with the lowest id. The
 * SQL twin is {@code ST_Covers(geom, point) ORDER BY id LIMIT 1}.
 */
public final class GridIndex {

    private record Entry(long planId, GridCell cell, PreparedGeometry shape, int rank) {}

    /** A grid found for a point, with the plan it belongs to. */
    public record Hit(long planId, GridCell cell) {}

    private static final GeometryFactory WGS84 = new GeometryFactory(new PrecisionModel(), 4326);

    private final long planId;
    private final List<Long> planIds;
    private final List<Entry> entries;
    private final STRtree tree = new STRtree();
    private final int size;

    public GridIndex(long planId, List<GridCell> cells, List<Geometry> shapes) {
        this(List.of(planId), entries(planId, cells, shapes));
    }

    private GridIndex(List<Long> planIds, List<Entry> entries) {
        this.planId = planIds.isEmpty() ? 0 : planIds.get(0);
        this.planIds = List.copyOf(planIds);
        this.entries = entries;
        for (Entry e : entries) tree.insert(e.shape().getGeometry().getEnvelopeInternal(), e);
        tree.build();
        this.size = entries.size();
    }

    private static List<Entry> entries(long planId, List<GridCell> cells, List<Geometry> shapes) {
        List<Entry> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++)
            out.add(
                    new Entry(
                            planId,
                            cells.get(i),
                            PreparedGeometryFactory.prepare(shapes.get(i)),
                            0));
        return out;
    }

    /**
     * One index over several plans (every subdistrict's plan in effect at an instant), given in the
     * order of their subdistricts' codes: the grids of each, their prepared shapes reused. On a
     * boundary two subdistricts share, the grid of the earlier plan wins (the subdistrict with the
     * lowest code, as area/Jurisdictions decides); within a plan, the lowest grid id.
     */
    public static GridIndex union(List<GridIndex> indexes) {
        List<Long> ids = new ArrayList<>();
        List<Entry> all = new ArrayList<>();
        for (int r = 0; r < indexes.size(); r++) {
            GridIndex i = indexes.get(r);
            ids.addAll(i.planIds);
            for (Entry e : i.entries) all.add(new Entry(e.planId(), e.cell(), e.shape(), r));
        }
        return new GridIndex(ids, all);
    }

    /** The plan of a one-plan index; the first plan of a union. */
    public long planId() {
        return planId;
    }

    /** The plans the index covers. */
    public List<Long> planIds() {
        return planIds;
    }

    public int size() {
        return size;
    }

    public Optional<GridCell> locate(double lon, double lat) {
        return find(lon, lat).map(Hit::cell);
    }

    private static boolean before(Entry a, Entry b) {
        return a.rank() != b.rank() ? a.rank() < b.rank() : a.cell().id() < b.cell().id();
    }

    /** The grid covering the point and its plan. */
    public Optional<Hit> find(double lon, double lat) {
        Point p = WGS84.createPoint(new Coordinate(lon, lat));
        Entry best = null;
        for (Object o : tree.query(new Envelope(lon, lon, lat, lat))) {
            Entry e = (Entry) o;
            if ((best == null || before(e, best)) && e.shape().covers(p)) best = e;
        }
        return best == null ? Optional.empty() : Optional.of(new Hit(best.planId(), best.cell()));
    }
}
