package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gridgov.category.CategoryCatalog;
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
        cats =
                CategoryCatalog.fromClasspath().all().stream()
                        .map(
                                c ->
                                        new DemoCategory(
                                                c.code(),
                                                c.platform(),
                                                c.nameZh(),
                                                c.weight().doubleValue(),
                                                c.deadlineHours(),
                                                c.authority()))
                        .toList();
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
        long end = DemoIncidents.HISTORY_END.toEpochSecond();
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
