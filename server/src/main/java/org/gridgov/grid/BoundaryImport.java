package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.update;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.job.Jobs;

/**
 * Import of the boundary (kind=boundary), the first step of onboarding an area: one polygon feature
 * for the subdistrict (街道) and, optionally, one for the district service area around it (reports
 * there are taken and passed on). Properties: code and name (required), level (SUBDISTRICT, the
 * default, or DISTRICT). The file holds the whole boundary: the commit replaces the stored
 * jurisdictions, a district the file lacks included.
 *
 * <p>Errors: bad geometry (repaired with a warning when the repair keeps the shape), coordinates
 * that are no longitude/latitude, a missing code or name, no subdistrict or a level twice, a
 * district that does not cover the subdistrict. Warning: stored communities that would lie (partly)
 * outside the new subdistrict, each with the part outside.
 */
final class BoundaryImport {

    private static final String LEVEL = "upper(coalesce(props ->> 'level', 'SUBDISTRICT'))";

    private BoundaryImport() {}

    static ObjectNode stage(Jobs.Context jc, ImportInput input, int srs, int planarSrid)
            throws Exception {
        return ImportStaging.stage(
                jc,
                input,
                srs,
                new ImportStaging.Report(jc.id(), "boundary", planarSrid),
                (c, job, r) -> {
                    ImportStaging.checkPolygons(c, job, r);
                    // the boundary defines the area: only the coordinate range is checked
                    ImportStaging.checkOutside(c, job, r, "NULL");
                    ImportStaging.checkDuplicates(c, job, r);
                    check(c, job, r);
                });
    }

    private static void check(Connection c, UUID job, ImportStaging.Report r) throws SQLException {
        int[] subdistricts = {0}, districts = {0};
        query(
                c,
                ("SELECT seq, code, name, %s, ST_AsGeoJSON(ST_Centroid(ST_Envelope(geom)), 7)"
                                + " FROM import_feature WHERE job_id = ? ORDER BY seq")
                        .formatted(LEVEL),
                job,
                rs -> {
                    String f = "feature " + rs.getInt(1);
                    if (rs.getString(2) == null)
                        r.error("missing-attribute", f + " has no 'code'", rs.getString(5));
                    if (rs.getString(3) == null)
                        r.error("missing-attribute", f + " has no 'name'", rs.getString(5));
                    switch (rs.getString(4)) {
                        case "SUBDISTRICT" -> subdistricts[0]++;
                        case "DISTRICT" -> districts[0]++;
                        default ->
                                r.error(
                                        "bad-attribute",
                                        f
                                                + ": 'level' must be SUBDISTRICT or DISTRICT, not '"
                                                + rs.getString(4)
                                                + "'",
                                        rs.getString(5));
                    }
                });
        if (subdistricts[0] != 1)
            r.error(
                    "subdistrict-count",
                    "the file holds "
                            + subdistricts[0]
                            + " subdistrict features; it must hold exactly one (dissolve its parts"
                            + " into one feature, level SUBDISTRICT or none)",
                    null);
        if (districts[0] > 1)
            r.error(
                    "district-count",
                    "the file holds " + districts[0] + " district features; at most one",
                    null);
        String valid = ImportStaging.valid("s") + " AND " + ImportStaging.valid("d");
        query(
                c,
                ("""
                SELECT ST_Area(%s), ST_AsGeoJSON(ST_Difference(s.geom, d.geom), 7)
                FROM import_feature s JOIN import_feature d ON d.job_id = s.job_id
                WHERE s.job_id = ? AND %s AND upper(coalesce(s.props ->> 'level', 'SUBDISTRICT')) = 'SUBDISTRICT'
                  AND upper(d.props ->> 'level') = 'DISTRICT'""")
                        .formatted(r.planar("ST_Difference(s.geom, d.geom)"), valid),
                job,
                rs -> {
                    if (rs.getDouble(1) > 1.0)
                        r.error(
                                "subdistrict-outside-district",
                                String.format(
                                        java.util.Locale.ROOT,
                                        "%.0f m² of the subdistrict lie outside the district",
                                        rs.getDouble(1)),
                                rs.getString(2));
                });
        query(
                c,
                ("""
                SELECT cm.code, cm.name, ST_Area(%s), ST_AsGeoJSON(ST_Difference(cm.geom, s.geom), 7)
                FROM community cm, import_feature s
                WHERE s.job_id = ? AND %s AND upper(coalesce(s.props ->> 'level', 'SUBDISTRICT')) = 'SUBDISTRICT'
                  AND NOT ST_CoveredBy(cm.geom, s.geom) ORDER BY cm.code""")
                        .formatted(
                                r.planar("ST_Difference(cm.geom, s.geom)"),
                                ImportStaging.valid("s")),
                job,
                rs -> {
                    if (rs.getDouble(3) > 1.0)
                        r.warning(
                                "community-outside-area",
                                String.format(
                                        java.util.Locale.ROOT,
                                        "community %s %s would lie %.0f m² outside the subdistrict",
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getDouble(3)),
                                rs.getString(4));
                });
        ObjectNode changes = r.json.putObject("changes");
        query(
                c,
                ("""
                SELECT l.level, CASE WHEN j.id IS NULL THEN 'added'
                                     WHEN f.seq IS NULL THEN 'removed'
                                     WHEN j.code = f.code AND j.name = f.name AND %s THEN 'unchanged'
                                     ELSE 'changed' END
                FROM (VALUES ('SUBDISTRICT'), ('DISTRICT')) l(level)
                LEFT JOIN jurisdiction j ON j.kind = l.level
                LEFT JOIN import_feature f ON f.job_id = ? AND %s = l.level
                WHERE j.id IS NOT NULL OR f.seq IS NOT NULL""")
                        .formatted(
                                ImportStaging.sameShape("j.geom", "f.geom"),
                                "upper(coalesce(f.props ->> 'level', 'SUBDISTRICT'))"),
                job,
                rs -> changes.put(rs.getString(1).toLowerCase(), rs.getString(2)));
    }

    /** Replaces the stored jurisdictions with the file's; dryRun rolls it back. */
    static ObjectNode commit(DataSource ds, UUID job, boolean dryRun) throws SQLException {
        return ImportStaging.commit(
                ds,
                job,
                dryRun,
                c -> {
                    BaseAreaCommit.requireStaged(c, job);
                    update(c, "LOCK TABLE jurisdiction IN SHARE ROW EXCLUSIVE MODE", ps -> {});
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("kind", "boundary");
                    out.put("dryRun", dryRun);
                    out.put(
                            "removed",
                            update(
                                    c,
                                    ("DELETE FROM jurisdiction j WHERE NOT EXISTS (SELECT 1 FROM"
                                                    + " import_feature f WHERE f.job_id = ? AND %s ="
                                                    + " j.kind)")
                                            .formatted(LEVEL),
                                    ps -> ps.setObject(1, job)));
                    out.put(
                            "changed",
                            update(
                                    c,
                                    ("""
                    UPDATE jurisdiction j SET code = f.code, name = f.name, geom = ST_Multi(f.geom)
                    FROM import_feature f WHERE f.job_id = ? AND %s = j.kind""")
                                            .formatted(LEVEL),
                                    ps -> ps.setObject(1, job)));
                    out.put(
                            "added",
                            update(
                                    c,
                                    ("""
                    INSERT INTO jurisdiction (id, kind, code, name, geom)
                    SELECT (SELECT coalesce(max(id), 0) FROM jurisdiction) + row_number() OVER (ORDER BY f.seq),
                           %1$s, f.code, f.name, ST_Multi(f.geom)
                    FROM import_feature f
                    WHERE f.job_id = ? AND NOT EXISTS (SELECT 1 FROM jurisdiction j WHERE j.kind = %1$s)""")
                                            .formatted(LEVEL.replace("props", "f.props")),
                                    ps -> ps.setObject(1, job)));
                    ImportStaging.drop(c, job);
                    return out;
                });
    }
}
