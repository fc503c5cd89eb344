package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every route the server mounts is described in /openapi.json, with each of its methods. */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class OpenApiTest {

    @Test
    void everyMountedRouteIsDocumented() {
        var answer = TestServer.get("/openapi.json");
        assertEquals(200, answer.status());
        JsonNode doc = answer.json();
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        JsonNode paths = doc.get("paths");
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Route route : TestServer.get().router().getRoutes()) {
            String path = route.getPath();
            if (path == null || route.methods() == null) continue; // body handler, failure handler
            String openApiPath = path.replaceAll(":([A-Za-z]+)", "{$1}");
            for (var method : route.methods()) {
                checked++;
                JsonNode op = paths.path(openApiPath).path(method.name().toLowerCase());
                if (op.isMissingNode()) missing.add(method + " " + openApiPath);
                else
                    assertTrue(
                            op.has("responses"),
                            method + " " + openApiPath + " lists its responses");
            }
        }
        assertTrue(checked >= 8, "routes checked: " + checked);
        assertEquals(List.of(), missing, "routes missing from openapi.yaml");
    }
}
