package org.gridgov.grid;

import static org.gridgov.grid.ImportStaging.query;
import static org.gridgov.grid.ImportStaging.update;
import static org.gridgov.grid.ImportStaging.valid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.area.LandUse;
import org.gridgov.job.Jobs;

/**
 * Import of the base-unit set (kind=units): the file holds every current unit, matched to the
 * stored ones by code. Properties: code (required), community (12-digit community code; when
 * absent, the community holding the unit's representative point), households, population
 * (non-negative integers; 0 with a warning when absent), land_use (RESIDENTIAL when absent),
 * address (text, optional).
 *
 * <p>Errors block the commit: bad or multi-part geometry, missing CRS, units outside the
 * subdistrict, duplicate codes, a missing code, bad attribute values, an unknown community, units
 * outside their community or crossing its line (over 1 m²), overlaps between units (over 1 m²).
 * Gaps (parts of the communities no unit covers) are warnings.
 *
 * <p>The commit (one transaction) updates matched units in place, inserts new ones and retires the
 * stored units the file no longer holds. Plans refer to units, so: the plan in effect is never
 * touched (routing keeps using its grids until a new plan is adopted); retired units leave the
 * drafts; and a new draft "…(单元更新)" is fitted from the plan in effect — every current unit goes to
 * the grid of its community that held it (or its representative point) — for the planners to check,
 * rebalance and adopt. See {@link BaseAreaCommit}.
 */
final class UnitImport {

    private static final String LAND_USES = LandUse.sqlList();

    // the community a staged unit names, or else the one holding its representative point
    static final String UNIT_COMMUNITY =
            """
            SELECT f.seq, f.code, f.geom, f.props,
                   coalesce(named.id, located.id) AS community_id, f.props -> 'community' IS NOT NULL AS named
            FROM import_feature f
            LEFT JOIN community named ON named.code = f.props ->> 'community'
            LEFT JOIN LATERAL (SELECT c.id FROM community c WHERE c.geom && f.geom
                               AND ST_Intersects(c.geom, ST_PointOnSurface(f.geom)) ORDER BY c.id LIMIT 1) located
                   ON f.props -> 'community' IS NULL
            WHERE f.job_id = ? AND %s"""
                    .formatted(valid("f"));

    private UnitImport() {}

    /** Converts, stages and checks; the report is the job's result. */
    static ObjectNode stage(Jobs.Context jc, ImportInput input, int srs, int planarSrid)
            throws Exception {
        return ImportStaging.stage(
                jc,
                input,
                srs,
                new ImportStaging.Report(jc.id(), "units", planarSrid),
                (c, job, r) -> {
                    ImportStaging.checkShared(c, job, r, true);
                    check(c, job, r);
                    if (r.valid()) r.json.set("changes", BaseAreaCommit.unitChanges(c, job));
                });
    }

    private static void check(Connection c, UUID job, ImportStaging.Report r) throws SQLException {
        query(
                c,
                """
                SELECT seq, ST_NumGeometries(geom), ST_AsGeoJSON(geom, 7) FROM import_feature
                WHERE job_id = ? AND GeometryType(geom) = 'MULTIPOLYGON' AND ST_NumGeometries(geom) > 1 ORDER BY seq""",
                job,
                rs ->
                        r.error(
                                "not-a-polygon",
                                "feature "
                                        + rs.getInt(1)
                                        + " has "
                                        + rs.getInt(2)
                                        + " parts; a base unit is one polygon",
                                rs.getString(3)));
        query(
                c,
                "SELECT seq FROM import_feature WHERE job_id = ? AND code IS NULL ORDER BY seq",
                job,
                rs ->
                        r.error(
                                "missing-attribute",
                                "feature " + rs.getInt(1) + " has no 'code'",
                                null));
        for (String a : new String[] {"households", "population"}) {
            query(
                    c,
                    """
                    SELECT seq, props ->> '%1$s' FROM import_feature WHERE job_id = ? AND props -> '%1$s' IS NOT NULL
                      AND NOT (props ->> '%1$s' ~ '^[0-9]{1,9}(\\.0+)?$') ORDER BY seq"""
                            .formatted(a),
                    job,
                    rs ->
                            r.error(
                                    "bad-attribute",
                                    "feature "
                                            + rs.getInt(1)
                                            + ": '"
                                            + a
                                            + "' must be a non-negative integer, not '"
                                            + rs.getString(2)
                                            + "'",
                                    null));
            query(
                    c,
                    "SELECT count(*), min(seq) FROM import_feature WHERE job_id = ? AND props -> '%s' IS NULL HAVING count(*) > 0"
                            .formatted(a),
                    job,
                    rs ->
                            r.warning(
                                    "missing-attribute",
                                    rs.getInt(1)
                                            + " feature(s) (the first: "
                                            + rs.getInt(2)
                                            + ") have no '"
                                            + a
                                            + "'; counted as 0",
                                    null));
        }
        query(
                c,
                """
                SELECT seq, props ->> 'land_use' FROM import_feature WHERE job_id = ? AND props -> 'land_use' IS NOT NULL
                  AND upper(props ->> 'land_use') NOT IN (%s) ORDER BY seq"""
                        .formatted(LAND_USES),
                job,
                rs ->
                        r.error(
                                "bad-attribute",
                                "feature "
                                        + rs.getInt(1)
                                        + ": 'land_use' '"
                                        + rs.getString(2)
                                        + "' is none of RESIDENTIAL, COMMERCIAL, INDUSTRIAL, VILLAGE, PUBLIC, OPEN",
                                null));
        query(
                c,
                """
                SELECT f.seq, f.props ->> 'community' FROM import_feature f WHERE f.job_id = ? AND f.props -> 'community' IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM community c WHERE c.code = f.props ->> 'community') ORDER BY f.seq""",
                job,
                rs ->
                        r.error(
                                "unknown-community",
                                "feature "
                                        + rs.getInt(1)
                                        + " names community "
                                        + rs.getString(2)
                                        + ", which does not exist",
                                null));
        query(
                c,
                ("""
                WITH u AS (%s)
                SELECT u.seq, u.code, u.named, c.code, ST_Intersects(c.geom, ST_PointOnSurface(u.geom)),
                       ST_Area(%s), ST_AsGeoJSON(u.geom, 7)
                FROM u LEFT JOIN community c ON c.id = u.community_id ORDER BY u.seq""")
                        .formatted(UNIT_COMMUNITY, r.planar("ST_Difference(u.geom, c.geom)")),
                job,
                rs -> {
                    String unit =
                            "feature "
                                    + rs.getInt(1)
                                    + (rs.getString(2) == null ? "" : " (" + rs.getString(2) + ")");
                    if (rs.getString(4) == null) {
                        if (!rs.getBoolean(3))
                            r.error(
                                    "unit-outside-community",
                                    unit + " lies in no community",
                                    rs.getString(7));
                    } else if (!rs.getBoolean(5)) {
                        r.error(
                                "unit-outside-community",
                                unit + " lies outside its community " + rs.getString(4),
                                rs.getString(7));
                    } else if (rs.getDouble(6) > 1.0) {
                        r.error(
                                "crosses-community",
                                String.format(
                                        "%s crosses the line of community %s: %.0f m² lie outside it",
                                        unit, rs.getString(4), rs.getDouble(6)),
                                rs.getString(7));
                    }
                });
        ImportStaging.checkGaps(
                c, job, r, "SELECT ST_Union(geom) AS g FROM community", "parts of the communities");
    }

    /** Applies a clean import (see the class comment); dryRun rolls it back. */
    static ObjectNode commit(DataSource ds, UUID job, String name, boolean dryRun)
            throws SQLException {
        return ImportStaging.commit(
                ds,
                job,
                dryRun,
                c -> {
                    BaseAreaCommit.requireStaged(c, job);
                    update(c, "LOCK TABLE base_unit IN SHARE ROW EXCLUSIVE MODE", ps -> {});
                    ObjectNode out = Responses.JSON.createObjectNode();
                    out.put("kind", "units");
                    out.put("dryRun", dryRun);
                    out.setAll(BaseAreaCommit.unitChanges(c, job));
                    String staged =
                            """
                    WITH u AS (%s)
                    SELECT u.code, u.community_id,
                           coalesce(upper(u.props ->> 'land_use'), 'RESIDENTIAL') AS land_use,
                           coalesce((u.props ->> 'households')::numeric::int, 0) AS households,
                           coalesce((u.props ->> 'population')::numeric::int, 0) AS population,
                           nullif(btrim(u.props ->> 'address'), '') AS address,
                           u.geom FROM u"""
                                    .formatted(UNIT_COMMUNITY);
                    java.util.Set<Long> changed = new java.util.HashSet<>();
                    query(
                            c,
                            """
                    UPDATE base_unit b SET community_id = s.community_id, land_use = s.land_use, households = s.households,
                                           population = s.population, address = s.address, retired_at = NULL,
                                           -- the stored shape stays unless it really changed (no churn from rounding)
                                           geom = CASE WHEN %2$s THEN b.geom ELSE ST_GeometryN(ST_Multi(s.geom), 1) END
                    FROM (%1$s) s
                    WHERE b.code = s.code AND (b.retired_at IS NOT NULL OR b.community_id <> s.community_id OR b.land_use <> s.land_use
                          OR b.households <> s.households OR b.population <> s.population
                          OR b.address IS DISTINCT FROM s.address OR NOT %2$s)
                    RETURNING b.id"""
                                    .formatted(staged, ImportStaging.sameShape("b.geom", "s.geom")),
                            ps -> ps.setObject(1, job),
                            rs -> changed.add(rs.getLong(1)));
                    update(
                            c,
                            """
                    INSERT INTO base_unit (id, community_id, code, land_use, households, population, address, geom)
                    SELECT (SELECT coalesce(max(id), 0) FROM base_unit) + row_number() OVER (ORDER BY s.code),
                           s.community_id, s.code, s.land_use, s.households, s.population, s.address,
                           ST_GeometryN(ST_Multi(s.geom), 1)
                    FROM (%s) s WHERE NOT EXISTS (SELECT 1 FROM base_unit b WHERE b.code = s.code)"""
                                    .formatted(staged),
                            ps -> ps.setObject(1, job));
                    query(
                            c,
                            """
                    UPDATE base_unit b SET retired_at = now()
                    WHERE b.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM import_feature f WHERE f.job_id = ? AND f.code = b.code)
                    RETURNING b.id""",
                            job,
                            rs -> changed.add(rs.getLong(1)));
                    BaseAreaCommit.followUp(c, name, changed, out);
                    ImportStaging.drop(c, job);
                    return out;
                });
    }

    static ProblemException notStaged(UUID job) {
        return new ProblemException(
                Problem.of(
                        409,
                        "nothing-to-commit",
                        "Nothing to commit",
                        "import " + job + " was committed already or holds no features",
                        null));
    }
}
