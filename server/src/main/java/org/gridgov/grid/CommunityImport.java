package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.update;
import static org.gridgov.grid.ImportStaging.valid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.job.Jobs;

/**
 * Import of the communities (kind=communities): the file holds every community, matched to the
 * stored ones by their 12-digit code. Properties: code, name, kind (URBAN or VILLAGE), all
 * required.
 *
 * <p>Errors: those of every import (geometry, CRS, outside the subdistrict, duplicate codes,
 * overlaps between communities), a missing or malformed attribute, a stored community the file
 * lacks (units, grids, staff and incidents refer to it: communities are renamed or reshaped, not
 * removed), and stored units that would lie in no community or cross a new community line (over 1
 * m²) — fix the units first (kind=units). Warnings: gaps in the subdistrict, and units that change
 * community (their grids would cross the new line).
 *
 * <p>The commit updates matched communities, inserts new ones, moves units to the community holding
 * their representative point, and then treats plans as a unit import does ({@link BaseAreaCommit}).
 */
final class CommunityImport {

    // the stored current units against the staged communities: which one holds each unit's point
    private static final String UNIT_IN =
            """
            SELECT b.id, b.code, b.community_id, b.geom, f.seq, f.code AS community_code, f.geom AS community_geom
            FROM base_unit b
            LEFT JOIN LATERAL (SELECT f.seq, f.code, f.geom FROM import_feature f WHERE f.job_id = ? AND %s
                               AND f.geom && b.geom AND ST_Intersects(f.geom, ST_PointOnSurface(b.geom)) ORDER BY f.seq LIMIT 1) f ON true
            WHERE b.retired_at IS NULL"""
                    .formatted(valid("f"));

    private CommunityImport() {}

    /** Converts, stages and checks; the report is the job's result. */
    static ObjectNode stage(Jobs.Context jc, ImportInput input, int srs, int planarSrid)
            throws Exception {
        return ImportStaging.stage(
                jc,
                input,
                srs,
                new ImportStaging.Report(jc.id(), "communities", planarSrid),
                (c, job, r) -> {
                    ImportStaging.checkShared(c, job, r, true);
                    check(c, job, r);
                });
    }

    private static void check(Connection c, UUID job, ImportStaging.Report r) throws SQLException {
        query(
                c,
                """
                SELECT seq, code, props ->> 'name', upper(props ->> 'kind') FROM import_feature WHERE job_id = ? ORDER BY seq""",
                job,
                rs -> {
                    String f = "feature " + rs.getInt(1);
                    if (rs.getString(2) == null)
                        r.error("missing-attribute", f + " has no 'code'", null);
                    else if (!rs.getString(2).matches("[0-9]{12}"))
                        r.error(
                                "bad-attribute",
                                f
                                        + ": 'code' must be the 12-digit community code, not '"
                                        + rs.getString(2)
                                        + "'",
                                null);
                    if (rs.getString(3) == null || rs.getString(3).isBlank())
                        r.error("missing-attribute", f + " has no 'name'", null);
                    if (rs.getString(4) == null)
                        r.error("missing-attribute", f + " has no 'kind' (URBAN or VILLAGE)", null);
                    else if (!rs.getString(4).equals("URBAN")
                            && !rs.getString(4).equals("VILLAGE")) {
                        r.error(
                                "bad-attribute",
                                f
                                        + ": 'kind' must be URBAN or VILLAGE, not '"
                                        + rs.getString(4)
                                        + "'",
                                null);
                    }
                });
        query(
                c,
                """
                SELECT c.code, c.name FROM community c
                WHERE NOT EXISTS (SELECT 1 FROM import_feature f WHERE f.job_id = ? AND f.code = c.code) ORDER BY c.code""",
                job,
                rs ->
                        r.error(
                                "community-missing",
                                "community "
                                        + rs.getString(1)
                                        + " "
                                        + rs.getString(2)
                                        + " is not in the file; communities that units, grids and cases refer to are not removed",
                                null));
        int[] changing = {0};
        String first[] = {null};
        query(
                c,
                ("""
                WITH u AS (%s)
                SELECT u.code, u.community_code, ST_Area(%s), ST_AsGeoJSON(u.geom, 7), u.community_id, c.code
                FROM u LEFT JOIN community c ON c.id = u.community_id ORDER BY u.id""")
                        .formatted(UNIT_IN, r.planar("ST_Difference(u.geom, u.community_geom)")),
                job,
                rs -> {
                    if (rs.getString(2) == null) {
                        r.error(
                                "unit-outside-community",
                                "unit " + rs.getString(1) + " would lie in no community",
                                rs.getString(4));
                    } else if (rs.getDouble(3) > 1.0) {
                        r.error(
                                "crosses-community",
                                String.format(
                                        "unit %s would cross the line of community %s: %.0f m² lie outside it",
                                        rs.getString(1), rs.getString(2), rs.getDouble(3)),
                                rs.getString(4));
                    } else if (!rs.getString(2).equals(rs.getString(6))) {
                        changing[0]++;
                        if (first[0] == null)
                            first[0] =
                                    rs.getString(1)
                                            + " ("
                                            + rs.getString(6)
                                            + " → "
                                            + rs.getString(2)
                                            + ")";
                    }
                });
        if (changing[0] > 0) {
            r.warning(
                    "units-change-community",
                    changing[0]
                            + " unit(s) would change community, the first "
                            + first[0]
                            + "; the commit's new draft leaves them unassigned for the planners",
                    null);
        }
        ImportStaging.checkGaps(
                c,
                job,
                r,
                "SELECT geom AS g FROM jurisdiction WHERE kind = 'SUBDISTRICT'",
                "parts of the subdistrict");
        r.json.put("unitsChangingCommunity", changing[0]);
    }

    static ObjectNode commit(DataSource ds, UUID job, String name, boolean dryRun)
            throws SQLException {
        return ImportStaging.commit(
                ds,
                job,
                dryRun,
                c -> {
                    BaseAreaCommit.requireStaged(c, job);
                    update(
                            c,
                            "LOCK TABLE community, base_unit IN SHARE ROW EXCLUSIVE MODE",
                            ps -> {});
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("kind", "communities");
                    out.put("dryRun", dryRun);
                    out.put(
                            "communitiesChanged",
                            update(
                                    c,
                                    """
                    UPDATE community c SET name = f.props ->> 'name', kind = upper(f.props ->> 'kind'),
                                           geom = CASE WHEN %1$s THEN c.geom ELSE ST_Multi(f.geom) END
                    FROM import_feature f
                    WHERE f.job_id = ? AND f.code = c.code AND (c.name <> f.props ->> 'name' OR c.kind <> upper(f.props ->> 'kind')
                          OR NOT %1$s)"""
                                            .formatted(ImportStaging.sameShape("c.geom", "f.geom")),
                                    ps -> ps.setObject(1, job)));
                    out.put(
                            "communitiesAdded",
                            update(
                                    c,
                                    """
                    INSERT INTO community (id, code, name, kind, geom)
                    SELECT (SELECT coalesce(max(id), 0) FROM community) + row_number() OVER (ORDER BY f.code),
                           f.code, f.props ->> 'name', upper(f.props ->> 'kind'), ST_Multi(f.geom)
                    FROM import_feature f WHERE f.job_id = ? AND NOT EXISTS (SELECT 1 FROM community c WHERE c.code = f.code)""",
                                    ps -> ps.setObject(1, job)));
                    Set<Long> moved = new HashSet<>();
                    query(
                            c,
                            """
                    UPDATE base_unit b SET community_id = c.id FROM community c
                    WHERE b.retired_at IS NULL AND c.geom && b.geom AND ST_Intersects(c.geom, ST_PointOnSurface(b.geom))
                      AND b.community_id <> c.id
                    RETURNING b.id""",
                            ps -> {},
                            rs -> moved.add(rs.getLong(1)));
                    out.put("unitsChangingCommunity", moved.size());
                    BaseAreaCommit.followUp(c, name, moved, out);
                    ImportStaging.drop(c, job);
                    return out;
                });
    }
}
