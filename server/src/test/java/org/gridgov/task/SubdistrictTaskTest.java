package org.gridgov.task;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.SecondSubdistrict;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tasks under the isolation rule (docs/access.md): a task belongs to the subdistrict of its
 * community; another subdistrict's staff neither list it, read it nor set one there.
 */
@Tag("db")
@Tag("second-subdistrict")
@ExtendWith(PostgisExtension.class)
class SubdistrictTaskTest {

    @Test
    void anotherSubdistrictsTasksAreNotThere() throws Exception {
        var ids = SecondSubdistrict.install();
        long firstTask =
                TestDatabase.queryLong(
                        "SELECT min(t.id) FROM task t JOIN community c ON c.id = t.community_id"
                                + " WHERE c.subdistrict_id = "
                                + ids.firstSubdistrictId());
        TestServer.Answer mine = TestServer.getAs("chief", "/api/v1/tasks/" + firstTask);
        assertEquals(200, mine.status(), mine.body());
        TestServer.Answer theirs =
                TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/tasks/" + firstTask);
        assertEquals(404, theirs.status(), theirs.body());
        assertTrue(theirs.contentType().startsWith("application/problem+json"));

        TestServer.Answer list = TestServer.getAs(SecondSubdistrict.CHIEF, "/api/v1/tasks");
        assertEquals(200, list.status(), list.body());
        for (JsonNode t : list.json().path("tasks"))
            assertNotEquals(
                    ids.firstSubdistrictId(),
                    TestDatabase.queryLong(
                            "SELECT subdistrict_id FROM community WHERE id = "
                                    + t.path("communityId").asLong()));
        assertFalse(list.body().contains("\"id\":" + firstTask + ","), list.body());
        assertTrue(
                TestServer.getAs("doperator", "/api/v1/tasks")
                        .body()
                        .contains("\"id\":" + firstTask + ","));

        // a task set on a unit of the first subdistrict by the second's centre
        long unit =
                TestDatabase.queryLong(
                        "SELECT min(u.id) FROM base_unit u JOIN community c ON c.id ="
                                + " u.community_id WHERE c.subdistrict_id = "
                                + ids.firstSubdistrictId());
        long before = TestDatabase.queryLong("SELECT count(*) FROM task");
        TestServer.Answer refused =
                TestServer.postAs(
                        SecondSubdistrict.OPERATOR,
                        "/api/v1/tasks",
                        """
                        {"kind": "INSPECTION", "title": "检查", "target": {"type": "UNIT", "id": %d},
                         "dueAt": "%s", "checks": [{"key": "ok", "label": "正常", "type": "YES_NO"}]}"""
                                .formatted(unit, java.time.OffsetDateTime.now().plusDays(3)));
        assertEquals(403, refused.status(), refused.body());
        assertEquals(before, TestDatabase.queryLong("SELECT count(*) FROM task"));
    }
}
