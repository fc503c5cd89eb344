package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.job.Jobs;

/**
 * Import of the road network (kind=roads): line features, each part of a multi-line an edge from
 * its first point to its last; edges meet where their end points agree within about 1 cm (1e-7°).
 * Properties: road_class (or class) MAIN, STREET or LANE (STREET when absent, with a warning),
 * oneway (yes/no, true/false, 1/0; no when absent). Travel time is the length at the class's speed
 * (MAIN 40, STREET 25, LANE 15 km/h), as in the demo network. The file holds the whole network: the
 * commit replaces the stored one (roads are measured per unit for the workload, and patrol routing
 * reads them at start).
 *
 * <p>Errors: features that are no lines, invalid or zero-length lines, lines outside the
 * subdistrict and district, bad road_class or oneway. Warning: a network in several pieces, with
 * the smaller pieces' lines.
 */
final class RoadImport {

    private static final String CLASS =
            "upper(coalesce(props ->> 'road_class', props ->> 'class', 'STREET'))";
    private static final String ONEWAY =
            "lower(coalesce(props ->> 'oneway', 'no')) IN ('yes', 'true', '1', 't', 'y')";
    private static final String ONEWAY_KNOWN =
            "lower(coalesce(props ->> 'oneway', 'no')) IN ('yes', 'true', '1', 't', 'y', 'no',"
                    + " 'false', '0', 'f', 'n')";
    // the staged lines' parts (part), and their end points (side 0 first, 1 last) clustered
    // within 1e-7° (k): end points closer than that are one vertex, whatever grid they straddle
    private static final String PARTS =
            """
            WITH parts AS (
                SELECT row_number() OVER (ORDER BY f.seq, d.path) AS part, f.seq, d.geom,
                       %s AS road_class, %s AS oneway
                FROM import_feature f, ST_Dump(ST_Force2D(f.geom)) d
                WHERE f.job_id = ? AND GeometryType(f.geom) IN ('LINESTRING', 'MULTILINESTRING')),
            ends AS (SELECT part, 0 AS side, ST_StartPoint(geom) AS p FROM parts
                     UNION ALL SELECT part, 1, ST_EndPoint(geom) FROM parts),
            cl AS (SELECT part, side, p, ST_ClusterDBSCAN(p, 1e-7, 1) OVER () AS k FROM ends),
            edges AS (SELECT parts.*, a.k AS ka, b.k AS kb FROM parts
                      JOIN cl a ON a.part = parts.part AND a.side = 0
                      JOIN cl b ON b.part = parts.part AND b.side = 1)"""
                    .formatted(
                            CLASS.replace("props", "f.props"), ONEWAY.replace("props", "f.props"));

    private RoadImport() {}

    static ObjectNode stage(Jobs.Context jc, ImportInput input, int srs, int planarSrid)
            throws Exception {
        return ImportStaging.stage(
                jc,
                input,
                srs,
                new ImportStaging.Report(jc.id(), "roads", planarSrid),
                (c, job, r) -> {
                    check(c, job, r);
                    ImportStaging.checkOutside(c, job, r, "'SUBDISTRICT', 'DISTRICT'");
                    if (r.valid()) network(c, job, r);
                });
    }

    private static void check(Connection c, UUID job, ImportStaging.Report r) throws SQLException {
        query(
                c,
                ("""
                SELECT seq, CASE WHEN geom IS NULL THEN 'no geometry' ELSE GeometryType(geom) END,
                       geom IS NOT NULL AND ST_IsValid(geom) AND ST_Length(geom) > 0,
                       %s, %s, ST_AsGeoJSON(ST_Centroid(ST_Envelope(geom)), 7), props ->> 'oneway'
                FROM import_feature WHERE job_id = ? ORDER BY seq""")
                        .formatted(CLASS, ONEWAY_KNOWN),
                job,
                rs -> {
                    String f = "feature " + rs.getInt(1);
                    String type = rs.getString(2);
                    if (!type.equals("LINESTRING") && !type.equals("MULTILINESTRING")) {
                        r.error(
                                "not-a-line",
                                f + " is a " + type.toLowerCase() + ", not a line",
                                rs.getString(6));
                        return;
                    }
                    if (!rs.getBoolean(3))
                        r.error(
                                "invalid-geometry",
                                f + " is an invalid or zero-length line",
                                rs.getString(6));
                    if (!java.util.Set.of("MAIN", "STREET", "LANE").contains(rs.getString(4)))
                        r.error(
                                "bad-attribute",
                                f
                                        + ": 'road_class' must be MAIN, STREET or LANE, not '"
                                        + rs.getString(4)
                                        + "'",
                                rs.getString(6));
                    if (!rs.getBoolean(5))
                        r.error(
                                "bad-attribute",
                                f + ": 'oneway' must be yes or no, not '" + rs.getString(7) + "'",
                                rs.getString(6));
                });
        query(
                c,
                """
                SELECT count(*), min(seq) FROM import_feature WHERE job_id = ?
                  AND props -> 'road_class' IS NULL AND props -> 'class' IS NULL HAVING count(*) > 0""",
                job,
                rs ->
                        r.warning(
                                "missing-attribute",
                                rs.getInt(1)
                                        + " feature(s) (the first: "
                                        + rs.getInt(2)
                                        + ") have no 'road_class'; taken as STREET",
                                null));
    }

    /** Edges, vertices and connected pieces of the staged network (union-find over end points). */
    private static void network(Connection c, UUID job, ImportStaging.Report r)
            throws SQLException {
        Map<String, Integer> vertex = new HashMap<>();
        java.util.List<int[]> edges = new java.util.ArrayList<>();
        java.util.List<Integer> seqs = new java.util.ArrayList<>();
        query(
                c,
                PARTS + " SELECT seq, ka, kb FROM edges",
                job,
                rs -> {
                    int a = vertex.computeIfAbsent(rs.getString(2), k -> vertex.size());
                    int b = vertex.computeIfAbsent(rs.getString(3), k -> vertex.size());
                    edges.add(new int[] {a, b});
                    seqs.add(rs.getInt(1));
                });
        int[] parent = new int[vertex.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int[] e : edges) parent[find(parent, e[0])] = find(parent, e[1]);
        Map<Integer, Integer> size = new HashMap<>();
        for (int v = 0; v < parent.length; v++) size.merge(find(parent, v), 1, Integer::sum);
        ObjectNode n = r.json.putObject("changes");
        n.put("edges", edges.size());
        n.put("vertices", vertex.size());
        n.put("pieces", size.size());
        if (size.size() > 1) {
            int largest =
                    size.entrySet().stream()
                            .max(Map.Entry.comparingByValue())
                            .orElseThrow()
                            .getKey();
            java.util.TreeSet<Integer> stray = new java.util.TreeSet<>();
            for (int i = 0; i < edges.size(); i++)
                if (find(parent, edges.get(i)[0]) != largest) stray.add(seqs.get(i));
            String[] where = {null};
            query(
                    c,
                    "SELECT ST_AsGeoJSON(ST_Collect(geom), 7) FROM import_feature WHERE job_id = ?"
                            + " AND seq = ANY (?)",
                    ps -> {
                        ps.setObject(1, job);
                        ps.setArray(2, c.createArrayOf("integer", stray.toArray()));
                    },
                    rs -> where[0] = rs.getString(1));
            r.warning(
                    "disconnected",
                    "the network falls into "
                            + size.size()
                            + " pieces; "
                            + stray.size()
                            + " feature(s) (the first: "
                            + stray.first()
                            + ") are not joined to the largest (end points must meet within 1 cm)",
                    where[0]);
        }
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    /** Replaces the stored road network with the file's; dryRun rolls it back. */
    static ObjectNode commit(DataSource ds, UUID job, boolean dryRun) throws SQLException {
        return ImportStaging.commit(
                ds,
                job,
                dryRun,
                c -> {
                    BaseAreaCommit.requireStaged(c, job);
                    update(
                            c,
                            "LOCK TABLE road_edge, road_vertex IN SHARE ROW EXCLUSIVE MODE",
                            ps -> {});
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("kind", "roads");
                    out.put("dryRun", dryRun);
                    out.put("edgesRemoved", update(c, "DELETE FROM road_edge", ps -> {}));
                    update(c, "DELETE FROM road_vertex", ps -> {});
                    // one statement: the edges' foreign keys are checked at its end, when the
                    // vertices are there
                    query(
                            c,
                            PARTS
                                    + """
                    , v AS (INSERT INTO road_vertex (id, geom)
                            SELECT k + 1, (array_agg(p ORDER BY part, side))[1] FROM cl GROUP BY k RETURNING id),
                      e AS (INSERT INTO road_edge (id, source, target, road_class, length_m, cost, reverse_cost, geom)
                            SELECT part, ka + 1, kb + 1, road_class, len, len / s.ms,
                                   CASE WHEN oneway THEN -1 ELSE len / s.ms END, geom
                            FROM (SELECT edges.*, ST_Length(geom::geography) AS len FROM edges) x
                            JOIN (VALUES ('MAIN', 40 / 3.6), ('STREET', 25 / 3.6), ('LANE', 15 / 3.6)) s(cls, ms)
                                 ON s.cls = x.road_class
                            RETURNING id)
                    SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM e)""",
                            job,
                            rs -> {
                                out.put("vertices", rs.getInt(1));
                                out.put("edges", rs.getInt(2));
                            });
                    ImportStaging.drop(c, job);
                    return out;
                });
    }
}
