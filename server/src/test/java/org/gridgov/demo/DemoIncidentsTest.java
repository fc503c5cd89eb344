package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gridgov.demo.DemoIncidents.DemoCategory;
import org.gridgov.demo.DemoIncidents.Incident;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Polygon;

class DemoIncidentsTest {

    static DemoParams params = DemoParams.small();
    static DemoData data;
    static List<DemoCategory> cats;
    static List<Incident> rows;

    @BeforeAll
    static void generate() throws SQLException {
        data = DemoSubdistrict.generate(params);
        cats = DemoHistoryStats.categories();
        rows = run(params);
    }

    static List<Incident> run(DemoParams p) throws SQLException {
        List<Incident> out = new ArrayList<>();
        DemoIncidents.generate(data, cats, p, out::add);
        return out;
    }

    @Test
    void everyIncidentLiesInItsUnitAndGrid() {
        assertEquals(params.incidents(), rows.size());
        long end = params.anchor().getEpochSecond();
        long start = end - DemoIncidents.HISTORY_DAYS * 86_400L;
        long eventId = 0;
        for (Incident i : rows) {
            Coordinate c = new Coordinate(i.x(), i.y());
            if (i.unitId() != null) {
                Polygon unit = data.units().get((int) (long) i.unitId() - 1).geom();
                assertTrue(
                        unit.contains(DemoSubdistrict.GF.createPoint(c)),
                        "incident " + i.id() + " inside its unit");
                assertTrue(
                        unit.getExteriorRing().distance(DemoSubdistrict.GF.createPoint(c)) >= 0.4);
                assertEquals(data.gridOfUnit()[(int) (long) i.unitId() - 1], (long) i.gridId());
                assertEquals(data.grid(i.gridId()).workerId(), (long) i.assigneeId());
                assertEquals(data.grid(i.gridId()).communityId(), (long) i.communityId());
            } else {
                assertNull(i.gridId());
                assertNull(i.assigneeId());
                assertEquals("DISTRICT", i.jurisdiction());
                assertTrue(Set.of("ESCALATED", "CLOSED").contains(i.status()));
                assertTrue(
                        !data.subdistrict().covers(DemoSubdistrict.GF.createPoint(c))
                                && data.district().contains(DemoSubdistrict.GF.createPoint(c)));
            }
            assertTrue(i.reportedAt() >= start && i.reportedAt() < end);
            assertTrue(i.receivedAt() >= i.reportedAt() && i.receivedAt() < end);
            assertEquals(++eventId, i.reportedEventId());
            if (i.status().equals("REPORTED")) {
                assertEquals(1, i.version());
                assertEquals(0, i.importedEventId());
            } else {
                assertEquals(2, i.version());
                assertEquals(++eventId, i.importedEventId());
                assertTrue(
                        i.importedAt() > i.receivedAt() && i.importedAt() <= end,
                        "imported event after the report, before the end");
                assertEquals(i.importedAt(), i.updatedAt());
            }
            DemoCategory cat =
                    cats.stream()
                            .filter(k -> k.code().equals(i.category()))
                            .findFirst()
                            .orElseThrow();
            assertEquals(cat.platform(), i.platform());
            assertEquals(i.reportedAt() + cat.deadlineHours() * 3600L, i.dueAt());
            if (cat.district())
                assertTrue(
                        Set.of("ESCALATED", "CLOSED").contains(i.status())
                                && i.jurisdiction().equals("DISTRICT"));
            assertNotNull(i.description());
            assertTrue(!i.description().contains("\t") && !i.description().contains("\n"));
        }
    }

    @Test
    void mixesLookReal() {
        Map<String, Integer> channel = new TreeMap<>(), status = new TreeMap<>();
        int night = 0, day = 0;
        for (Incident i : rows) {
            channel.merge(i.channel(), 1, Integer::sum);
            status.merge(i.status(), 1, Integer::sum);
            int hour = (int) (((i.reportedAt() + 8 * 3600) % 86_400) / 3600);
            if (hour >= 1 && hour < 5) night++;
            if (hour >= 9 && hour < 13) day++;
        }
        double n = rows.size();
        assertTrue(
                channel.get("GRID_PATROL") / n > 0.35 && channel.get("GRID_PATROL") / n < 0.55,
                channel.toString());
        assertTrue(channel.get("PUBLIC_ONLINE") / n > 0.12, channel.toString());
        assertTrue(channel.get("HOTLINE") / n > 0.12, channel.toString());
        assertTrue(status.get("CLOSED") / n > 0.8, status.toString());
        assertTrue(day > 4 * night, "day peak, night low");
    }

    /** The history ends at any anchor, not only at midnight: the load time of a demo. */
    @Test
    void historyEndsAtTheAnchor() throws SQLException {
        Instant anchor = Instant.parse("2027-03-09T06:17:23Z");
        List<Incident> at = run(params.withAnchor(anchor));
        long end = anchor.getEpochSecond(), start = end - DemoIncidents.HISTORY_DAYS * 86_400L;
        long last = Long.MIN_VALUE, first = Long.MAX_VALUE;
        for (Incident i : at) {
            assertTrue(i.reportedAt() >= start && i.reportedAt() <= end - 2 * 3600, "" + i);
            assertTrue(i.receivedAt() < end && i.updatedAt() < end, "" + i);
            last = Math.max(last, i.reportedAt());
            first = Math.min(first, i.reportedAt());
        }
        assertTrue(end - last < 86_400, "reports up to the last hours before the anchor");
        assertTrue(first - start < 3 * 86_400, "and from a year before it");
        // the same anchor: the same rows; another anchor: another history
        assertEquals(at, run(params.withAnchor(anchor)));
        assertTrue(!at.equals(run(params.withAnchor(anchor.plusSeconds(3600)))));
    }

    /**
     * At its load time a demo looks like a working subdistrict: the shares docs/demo-data.md
     * states, at anchors of different seasons and hours (the default area, 50,000 reports).
     */
    @Test
    void openCasesAreMostlyWithinTheirDeadlineAtTheAnchor() throws SQLException {
        DemoParams p = DemoParams.defaults();
        DemoData area = DemoSubdistrict.generate(p);
        for (String t :
                List.of(
                        "2026-12-05T05:00:00Z",
                        "2027-02-08T01:30:00Z",
                        "2027-07-14T16:30:00Z",
                        "2028-10-03T09:00:00Z")) {
            Instant anchor = Instant.parse(t);
            List<Incident> out = new ArrayList<>();
            DemoIncidents.generate(area, cats, p.withAnchor(anchor), out::add);
            OpenCaseFigures f = OpenCaseFigures.of(out, anchor);
            assertTrue(f.open() > 50, t + ": " + f);
            assertTrue(f.withinShare() >= 0.80, t + ": " + f);
            assertTrue(f.near() > 0.1 * f.open(), t + ": some are due within a day: " + f);
            assertTrue(f.overdue() > 0 && f.overdueShare() <= 0.15, t + ": a few overdue: " + f);
            assertTrue(
                    f.maxOverdueDays() <= DemoIncidents.OVERDUE_DAYS + 1,
                    t + ": overdue for days, not months: " + f);
            assertTrue(f.thisWeek() > 300, t + ": the command centre's week has reports: " + f);
        }
    }

    @Test
    void smallAreaHasThisWeekAtItsAnchor() throws SQLException {
        Instant anchor = Instant.parse("2026-12-05T05:00:00Z");
        OpenCaseFigures f = OpenCaseFigures.of(run(params.withAnchor(anchor)), anchor);
        assertTrue(f.thisWeek() > 10, f.toString());
        assertTrue(f.open() > 0 && f.withinShare() >= 0.8, f.toString());
    }

    @Test
    void deterministic() throws SQLException {
        assertEquals(rows, run(params));
        List<Incident> other =
                run(
                        new DemoParams(
                                params.seed() + 1,
                                params.incidents(),
                                params.householdsPerGrid(),
                                params.units(),
                                params.communities()));
        assertTrue(!rows.equals(other));
    }
}
