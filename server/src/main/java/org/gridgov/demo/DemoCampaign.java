package org.gridgov.demo;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.gridgov.incident.EnteredBy;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.RosterStore;
import org.gridgov.task.Answer;
import org.gridgov.task.CampaignStore;
import org.gridgov.task.CheckItem;
import org.gridgov.task.CheckType;
import org.gridgov.task.Completion;
import org.gridgov.task.NewCampaign;
import org.gridgov.task.TargetType;
import org.gridgov.task.Task;
import org.gridgov.task.TaskKind;
import org.gridgov.task.TaskStore;

/**
 * The demo's special inspection (docs/tasks.md): gas safety in every restaurant for 30 days, begun
 * {@value #DAYS_IN} days before the anchor, made by the task package's own CampaignStore (a task
 * per restaurant, assigned by grid) and a deterministic share of its tasks completed by their
 * assignees through TaskStore, so the command centre's campaign part and the task KPIs show
 * progress. Every demo completion passes its checks: a failed check's incident needs intake's
 * routing, which the loader does not have.
 */
final class DemoCampaign {

    static final String NAME = "餐饮场所燃气安全专项检查";
    static final int DAYS = 30;
    static final int DAYS_IN = 12;

    /** Share of the tasks done by the time the demo is looked at. */
    static final double DONE = 0.45;

    /** The campaign's figures: tasks made and tasks completed. */
    record Made(long id, int tasks, int done) {}

    private DemoCampaign() {}

    static List<CheckItem> checks() {
        String cat = "GOV_FIRE_HAZARD";
        return List.of(
                new CheckItem(
                        "gas_alarm",
                        "燃气报警器是否正常",
                        CheckType.YES_NO,
                        true,
                        false,
                        true,
                        null,
                        null,
                        cat),
                new CheckItem(
                        "hose_ok",
                        "燃气软管是否完好、未超期使用",
                        CheckType.YES_NO,
                        true,
                        false,
                        true,
                        null,
                        null,
                        cat),
                new CheckItem(
                        "extinguishers",
                        "灭火器数量",
                        CheckType.NUMBER,
                        true,
                        false,
                        null,
                        BigDecimal.ONE,
                        null,
                        cat),
                new CheckItem(
                        "remarks", "其他情况", CheckType.TEXT, false, false, null, null, null, null));
    }

    static Made create(DataSource ds, DemoParams p) throws SQLException {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        DutyRoster roster = DutyRoster.load(new RosterStore(ds), zone);
        OffsetDateTime starts =
                p.anchor()
                        .minus(Duration.ofDays(DAYS_IN))
                        .atZone(zone)
                        .toLocalDate()
                        .atStartOfDay(zone)
                        .toOffsetDateTime()
                        .withOffsetSameInstant(ZoneOffset.UTC);
        long chief = staffOf(ds, "CHIEF_COMMANDER");
        CampaignStore.Created c =
                new CampaignStore(ds, roster)
                        .create(
                                new NewCampaign(
                                        NAME,
                                        TaskKind.INSPECTION,
                                        TargetType.PLACE,
                                        List.of("RESTAURANT"),
                                        null,
                                        null,
                                        null,
                                        starts,
                                        starts.plusDays(DAYS),
                                        checks()),
                                chief);
        TaskStore tasks = new TaskStore(ds, roster);
        SplittableRandom rnd = new SplittableRandom(p.seed() * 0x5851F42D4C957F2DL + 29);
        int done = 0;
        for (long id : taskIds(ds, c.id())) {
            double u = rnd.nextDouble();
            int extinguishers = 1 + rnd.nextInt(4);
            if (u >= DONE) continue;
            Task t = tasks.find(id).orElseThrow();
            if (t.assigneeId() == null) continue;
            EnteredBy by = enteredBy(ds, t.assigneeId());
            List<Answer> answers =
                    List.of(
                            new Answer("gas_alarm", BooleanNode.TRUE, List.of()),
                            new Answer("hose_ok", BooleanNode.TRUE, List.of()),
                            new Answer("extinguishers", IntNode.valueOf(extinguishers), List.of()),
                            new Answer("remarks", TextNode.valueOf("检查合格"), List.of()));
            tasks.complete(
                    id,
                    new Completion(t.version(), answers, "已现场检查"),
                    null,
                    t.assigneeId(),
                    by,
                    (conn, task, item, a, who) -> {
                        throw new IllegalStateException("a demo check failed: " + item.key());
                    });
            done++;
        }
        return new Made(c.id(), c.tasks(), done);
    }

    private static long staffOf(DataSource ds, String role) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM staff WHERE role = ? ORDER BY id LIMIT 1")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static EnteredBy enteredBy(DataSource ds, long staffId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT username, role FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new EnteredBy(staffId, rs.getString(1), rs.getString(2), false);
            }
        }
    }

    private static List<Long> taskIds(DataSource ds, long campaign) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id FROM task WHERE campaign_id = ? ORDER BY id")) {
            ps.setLong(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
