package org.gridgov.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.gridgov.api.Responses;
import org.gridgov.cases.CaseStatus;
import org.gridgov.db.Jdbc;

/**
 * Fires due timers: a reminder (催办) before a step's deadline, a supervision notice (督办单) to the
 * responsible person and their commander when it passes, and an escalation by rule after the second
 * deadline. State lives in case_timer; a batch of due timers is claimed with FOR UPDATE SKIP LOCKED
 * together with their incidents, and each is marked FIRED in the transaction that writes its event,
 * so no timer fires twice, across restarts and instances. A case locked by a user's action at that
 * moment is simply left for the next tick.
 */
public final class Scheduler {

    private static final String CLAIM =
            """
            SELECT t.id, t.incident_id, t.step, t.kind, t.step_due_at, i.status, i.platform, i.assignee_id, i.category, i.urgency,
                   t.escalate_at, i.reported_at
            FROM case_timer t JOIN incident i ON i.id = t.incident_id
            WHERE t.state = 'PENDING' AND t.fire_at <= ?
            ORDER BY t.fire_at, t.id
            LIMIT ?
            FOR UPDATE OF t, i SKIP LOCKED""";

    private final DataSource ds;
    private final DeadlineRules deadlines;
    private final int batch;

    public Scheduler(DataSource ds, DeadlineRules deadlines, int batch) {
        this.ds = ds;
        this.deadlines = deadlines;
        this.batch = batch;
    }

    private record Due(
            long timerId,
            long incidentId,
            String step,
            TimerKind kind,
            OffsetDateTime stepDueAt,
            String status,
            String platform,
            Long assigneeId,
            String category,
            String urgency,
            OffsetDateTime escalateAt,
            OffsetDateTime reportedAt) {}

    /** Fires everything due at {@code now}; returns how many timers fired. */
    public int tick(Instant now) throws SQLException {
        int total = 0;
        while (true) {
            int n = Jdbc.inTransaction(ds, c -> fireBatch(c, now));
            total += n;
            // a fired reminder may leave its overdue notice already due: go on until nothing fires
            if (n == 0) return total;
        }
    }

    private int fireBatch(Connection c, Instant now) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setInt(2, batch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(
                            new Due(
                                    rs.getLong(1),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    TimerKind.valueOf(rs.getString(4)),
                                    rs.getObject(5, OffsetDateTime.class),
                                    rs.getString(6),
                                    rs.getString(7),
                                    CaseEngine.getLong(rs, 8),
                                    rs.getString(9),
                                    rs.getString(10),
                                    rs.getObject(11, OffsetDateTime.class),
                                    rs.getObject(12, OffsetDateTime.class)));
                }
            }
        }
        for (Due d : due) fire(c, d, now);
        return due.size();
    }

    private void fire(Connection c, Due d, Instant now) throws SQLException {
        ObjectNode data = Responses.JSON.createObjectNode();
        data.put("step", d.step())
                .put("stepDueAt", d.stepDueAt().toInstant().toString())
                .put("timerId", d.timerId());
        ArrayNode notify = data.putArray("notify");
        if (d.assigneeId() != null) notify.add(d.assigneeId());
        String type, note, to = d.status();
        String setSql = "version = version + 1, updated_at = ?";
        switch (d.kind()) {
            case REMIND -> {
                type = "REMINDER";
                note = "催办: the " + d.step() + " deadline is near";
            }
            case OVERDUE -> {
                type = "SUPERVISION_NOTICE";
                note = "督办单: the " + d.step() + " deadline has passed";
                Long commander = commander(c, d);
                if (commander != null) notify.add(commander);
                setSql += ", supervised = true";
            }
            default -> { // ESCALATE
                String target =
                        // the rules the case was reported under (docs/reference-data.md)
                        deadlines
                                .at(d.reportedAt().toInstant())
                                .rule(
                                        d.category(),
                                        d.platform(),
                                        d.urgency(),
                                        Step.valueOf(d.step()))
                                .escalateTo();
                type = "ESCALATION";
                data.put("escalateTo", target);
                if (target.equals("DISTRICT")
                        && CaseFlow.allowed(CaseStatus.valueOf(d.status()), CaseAction.ESCALATE)) {
                    to = CaseStatus.ESCALATED.name();
                    note =
                            "升级: still overdue after the second deadline; sent to the district command centre";
                    setSql += ", status = 'ESCALATED', step = NULL, step_due_at = NULL";
                } else {
                    note =
                            "升级督办: still overdue after the second deadline; raised to the chief commander";
                    Long chief = chief(c);
                    if (chief != null) notify.add(chief);
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE incident SET " + setSql + " WHERE id = ?")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            ps.setLong(2, d.incidentId());
            ps.executeUpdate();
        }
        CaseEngine.appendEvent(
                c, d.incidentId(), now, null, "SYSTEM", type, d.status(), to, note, data);
        // the same row moves on to the next thing due, or is done
        TimerKind nextKind = null;
        OffsetDateTime nextAt = null;
        if (to.equals(d.status())) {
            if (d.kind() == TimerKind.REMIND) {
                nextKind = TimerKind.OVERDUE;
                nextAt = d.stepDueAt();
            } else if (d.kind() == TimerKind.OVERDUE && d.escalateAt() != null) {
                nextKind = TimerKind.ESCALATE;
                nextAt = d.escalateAt();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        nextKind == null
                                ? "UPDATE case_timer SET state = 'FIRED', fired_at = ? WHERE id = ?"
                                : "UPDATE case_timer SET fired_at = ?, kind = ?, fire_at = ? WHERE id = ?")) {
            ps.setObject(1, now.atOffset(ZoneOffset.UTC));
            if (nextKind == null) {
                ps.setLong(2, d.timerId());
            } else {
                ps.setString(2, nextKind.name());
                ps.setObject(3, nextAt);
                ps.setLong(4, d.timerId());
            }
            ps.executeUpdate();
        }
    }

    /**
     * Who answers for the responsible person: the platform's commander while handling, else the
     * centre director.
     */
    private static Long commander(Connection c, Due d) throws SQLException {
        boolean handling = d.step().equals("HANDLE");
        String sql =
                handling
                        ? "SELECT id FROM staff WHERE role = 'PLATFORM_COMMANDER' AND platform = ? ORDER BY id LIMIT 1"
                        : "SELECT id FROM staff WHERE role = 'CENTRE_DIRECTOR' ORDER BY id LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (handling) ps.setString(1, d.platform());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long chief(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM staff WHERE role = 'CHIEF_COMMANDER' ORDER BY id LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
