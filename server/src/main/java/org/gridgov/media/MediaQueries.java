package org.gridgov.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.incident.Channel;

/**
 * The media table (V19): the rows citing photo files, written in the same transaction as the case
 * event that adds them (REPORTED with the report, MEDIA_ADDED on a case) or reviews them
 * (MEDIA_APPROVED, MEDIA_WITHDRAWN). docs/media.md.
 */
public final class MediaQueries {

    /** One photo as a case cites it, with whether its case is listed publicly. */
    public record Row(
            long id,
            long incidentId,
            Long eventId,
            Long taskId,
            Stage stage,
            String sha256,
            String contentType,
            long bytes,
            int width,
            int height,
            String publicSha256,
            String publicType,
            String thumbSha256,
            String fileName,
            OffsetDateTime takenAt,
            Double takenLon,
            Double takenLat,
            OffsetDateTime uploadedAt,
            Long uploadedBy,
            boolean approved,
            OffsetDateTime reviewedAt,
            Long reviewedBy,
            boolean publicCase) {}

    /** What adding photos to a case wrote: the MEDIA_ADDED event and the rows, in order. */
    public record Added(long eventId, List<Long> ids) {}

    /**
     * The public's rule for a case, as Open311 lists them: reported by the public themselves (a
     * public channel) in a category marked public.
     */
    static final String PUBLIC_CASE =
            "i.channel IN ("
                    + Channel.PUBLIC.stream()
                            .map(ch -> "'" + ch.name() + "'")
                            .collect(Collectors.joining(", "))
                    + ") AND c.public";

    private static final String COLUMNS =
            """
            m.id, m.incident_id, m.event_id, m.task_id, m.stage, m.sha256, m.content_type, m.bytes, m.width,
            m.height, m.public_sha256, m.public_type, m.thumb_sha256, m.file_name, m.taken_at,
            ST_X(m.taken_location), ST_Y(m.taken_location), m.uploaded_at, m.uploaded_by, m.approved,
            m.reviewed_at, m.reviewed_by, (%s)
            """
                    .formatted(PUBLIC_CASE);

    private static final String FROM =
            " FROM media m JOIN incident i ON i.id = m.incident_id"
                    + " JOIN category c ON c.code = i.category";

    private static final String INSERT =
            """
            INSERT INTO media (incident_id, event_id, stage, sha256, content_type, bytes, width, height,
                               public_sha256, public_type, thumb_sha256, file_name, taken_at, taken_location,
                               uploaded_by, task_id, task_check)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    CASE WHEN ?::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(?, ?), 4326) END, ?,
                    ?, ?)
            RETURNING id""";

    private static final String EVENT =
            """
            INSERT INTO incident_event (incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
            VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?::jsonb)
            RETURNING id""";

    private final DataSource ds;

    public MediaQueries(DataSource ds) {
        this.ds = ds;
    }

    /**
     * The rows of photos sent with a report, citing its REPORTED event, on the report's own
     * connection and transaction.
     */
    List<Long> insertReported(Connection c, long incidentId, List<Photo> photos, Long staffId)
            throws SQLException {
        Long eventId = null;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT id FROM incident_event WHERE incident_id = ? AND type = 'REPORTED'"
                                + " ORDER BY id LIMIT 1")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) eventId = rs.getLong(1);
            }
        }
        return insertRows(c, incidentId, eventId, Stage.REPORT, photos, staffId, null, null);
    }

    /**
     * Photos of a field task (docs/tasks.md): rows citing the task and the check item they answer,
     * not a case (stage OTHER); a failed check copies its photo to the incident it makes.
     */
    public List<Long> addToTask(long taskId, String check, List<Photo> photos, long staffId)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            return insertRows(c, null, null, Stage.OTHER, photos, staffId, taskId, check);
        }
    }

    /**
     * A task's photo as a REPORT-stage photo of the incident a failed check made, citing its
     * REPORTED event, on the incident's transaction. The files are the same (content-addressed).
     */
    public static long copyToIncident(Connection c, long mediaId, long incidentId)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO media (incident_id, event_id, stage, sha256, content_type, bytes, width,
                                   height, public_sha256, public_type, thumb_sha256, file_name,
                                   taken_at, taken_location, uploaded_by)
                SELECT ?, (SELECT e.id FROM incident_event e
                           WHERE e.incident_id = ? AND e.type = 'REPORTED' ORDER BY e.id LIMIT 1),
                       'REPORT', sha256, content_type, bytes, width, height, public_sha256,
                       public_type, thumb_sha256, file_name, taken_at, taken_location, uploaded_by
                FROM media WHERE id = ?
                RETURNING id""")) {
            ps.setLong(1, incidentId);
            ps.setLong(2, incidentId);
            ps.setLong(3, mediaId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> insertRows(
            Connection c,
            Long incidentId,
            Long eventId,
            Stage stage,
            List<Photo> photos,
            Long staffId,
            Long taskId,
            String check)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Photo p : photos) {
                int i = 1;
                setLong(ps, i++, incidentId);
                setLong(ps, i++, eventId);
                ps.setString(i++, stage.name());
                ps.setString(i++, p.sha256());
                ps.setString(i++, p.type().mime);
                ps.setLong(i++, p.original().length);
                ps.setInt(i++, p.width());
                ps.setInt(i++, p.height());
                ps.setString(i++, p.publicSha256());
                ps.setString(i++, p.publicType().mime);
                ps.setString(i++, p.thumbSha256());
                ps.setString(i++, p.fileName());
                ps.setObject(i++, p.takenAt());
                setDouble(ps, i++, p.lon());
                setDouble(ps, i++, p.lon());
                setDouble(ps, i++, p.lat());
                setLong(ps, i++, staffId);
                setLong(ps, i++, taskId);
                ps.setString(i, check);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /**
     * Adds photos to a case: its MEDIA_ADDED event and their rows, one transaction. The case is
     * locked while its photos are counted, so two uploads cannot pass the per-case limit together.
     *
     * @param role the role the member of staff acted in
     */
    public Added add(
            long incidentId,
            Stage stage,
            List<Photo> photos,
            long staffId,
            String role,
            String note,
            int maxPerCase)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                String status;
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT status FROM incident WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, incidentId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next())
                            throw new ProblemException(
                                    Problem.notFound("incident " + incidentId + " does not exist"));
                        status = rs.getString(1);
                    }
                }
                checkRoom(incidentId, count(c, incidentId), photos.size(), maxPerCase);
                ObjectNode data = Responses.JSON.createObjectNode();
                data.put("stage", stage.name()).put("count", photos.size());
                var hashes = data.putArray("sha256");
                photos.forEach(p -> hashes.add(p.sha256()));
                String text =
                        "添加照片 "
                                + photos.size()
                                + " 张（"
                                + stage.zh
                                + "）("
                                + photos.size()
                                + " photo(s) added: "
                                + stage.name()
                                + ")"
                                + (note == null ? "" : ": " + note);
                long eventId =
                        event(c, incidentId, staffId, role, "MEDIA_ADDED", status, text, data);
                List<Long> ids =
                        insertRows(c, incidentId, eventId, stage, photos, staffId, null, null);
                c.commit();
                return new Added(eventId, ids);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** 422 too-many-files when {@code adding} photos would take the case past its limit. */
    public static void checkRoom(long incidentId, int held, int adding, int maxPerCase) {
        if (held + adding > maxPerCase)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "too-many-files",
                            "Too many files",
                            "incident "
                                    + incidentId
                                    + " has "
                                    + held
                                    + " photos; at most "
                                    + maxPerCase
                                    + " are kept per case",
                            "photo"));
    }

    /** How many photos the case holds (the locked count in {@link #add} is the one that holds). */
    public int count(long incidentId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return count(c, incidentId);
        }
    }

    private static int count(Connection c, long incidentId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT count(*) FROM media WHERE incident_id = ?")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static long event(
            Connection c,
            long incidentId,
            long staffId,
            String role,
            String type,
            String status,
            String note,
            ObjectNode data)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EVENT)) {
            ps.setLong(1, incidentId);
            ps.setLong(2, staffId);
            ps.setString(3, role);
            ps.setString(4, type);
            ps.setString(5, status);
            ps.setString(6, status);
            ps.setString(7, note);
            ps.setString(8, data.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Approves a photo for the public, or withdraws it: the row and a MEDIA_APPROVED or
     * MEDIA_WITHDRAWN event, one transaction. Returns the row as it now is.
     */
    public Row review(long id, boolean approve, long staffId, String role) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long incidentId;
                String status;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                """
                        UPDATE media m SET approved = ?, reviewed_at = now(), reviewed_by = ?
                        FROM incident i WHERE m.id = ? AND i.id = m.incident_id
                        RETURNING m.incident_id, i.status""")) {
                    ps.setBoolean(1, approve);
                    ps.setLong(2, staffId);
                    ps.setLong(3, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next())
                            throw new ProblemException(
                                    Problem.notFound("photo " + id + " does not exist"));
                        incidentId = rs.getLong(1);
                        status = rs.getString(2);
                    }
                }
                ObjectNode data = Responses.JSON.createObjectNode().put("mediaId", id);
                event(
                        c,
                        incidentId,
                        staffId,
                        role,
                        approve ? "MEDIA_APPROVED" : "MEDIA_WITHDRAWN",
                        status,
                        approve
                                ? "照片 " + id + " 已公开 (photo " + id + " approved for the public)"
                                : "照片 " + id + " 已撤回 (photo " + id + " withdrawn from the public)",
                        data);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return find(id).orElseThrow();
    }

    public Optional<Row> find(long id) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE m.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** A case's photos, oldest first. */
    public List<Row> list(long incidentId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + FROM
                                        + " WHERE m.incident_id = ? ORDER BY m.id")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) out.add(read(rs));
                return out;
            }
        }
    }

    /** The public photos of these cases (approved, of a publicly listed case), by case. */
    public Map<Long, List<Long>> approved(Collection<Long> incidentIds) throws SQLException {
        Map<Long, List<Long>> out = new LinkedHashMap<>();
        if (incidentIds.isEmpty()) return out;
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT m.incident_id, m.id"
                                        + FROM
                                        + " WHERE m.incident_id = ANY (?) AND m.approved AND "
                                        + PUBLIC_CASE
                                        + " ORDER BY m.incident_id, m.id")) {
            ps.setArray(1, c.createArrayOf("bigint", incidentIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
            }
        }
        return out;
    }

    /** Which of these file hashes no row cites (as original, public rendition or thumbnail). */
    public Set<String> unreferenced(Collection<String> hashes) throws SQLException {
        Set<String> out = new HashSet<>();
        if (hashes.isEmpty()) return out;
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                        SELECT h FROM unnest(?::text[]) h
                        WHERE NOT EXISTS (SELECT 1 FROM media WHERE sha256 = h)
                          AND NOT EXISTS (SELECT 1 FROM media WHERE public_sha256 = h)
                          AND NOT EXISTS (SELECT 1 FROM media WHERE thumb_sha256 = h)""")) {
            ps.setArray(1, c.createArrayOf("text", hashes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong(1),
                rs.getLong(2),
                getLong(rs, 3),
                getLong(rs, 4),
                Stage.valueOf(rs.getString(5)),
                rs.getString(6),
                rs.getString(7),
                rs.getLong(8),
                rs.getInt(9),
                rs.getInt(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                rs.getObject(15, OffsetDateTime.class),
                getDouble(rs, 16),
                getDouble(rs, 17),
                rs.getObject(18, OffsetDateTime.class),
                getLong(rs, 19),
                rs.getBoolean(20),
                rs.getObject(21, OffsetDateTime.class),
                getLong(rs, 22),
                rs.getBoolean(23));
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE);
        else ps.setDouble(i, v);
    }
}
