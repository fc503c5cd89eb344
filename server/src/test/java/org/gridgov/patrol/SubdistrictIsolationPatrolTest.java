package org.gridgov.patrol;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
 * Isolation by subdistrict in patrol coverage and gaps (issue #20): chief2 gets subdistrict 2's
 * grids and base units only, the demo chief never subdistrict 2's, doperator (district scope) every
 * subdistrict's.
 */
@Tag("db")
@Tag("second-subdistrict")
class SubdistrictIsolationPatrolTest {

    static SecondSubdistrict.Ids ids;

    @BeforeAll
    static void install() throws InterruptedException {
        TestServer.get();
        ids = SecondSubdistrict.install();
        // the server reads the fixture's plan (written with SQL) on its plan timer
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/analytics/patrol-gaps?days=1")
                                .status()
                        != 200
                && System.nanoTime() < deadline) Thread.sleep(200);
    }

    static Set<Long> ids(String user, String path, String property) {
        Answer a = TestServer.getAs(user, path);
        assertEquals(200, a.status(), user + " " + path + ": " + a.body());
        Set<Long> out = new HashSet<>();
        for (JsonNode f : a.json().get("features"))
            out.add(f.get("properties").get(property).asLong());
        return out;
    }

    @Test
    void coverageOfTheCallersGridsOnly() {
        Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        String path =
                "/api/v1/analytics/patrol-coverage?from="
                        + to.minus(7, ChronoUnit.DAYS)
                        + "&to="
                        + to;
        assertEquals(Set.of(ids.gridId()), ids(SecondSubdistrict.CHIEF, path, "gridId"));
        Set<Long> theirs = ids("chief", path, "gridId");
        assertFalse(theirs.isEmpty(), "chief's grids");
        assertFalse(theirs.contains(ids.gridId()), "chief sees subdistrict 2's grid");
        Set<Long> all = ids("doperator", path, "gridId");
        assertTrue(all.contains(ids.gridId()) && all.containsAll(theirs), "doperator: " + all);
        assertEquals(401, TestServer.get(path).status());
    }

    @Test
    void gapsOfTheCallersUnitsOnly() {
        String path = "/api/v1/analytics/patrol-gaps?days=1";
        // nobody patrols subdistrict 2: every one of its units is a gap, and only those
        Set<Long> mine = ids(SecondSubdistrict.CHIEF, path, "unitId");
        assertEquals(new HashSet<>(ids.unitIds()), mine, "chief2's gaps");
        Set<Long> theirs = ids("chief", path, "unitId");
        assertFalse(theirs.isEmpty(), "chief's gaps");
        for (long u : ids.unitIds()) assertFalse(theirs.contains(u), "chief sees unit " + u);
        Set<Long> all = ids("doperator", path, "unitId");
        assertTrue(all.containsAll(mine) && all.containsAll(theirs), "doperator's gaps");
        // within the caller's subdistrict, a grid narrows as before; another's grid has none
        assertEquals(
                new HashSet<>(ids.unitIds()),
                ids(SecondSubdistrict.CHIEF, path + "&grid=" + ids.gridId(), "unitId"));
        assertEquals(Set.of(), ids("chief", path + "&grid=" + ids.gridId(), "unitId"));
    }
}
