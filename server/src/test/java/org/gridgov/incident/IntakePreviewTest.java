package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** POST /api/v1/incidents/preview: intake's routing, nothing stored. */
@Tag("db")
class IntakePreviewTest {

    static DemoFixture.Probe probe;

    @BeforeAll
    static void setUp() {
        TestServer.get();
        probe = DemoFixture.probe();
    }

    static long incidents() throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT (SELECT count(*) FROM incident) + (SELECT count(*) FROM incident_event)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void previewsTheRoutingIntakeThenGivesWithoutStoringAnything() throws Exception {
        String body = DemoFixture.report(DemoFixture.subdistrictCategory());
        long before = incidents();
        Answer p = TestServer.postAs("operator", "/api/v1/incidents/preview", body);
        assertEquals(200, p.status(), p.body());
        assertEquals(before, incidents(), "a preview stores nothing");
        JsonNode r = p.json().get("routing");
        assertEquals(probe.gridId(), r.get("gridId").asLong());
        assertEquals(probe.gridCode(), r.get("gridCode").asText());
        assertEquals(probe.communityId(), r.get("communityId").asLong());
        assertEquals(probe.workerId().longValue(), r.get("assigneeId").asLong());
        assertEquals("ENFORCEMENT", r.get("platform").asText());
        assertEquals("ACCEPT", p.json().at("/firstStep/step").asText(), p.body());
        assertFalse(p.json().at("/firstStep/dueAt").asText().isEmpty());

        Answer filed = TestServer.postAs("operator", "/api/v1/incidents", body);
        assertEquals(201, filed.status(), filed.body());
        JsonNode fr = filed.json().get("routing");
        for (String f :
                new String[] {
                    "gridId", "gridCode", "communityId", "platform", "assigneeId", "jurisdiction"
                }) {
            assertEquals(r.get(f), fr.get(f), "preview and intake agree on " + f);
        }
    }

    @Test
    void aDistrictMatterIsPreviewedAsPassedOn() {
        Answer p =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/preview",
                        DemoFixture.report(DemoFixture.districtCategory()));
        assertEquals(200, p.status(), p.body());
        assertEquals("DISTRICT", p.json().at("/routing/jurisdiction").asText());
        assertTrue(p.json().at("/routing/assigneeId").isNull());
    }

    @Test
    void badReportsGetTheSameProblemsAsIntake() {
        Answer noCategory =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/preview",
                        "{\"channel\": \"HOTLINE\", \"location\": {\"lon\": "
                                + probe.lon()
                                + ", \"lat\": "
                                + probe.lat()
                                + "}}");
        assertEquals(422, noCategory.status(), noCategory.body());
        assertEquals("application/problem+json", noCategory.contentType());
        assertEquals("/category", noCategory.json().get("field").asText());

        Answer outside =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents/preview",
                        DemoFixture.report(DemoFixture.subdistrictCategory(), 10.0, 50.0));
        assertEquals(422, outside.status(), outside.body());
        assertTrue(outside.json().get("type").asText().endsWith("/out-of-area"));

        Answer text =
                TestServer.post(
                        "/api/v1/incidents/preview", "category=x", "Content-Type", "text/plain");
        assertEquals(415, text.status());

        Answer broken =
                TestServer.postAs("operator", "/api/v1/incidents/preview", "{\"category\":");
        assertEquals(400, broken.status());
        assertEquals("application/problem+json", broken.contentType());
    }
}
