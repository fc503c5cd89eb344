package org.gridgov.assess;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Isolation by subdistrict in the assessment figures (issue #20): whatever the unit (grid, worker,
 * platform, subdistrict), chief2 is assessed on subdistrict 2's cases only, the demo chief never on
 * subdistrict 2's, and doperator (district scope) on every subdistrict's.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationKpisTest {

    static String period;

    @BeforeAll
    static void install() {
        TestServer.get();
        SecondSubdistrict.install();
        // the month of the fixture's newest case (two hours old)
        period =
                YearMonth.from(
                                Instant.now()
                                        .minus(2, ChronoUnit.HOURS)
                                        .atZone(ZoneId.of("Asia/Shanghai")))
                        .toString();
    }

    static Set<String> units(String user, String by) {
        Answer a = TestServer.getAs(user, "/api/v1/analytics/kpis?period=" + period + "&by=" + by);
        assertEquals(200, a.status(), user + ": " + a.body());
        Set<String> out = new HashSet<>();
        for (JsonNode u : a.json().get("units")) out.add(u.get("unit").asText());
        return out;
    }

    /** The reports counted over every unit of the answer. */
    static long reports(String user, String by) {
        Answer a = TestServer.getAs(user, "/api/v1/analytics/kpis?period=" + period + "&by=" + by);
        assertEquals(200, a.status(), user + ": " + a.body());
        long n = 0;
        for (JsonNode u : a.json().get("units")) n += u.get("reports").asLong();
        return n;
    }

    @Test
    void gridsOfTheCallersSubdistrictOnly() {
        assertEquals(Set.of(SecondSubdistrict.GRID_CODE), units(SecondSubdistrict.CHIEF, "grid"));
        Set<String> theirs = units("chief", "grid");
        assertFalse(theirs.isEmpty(), "chief's grids");
        for (String g : theirs) assertTrue(g.startsWith(SecondSubdistrict.FIRST_CODE), g);
        Set<String> all = units("doperator", "grid");
        assertTrue(all.contains(SecondSubdistrict.GRID_CODE) && all.containsAll(theirs), "" + all);
    }

    @Test
    void workersAndPlatformsCountTheCallersCasesOnly() {
        assertEquals(Set.of(SecondSubdistrict.WORKER), units(SecondSubdistrict.CHIEF, "worker"));
        assertFalse(units("chief", "worker").contains(SecondSubdistrict.WORKER), "chief");
        assertTrue(units("doperator", "worker").contains(SecondSubdistrict.WORKER), "doperator");
        // by platform, each counts its own subdistrict's cases: what by subdistrict counts
        long mine = reports(SecondSubdistrict.CHIEF, "platform");
        long theirs = reports("chief", "platform");
        assertTrue(mine > 0, "chief2: " + mine);
        assertEquals(reports(SecondSubdistrict.CHIEF, "subdistrict"), mine, "chief2");
        assertEquals(reports("chief", "subdistrict"), theirs, "chief");
        assertEquals(mine + theirs, reports("doperator", "subdistrict"), "doperator");
    }

    @Test
    void subdistrictsCompareAtTheDistrictOnly() {
        assertEquals(Set.of(SecondSubdistrict.CODE), units(SecondSubdistrict.CHIEF, "subdistrict"));
        assertEquals(Set.of(SecondSubdistrict.FIRST_CODE), units("chief", "subdistrict"));
        assertEquals(
                Set.of(SecondSubdistrict.CODE, SecondSubdistrict.FIRST_CODE),
                units("doperator", "subdistrict"));
    }
}
