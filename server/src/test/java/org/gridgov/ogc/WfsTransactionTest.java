package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WFS-T on a draft's grids, as a foreign client sends it (its own prefixes, GML 3.2 and 3.1.1, WFS
 * 2.0 and GDAL's 1.1): each action kind through the plan editor, all or nothing, one undo step, and
 * the refusals (rules, read-only plans, roles, bad GML, size).
 */
@Tag("db")
class WfsTransactionTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** WFS 2.0 under prefixes of the client's own choosing. */
    private static final String NS20 =
            "xmlns:w=\"http://www.opengis.net/wfs/2.0\" xmlns:f=\"http://www.opengis.net/fes/2.0\""
                    + " xmlns:g=\"http://www.opengis.net/gml/3.2\" xmlns:gg=\"https://gridgov.org/ns\"";

    static HttpResponse<String> post(String query, String body, String authorization) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(TestServer.base() + "/ows" + query))
                            .timeout(Duration.ofSeconds(120))
                            .header("Content-Type", "text/xml; charset=UTF-8")
                            .POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) b.header("Authorization", authorization);
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String bearer(String user) {
        return "Bearer " + TestServer.token(user);
    }

    static String basic(String user) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    static long draft() {
        var a =
                TestServer.postAs(
                        "planner", "/api/v1/plans", "{\"from\":\"active\",\"name\":\"wfs-t\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    static int version(long plan) {
        return TestServer.getAs("planner", "/api/v1/plans/" + plan).json().get("version").asInt();
    }

    static String text(String sql) throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    /** Two grids of the plan, of one community, sharing an edge: {a, b}. */
    static long[] neighbours(long plan) throws Exception {
        String ab =
                text(
                        "SELECT a.id || ',' || b.id FROM grid a JOIN grid b ON b.plan_id = a.plan_id"
                                + " AND b.community_id = a.community_id AND b.id <> a.id"
                                + " AND ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))) > 0.001"
                                + " WHERE a.plan_id = "
                                + plan
                                + " ORDER BY a.id, b.id LIMIT 1");
        String[] p = ab.split(",");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    static String name(long grid) throws Exception {
        return text("SELECT name FROM grid WHERE id = " + grid);
    }

    static long count(String where) throws Exception {
        return TestDatabase.queryLong("SELECT count(*) FROM grid WHERE " + where);
    }

    static void assertException(HttpResponse<String> r, int status, String code, String locator) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("ExceptionReport"), r.body());
        assertTrue(r.body().contains("exceptionCode=\"" + code + "\""), r.body());
        if (locator != null) assertTrue(r.body().contains("locator=\"" + locator + "\""), r.body());
    }

    @Test
    void updateAndDeleteMergeTwoGridsInOneUndoableStep() throws Exception {
        long plan = draft();
        long[] ab = neighbours(plan);
        long a = ab[0], b = ab[1];
        String nameB = name(b);
        long unitsA = TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + a);
        String union =
                text(
                        "SELECT ST_AsGML(3, ST_Union(geom), 9, 0, 'g') FROM grid WHERE id IN ("
                                + a
                                + ","
                                + b
                                + ")");
        int v0 = version(plan);
        String body =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" handle=\"merge\" "
                        + NS20
                        + "><w:Update typeName=\"gg:grids\" handle=\"grow\">"
                        + "<w:Property><w:ValueReference>gg:geom</w:ValueReference><w:Value>"
                        + union
                        + "</w:Value></w:Property>"
                        + "<w:Property><w:ValueReference>name</w:ValueReference>"
                        + "<w:Value>合并后的网格</w:Value></w:Property>"
                        + "<f:Filter><f:ResourceId rid=\"grids."
                        + b
                        + "\"/></f:Filter></w:Update>"
                        + "<w:Delete typeName=\"gg:grids\" handle=\"drop\"><f:Filter>"
                        + "<f:ResourceId rid=\"grids."
                        + a
                        + "\"/></f:Filter></w:Delete></w:Transaction>";
        var r = post("?plan=" + plan, body, bearer("planner"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("TransactionResponse"), r.body());
        assertTrue(r.body().contains("<wfs:totalUpdated>1</wfs:totalUpdated>"), r.body());
        assertTrue(r.body().contains("<wfs:totalDeleted>1</wfs:totalDeleted>"), r.body());
        assertEquals(0, count("id = " + a), "the emptied grid is deleted");
        assertEquals("合并后的网格", name(b));
        assertTrue(
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + b)
                        >= unitsA,
                "b took a's units");
        JsonNode h = TestServer.getAs("planner", "/api/v1/plans/" + plan + "/edits").json();
        JsonNode last = h.get("edits").get(h.get("edits").size() - 1).get("request");
        assertEquals("wfs-transaction", last.get("op").asText(), h.toString());
        assertEquals("merge", last.get("handle").asText());
        assertEquals(v0, last.get("expectedVersion").asInt());
        assertEquals(3, last.get("edits").size(), "rename, claim-polygon, delete: " + last);

        // one undo takes the whole transaction back
        var undo =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + plan + "/undo",
                        "{\"expectedVersion\":" + version(plan) + "}");
        assertEquals(200, undo.status(), undo.body());
        assertEquals("wfs-transaction", undo.json().get("undone").asText());
        assertEquals(1, count("id = " + a), "the deleted grid is back with its id");
        assertEquals(nameB, name(b));
        assertEquals(
                unitsA,
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + a));
    }

    @Test
    void aTransactionBreakingARuleIsRefusedWhole() throws Exception {
        long plan = draft();
        long[] ab = neighbours(plan);
        long a = ab[0], b = ab[1];
        String nameB = name(b);
        String geomA = text("SELECT ST_AsGML(3, geom, 9, 0, 'g') FROM grid WHERE id = " + a);
        int v0 = version(plan);
        // b takes a's units but a stays: an empty grid, and b's own units lie outside
        String body =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                        + NS20
                        + "><w:Update typeName=\"gg:grids\" handle=\"rename-b\">"
                        + "<w:Property><w:ValueReference>name</w:ValueReference>"
                        + "<w:Value>不会保存</w:Value></w:Property>"
                        + "<f:Filter><f:ResourceId rid=\"grids."
                        + b
                        + "\"/></f:Filter></w:Update>"
                        + "<w:Update typeName=\"gg:grids\" handle=\"take-a\">"
                        + "<w:Property><w:ValueReference>geom</w:ValueReference><w:Value>"
                        + geomA
                        + "</w:Value></w:Property><f:Filter><f:ResourceId rid=\"grids."
                        + b
                        + "\"/></f:Filter></w:Update></w:Transaction>";
        var r = post("?plan=" + plan, body, bearer("planner"));
        assertException(r, 400, "InvalidValue", "take-a");
        assertTrue(r.body().contains("empty-grid: "), "the validator's problem: " + r.body());
        assertTrue(r.body().contains("units-outside-geometry"), r.body());
        assertEquals(nameB, name(b), "nothing of the transaction stays");
        assertEquals(v0, version(plan));

        // the editor's own rule: a grid with units is not deleted
        String delete =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                        + NS20
                        + "><w:Delete typeName=\"gg:grids\"><f:Filter><f:ResourceId rid=\"grids."
                        + a
                        + "\"/></f:Filter></w:Delete></w:Transaction>";
        var d = post("?plan=" + plan, delete, bearer("planner"));
        assertException(d, 400, "InvalidValue", "Delete[1]");
        assertTrue(d.body().contains("grid-not-empty"), d.body());
        assertEquals(1, count("id = " + a));
    }

    @Test
    void insertCreatesAGridFromTheUnitsInsideItsGeometry() throws Exception {
        long plan = draft();
        long a = neighbours(plan)[0];
        long community = TestDatabase.queryLong("SELECT community_id FROM grid WHERE id = " + a);
        long unitsA = TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + a);
        // urn form of EPSG:4326: latitude first (bit 16 of ST_AsGML's options)
        String geom = text("SELECT ST_AsGML(3, geom, 9, 17, 'gml') FROM grid WHERE id = " + a);
        String body =
                "<wfs:Transaction service=\"WFS\" version=\"2.0.0\""
                        + " xmlns:wfs=\"http://www.opengis.net/wfs/2.0\""
                        + " xmlns:fes=\"http://www.opengis.net/fes/2.0\""
                        + " xmlns:gml=\"http://www.opengis.net/gml/3.2\" xmlns:x=\"https://gridgov.org/ns\">"
                        + "<wfs:Insert handle=\"new\"><x:grids><x:name>WFS新网格</x:name>"
                        + "<x:kind>SPECIAL</x:kind><x:geom>"
                        + geom
                        + "</x:geom></x:grids></wfs:Insert>"
                        + "<wfs:Delete typeName=\"x:grids\"><fes:Filter><fes:ResourceId rid=\"grids."
                        + a
                        + "\"/></fes:Filter></wfs:Delete></wfs:Transaction>";
        var r = post("?plan=" + plan, body, bearer("planner"));
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("<fes:ResourceId rid=\"grids\\.(\\d+)\"/>").matcher(r.body());
        assertTrue(m.find(), r.body());
        long id = Long.parseLong(m.group(1));
        assertTrue(r.body().contains("<wfs:totalInserted>1</wfs:totalInserted>"), r.body());
        assertEquals("WFS新网格", name(id));
        assertEquals(
                community,
                TestDatabase.queryLong("SELECT community_id FROM grid WHERE id = " + id));
        assertEquals("SPECIAL", text("SELECT kind FROM grid WHERE id = " + id));
        assertEquals(
                unitsA,
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + id));
        assertEquals(0, count("id = " + a));
    }

    @Test
    void insertIntoAnEmptyDraftTakesUnassignedUnits() throws Exception {
        // onboarding: every unit unassigned, more than the validator lists one by one
        var a =
                TestServer.postAs(
                        "planner", "/api/v1/plans", "{\"from\":\"empty\",\"name\":\"wfs empty\"}");
        assertEquals(201, a.status(), a.body());
        long plan = a.json().get("id").asLong();
        long active =
                TestDatabase.queryLong(
                        "SELECT id FROM grid_plan WHERE status = 'ACTIVE' AND effective_to IS NULL");
        long model = TestDatabase.queryLong("SELECT min(id) FROM grid WHERE plan_id = " + active);
        long units =
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE grid_id = " + model);
        String geom = text("SELECT ST_AsGML(3, geom, 9, 0, 'g') FROM grid WHERE id = " + model);
        String body =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                        + NS20
                        + "><w:Insert><gg:grids><gg:geom>"
                        + geom
                        + "</gg:geom></gg:grids></w:Insert></w:Transaction>";
        var r = post("?plan=" + plan, body, bearer("planner"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, count("plan_id = " + plan));
        assertEquals(
                units,
                TestDatabase.queryLong("SELECT count(*) FROM grid_unit WHERE plan_id = " + plan));
    }

    @Test
    void gdalStyleWfs11UpdateWithBasicCredentials() throws Exception {
        long plan = draft();
        long b = neighbours(plan)[1];
        String code = text("SELECT code FROM grid WHERE id = " + b);
        String head =
                "<wfs:Transaction xmlns:wfs=\"http://www.opengis.net/wfs\""
                        + " xmlns:gml=\"http://www.opengis.net/gml\""
                        + " xmlns:ogc=\"http://www.opengis.net/ogc\" service=\"WFS\" version=\"1.1.0\">"
                        + "<wfs:Update xmlns:feature=\"https://gridgov.org/ns\" typeName=\"feature:grids\">"
                        + "<wfs:Property><wfs:Name>name</wfs:Name><wfs:Value>一点一</wfs:Value></wfs:Property>"
                        + "<wfs:Property><wfs:Name>code</wfs:Name><wfs:Value>";
        String tail =
                "</wfs:Value></wfs:Property><ogc:Filter><ogc:GmlObjectId gml:id=\"grids."
                        + b
                        + "\"/></ogc:Filter></wfs:Update></wfs:Transaction>";
        var r = post("?plan=" + plan, head + code + tail, basic("planner"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("xmlns:wfs=\"http://www.opengis.net/wfs\""), r.body());
        assertTrue(r.body().contains("<wfs:totalUpdated>1</wfs:totalUpdated>"), r.body());
        assertEquals("一点一", name(b));
        // a value that follows from the plan is not edited
        var bad = post("?plan=" + plan, head + "999999999999999" + tail, basic("planner"));
        assertException(bad, 400, "InvalidValue", "Update[1]");
        assertTrue(bad.body().contains("follows from the plan"), bad.body());
    }

    private static String renameBody(long grid) {
        return "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                + NS20
                + "><w:Update typeName=\"gg:grids\"><w:Property><w:ValueReference>name"
                + "</w:ValueReference><w:Value>x</w:Value></w:Property><f:Filter>"
                + "<f:ResourceId rid=\"grids."
                + grid
                + "\"/></f:Filter></w:Update></w:Transaction>";
    }

    @Test
    void activePlansAndOtherRolesAreRefused() throws Exception {
        long active =
                TestDatabase.queryLong(
                        "SELECT id FROM grid_plan WHERE status = 'ACTIVE' AND effective_to IS NULL");
        long grid = TestDatabase.queryLong("SELECT min(id) FROM grid WHERE plan_id = " + active);
        String before = name(grid);
        var r = post("?plan=" + active, renameBody(grid), bearer("planner"));
        assertException(r, 403, "OperationProcessingFailed", "plan");
        assertTrue(r.body().contains("read-only"), r.body());
        assertException(
                post("", renameBody(grid), bearer("planner")),
                403,
                "OperationProcessingFailed",
                "plan");
        assertException(
                post("?plan=abc", renameBody(grid), bearer("planner")),
                400,
                "InvalidParameterValue",
                "plan");
        assertEquals(before, name(grid));

        long plan = draft();
        long b = neighbours(plan)[1];
        var anonymous = post("?plan=" + plan, renameBody(b), null);
        assertException(anonymous, 401, "NoApplicableCode", null);
        assertTrue(anonymous.headers().allValues("WWW-Authenticate").size() >= 1);
        assertException(
                post("?plan=" + plan, renameBody(b), bearer("operator")),
                403,
                "NoApplicableCode",
                null);
        assertNotEquals("x", name(b));

        // a restricted layer, or any other type, is never editable
        long incidents = TestDatabase.queryLong("SELECT count(*) FROM incident");
        String deleteIncident =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                        + NS20
                        + "><w:Delete typeName=\"gg:incidents\"><f:Filter>"
                        + "<f:ResourceId rid=\"incidents.1\"/></f:Filter></w:Delete></w:Transaction>";
        var restricted = post("?plan=" + plan, deleteIncident, bearer("planner"));
        assertException(restricted, 400, "InvalidParameterValue", null);
        assertTrue(restricted.body().contains("is editable"), restricted.body());
        assertException(post("?plan=" + plan, deleteIncident, null), 401, "NoApplicableCode", null);
        assertEquals(incidents, TestDatabase.queryLong("SELECT count(*) FROM incident"));
    }

    @Test
    void badGmlMissingSrsNameAndOversizedBodiesAreRefused() throws Exception {
        long plan = draft();
        long b = neighbours(plan)[1];
        String update =
                "<w:Transaction service=\"WFS\" version=\"2.0.0\" "
                        + NS20
                        + "><w:Update typeName=\"gg:grids\" handle=\"shape\"><w:Property>"
                        + "<w:ValueReference>geom</w:ValueReference><w:Value>%s</w:Value>"
                        + "</w:Property><f:Filter><f:ResourceId rid=\"grids."
                        + b
                        + "\"/></f:Filter></w:Update></w:Transaction>";
        String bowtie =
                "<g:Polygon srsName=\"EPSG:4326\"><g:exterior><g:LinearRing><g:posList>"
                        + "120.26 30.16 120.30 30.20 120.30 30.16 120.26 30.20 120.26 30.16"
                        + "</g:posList></g:LinearRing></g:exterior></g:Polygon>";
        var r = post("?plan=" + plan, update.formatted(bowtie), bearer("planner"));
        assertException(r, 400, "InvalidValue", "shape");
        assertTrue(r.body().contains("not valid"), r.body());
        String odd = bowtie.replace("120.26 30.16</g:posList>", "120.26</g:posList>");
        assertException(
                post("?plan=" + plan, update.formatted(odd), bearer("planner")),
                400,
                "InvalidValue",
                "shape");
        String noSrs = bowtie.replace(" srsName=\"EPSG:4326\"", "");
        var s = post("?plan=" + plan, update.formatted(noSrs), bearer("planner"));
        assertException(s, 400, "InvalidValue", "shape");
        assertTrue(s.body().contains("no srsName"), s.body());
        String otherCrs = bowtie.replace("EPSG:4326", "EPSG:32650");
        assertException(
                post("?plan=" + plan, update.formatted(otherCrs), bearer("planner")),
                400,
                "InvalidValue",
                "shape");
        String elsewhere =
                "<g:Polygon srsName=\"EPSG:4549\"><g:exterior><g:LinearRing><g:posList>"
                        + "100 100 200 100 200 200 100 100"
                        + "</g:posList></g:LinearRing></g:exterior></g:Polygon>";
        var far = post("?plan=" + plan, update.formatted(elsewhere), bearer("planner"));
        assertException(far, 400, "InvalidValue", "shape");
        assertTrue(far.body().contains("outside the area"), far.body());
        assertException(
                post("?plan=" + plan, "<w:Transaction " + NS20 + "><w:Update>", bearer("planner")),
                400,
                "OperationParsingFailed",
                null);
        String byName =
                renameBody(b)
                        .replace(
                                "<f:ResourceId rid=\"grids." + b + "\"/>",
                                "<f:PropertyIsEqualTo><f:ValueReference>code</f:ValueReference>"
                                        + "<f:Literal>1</f:Literal></f:PropertyIsEqualTo>");
        assertException(
                post("?plan=" + plan, byName, bearer("planner")),
                400,
                "InvalidParameterValue",
                "Update[1]");
        String big =
                renameBody(b)
                        .replace(
                                "<w:Value>x</w:Value>",
                                "<w:Value>" + "x".repeat(300_000) + "</w:Value>");
        assertEquals(413, post("?plan=" + plan, big, bearer("planner")).statusCode());
        assertEquals(
                0,
                TestDatabase.queryLong("SELECT count(*) FROM plan_edit WHERE plan_id = " + plan));
    }

    @Test
    void plannersCapabilitiesOfferTransaction() throws Exception {
        long plan = draft();
        String q = "/ows?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0&plan=" + plan;
        var planner = TestServer.getAs("planner", q);
        assertEquals(200, planner.status(), planner.body());
        assertTrue(planner.body().contains("<ows:Operation name=\"Transaction\">"), planner.body());
        assertTrue(planner.body().contains("/ows?plan=" + plan + "&amp;\""), planner.body());
        var anonymous = TestServer.get(q);
        assertFalse(anonymous.body().contains("<ows:Operation name=\"Transaction\">"));
        var v11 =
                TestServer.getAs(
                        "planner",
                        "/ows?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=1.1.0&plan=" + plan);
        assertTrue(v11.body().contains("<ows:Operation name=\"Transaction\">"), v11.body());
        assertTrue(v11.body().contains("<Operation>Insert</Operation>"), v11.body());
        assertTrue(
                planner.body()
                        .matches(
                                "(?s).*ImplementsTransactionalWFS\">\\s*<ows:NoValues/>\\s*<ows:DefaultValue>TRUE.*"),
                planner.body());
    }
}
