package org.gridgov.workflow;

import static org.gridgov.workflow.Cases.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reminders, supervision notices and escalations, driven by a clock the test controls. */
@Tag("db")
class SchedulerTest {

    static Scheduler scheduler;

    @BeforeAll
    static void setUp() throws Exception {
        Cases.init();
        scheduler =
                new Scheduler(
                        TestDatabase.get().dataSource(),
                        DeadlineRules.fromClasspath(WorkingCalendar.fromClasspath()),
                        50);
    }

    record Timer(String kind, Instant fireAt, String state) {}

    static List<Timer> timers(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT kind, fire_at, state FROM case_timer WHERE incident_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<Timer> out = new ArrayList<>();
                while (rs.next())
                    out.add(
                            new Timer(
                                    rs.getString(1),
                                    rs.getObject(2, OffsetDateTime.class).toInstant(),
                                    rs.getString(3)));
                return out;
            }
        }
    }

    /** The live clock of a case: next fire time, step deadline, escalation time. */
    record Live(String kind, Instant fireAt, Instant dueAt, Instant escalateAt) {}

    static Live live(long id) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT kind, fire_at, step_due_at, escalate_at FROM case_timer WHERE incident_id = ? AND state = 'PENDING'")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a live clock for " + id);
                Live l =
                        new Live(
                                rs.getString(1),
                                rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getObject(3, OffsetDateTime.class).toInstant(),
                                rs.getObject(4, OffsetDateTime.class) == null
                                        ? null
                                        : rs.getObject(4, OffsetDateTime.class).toInstant());
                assertFalse(rs.next(), "one live clock per case");
                return l;
            }
        }
    }

    static JsonNode events(long id) {
        return TestServer.getAs("director", "/api/v1/incidents/" + id + "/events")
                .json()
                .get("events");
    }

    @Test
    void remindsThenSupervisesThenEscalatesEachOnce() throws Exception {
        long id = report("ENF_EXPOSED_GARBAGE").get("id").asLong();
        Live clock = live(id);
        assertEquals("REMIND", clock.kind());
        assertEquals(1, timers(id).size(), "intake writes one timer row");
        Instant remind = clock.fireAt(), due = clock.dueAt(), escalate = clock.escalateAt();
        assertTrue(remind.isBefore(due) && due.isBefore(escalate));

        scheduler.tick(remind.minusSeconds(1));
        assertEquals(1, events(id).size(), "nothing before its time");
        scheduler.tick(remind);
        scheduler.tick(remind); // again: fires nothing new
        JsonNode ev = events(id);
        assertEquals(2, ev.size());
        assertEquals("REMINDER", ev.get(1).get("type").asText());
        assertEquals("OVERDUE", live(id).kind(), "the same row waits for the deadline now");
        assertEquals("SYSTEM", ev.get(1).get("actorRole").asText());

        scheduler.tick(due);
        ev = events(id);
        assertEquals(3, ev.size());
        assertEquals("SUPERVISION_NOTICE", ev.get(2).get("type").asText());
        assertEquals("ACCEPT", ev.get(2).at("/data/step").asText());
        assertTrue(ev.get(2).at("/data/notify").size() >= 1, "the centre director is told");
        JsonNode i = TestServer.getAs("director", "/api/v1/incidents/" + id).json();
        assertTrue(i.at("/case/supervised").asBoolean());
        assertEquals(3, i.get("version").asInt(), "each notice is an event and a version");

        // a new scheduler (a restart) picks up where the state in the database says
        new Scheduler(
                        TestDatabase.get().dataSource(),
                        DeadlineRules.fromClasspath(WorkingCalendar.fromClasspath()),
                        50)
                .tick(escalate);
        ev = events(id);
        assertEquals(4, ev.size());
        assertEquals("ESCALATION", ev.get(3).get("type").asText());
        assertEquals("CHIEF", ev.get(3).at("/data/escalateTo").asText());
        scheduler.tick(escalate.plusSeconds(86400 * 30));
        assertEquals(4, events(id).size(), "nothing fires twice");
        assertTrue(timers(id).stream().allMatch(t -> t.state.equals("FIRED")));
    }

    @Test
    void anActionOnTimeCancelsTheStepsTimersAndArmsTheNext() throws Exception {
        long id = report("ENF_EXPOSED_GARBAGE").get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        List<Timer> t = timers(id);
        assertEquals(List.of("CANCELLED", "PENDING"), t.stream().map(Timer::state).toList());
        Instant dispatchDue = live(id).dueAt();
        scheduler.tick(dispatchDue);
        JsonNode ev = events(id);
        assertEquals("SUPERVISION_NOTICE", ev.get(ev.size() - 1).get("type").asText());
        assertEquals("DISPATCH", ev.get(ev.size() - 1).at("/data/step").asText());
        assertEquals(
                1,
                ev.findValues("type").stream()
                        .filter(x -> x.asText().equals("SUPERVISION_NOTICE"))
                        .count());
    }

    @Test
    void twoSchedulersAtOnceFireEachTimerOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int k = 0; k < 6; k++) ids.add(report("ENF_EXPOSED_GARBAGE").get("id").asLong());
        Instant later = live(ids.get(ids.size() - 1)).escalateAt().plusSeconds(60);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Scheduler s =
                    new Scheduler(
                            TestDatabase.get().dataSource(),
                            DeadlineRules.fromClasspath(WorkingCalendar.fromClasspath()),
                            2);
            fs.add(
                    pool.submit(
                            () -> {
                                go.await();
                                return s.tick(later);
                            }));
        }
        go.countDown();
        int fired = 0;
        for (Future<Integer> f : fs) fired += f.get();
        pool.shutdown();
        // one more pass: a scheduler that met only locked rows stopped early; nothing may fire
        // twice anyway
        fired += scheduler.tick(later);
        assertTrue(fired >= 18, "at least this test's 18 timers fired: " + fired);
        for (long id : ids) {
            JsonNode ev = events(id);
            assertEquals(
                    4, ev.size(), "REPORTED + one reminder, one notice, one escalation for " + id);
        }
    }

    @Test
    void anUrgentHandlingDeadlineEscalatesToTheDistrictByRule() throws Exception {
        long id = report("GOV_FIRE_EXIT_BLOCKED").get("id").asLong();
        ok("operator", id, "{\"action\":\"accept\",\"expectedVersion\":1}");
        ok("operator", id, "{\"action\":\"dispatch\",\"expectedVersion\":2}");
        scheduler.tick(live(id).escalateAt());
        JsonNode i = TestServer.getAs("director", "/api/v1/incidents/" + id).json();
        assertEquals("ESCALATED", i.get("status").asText());
        assertTrue(timers(id).stream().noneMatch(t -> t.state.equals("PENDING")));
    }
}
