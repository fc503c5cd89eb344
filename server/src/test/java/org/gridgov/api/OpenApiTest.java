package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.gridgov.people.AccessRules;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route the server mounts is described in /openapi.json, with each of its methods, and the
 * document holds what client generators and linters need (Redocly's recommended rules run on it in
 * web-map's npm run lint; the generated client compiles in api-client/).
 */
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

    private static final Pattern CAMEL_CASE = Pattern.compile("^[a-z][A-Za-z0-9]*$");
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private static JsonNode yaml() throws Exception {
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void swaggerParserFindsNothingWrong() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        String text;
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var parsed = new OpenAPIV3Parser().readContents(text, null, options);
        assertEquals(List.of(), parsed.getMessages(), "openapi.yaml as swagger-parser reads it");
        assertNotNull(parsed.getOpenAPI().getComponents().getSecuritySchemes().get("bearer"));
        assertNotNull(parsed.getOpenAPI().getComponents().getSecuritySchemes().get("basic"));
    }

    /**
     * What a client generator and Redocly's recommended rules need of each operation: a unique
     * camelCase operationId, a 4xx answer, and security that says what AccessRules says (public
     * routes allow no credentials: security [] or an empty alternative {}; the others a bearer
     * token; Basic only on /ows, /ogc and /tiles). One message lists every operation lacking one.
     */
    @Test
    void everyOperationHasIdSecurityAndA4xx() throws Exception {
        JsonNode paths = yaml().get("paths");
        Set<String> schemes = new TreeSet<>();
        yaml().path("components")
                .path("securitySchemes")
                .fieldNames()
                .forEachRemaining(schemes::add);
        List<String> problems = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (Map.Entry<String, JsonNode> p : paths.properties()) {
            for (Map.Entry<String, JsonNode> o : p.getValue().properties()) {
                if (!METHODS.contains(o.getKey())) continue;
                String op = o.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey();
                JsonNode node = o.getValue();
                String id = node.path("operationId").asText("");
                if (id.isEmpty())
                    problems.add(op + ": no operationId (add a unique camelCase one)");
                else if (!CAMEL_CASE.matcher(id).matches())
                    problems.add(op + ": operationId " + id + " is not camelCase");
                else if (ids.containsKey(id))
                    problems.add(op + ": operationId " + id + " is also " + ids.get(id) + "'s");
                else ids.put(id, op);
                boolean has4xx = false;
                for (var r : node.path("responses").properties())
                    has4xx |= r.getKey().startsWith("4");
                if (!has4xx) problems.add(op + ": no 4xx response");
                problems.addAll(securityProblems(op, p.getKey(), node.get("security"), schemes));
            }
        }
        assertEquals(List.of(), problems, "operations in openapi.yaml");
    }

    private static List<String> securityProblems(
            String op, String path, JsonNode security, Set<String> schemes) {
        if (security == null)
            return List.of(
                    op
                            + ": no security (public: security: [] or [ {}, { bearer: [] } ];"
                            + " else [ { bearer: [] } ])");
        boolean anonymous = security.isEmpty();
        List<String> problems = new ArrayList<>();
        for (JsonNode alternative : security) {
            if (alternative.isEmpty()) anonymous = true;
            alternative
                    .fieldNames()
                    .forEachRemaining(
                            s -> {
                                if (!schemes.contains(s))
                                    problems.add(op + ": security scheme " + s + " is not defined");
                                if (s.equals("basic") && !path.matches("^/(ows|ogc|tiles)\\b.*"))
                                    problems.add(
                                            op + ": Basic is accepted on /ows, /ogc, /tiles only");
                            });
        }
        String vertxPath = path.replaceAll("\\{([A-Za-z0-9_]+)}", ":$1");
        String method = op.substring(0, op.indexOf(' '));
        AccessRules.Rule rule =
                AccessRules.RULES.stream()
                        .filter(r -> r.method().equals(method) && r.path().equals(vertxPath))
                        .findFirst()
                        .orElse(null);
        if (rule != null && rule.audience().anonymous() != anonymous)
            problems.add(
                    op
                            + ": security says "
                            + (anonymous ? "public" : "a token is needed")
                            + " but AccessRules says "
                            + rule.audience().describe());
        return problems;
    }
}
