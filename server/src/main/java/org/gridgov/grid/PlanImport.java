package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.valid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.job.Jobs;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.UnitGraph;

/**
 * Import of a whole grid plan from GeoJSON, GeoPackage or a zipped Shapefile, in two steps: {@link
 * #stage} converts, reprojects and stages the file ({@link ImportStaging}) and reports every
 * problem (bad geometry, missing or wrong CRS, overlaps, gaps, grids across community lines) before
 * anything is committed; {@link #commit} turns a clean import into a draft plan, each base unit
 * going to the polygon that holds its representative point.
 */
public final class PlanImport {

    private PlanImport() {}

    /** Converts, stages and checks; the report is the job's result. */
    static ObjectNode stage(Jobs.Context jc, ImportInput input, int srs, int planarSrid)
            throws Exception {
        return ImportStaging.stage(
                jc,
                input,
                srs,
                new ImportStaging.Report(jc.id(), "plan", planarSrid),
                (c, job, r) -> {
                    ImportStaging.checkShared(c, job, r, false);
                    check(c, job, r);
                });
    }

    private static void check(java.sql.Connection c, UUID job, ImportStaging.Report r)
            throws SQLException {
        query(
                c,
                ("""
                SELECT count(*), ST_AsGeoJSON(ST_Collect(b.geom), 7) FROM base_unit b
                WHERE b.retired_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM import_feature f WHERE f.job_id = ? AND %s AND f.geom && b.geom
                                  AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom)))
                HAVING count(*) > 0""")
                        .formatted(valid("f")),
                job,
                rs ->
                        r.warning(
                                "gap",
                                rs.getInt(1)
                                        + " base unit(s) lie in no feature (a gap); the draft leaves them unassigned",
                                rs.getString(2)));
        query(
                c,
                ("""
                SELECT f.seq, count(DISTINCT b.community_id) FROM import_feature f
                JOIN base_unit b ON b.retired_at IS NULL AND f.geom && b.geom AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom))
                WHERE f.job_id = ? AND %s GROUP BY f.seq HAVING count(DISTINCT b.community_id) > 1""")
                        .formatted(valid("f")),
                job,
                rs ->
                        r.warning(
                                "crosses-community",
                                "feature "
                                        + rs.getInt(1)
                                        + " holds units of "
                                        + rs.getInt(2)
                                        + " communities",
                                null));
    }

    /**
     * Turns a clean import into a draft plan; returns its id. The staged features are then dropped.
     * dryRun: the same work, rolled back (the id is then of a plan that was not kept).
     */
    static long commit(
            DataSource ds,
            UUID job,
            String name,
            Long subdistrictId,
            UnitGraph graph,
            boolean dryRun)
            throws SQLException {
        return ImportStaging.commit(
                ds,
                job,
                dryRun,
                c -> {
                    List<GridInfo> grids = new ArrayList<>();
                    Map<Integer, Integer> posOfSeq = new HashMap<>();
                    int[] gridOf = new int[graph.size()];
                    Arrays.fill(gridOf, -1);
                    Map<Integer, Map<Long, Integer>> communities = new HashMap<>();
                    Map<Integer, String[]> attrs = new HashMap<>();
                    query(
                            c,
                            "SELECT seq, code, name, kind FROM import_feature WHERE job_id = ? ORDER BY seq",
                            job,
                            rs ->
                                    attrs.put(
                                            rs.getInt(1),
                                            new String[] {
                                                rs.getString(2), rs.getString(3), rs.getString(4)
                                            }));
                    if (attrs.isEmpty())
                        throw new ProblemException(
                                Problem.of(
                                        409,
                                        "nothing-to-commit",
                                        "Nothing to commit",
                                        "import "
                                                + job
                                                + " was committed already or holds no features",
                                        null));
                    List<long[]> pairs = new ArrayList<>();
                    query(
                            c,
                            """
                    SELECT DISTINCT ON (b.id) b.id, f.seq, b.community_id FROM base_unit b
                    JOIN import_feature f ON f.job_id = ? AND f.geom && b.geom AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom))
                    WHERE b.retired_at IS NULL
                    ORDER BY b.id, f.seq""",
                            job,
                            rs -> {
                                pairs.add(new long[] {rs.getLong(1), rs.getInt(2), rs.getLong(3)});
                                communities
                                        .computeIfAbsent(rs.getInt(2), k -> new HashMap<>())
                                        .merge(rs.getLong(3), 1, Integer::sum);
                            });
                    // a plan of one subdistrict holds its units only: 422 naming the others
                    List<Long> covered = new ArrayList<>();
                    for (long[] p : pairs) covered.add(p[0]);
                    PlanStore.requireOwnUnits(
                            c, "the import " + job, subdistrictId, covered, "/subdistrictId");
                    Set<String> codes = new HashSet<>();
                    for (var e : attrs.entrySet()) {
                        Map<Long, Integer> cs = communities.get(e.getKey());
                        if (cs == null) continue; // a feature with no units makes no grid
                        long community =
                                cs.entrySet().stream()
                                        .max(Map.Entry.comparingByValue())
                                        .orElseThrow()
                                        .getKey();
                        String code =
                                e.getValue()[0] != null
                                                && e.getValue()[0].matches("[0-9]{15}")
                                                && codes.add(e.getValue()[0])
                                        ? e.getValue()[0]
                                        : null;
                        posOfSeq.put(e.getKey(), grids.size());
                        grids.add(
                                new GridInfo(
                                        null,
                                        code,
                                        e.getValue()[1],
                                        community,
                                        e.getValue()[2],
                                        null,
                                        null));
                    }
                    for (long[] p : pairs) gridOf[graph.indexOf(p[0])] = posOfSeq.get((int) p[1]);
                    PlanLayout layout = new PlanLayout(grids, gridOf);
                    GridNaming.fillNew(c, layout);
                    long plan = PlanStore.insertDraft(c, name, null, subdistrictId, layout, graph);
                    ImportStaging.drop(c, job);
                    return plan;
                });
    }
}
