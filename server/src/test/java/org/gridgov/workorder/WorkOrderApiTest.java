package org.gridgov.workorder;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.gridgov.media.MultipartForm;
import org.gridgov.media.TestImages;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 12345 work orders end to end: HTTP → cases in PostgreSQL → feedback rows → KPIs by source. */
@Tag("db")
class WorkOrderApiTest {

    static DemoFixture.Probe probe;
    static final OffsetDateTime CALL =
            OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30).truncatedTo(ChronoUnit.SECONDS);
    static final OffsetDateTime SIGN = CALL.plusHours(2);
    static final OffsetDateTime DONE = CALL.plusDays(3);

    @BeforeAll
    static void setUp() {
        TestServer.get();
        probe = DemoFixture.probe();
    }

    static String no() {
        return "WO" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** An order at a point (lon null: address only); category 010101 maps to street vending. */
    static String order(String no, String category, Double lon, Double lat, String extra) {
        return """
                {"sourceSystem": "12345", "externalNo": "%s", "category": "%s",
                 "text": "市民来电反映：路口有流动摊贩占道经营", "reportedAt": "%s",
                 "signDueAt": "%s", "completeDueAt": "%s",
                 "caller": {"name": "李女士", "phone": "13912345678"},
                 "address": "幸福路88号"%s%s}"""
                .formatted(
                        no,
                        category,
                        CALL,
                        SIGN,
                        DONE,
                        lon == null
                                ? ""
                                : ", \"location\": {\"lon\": %s, \"lat\": %s}".formatted(lon, lat),
                        extra);
    }

    static String at(String no) {
        return order(no, "010101", probe.lon(), probe.lat(), "");
    }

    static String batch(String... orders) {
        return "{\"orders\": [" + String.join(",", orders) + "]}";
    }

    static Answer post(String body) {
        return TestServer.postAs("operator", "/api/v1/workorders", body);
    }

    @Test
    void aBatchBecomesCasesWithTheHotlinesDeadlinesAndCallerAndReplaysAlike() throws Exception {
        String a = no(), b = no();
        String body = batch(at(a), at(b));
        Answer r = post(body);
        assertEquals(201, r.status(), r.body());
        JsonNode first = r.json().at("/orders/0");
        assertEquals("CASE", first.get("state").asText());
        assertFalse(first.get("replayed").asBoolean());
        long incident = first.get("incidentId").asLong();
        // the second order of the batch is proposed as a duplicate of the first, never merged
        JsonNode second = r.json().at("/orders/1");
        assertTrue(
                second.get("proposedDuplicates").toString().contains(Long.toString(incident)),
                second.toString());

        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT channel, reporter_name, reporter_phone, due_at, step, step_due_at, category, duplicate_of
                     FROM incident WHERE id = ?""")) {
            ps.setLong(1, incident);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("HOTLINE", rs.getString(1));
                assertEquals("李女士", rs.getString(2), "the caller is the case's reporter");
                assertEquals("13912345678", rs.getString(3));
                assertEquals(DONE.toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant());
                assertEquals("ACCEPT", rs.getString(5));
                assertEquals(SIGN.toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant());
                assertEquals("ENF_STREET_VENDING", rs.getString(7));
                assertNull(rs.getObject(8));
            }
        }
        // the order of a case, found from the case
        Answer ofCase = TestServer.getAs("operator", "/api/v1/workorders?incidentId=" + incident);
        assertEquals(200, ofCase.status(), ofCase.body());
        assertEquals(1, ofCase.json().get("orders").size());
        assertEquals(a, ofCase.json().at("/orders/0/externalNo").asText());
        assertEquals(400, TestServer.getAs("operator", "/api/v1/workorders?incidentId=x").status());
        // an auditor reading the case sees the caller masked (AccessRules.REPORTER)
        Answer one = TestServer.getAs("auditor", "/api/v1/incidents/" + incident);
        assertFalse(one.body().contains("13912345678"), one.body());

        // the same batch again: the same answer, nothing new
        long before = count("work_order");
        Answer again = post(body);
        assertEquals(200, again.status(), again.body());
        assertTrue(again.json().at("/orders/0/replayed").asBoolean());
        assertEquals(incident, again.json().at("/orders/0/incidentId").asLong());
        assertEquals(before, count("work_order"));
    }

    @Test
    void theSameNumberWithAnotherBodyIsAConflictAndNothingIsStored() throws Exception {
        String a = no();
        assertEquals(201, post(batch(at(a))).status());
        long orders = count("work_order"), incidents = count("incident");
        String changed = order(a, "010102", probe.lon(), probe.lat(), "");
        Answer r = post(batch(at(no()), changed));
        assertEquals(409, r.status(), r.body());
        assertEquals(
                "https://gridgov.org/problems/work-order-conflict", r.json().get("type").asText());
        assertEquals("/orders/1/externalNo", r.json().get("field").asText());
        assertEquals(orders, count("work_order"), "the good order of the batch is not stored");
        assertEquals(incidents, count("incident"));
    }

    @Test
    void badOrdersAreNamedEachByPointerAndRefuseTheBatch() throws Exception {
        long orders = count("work_order"), incidents = count("incident");
        String missingText = at(no()).replace("\"text\": \"市民来电反映：路口有流动摊贩占道经营\",", "");
        String unmapped = order(no(), "999999", probe.lon(), probe.lat(), "");
        String early =
                order(no(), "010101", probe.lon(), probe.lat(), "")
                        .replace(
                                "\"completeDueAt\": \"" + DONE,
                                "\"completeDueAt\": \"" + CALL.plusHours(1));
        Answer r = post(batch(missingText, at(no()), unmapped, early));
        assertEquals(422, r.status(), r.body());
        assertEquals(
                "https://gridgov.org/problems/invalid-work-orders", r.json().get("type").asText());
        JsonNode errors = r.json().get("errors");
        assertEquals(3, errors.size(), r.body());
        assertEquals("/orders/0/text", errors.at("/0/field").asText());
        assertEquals("/orders/2/category", errors.at("/1/field").asText());
        assertEquals(
                "https://gridgov.org/problems/unknown-external-category",
                errors.at("/1/type").asText());
        assertEquals("/orders/3/completeDueAt", errors.at("/2/field").asText());
        assertEquals(orders, count("work_order"));
        assertEquals(incidents, count("incident"));

        // one bad order: the problem is its own
        Answer single = post(batch(unmapped));
        assertEquals(422, single.status());
        assertEquals(
                "https://gridgov.org/problems/unknown-external-category",
                single.json().get("type").asText());
        assertEquals("/orders/0/category", single.json().get("field").asText());
        // the same number twice in one batch
        String twice = no();
        Answer dup = post(batch(at(twice), at(twice)));
        assertEquals(422, dup.status());
        assertEquals("/orders/1/externalNo", dup.json().get("field").asText());
        assertEquals(orders, count("work_order"));
        // neither address nor point
        Answer nowhere =
                post(
                        batch(
                                order(no(), "010101", null, null, "")
                                        .replace(",\n \"address\": \"幸福路88号\"", "")));
        assertEquals(422, nowhere.status(), nowhere.body());
        assertEquals("/orders/0/location", nowhere.json().get("field").asText());
        // beyond the district: routed as intake routes, refused at the order's location
        Answer far = post(batch(at(no()), order(no(), "010101", 10.0, 10.0, "")));
        assertEquals(422, far.status(), far.body());
        assertEquals("https://gridgov.org/problems/out-of-area", far.json().get("type").asText());
        assertEquals("/orders/1/location", far.json().get("field").asText());
        // staff outside the command centre may not post
        Answer worker = TestServer.postAs("market.handler1", "/api/v1/workorders", batch(at(no())));
        assertEquals(403, worker.status());
        assertEquals(orders, count("work_order"));
    }

    @Test
    void anOrderWithoutAPointWaitsMaskedUntilPlaced() throws Exception {
        String a = no();
        Answer r = post(batch(order(a, "020101", null, null, "")));
        assertEquals(201, r.status(), r.body());
        assertEquals("UNPLACED", r.json().at("/orders/0/state").asText());
        assertTrue(r.json().at("/orders/0/incidentId").isNull());
        long id = r.json().at("/orders/0/id").asLong();

        Answer list = TestServer.getAs("operator", "/api/v1/workorders?state=unplaced&limit=200");
        assertEquals(200, list.status(), list.body());
        JsonNode mine = null;
        for (JsonNode o : list.json().get("orders")) if (o.get("id").asLong() == id) mine = o;
        assertNotNull(mine, list.body());
        assertEquals("李**", mine.at("/caller/name").asText());
        assertEquals("139****5678", mine.at("/caller/phone").asText());
        assertFalse(list.body().contains("13912345678"));

        Answer placed =
                TestServer.postAs(
                        "operator",
                        "/api/v1/workorders/" + id + "/place",
                        "{\"location\": {\"lon\": %s, \"lat\": %s}}"
                                .formatted(probe.lon(), probe.lat()));
        assertEquals(201, placed.status(), placed.body());
        assertEquals("CASE", placed.json().get("state").asText());
        long incident = placed.json().get("incidentId").asLong();
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT i.reporter_phone, i.category, w.caller_phone, w.state, ST_X(w.location)
                     FROM work_order w JOIN incident i ON i.id = w.incident_id WHERE w.id = ?""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("13912345678", rs.getString(1), "the caller moved to the case");
                assertEquals("SVC_STREETLIGHT_OUT", rs.getString(2));
                assertNull(rs.getString(3), "and left the order");
                assertEquals("CASE", rs.getString(4));
                assertEquals(probe.lon(), rs.getDouble(5), 1e-9);
            }
        }
        assertTrue(incident > 0);
        Answer twice =
                TestServer.postAs(
                        "operator",
                        "/api/v1/workorders/" + id + "/place",
                        "{\"location\": {\"lon\": %s, \"lat\": %s}}"
                                .formatted(probe.lon(), probe.lat()));
        assertEquals(409, twice.status());
        Answer missing =
                TestServer.postAs(
                        "operator", "/api/v1/workorders/" + id + "/place", "{\"location\": null}");
        assertEquals(422, missing.status());
    }

    /** An address-only order, given by {@code address}. */
    static String byAddress(String no, String address) {
        return order(no, "010101", null, null, "").replace("幸福路88号", address);
    }

    static String toFullWidth(String digits) {
        StringBuilder b = new StringBuilder();
        for (char ch : digits.toCharArray())
            b.append(ch >= '0' && ch <= '9' ? (char) (ch - '0' + '０') : ch);
        return b.toString();
    }

    @Test
    void anAddressOnlyOrderIsPlacedByTheGeocoderWhenItsMatchIsStrong() throws Exception {
        long plate;
        String typo;
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                """
                     SELECT id, road, number, compound, building, unit FROM door_plate
                     WHERE unit IS NOT NULL AND compound IS NOT NULL
                     ORDER BY id LIMIT 1 OFFSET 7""");
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "the demo gazetteer has door plates in compounds");
            plate = rs.getLong(1);
            // the caller's city in front, a full-width number, 栋 for 幢, the room
            typo =
                    "杭州市"
                            + rs.getString(2)
                            + toFullWidth(rs.getString(3))
                            + "号"
                            + rs.getString(4)
                            + rs.getString(5)
                            + "栋"
                            + rs.getString(6)
                            + "单元501室";
        }
        String a = no(), b = no();
        Answer r = post(batch(byAddress(a, typo), byAddress(b, "随便什么地方门口")));
        assertEquals(201, r.status(), r.body());
        assertEquals("CASE", r.json().at("/orders/0/state").asText(), typo + " " + r.body());
        assertEquals("UNPLACED", r.json().at("/orders/1/state").asText(), r.body());
        long incident = r.json().at("/orders/0/incidentId").asLong();
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM incident i JOIN incident_address a"
                                + " ON a.incident_id = i.id JOIN door_plate d ON d.id = "
                                + plate
                                + " WHERE i.id = "
                                + incident
                                + " AND a.door_plate_id = d.id AND a.score IS NOT NULL"
                                + " AND ST_Equals(i.location, d.geom)"),
                "the case lies at the plate and keeps its match");

        // another city refuses the batch, naming the order's address
        String c = no(), d = no();
        Answer other = post(batch(at(c), byAddress(d, "上海市黄浦区南京东路100号")));
        assertEquals(422, other.status(), other.body());
        assertTrue(other.body().contains("/orders/1/address"), other.body());
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM work_order WHERE external_no = '" + c + "'"));
    }

    @Test
    void aCsvFileIsTheSameIntakeAndABadCellIsNamedByLineAndColumn() throws Exception {
        String header =
                "sourceSystem,externalNo,category,text,reportedAt,signDueAt,completeDueAt,"
                        + "callerName,callerPhone,address,lon,lat\r\n";
        String a = no(), b = no();
        String good =
                header
                        + row(a, "010301", "\"垃圾堆放, 无人清理\"", probe.lon() + "", probe.lat() + "")
                        + row(b, "020102", "路面坑洼", "", "");
        Answer r = csv(good);
        assertEquals(201, r.status(), r.body());
        assertEquals("CASE", r.json().at("/orders/0/state").asText());
        assertEquals(2, r.json().at("/orders/0/index").asLong(), "the index is the file's line");
        assertEquals("UNPLACED", r.json().at("/orders/1/state").asText());
        assertEquals(200, csv(good).status(), "a resent file replays");

        long orders = count("work_order");
        Answer badCell = csv(header + row(no(), "010301", "x", "abc", "31.2"));
        assertEquals(422, badCell.status(), badCell.body());
        assertTrue(
                badCell.json().get("detail").asText().contains("line 2, column lon"),
                badCell.body());
        Answer unmapped =
                csv(header + row(no(), "010301", "x", "", "") + row(no(), "777", "x", "", ""));
        assertEquals(422, unmapped.status(), unmapped.body());
        assertEquals(
                "workorders.csv line 3, column category", unmapped.json().get("field").asText());
        assertEquals(orders, count("work_order"));
        Answer wrongType =
                TestServer.post(
                        "/api/v1/workorders/csv",
                        good,
                        "Content-Type",
                        "application/json",
                        "Authorization",
                        "Bearer " + TestServer.token("operator"));
        assertEquals(415, wrongType.status());
    }

    static String row(String no, String category, String text, String lon, String lat) {
        return String.join(
                        ",",
                        "12345",
                        no,
                        category,
                        text,
                        CALL.toString(),
                        SIGN.toString(),
                        DONE.toString(),
                        "张三",
                        "13800001111",
                        "和平街1号",
                        lon,
                        lat)
                + "\r\n";
    }

    static Answer csv(String body) {
        return TestServer.post(
                "/api/v1/workorders/csv",
                body,
                "Content-Type",
                "text/csv",
                "Authorization",
                "Bearer " + TestServer.token("operator"));
    }

    @Test
    void caseEventsQueueTheHotlinesFeedbackInTheirTransaction() throws Exception {
        Answer r = post(batch(at(no()), at(no()), at(no()), at(no())));
        assertEquals(201, r.status(), r.body());
        long done = r.json().at("/orders/0/incidentId").asLong();
        long rejected = r.json().at("/orders/1/incidentId").asLong();
        long merged = r.json().at("/orders/2/incidentId").asLong();
        long returned = r.json().at("/orders/3/incidentId").asLong();
        String externalNo = r.json().at("/orders/0/externalNo").asText();

        // signed for, asked for more time, resolved, verified, closed
        ok("operator", done, "{\"action\": \"accept\", \"expectedVersion\": 1}");
        JsonNode d = ok("operator", done, "{\"action\": \"dispatch\", \"expectedVersion\": 2}");
        String handler = username(d.at("/routing/assigneeId").asLong());
        ok(handler, done, "{\"action\": \"start\", \"expectedVersion\": 3}");
        ok(
                handler,
                done,
                "{\"action\": \"request-extension\", \"expectedVersion\": 4,"
                        + " \"reason\": \"需协调环卫车辆\", \"extraHours\": 8}");
        ok("director", done, "{\"action\": \"approve\", \"expectedVersion\": 5}");
        ok(handler, done, "{\"action\": \"resolve\", \"expectedVersion\": 6, \"note\": \"已劝离摊贩\"}");
        ok(username(probe.workerId()), done, "{\"action\": \"verify\", \"expectedVersion\": 7}");
        // the result photo goes to the hotline with 办结; the one from before does not
        long after = photo(done, "AFTER");
        photo(done, "BEFORE");
        ok("operator", done, "{\"action\": \"close\", \"expectedVersion\": 8}");
        List<JsonNode> told = hotline(done);
        assertEquals(
                List.of("SIGN", "DELAY", "FINISH"),
                told.stream().map(p -> p.get("type").asText()).toList(),
                told.toString());
        JsonNode sign = told.get(0);
        assertEquals(externalNo, sign.get("orderNo").asText());
        assertEquals("12345", sign.get("sourceSystem").asText());
        assertEquals(done, sign.get("caseNo").asLong());
        assertEquals("需协调环卫车辆", told.get(1).get("reason").asText());
        assertEquals(8, told.get(1).get("delayHours").asInt());
        assertEquals("已劝离摊贩", told.get(2).get("result").asText());
        JsonNode photos = told.get(2).get("photos");
        assertEquals(1, photos.size(), photos.toString());
        assertEquals(after, photos.get(0).get("id").asLong());
        assertEquals("/api/v1/media/" + after, photos.get(0).get("url").asText());
        assertEquals("image/jpeg", photos.get(0).get("contentType").asText());
        assertEquals(64, photos.get(0).get("sha256").asText().length());

        // rejected with the operator's words: returned (退单)
        ok(
                "operator",
                rejected,
                "{\"action\": \"reject\", \"expectedVersion\": 1, \"reason\": \"INVALID\","
                        + " \"note\": \"非本街道管辖\"}");
        List<JsonNode> back = hotline(rejected);
        assertEquals(1, back.size(), back.toString());
        assertEquals("RETURN", back.get(0).get("type").asText());
        assertEquals("非本街道管辖", back.get(0).get("reason").asText());

        // merged by the operator into the closed-loop case's sibling: signed for, naming it
        ok(
                "operator",
                merged,
                "{\"action\": \"merge\", \"expectedVersion\": 1, \"originalId\": "
                        + returned
                        + "}");
        // the original is returned by its handler: the merged order hears of it too
        ok("operator", returned, "{\"action\": \"accept\", \"expectedVersion\": 1}");
        JsonNode d2 =
                ok("operator", returned, "{\"action\": \"dispatch\", \"expectedVersion\": 2}");
        String h2 = username(d2.at("/routing/assigneeId").asLong());
        ok(
                h2,
                returned,
                "{\"action\": \"request-return\", \"expectedVersion\": 3, \"reason\": \"不属于本平台\"}");
        ok("chief", returned, "{\"action\": \"approve\", \"expectedVersion\": 4}");
        List<JsonNode> original = hotline(returned);
        assertEquals(
                List.of("SIGN", "RETURN"),
                original.stream().map(p -> p.get("type").asText()).toList(),
                original.toString());
        assertEquals("不属于本平台", original.get(1).get("reason").asText());
        List<JsonNode> follower = hotline(merged);
        assertEquals(
                List.of("SIGN", "RETURN"),
                follower.stream().map(p -> p.get("type").asText()).toList(),
                follower.toString());
        assertEquals(returned, follower.get(0).get("mergedInto").asLong());
        assertEquals(returned, follower.get(1).get("mergedInto").asLong());
    }

    @Test
    void theFeedbackRowCommitsAndRollsBackWithItsEvent() throws Exception {
        Answer r = post(batch(at(no())));
        assertEquals(201, r.status(), r.body());
        long incident = r.json().at("/orders/0/incidentId").asLong();
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(
                    "INSERT INTO incident_event (incident_id, type, from_status, to_status)"
                            + " VALUES ("
                            + incident
                            + ", 'ACCEPT', 'REPORTED', 'ACCEPTED')");
            assertEquals(1, hotline(c, incident).size(), "queued with the event");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertEquals(0, hotline(incident).size(), "and gone with it");
    }

    /** The HOTLINE rows of the outbox for an order's case, oldest first. */
    static List<JsonNode> hotline(long incidentId) throws Exception {
        try (Connection c = TestDatabase.get().connection()) {
            return hotline(c, incidentId);
        }
    }

    /** As above, on {@code c} (inside its transaction). */
    static List<JsonNode> hotline(Connection c, long incidentId) throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                     SELECT kind, payload::text FROM outbox
                     WHERE channel = 'HOTLINE' AND incident_id = ? ORDER BY id""")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                List<JsonNode> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    JsonNode p = TestServer.JSON.readTree(rs.getString(2));
                    assertEquals(rs.getString(1), p.get("type").asText());
                    out.add(p);
                }
                return out;
            }
        }
    }

    /** A photo of a stage added to a case by the operator: its media id. */
    static long photo(long incident, String stage) {
        Answer a =
                new MultipartForm()
                        .text("stage", stage)
                        .file("photo", "p.jpg", "image/jpeg", TestImages.jpeg(40, 30))
                        .postAs("operator", "/api/v1/incidents/" + incident + "/media");
        assertEquals(201, a.status(), a.body());
        return a.json().get("media").get(0).get("id").asLong();
    }

    static JsonNode ok(String user, long id, String body) {
        Answer a = TestServer.postAs(user, "/api/v1/incidents/" + id + "/actions", body);
        assertEquals(200, a.status(), user + " " + body + " -> " + a.body());
        return a.json();
    }

    static String username(long staffId) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT username FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void kpisBreakCasesDownBySource() {
        assertEquals(201, post(batch(at(no()))).status());
        String month =
                CALL.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai"))
                        .toString()
                        .substring(0, 7);
        Answer k =
                TestServer.getAs(
                        "director", "/api/v1/analytics/kpis?period=" + month + "&by=source");
        assertEquals(200, k.status(), k.body());
        JsonNode hotline = null;
        for (JsonNode u : k.json().get("units"))
            if (u.get("unit").asText().equals("12345")) hotline = u;
        assertNotNull(hotline, k.body());
        assertTrue(hotline.get("reports").asLong() >= 1);
        assertEquals(
                hotline.get("reports").asLong(),
                hotline.at("/byChannel/HOTLINE").asLong(),
                "every work order came in on the hotline channel");
    }

    static long count(String table) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
