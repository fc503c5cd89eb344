package org.gridgov.workorder;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hotline's category mapping is reference data: edited through the generic API, checked against
 * the categories in force, and holding the categories it names.
 */
@Tag("db")
class HotlineMappingApiTest {

    @BeforeAll
    static void setUp() {
        TestServer.get();
    }

    static Answer send(String method, String path, String body) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(TestServer.base() + path))
                        .header("Authorization", "Bearer " + TestServer.token("admin"))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build());
    }

    @Test
    void aNewMappingTakesOrdersAndHoldsItsCategory() {
        String code =
                "SVC_HOTLINE_MAP_" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Answer cat =
                TestServer.postAs(
                        "admin",
                        "/api/v1/categories",
                        """
                {"code": "%s", "platform": "SERVICE", "nameZh": "热线测试", "nameEn": "Hotline test",
                 "deadlineHours": 24, "weight": 1, "authority": "SUBDISTRICT", "urgency": "NORMAL", "public": false}"""
                                .formatted(code));
        assertEquals(201, cat.status(), cat.body());

        String hotlineCode = "99" + (System.nanoTime() % 10000);
        JsonNode now = TestServer.getAs("admin", "/api/v1/reference/hotline-categories").json();
        ArrayNode rows = ((ArrayNode) now.get("rows")).deepCopy();
        ObjectNode bad = rows.addObject();
        bad.put("sourceSystem", "12345")
                .put("code", hotlineCode)
                .put("name", "热线测试")
                .put("category", "NO_SUCH_CATEGORY");
        Answer refused =
                send("PUT", "/api/v1/reference/hotline-categories", "{\"rows\": " + rows + "}");
        assertEquals(422, refused.status(), refused.body());
        assertEquals(
                "/rows/" + (rows.size() - 1) + "/category", refused.json().get("field").asText());

        bad.put("category", code);
        Answer written =
                send(
                        "PUT",
                        "/api/v1/reference/hotline-categories",
                        "{\"rows\": " + rows + ", \"note\": \"map the test code\"}");
        assertEquals(201, written.status(), written.body());

        // an order of the new code becomes a case of the mapped category
        DemoFixture.Probe p = DemoFixture.probe();
        Answer order =
                TestServer.postAs(
                        "operator",
                        "/api/v1/workorders",
                        WorkOrderApiTest.batch(
                                WorkOrderApiTest.order(
                                        WorkOrderApiTest.no(), hotlineCode, p.lon(), p.lat(), "")));
        assertEquals(201, order.status(), order.body());
        long incident = order.json().at("/orders/0/incidentId").asLong();
        assertEquals(
                code,
                TestServer.getAs("operator", "/api/v1/incidents/" + incident)
                        .json()
                        .get("category")
                        .asText());

        // a category the mapping names cannot be removed
        Answer delete = send("DELETE", "/api/v1/categories/" + code, "");
        assertEquals(409, delete.status(), delete.body());
        assertEquals(
                "https://gridgov.org/problems/category-in-use", delete.json().get("type").asText());
    }
}
