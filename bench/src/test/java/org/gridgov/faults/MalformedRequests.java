package org.gridgov.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Malformed requests for every operation of openapi.yaml, from a seeded {@link Random}: each
 * request breaks one rule of its operation (a path or query parameter of the wrong type or out of
 * range, a body that is not JSON, a field missing, of the wrong type, too long, NaN, bad UTF-8, a
 * wrong content type, an oversized body). None is a valid request, so each must be refused with a
 * 4xx and must not write.
 */
// swagger-models declares Schema#getProperties() and getItems() with the raw type Schema.
@SuppressWarnings("rawtypes")
final class MalformedRequests {

    /** One request to send; {@code user} is a demo account, or null for anonymous. */
    record Probe(
            String method,
            String path,
            String contentType,
            byte[] body,
            String user,
            String what,
            Map<String, String> headers) {
        Probe(
                String method,
                String path,
                String contentType,
                byte[] body,
                String user,
                String what) {
            this(method, path, contentType, body, user, what, Map.of());
        }

        @Override
        public String toString() {
            return method
                    + " "
                    + (path.length() > 160 ? path.substring(0, 160) + "…" : path)
                    + " ["
                    + what
                    + "]"
                    + (user == null ? " anonymous" : " as " + user);
        }
    }

    /** Values that make a valid-looking base request: real ids and codes of the test database. */
    record Known(
            long incidentId, long planId, long staffId, String category, double lon, double lat) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Larger than the server's default body limit (64 KiB) and the OGC gateway's (256 KiB). */
    private static final int OVERSIZED = 300 * 1024;

    private static final String[] BAD_IDS = {
        "abc",
        "-1",
        "0",
        "1.5",
        "99999999999999999999",
        "NaN",
        "%FF%FE",
        "1e309",
        "%00",
        "x".repeat(3000)
    };
    private static final String[] BAD_NUMBERS = {
        "abc", "-1", "1e999", "-1e999", "99999999999999999999999", "NaN", "Infinity", "0x10", "%FF"
    };
    private static final String[] BAD_TIMES = {
        "yesterday",
        "2024-13-45T00:00:00Z",
        "2024-02-30T25:61:00+08:00",
        "9999999999-01-01T00:00:00Z",
        "%FF%FE",
        "NaN"
    };
    private static final String[] BAD_BBOXES = {
        "1,2,3",
        "a,b,c,d",
        "NaN,0,1,1",
        "120.3,30.2,120.2,30.1",
        "1e999,0,1,1",
        ",,,",
        "%FF,1,2,3",
        "1,2,3,4,5"
    };
    private static final String[] BAD_STRINGS = {
        "%FF%FE", "%C3%28", "%ED%A0%80", "NOT_A_VALUE_%E2%82", "x".repeat(5000)
    };

    private final OpenAPI api;
    private final Random random;
    private final Known known;
    private final List<Probe> out = new ArrayList<>();

    MalformedRequests(String openApiYaml, long seed, Known known) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        this.api = new OpenAPIV3Parser().readContents(openApiYaml, null, options).getOpenAPI();
        if (api == null) throw new IllegalStateException("openapi.yaml did not parse");
        this.random = new Random(seed);
        this.known = known;
    }

    /**
     * At least {@code minimum} probes over every operation: every kind once per operation, then
     * random rounds.
     */
    List<Probe> generate(int minimum) {
        // the defects this generator found, each sent on every run whatever the seed
        out.add(
                new Probe(
                        "GET",
                        "/api/v1/analytics/hotspots?fdr=2",
                        null,
                        null,
                        "operator",
                        "fdr neither true nor false"));
        out.add(
                new Probe(
                        "GET",
                        "/api/v1/staff?limit=5001",
                        null,
                        null,
                        "operator",
                        "limit over its maximum"));
        out.add(
                new Probe(
                        "POST",
                        "/ows",
                        "application/x-www-form-urlencoded",
                        "SERVICE=WMS&REQUEST=GetMap&LAYERS=%ZZ".getBytes(StandardCharsets.UTF_8),
                        "operator",
                        "form with a bad %-escape"));
        out.add(
                new Probe(
                        "POST",
                        "/open311/v2/requests.json",
                        "application/x-www-form-urlencoded",
                        concat(
                                "service_code="
                                        + known.category()
                                        + "&lat="
                                        + known.lat()
                                        + "&long="
                                        + known.lon()
                                        + "&description=",
                                new byte[] {(byte) 0xff, (byte) 0xfe}),
                        null,
                        "form value not UTF-8"));
        for (int round = 0; out.size() < minimum || round == 0; round++) {
            for (var path : api.getPaths().entrySet()) {
                for (var op : path.getValue().readOperationsMap().entrySet()) {
                    operation(op.getKey(), path.getKey(), op.getValue());
                }
            }
        }
        return out;
    }

    /** How many operations the document has (the generator covers each). */
    int operations() {
        return api.getPaths().values().stream().mapToInt(p -> p.readOperationsMap().size()).sum();
    }

    private void operation(PathItem.HttpMethod httpMethod, String template, Operation op) {
        String method = httpMethod.name();
        List<Parameter> params = op.getParameters() == null ? List.of() : op.getParameters();
        Map<String, String> validPath = new LinkedHashMap<>();
        for (Parameter p : params)
            if ("path".equals(p.getIn()))
                validPath.put(p.getName(), validPathValue(template, p.getName()));
        String user = userFor(template, method);
        Function<Map<String, String>, String> fill =
                values -> {
                    String s = template;
                    for (var e : values.entrySet())
                        s = s.replace("{" + e.getKey() + "}", e.getValue());
                    return s;
                };
        String validPathString = fill.apply(validPath);
        String baseQuery =
                template.equals("/ows") ? "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap" : null;

        // a path parameter that is not a valid value
        for (String name : validPath.keySet()) {
            Map<String, String> bad = new LinkedHashMap<>(validPath);
            String v;
            do v = pick(BAD_IDS);
            while (v.equals("0") && List.of("z", "x", "y").contains(name)); // tile 0 is a tile
            bad.put(name, v);
            add(
                    method,
                    fill.apply(bad),
                    op,
                    user,
                    "path " + name + "=" + abbreviate(bad.get(name)));
        }
        // a query parameter of the wrong type, out of range, or given twice
        for (Parameter p : params) {
            if (!"query".equals(p.getIn())) continue;
            String bad = badQueryValue(p, template);
            String q = p.getName() + "=" + bad;
            if (baseQuery != null
                    && !p.getName().equals("SERVICE")
                    && !p.getName().equals("REQUEST")) q = baseQuery + "&" + q;
            if (template.equals("/ows") && p.getName().equals("SERVICE")) q = "REQUEST=GetMap&" + q;
            add(method, validPathString + "?" + q, op, user, "query " + abbreviate(q));
            if (random.nextInt(4) == 0 && !template.equals("/ows")) {
                String twice = p.getName() + "=1&" + p.getName() + "=2";
                add(method, validPathString + "?" + twice, op, user, "query twice " + p.getName());
            }
        }
        // a header parameter (Idempotency-Key) out of its rules, on an otherwise valid request
        for (Parameter p : params) {
            // only Idempotency-Key has rules; other headers (If-None-Match, Last-Event-ID) are
            // hints a server may ignore
            if (!"header".equals(p.getIn()) || !p.getName().equals("Idempotency-Key")) continue;
            String bad = pick(new String[] {"x".repeat(201), "has space", "tab\there", ""});
            out.add(
                    new Probe(
                            method,
                            validPathString,
                            "application/json",
                            bodyFor(op).getBytes(StandardCharsets.UTF_8),
                            user,
                            "header " + p.getName() + "=" + abbreviate(bad),
                            Map.of(p.getName(), bad)));
        }
        if (template.equals("/ows") && method.equals("GET")) owsQueries(op, user);
        if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) return;
        var content = op.getRequestBody().getContent();
        if (content.containsKey("application/json"))
            jsonBodies(method, validPathString, op, user, content.get("application/json"));
        if (content.containsKey("application/x-www-form-urlencoded"))
            formBodies(
                    method,
                    validPathString,
                    op,
                    user,
                    content.get("application/x-www-form-urlencoded"));
        if (content.containsKey("text/xml")) xmlBodies(method, validPathString, op, user);
        if (content.containsKey("application/octet-stream"))
            binaryBodies(method, validPathString, op, user);
    }

    private void add(String method, String path, Operation op, String user, String what) {
        add(method, path, null, null, user, what, op);
    }

    private void add(
            String method,
            String path,
            String contentType,
            byte[] body,
            String user,
            String what,
            Operation op) {
        // one in eight goes anonymous: the refusal (401, or the handler's own 4xx on public
        // operations) must be a 4xx too
        String who = random.nextInt(8) == 0 ? null : user;
        if (method.equals("POST") && body == null) {
            // a POST whose fault is in its path or query still sends a body, the right kind when
            // there is one
            contentType = "application/json";
            body = bodyFor(op).getBytes(StandardCharsets.UTF_8);
        }
        out.add(new Probe(method, path, contentType, body, who, what));
    }

    /**
     * The demo account that may use the operation, so the refusal comes from its handler, not from
     * authorisation.
     */
    private static String userFor(String template, String method) {
        if (template.startsWith("/api/v1/plans")
                || template.startsWith("/api/v1/imports")
                || template.startsWith("/api/v1/jobs")
                || template.startsWith("/api/v1/grids")) return "planner";
        if (template.startsWith("/api/v1/staff"))
            return method.equals("POST") ? "admin" : "operator";
        if (template.startsWith("/api/v1/analytics/kpis")) return "director";
        return "operator";
    }

    private String validPathValue(String template, String name) {
        return switch (name) {
            case "id" -> {
                if (template.startsWith("/api/v1/incidents") || template.startsWith("/open311"))
                    yield String.valueOf(known.incidentId());
                if (template.startsWith("/api/v1/plans")) yield String.valueOf(known.planId());
                if (template.startsWith("/api/v1/staff")) yield String.valueOf(known.staffId());
                yield "1";
            }
            case "a", "b" -> String.valueOf(known.planId());
            case "z" -> "14";
            case "x" -> "13700";
            case "y" -> "6700";
            case "layer" -> "incidents";
            case "collectionId" -> "grids";
            case "featureId" -> "1";
            case "queue" -> "no-owner";
            case "code" -> known.category();
            default -> "1";
        };
    }

    private String badQueryValue(Parameter p, String template) {
        Schema<?> s = p.getSchema();
        String type = s == null ? "string" : String.valueOf(s.getType());
        if (p.getName().equals("bbox")) return pick(BAD_BBOXES);
        if (s != null && s.getEnum() != null && !s.getEnum().isEmpty())
            return random.nextBoolean() ? "NOT_A_VALUE" : pick(BAD_STRINGS);
        if ("date-time".equals(s == null ? null : s.getFormat())
                || p.getName().equals("from")
                || p.getName().equals("to")
                || p.getName().equals("at")) return pick(BAD_TIMES);
        return switch (type) {
            case "integer", "number" -> {
                // OGC API Features serves a limit over its maximum as the maximum, not as an error
                // (OGC 17-069r4, 7.15.3); below its minimum is wrong there too
                boolean overIsValid = template.startsWith("/ogc/") && p.getName().equals("limit");
                if (s.getMaximum() != null && !overIsValid && random.nextBoolean())
                    yield s.getMaximum().add(java.math.BigDecimal.ONE).toPlainString();
                if (s.getMinimum() != null && random.nextBoolean())
                    yield s.getMinimum().subtract(java.math.BigDecimal.ONE).toPlainString();
                yield pick(BAD_NUMBERS);
            }
            case "boolean" -> pick(new String[] {"maybe", "2", "%FF"});
            default -> pick(BAD_STRINGS);
        };
    }

    /**
     * Broken OGC key-value requests: the gateway must answer an OGC exception report, never 5xx.
     */
    private void owsQueries(Operation op, String user) {
        String map =
                "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:4326&FORMAT=image/png";
        String[] bad = {
            map + "&BBOX=30.1,120.2,30.2,120.3&WIDTH=-5&HEIGHT=64",
            map + "&BBOX=30.1,120.2,30.2,120.3&WIDTH=100000&HEIGHT=100000",
            map + "&BBOX=NaN,120.2,30.2,120.3&WIDTH=64&HEIGHT=64",
            map + "&BBOX=1,2,3&WIDTH=64&HEIGHT=64",
            map + "&BBOX=30.1,120.2,30.2,120.3&WIDTH=abc&HEIGHT=64",
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=%FF%FE&STYLES=&CRS=EPSG:4326&BBOX=30.1,120.2,30.2,120.3&WIDTH=64&HEIGHT=64&FORMAT=image/png",
            "SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=communities&STYLES=&CRS=EPSG:99999999&BBOX=30.1,120.2,30.2,120.3&WIDTH=64&HEIGHT=64&FORMAT=image/png",
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&COUNT=-1",
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&STARTINDEX=abc",
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&FILTER=%3Cnot-xml",
            "SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=%C3%28",
            // not VERSION=9.9.9 with GetCapabilities: that is version negotiation (WMS 1.3.0
            // 6.2.4), answered with the highest version offered
            "SERVICE=WCS&REQUEST=GetCapabilities",
            "SERVICE=WMS&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX=30.1,120.2,30.2,120.3&WIDTH=64&HEIGHT=64&FORMAT=image/png&VERSION=1.3.0&from=yesterday",
            "SERVICE=WMS&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX=30.1,120.2,30.2,120.3&WIDTH=64&HEIGHT=64&FORMAT=image/png&VERSION=1.3.0&category=%FF",
        };
        add("GET", "/ows?" + bad[random.nextInt(bad.length)], op, user, "ows kvp");
    }

    // ---- JSON bodies ----

    private void jsonBodies(
            String method, String path, Operation op, String user, MediaType media) {
        Schema<?> schema = media.getSchema();
        String base = bodyFor(op);
        // bodies that are not the JSON object asked for
        String[] broken = {
            "",
            "{",
            "{\"a\":",
            "not json",
            "[]",
            "\"a string\"",
            "42",
            "null",
            "true",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
            "{\"a\":1,\"a\":2}",
            "{} trailing",
            "{'single':'quotes'}",
            "{\"a\":\"\\uZZZZ\"}",
            "/* comment */ {}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001),
        };
        String b = broken[random.nextInt(broken.length)];
        add(
                method,
                path,
                "application/json",
                b.getBytes(StandardCharsets.UTF_8),
                user,
                "body " + abbreviate(b),
                op);
        add(method, path, "application/json", badUtf8(base), user, "body with bad UTF-8", op);
        add(method, path, "application/json", oversized(base), user, "oversized body", op);
        String wrongType =
                pick(
                        new String[] {
                            "text/plain",
                            "application/xml",
                            "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x",
                            "image/png"
                        });
        byte[] wrongBody =
                wrongType.startsWith("application/x-www")
                        ? "a=%FF&b".getBytes(StandardCharsets.UTF_8)
                        : "<x>not json</x>".getBytes(StandardCharsets.UTF_8);
        add(method, path, wrongType, wrongBody, user, "content type " + wrongType, op);
        add(
                method,
                path,
                "application/json; charset=utf-16",
                new byte[] {(byte) 0xfe, (byte) 0xff, 0, '{', 0, 'x'},
                user,
                "utf-16 garbage",
                op);
        if (schema == null || schema.getProperties() == null || schema.getProperties().isEmpty())
            return;
        ObjectNode valid = (ObjectNode) readTree(base);
        // one field broken at a time
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (String field : required) {
            ObjectNode n = valid.deepCopy();
            n.remove(field);
            add(method, path, "application/json", bytes(n), user, "missing " + field, op);
            ObjectNode nul = valid.deepCopy();
            nul.putNull(field);
            add(method, path, "application/json", bytes(nul), user, "null " + field, op);
        }
        for (var e : schema.getProperties().entrySet()) {
            ObjectNode n = valid.deepCopy();
            JsonNode bad = badJsonValue(e.getValue());
            n.set(e.getKey(), bad);
            add(
                    method,
                    path,
                    "application/json",
                    bytes(n),
                    user,
                    e.getKey() + "=" + abbreviate(bad.toString()),
                    op);
            Schema<?> inner = e.getValue();
            if ("array".equals(inner.getType())
                    && inner.getItems() != null
                    && inner.getItems().getProperties() != null) {
                // an element of the array with one broken field
                for (var ie : inner.getItems().getProperties().entrySet()) {
                    ObjectNode m = valid.deepCopy();
                    ObjectNode item = (ObjectNode) sample(inner.getItems(), ie.getKey());
                    item.set(ie.getKey(), badJsonValue(ie.getValue()));
                    m.putArray(e.getKey()).add(item);
                    add(
                            method,
                            path,
                            "application/json",
                            bytes(m),
                            user,
                            e.getKey() + "[0]." + ie.getKey() + " bad",
                            op);
                }
            }
        }
        if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
            ObjectNode n = valid.deepCopy();
            n.put("unexpected" + random.nextInt(1000), "extra");
            add(method, path, "application/json", bytes(n), user, "extra field", op);
        }
        // a NaN number written as a bare token, which strict JSON refuses
        for (var e : schema.getProperties().entrySet()) {
            if ("number".equals(e.getValue().getType())
                    || "integer".equals(e.getValue().getType())) {
                String s = bytesToString(valid).replaceFirst("\\{", "{\"" + e.getKey() + "\":NaN,");
                add(
                        method,
                        path,
                        "application/json",
                        s.getBytes(StandardCharsets.UTF_8),
                        user,
                        e.getKey() + ":NaN literal",
                        op);
                break;
            }
        }
    }

    private JsonNode badJsonValue(Schema<?> s) {
        String type = s.getType();
        if (s.getOneOf() != null && !s.getOneOf().isEmpty()) {
            // a location-like union: an object matching none of the branches
            return pick(
                    new JsonNode[] {
                        NODES.textNode("120.3,30.2"),
                        objectOf("lon", NODES.textNode("east"), "lat", NODES.numberNode(30)),
                        objectOf("lon", NODES.numberNode(1e300), "lat", NODES.numberNode(-1e300)),
                        objectOf("type", NODES.textNode("Point"), "coordinates", NODES.arrayNode())
                    });
        }
        if (s.getEnum() != null && !s.getEnum().isEmpty())
            return pick(
                    new JsonNode[] {
                        NODES.textNode("NOT_A_VALUE"), NODES.numberNode(7), NODES.arrayNode()
                    });
        if (type == null) return NODES.textNode("\u0000");
        return switch (type) {
            case "string" -> {
                if ("date-time".equals(s.getFormat()))
                    yield NODES.textNode(pick(BAD_TIMES).replace("%FF%FE", "\uFFFF"));
                if (s.getMaxLength() != null)
                    yield NODES.textNode("x".repeat(s.getMaxLength() + 1));
                yield pick(
                        new JsonNode[] {
                            NODES.objectNode().put("nested", 1),
                            NODES.arrayNode().add(1),
                            NODES.booleanNode(true)
                        });
            }
            case "integer" ->
                    pick(
                            new JsonNode[] {
                                NODES.textNode("abc"),
                                NODES.numberNode(1.5),
                                NODES.numberNode(
                                        new java.math.BigInteger("99999999999999999999999")),
                                NODES.numberNode(
                                        s.getMinimum() != null
                                                ? s.getMinimum().longValue() - 1
                                                : Long.MIN_VALUE),
                                NODES.numberNode(
                                        s.getMaximum() != null
                                                ? s.getMaximum().longValue() + 1
                                                : -99999999999L)
                            });
            case "number" ->
                    pick(
                            new JsonNode[] {
                                NODES.textNode("NaN"),
                                NODES.textNode("abc"),
                                NODES.numberNode(new java.math.BigDecimal("1e400")),
                                NODES.numberNode(-1e300),
                                NODES.objectNode()
                            });
            case "boolean" -> pick(new JsonNode[] {NODES.textNode("maybe"), NODES.numberNode(2)});
            case "array" ->
                    pick(
                            new JsonNode[] {
                                NODES.objectNode(),
                                NODES.textNode("not a list"),
                                s.getMaxItems() != null
                                        ? repeated(s.getMaxItems() + 1)
                                        : NODES.arrayNode()
                                                .add(NODES.arrayNode().add(NODES.arrayNode()))
                            });
            case "object" ->
                    pick(
                            new JsonNode[] {
                                NODES.textNode("not an object"),
                                NODES.arrayNode(),
                                NODES.numberNode(1)
                            });
            default -> NODES.nullNode();
        };
    }

    private ArrayNode repeated(int n) {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < n; i++) a.add(NODES.objectNode().put("bad", i));
        return a;
    }

    /** A request body that would pass, or nearly: the base each body fault is applied to. */
    private String bodyFor(Operation op) {
        if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) return "{}";
        MediaType json = op.getRequestBody().getContent().get("application/json");
        if (json == null || json.getSchema() == null) return "{}";
        return bytesToString(sample(json.getSchema(), null));
    }

    private JsonNode sample(Schema<?> s, String name) {
        if (s.getOneOf() != null && !s.getOneOf().isEmpty())
            return sample(s.getOneOf().get(0), name);
        if (s.getEnum() != null && !s.getEnum().isEmpty()) {
            Object first =
                    name != null && name.equals("channel") ? "PUBLIC_ONLINE" : s.getEnum().get(0);
            return first instanceof Number num
                    ? NODES.numberNode(num.longValue())
                    : NODES.textNode(String.valueOf(first));
        }
        String type = s.getType() == null ? "object" : s.getType();
        return switch (type) {
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                if (s.getProperties() != null)
                    for (var e : s.getProperties().entrySet())
                        o.set(e.getKey(), sample(e.getValue(), e.getKey()));
                yield o;
            }
            case "array" ->
                    s.getItems() == null
                            ? NODES.arrayNode()
                            : NODES.arrayNode().add(sample(s.getItems(), name));
            case "integer" ->
                    NODES.numberNode(
                            name != null && name.endsWith("Id")
                                    ? known.staffId()
                                    : s.getMinimum() != null ? s.getMinimum().longValue() : 1);
            case "number" ->
                    NODES.numberNode(
                            "lat".equals(name)
                                    ? known.lat()
                                    : "lon".equals(name) ? known.lon() : 1.0);
            case "boolean" -> NODES.booleanNode(false);
            default -> {
                if ("date-time".equals(s.getFormat()))
                    yield NODES.textNode(java.time.OffsetDateTime.now().minusMinutes(1).toString());
                yield NODES.textNode(
                        switch (name == null ? "" : name) {
                            case "category", "service_code" -> known.category();
                            case "username" -> "operator";
                            case "password" -> "demo";
                            default -> "malformed-input probe";
                        });
            }
        };
    }

    // ---- form, XML and binary bodies ----

    private void formBodies(
            String method, String path, Operation op, String user, MediaType media) {
        String valid =
                "service_code="
                        + known.category()
                        + "&lat="
                        + known.lat()
                        + "&long="
                        + known.lon()
                        + "&description=probe";
        String[] bad = {
            valid.replace("lat=" + known.lat(), "lat=abc"),
            valid.replace("long=" + known.lon(), "long=NaN"),
            valid.replace("lat=" + known.lat(), "lat=1e999"),
            valid.replace("service_code=" + known.category(), "service_code=%FF%FE"),
            valid.replace("service_code=" + known.category() + "&", ""),
            valid + "&lat=1",
            valid.replace("&long=" + known.lon(), ""),
            valid.replace("lat=" + known.lat(), "lat=%ZZ"),
            valid.replace("lat=" + known.lat(), "lat=-1e300"),
            "service_code",
        };
        String b = bad[random.nextInt(bad.length)];
        add(
                method,
                path,
                "application/x-www-form-urlencoded",
                b.getBytes(StandardCharsets.UTF_8),
                user,
                "form " + abbreviate(b),
                op);
        add(
                method,
                path,
                "application/x-www-form-urlencoded",
                oversized(valid),
                user,
                "oversized form",
                op);
        add(
                method,
                path,
                "application/x-www-form-urlencoded",
                concat(
                        valid.replace("description=probe", "description="),
                        new byte[] {(byte) 0xc3, 0x28}),
                user,
                "form bad UTF-8",
                op);
    }

    private void xmlBodies(String method, String path, Operation op, String user) {
        String[] bad = {
            "<not-closed",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\" version=\"2.0.0\"><wfs:Query typeNames=\"%FF\"/></wfs:GetFeature>",
            "<wfs:GetFeature xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" service=\"WFS\" version=\"2.0.0\" count=\"-1\"><wfs:Query typeNames=\"grids\"/></wfs:GetFeature>",
            "<unknown/>",
            "",
        };
        String b = bad[random.nextInt(bad.length)];
        add(
                method,
                path,
                "text/xml",
                b.getBytes(StandardCharsets.UTF_8),
                user,
                "xml " + abbreviate(b),
                op);
        add(
                method,
                path,
                "application/xml",
                oversized("<x>" + "a".repeat(10) + "</x>"),
                user,
                "oversized xml",
                op);
        add(
                method,
                path,
                "text/xml",
                new byte[] {'<', 'x', '>', (byte) 0xff, (byte) 0xfe, '<', '/', 'x', '>'},
                user,
                "xml bad UTF-8",
                op);
    }

    /**
     * Uploads are judged by their content in a job (202, then a report); only bytes of no known
     * kind are refused at once.
     */
    private void binaryBodies(String method, String path, Operation op, String user) {
        byte[] garbage = new byte[2048];
        random.nextBytes(garbage);
        garbage[0] = 0; // not PK, SQLite or '{'
        add(method, path, "application/octet-stream", garbage, user, "random bytes", op);
        add(method, path, "application/octet-stream", new byte[0], user, "empty upload", op);
        add(
                method,
                path,
                "text/plain",
                "\u0000 plain text".getBytes(StandardCharsets.UTF_8),
                user,
                "text instead of a file",
                op);
    }

    // ---- helpers ----

    private byte[] badUtf8(String base) {
        String marker = "\u0001MARK\u0001";
        String withMarker =
                base.startsWith("{") && base.length() > 2
                        ? "{\"description\":\"" + marker + "\"," + base.substring(1)
                        : "{\"description\":\"" + marker + "\"}";
        byte[] b = withMarker.getBytes(StandardCharsets.UTF_8);
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(b, m);
        byte[] bad =
                pick(
                        new byte[][] {
                            {(byte) 0xff, (byte) 0xfe},
                            {(byte) 0xc3, 0x28},
                            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
                        });
        byte[] out = new byte[b.length - m.length + bad.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(b, at + m.length, out, at + bad.length, b.length - at - m.length);
        return out;
    }

    private static byte[] oversized(String base) {
        StringBuilder sb = new StringBuilder(OVERSIZED + base.length());
        if (base.startsWith("{"))
            sb.append("{\"padding\":\"")
                    .append("x".repeat(OVERSIZED))
                    .append("\",")
                    .append(base.substring(1));
        else sb.append(base).append("&padding=").append("x".repeat(OVERSIZED));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    private static byte[] concat(String a, byte[] b) {
        return concat(a.getBytes(StandardCharsets.UTF_8), b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ObjectNode objectOf(String k1, JsonNode v1, String k2, JsonNode v2) {
        ObjectNode o = NODES.objectNode();
        o.set(k1, v1);
        o.set(k2, v2);
        return o;
    }

    private static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        return bytesToString(n).getBytes(StandardCharsets.UTF_8);
    }

    private static String bytesToString(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
