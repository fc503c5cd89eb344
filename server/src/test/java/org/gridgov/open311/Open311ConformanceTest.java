package org.gridgov.open311;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * GeoReport v2 as a conforming client finds it: from the discovery document to the endpoint, then
 * every field the specification lists for services, service definitions and requests, present and
 * of its type, in JSON and in XML (parsed); jurisdiction_id checked everywhere; bad attributes
 * refused with nothing stored.
 */
@Tag("db")
class Open311ConformanceTest {

    /** How a field's value must look. */
    enum Kind {
        TEXT,
        TEXT_OR_NULL,
        BOOL,
        NUMBER,
        POSITIVE_INT,
        DATETIME,
        DATETIME_OR_NULL,
        LIST
    }

    static final Map<String, Kind> SERVICE =
            fields(
                    "service_code", Kind.TEXT,
                    "service_name", Kind.TEXT,
                    "description", Kind.TEXT_OR_NULL,
                    "metadata", Kind.BOOL,
                    "type", Kind.TEXT,
                    "keywords", Kind.TEXT_OR_NULL,
                    "group", Kind.TEXT_OR_NULL);
    static final Map<String, Kind> ATTRIBUTE =
            fields(
                    "variable", Kind.BOOL,
                    "code", Kind.TEXT,
                    "datatype", Kind.TEXT,
                    "required", Kind.BOOL,
                    "datatype_description", Kind.TEXT_OR_NULL,
                    "order", Kind.POSITIVE_INT,
                    "description", Kind.TEXT,
                    "values", Kind.LIST);
    static final Map<String, Kind> VALUE = fields("key", Kind.TEXT, "name", Kind.TEXT);
    static final Map<String, Kind> REQUEST =
            fields(
                    "service_request_id", Kind.TEXT,
                    "status", Kind.TEXT,
                    "status_notes", Kind.TEXT_OR_NULL,
                    "service_name", Kind.TEXT,
                    "service_code", Kind.TEXT,
                    "description", Kind.TEXT_OR_NULL,
                    "agency_responsible", Kind.TEXT_OR_NULL,
                    "service_notice", Kind.TEXT_OR_NULL,
                    "requested_datetime", Kind.DATETIME,
                    "updated_datetime", Kind.DATETIME,
                    "expected_datetime", Kind.DATETIME_OR_NULL,
                    "address", Kind.TEXT_OR_NULL,
                    "address_id", Kind.TEXT_OR_NULL,
                    "zipcode", Kind.TEXT_OR_NULL,
                    "lat", Kind.NUMBER,
                    "long", Kind.NUMBER,
                    "media_url", Kind.TEXT_OR_NULL);
    static final Map<String, Kind> CREATED =
            fields(
                    "service_request_id", Kind.TEXT,
                    "service_notice", Kind.TEXT_OR_NULL,
                    "account_id", Kind.TEXT_OR_NULL);
    static final Map<String, Kind> DISCOVERY =
            fields(
                    "changeset", Kind.TEXT,
                    "contact", Kind.TEXT,
                    "key_service", Kind.TEXT,
                    "endpoints", Kind.LIST);
    static final Map<String, Kind> ENDPOINT =
            fields(
                    "specification", Kind.TEXT,
                    "url", Kind.TEXT,
                    "changeset", Kind.TEXT,
                    "type", Kind.TEXT,
                    "formats", Kind.LIST);

    static Map<String, Kind> fields(Object... kv) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Kind) kv[i + 1]);
        return m;
    }

    static double lon, lat;
    static String jurisdiction;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT ST_X(p), ST_Y(p), (SELECT min(code) FROM jurisdiction WHERE"
                                        + " kind = 'SUBDISTRICT') FROM grid g,"
                                        + " LATERAL ST_PointOnSurface(g.geom) p ORDER BY g.id"
                                        + " LIMIT 1 OFFSET 7")) {
            rs.next();
            lon = rs.getDouble(1);
            lat = rs.getDouble(2);
            jurisdiction = rs.getString(3);
        }
        assertNotNull(jurisdiction);
    }

    // ------------------------------------------------------------------ the walk

    @Test
    void fromDiscoveryToEveryEndpointInJsonAndXml() throws Exception {
        for (String discovery : List.of("/open311/discovery", "/open311/v2/discovery")) {
            String endpoint = discover(discovery + ".json", false);
            assertEquals(endpoint, discover(discovery + ".xml", true), "both formats agree");
            assertEquals(TestServer.base() + "/open311/v2", endpoint, "the address asked");
            String path = URI.create(endpoint).getPath();
            walk(path, false);
            walk(path, true);
        }
    }

    /**
     * The endpoint's address is gridgov's public address as OGC capabilities write it: an
     * X-Forwarded-Host from a client that is not a trusted proxy is not believed.
     */
    @Test
    void theEndpointAddressIsNotTakenFromAnUntrustedClient() throws Exception {
        Answer a =
                TestServer.send(
                        java.net.http.HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/open311/discovery.json"))
                                .header("X-Forwarded-Host", "evil.example")
                                .header("X-Forwarded-Proto", "https")
                                .GET()
                                .build());
        assertEquals(200, a.status());
        assertEquals(TestServer.base() + "/open311/v2", a.json().at("/endpoints/0/url").asText());
    }

    /** Checks the discovery document and answers its GeoReport v2 endpoint's url. */
    static String discover(String path, boolean xml) throws Exception {
        Answer a = TestServer.get(path);
        assertEquals(200, a.status(), a.body());
        assertTrue(a.contentType().startsWith(xml ? "text/xml" : "application/json"));
        Doc d = xml ? Doc.xml(a.body(), "discovery") : Doc.json(a.json());
        d.check(DISCOVERY);
        List<Doc> endpoints = d.list("endpoints", "endpoint");
        assertEquals(1, endpoints.size());
        Doc e = endpoints.get(0);
        e.check(ENDPOINT);
        assertEquals("http://wiki.open311.org/GeoReport_v2", e.text("specification"));
        assertEquals("production", e.text("type"));
        assertEquals(
                List.of("text/xml", "application/json"),
                e.list("formats", "format").stream().map(Doc::value).toList());
        assertEquals(d.text("changeset"), e.text("changeset"));
        assertTrue(d.text("changeset").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        return e.text("url");
    }

    static void walk(String base, boolean xml) throws Exception {
        String f = xml ? ".xml" : ".json";
        String j = "?jurisdiction_id=" + jurisdiction;
        Answer services = TestServer.get(base + "/services" + f + j);
        assertEquals(200, services.status(), services.body());
        List<Doc> list = items(services, xml, "services", "service");
        assertTrue(list.size() > 40, "services: " + list.size());
        int withMetadata = 0;
        for (Doc s : list) {
            s.check(SERVICE);
            assertTrue(List.of("realtime", "batch", "blackbox").contains(s.text("type")));
            String code = s.text("service_code");
            Answer def = TestServer.get(base + "/services/" + code + f + j);
            assertEquals(200, def.status(), def.body());
            Doc d = xml ? Doc.xml(def.body(), "service_definition") : Doc.json(def.json());
            assertEquals(code, d.text("service_code"));
            List<Doc> attributes = d.list("attributes", "attribute");
            assertEquals(
                    Boolean.parseBoolean(s.text("metadata")),
                    !attributes.isEmpty(),
                    code + ": metadata says whether there are attributes");
            if (!attributes.isEmpty()) withMetadata++;
            List<Integer> orders = new ArrayList<>();
            for (Doc a : attributes) {
                a.check(ATTRIBUTE);
                String type = a.text("datatype");
                assertTrue(
                        List.of(
                                        "string",
                                        "number",
                                        "datetime",
                                        "text",
                                        "singlevaluelist",
                                        "multivaluelist")
                                .contains(type),
                        type);
                orders.add(Integer.parseInt(a.text("order")));
                List<Doc> values = a.list("values", "value");
                assertEquals(type.endsWith("valuelist"), !values.isEmpty(), a.text("code"));
                for (Doc v : values) v.check(VALUE);
            }
            assertEquals(orders.stream().sorted().distinct().toList(), orders, "in order");
        }
        assertTrue(withMetadata >= 5, "services with attributes: " + withMetadata);

        // file a request with answers, then read it back both ways
        Answer created =
                TestServer.post(
                        base + "/requests" + f,
                        form(
                                "jurisdiction_id",
                                jurisdiction,
                                "service_code",
                                "ENF_SIDEWALK_PARKING",
                                "lat",
                                "" + lat,
                                "long",
                                "" + lon,
                                "description",
                                "人行道上停满了车",
                                "attribute[VEHICLES]",
                                "4",
                                "attribute[VEHICLE_KIND]",
                                "CAR"),
                        "Content-Type",
                        "application/x-www-form-urlencoded; charset=utf-8");
        assertEquals(201, created.status(), created.body());
        List<Doc> answer = items(created, xml, "service_requests", "request");
        assertEquals(1, answer.size());
        Doc c = answer.get(0);
        c.check(CREATED);
        long id = Long.parseLong(c.text("service_request_id"));
        String code = new LookupCode(TestServer.jwtSecret()).of(id);
        assertEquals(code, c.text("lookup_code"), "the extension field");
        assertTrue(
                c.text("service_notice").contains(code)
                        && c.text("service_notice").contains(Long.toString(id)),
                "an app that shows only the notice shows the ticket and its code: "
                        + c.text("service_notice"));

        for (String read :
                List.of(
                        base + "/requests/" + id + f + j,
                        base + "/requests" + f + j + "&service_request_id=" + id,
                        base + "/requests" + f + j + "&service_code=ENF_SIDEWALK_PARKING")) {
            Answer r = TestServer.get(read);
            assertEquals(200, r.status(), r.body());
            List<Doc> requests = items(r, xml, "service_requests", "request");
            Doc one =
                    requests.stream()
                            .filter(q -> q.text("service_request_id").equals(Long.toString(id)))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(read + ": " + r.body()));
            for (Doc q : requests) q.check(REQUEST);
            assertEquals("open", one.text("status"));
            assertEquals("ENF_SIDEWALK_PARKING", one.text("service_code"));
        }

        // staff see the answers with the case
        JsonNode events =
                TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events").json();
        JsonNode kept = events.at("/events/0/data/attributes");
        assertEquals(2, kept.size(), events.toString());
        assertEquals("VEHICLES", kept.at("/0/code").asText());
        assertEquals(4, kept.at("/0/value").asInt());
        assertTrue(kept.at("/0/value").isNumber());
        assertEquals("CAR", kept.at("/1/value").asText());
        assertTrue(kept.at("/1/name").asText().startsWith("小汽车"));
    }

    static List<Doc> items(Answer a, boolean xml, String root, String item) throws Exception {
        if (!xml) {
            assertTrue(a.json().isArray(), a.body());
            List<Doc> out = new ArrayList<>();
            a.json().forEach(n -> out.add(Doc.json(n)));
            return out;
        }
        assertTrue(a.contentType().startsWith("text/xml"), a.contentType());
        return Doc.xml(a.body(), root).list(null, item);
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void anUnknownJurisdictionIsA404InGeoReportsFormatEverywhere() throws Exception {
        long before = count();
        String bad = "?jurisdiction_id=sfgov.org";
        for (String f : List.of(".json", ".xml")) {
            for (String path :
                    List.of(
                            "/open311/discovery",
                            "/open311/v2/discovery",
                            "/open311/v2/services",
                            "/open311/v2/services/ENF_STREET_VENDING",
                            "/open311/v2/requests",
                            "/open311/v2/requests/1")) {
                Answer a = TestServer.get(path + f + bad);
                assertEquals(404, a.status(), path + f + ": " + a.body());
                assertError(a, f.equals(".xml"), 404, "sfgov.org");
                assertEquals(
                        200,
                        TestServer.get(
                                        (path.endsWith("/1")
                                                        ? path.substring(0, path.length() - 2)
                                                        : path)
                                                + f
                                                + "?jurisdiction_id=")
                                .status(),
                        "empty is as if not given: " + path);
            }
            Answer post =
                    post(
                            f,
                            "jurisdiction_id",
                            "sfgov.org",
                            "service_code",
                            "ENF_STREET_VENDING",
                            "lat",
                            "" + lat,
                            "long",
                            "" + lon);
            assertEquals(404, post.status(), post.body());
            assertError(post, f.equals(".xml"), 404, "was not found");
            Answer twice =
                    TestServer.get(
                            "/open311/v2/services"
                                    + f
                                    + "?jurisdiction_id="
                                    + jurisdiction
                                    + "&jurisdiction_id=x");
            assertEquals(400, twice.status(), twice.body());
            assertError(twice, f.equals(".xml"), 400, "given 2 times");
        }
        assertEquals(before, count(), "nothing stored");
    }

    @Test
    void badAttributesAreRefusedAndNothingIsStored() throws Exception {
        long before = count();
        String[][] bad = {
            {"ENF_SIDEWALK_PARKING", null, null, "attribute[VEHICLES] is required"},
            {"ENF_SIDEWALK_PARKING", "attribute[VEHICLES]", "lots", "must be a number"},
            {"SVC_STREETLIGHT_OUT", "attribute[LIGHT_STATE]", "PINK", "must be one of"},
            {"ENF_STREET_VENDING", "attribute[VEHICLES]", "2", "has no attributes"},
            {"ENF_SIDEWALK_PARKING", "attribute[NOPE]", "2", "no attribute 'NOPE'"},
        };
        for (String f : List.of(".json", ".xml")) {
            for (String[] b : bad) {
                List<String> kv =
                        new ArrayList<>(
                                List.of(
                                        "service_code",
                                        b[0],
                                        "lat",
                                        "" + lat,
                                        "long",
                                        "" + lon,
                                        "jurisdiction_id",
                                        jurisdiction));
                if (b[1] != null) kv.addAll(List.of(b[1], b[2]));
                Answer a = post(f, kv.toArray(String[]::new));
                assertEquals(400, a.status(), a.body());
                assertError(a, f.equals(".xml"), 400, b[3]);
            }
        }
        assertEquals(before, count(), "nothing stored");
        Answer none = TestServer.get("/open311/v2/services/NOPE.xml");
        assertEquals(404, none.status());
        assertError(none, true, 404, "no service 'NOPE'");
    }

    static Answer post(String f, String... kv) {
        return TestServer.post(
                "/open311/v2/requests" + f,
                form(kv),
                "Content-Type",
                "application/x-www-form-urlencoded");
    }

    static void assertError(Answer a, boolean xml, int code, String words) throws Exception {
        List<Doc> errors = items(a, xml, "errors", "error");
        assertEquals(1, errors.size(), a.body());
        assertEquals(Integer.toString(code), errors.get(0).text("code"));
        assertTrue(errors.get(0).text("description").contains(words), a.body());
    }

    static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) sb.append('&');
            sb.append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    static long count() throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM incident");
    }

    // ------------------------------------------------------------------ one reader for both

    /** A JSON object or an XML element, read the same way: fields by name, lists of items. */
    interface Doc {
        /** The field as text; null when JSON null or an empty XML element. */
        String text(String field);

        boolean has(String field);

        /** Whether the field is a JSON value of this kind (XML carries only text). */
        boolean typed(String field, Kind kind);

        /** The items of a list field (XML: child elements named item); field null = this. */
        List<Doc> list(String field, String item);

        /** A scalar item's own text. */
        String value();

        default void check(Map<String, Kind> spec) {
            for (var e : spec.entrySet()) {
                String f = e.getKey();
                assertTrue(has(f), "missing " + f + " in " + this);
                assertTrue(typed(f, e.getValue()), f + " is not " + e.getValue() + ": " + this);
                String t = text(f);
                switch (e.getValue()) {
                    case TEXT -> assertNotNull(t, f + " is empty in " + this);
                    case BOOL -> assertTrue(t.equals("true") || t.equals("false"), f + "=" + t);
                    case NUMBER -> Double.parseDouble(t);
                    case POSITIVE_INT -> assertTrue(Integer.parseInt(t) > 0, f + "=" + t);
                    case DATETIME -> OffsetDateTime.parse(t);
                    case DATETIME_OR_NULL -> {
                        if (t != null) OffsetDateTime.parse(t);
                    }
                    default -> {}
                }
            }
        }

        static Doc json(JsonNode n) {
            return new JsonDoc(n);
        }

        static Doc xml(String body, String root) throws Exception {
            assertTrue(body.startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), body);
            Element e =
                    DocumentBuilderFactory.newInstance()
                            .newDocumentBuilder()
                            .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
                            .getDocumentElement();
            assertEquals(root, e.getTagName(), body);
            return new XmlDoc(e);
        }
    }

    record JsonDoc(JsonNode n) implements Doc {
        public String text(String f) {
            JsonNode v = n.get(f);
            return v == null || v.isNull() ? null : v.asText();
        }

        public boolean has(String f) {
            return n.has(f);
        }

        public boolean typed(String f, Kind k) {
            JsonNode v = n.get(f);
            return switch (k) {
                case TEXT, DATETIME -> v.isTextual();
                case TEXT_OR_NULL, DATETIME_OR_NULL -> v.isTextual() || v.isNull();
                case BOOL -> v.isBoolean();
                case NUMBER -> v.isNumber();
                case POSITIVE_INT -> v.isIntegralNumber();
                case LIST -> v.isArray();
            };
        }

        public List<Doc> list(String f, String item) {
            JsonNode v = f == null ? n : n.get(f);
            assertTrue(v.isArray(), f + " is a list: " + n);
            List<Doc> out = new ArrayList<>();
            v.forEach(i -> out.add(new JsonDoc(i)));
            return out;
        }

        public String value() {
            return n.asText();
        }
    }

    record XmlDoc(Element e) implements Doc {
        Element child(String name) {
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling())
                if (c instanceof Element el && el.getTagName().equals(name)) return el;
            return null;
        }

        public String text(String f) {
            Element c = child(f);
            String t = c == null ? null : c.getTextContent();
            return t == null || t.isEmpty() ? null : t;
        }

        public boolean has(String f) {
            return child(f) != null;
        }

        public boolean typed(String f, Kind k) {
            return true; // XML carries text; check() reads it as the kind
        }

        public List<Doc> list(String f, String item) {
            Element holder = f == null ? e : child(f);
            List<Doc> out = new ArrayList<>();
            for (Node c = holder.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element el) {
                    assertEquals(item, el.getTagName(), "items of " + holder.getTagName());
                    out.add(new XmlDoc(el));
                }
            }
            return out;
        }

        public String value() {
            return e.getTextContent();
        }

        @Override
        public String toString() {
            return "<" + e.getTagName() + ">" + e.getTextContent();
        }
    }
}
