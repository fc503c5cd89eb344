package org.gridgov.media;

import static org.junit.jupiter.api.Assertions.*;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.GpsDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.gridgov.incident.LookupCode;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Photos end to end, with real multipart uploads: on intake (in the report's transaction), on a
 * case, through Open311; served by the case's rules; approved for the public without EXIF; and bad
 * files refused with nothing stored.
 */
@Tag("db")
class MediaApiTest {

    static String publicCategory;
    static String otherGridWorker;
    static DemoFixture.Probe probe;

    @BeforeAll
    static void setUp() throws Exception {
        TestServer.get();
        probe = DemoFixture.probe();
        publicCategory =
                scalar(
                        "SELECT code FROM category WHERE public AND active AND authority ="
                                + " 'SUBDISTRICT' ORDER BY code LIMIT 1");
        otherGridWorker =
                scalar(
                        "SELECT username FROM staff WHERE role = 'GRID_WORKER' AND grid_id IS NOT"
                                + " NULL AND grid_id <> "
                                + probe.gridId()
                                + " AND active ORDER BY id LIMIT 1");
    }

    static String scalar(String sql) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    static long count(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.get().connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long files() throws Exception {
        try (var all = Files.walk(TestDatabase.mediaDir())) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    /** A public report (what the web form sends without a token), marked to be found. */
    static String report(String marker) {
        return """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "location": {"lon": %s, "lat": %s},
                 "description": "%s"}"""
                .formatted(publicCategory, probe.lon(), probe.lat(), marker);
    }

    /** Stored: rows and files, and incidents with this description. */
    record Stored(long media, long files, long incidents) {
        static Stored now(String marker) throws Exception {
            return new Stored(
                    count("SELECT count(*) FROM media"),
                    MediaApiTest.files(),
                    count("SELECT count(*) FROM incident WHERE description = ?", marker));
        }
    }

    static long reportWithPhotos(byte[]... photos) {
        MultipartForm f = new MultipartForm().text("report", report("带照片的上报"));
        for (int i = 0; i < photos.length; i++)
            f.file("photo", "p" + i + ".jpg", "image/jpeg", photos[i]);
        Answer a = f.post("/api/v1/incidents");
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    /** The photos the reporter's tracking page lists (POST /api/v1/track, ticket + code). */
    static JsonNode trackedPhotos(long incident) {
        String code = new LookupCode(TestServer.jwtSecret()).of(incident);
        Answer a =
                TestServer.post(
                        "/api/v1/track",
                        "{\"ticket\": " + incident + ", \"code\": \"" + code + "\"}");
        assertEquals(200, a.status(), a.body());
        return a.json().get("photos");
    }

    static JsonNode media(long incident) {
        Answer a = TestServer.getAs("operator", "/api/v1/incidents/" + incident + "/media");
        assertEquals(200, a.status(), a.body());
        return a.json().get("media");
    }

    @Test
    void aMultipartReportStoresItsPhotosInTheSameTransaction() throws Exception {
        byte[] exif = TestImages.jpegWithExif(64, 48, 31.2304, 121.4737, 1);
        byte[] png = TestImages.png(20, 10);
        Answer a =
                new MultipartForm()
                        .text("report", report("照片上报"))
                        .file("photo", "IMG_0001.jpg", "image/jpeg", exif)
                        .file("photo", "shot.png", "image/png", png)
                        .post("/api/v1/incidents");
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        assertNotNull(a.json().get("lookupCode"));
        assertEquals("照片上报", a.json().get("description").asText(), "UTF-8 in a form part");
        JsonNode answered = a.json().get("media");
        assertEquals(2, answered.size(), a.body());

        // both rows cite the case's REPORTED event
        assertEquals(
                2,
                count(
                        """
                SELECT count(*) FROM media m JOIN incident_event e ON e.id = m.event_id
                WHERE m.incident_id = ? AND e.type = 'REPORTED' AND m.stage = 'REPORT'""",
                        id));
        JsonNode list = media(id);
        assertEquals(2, list.size());
        JsonNode first = list.get(0);
        assertEquals(answered.get(0).get("id").asLong(), first.get("id").asLong());
        assertEquals("image/jpeg", first.get("contentType").asText());
        assertEquals("IMG_0001.jpg", first.get("fileName").asText());
        assertEquals(31.2304, first.get("takenLocation").get("lat").asDouble(), 1e-4);
        assertTrue(
                java.time.OffsetDateTime.parse("2026-12-01T09:30+08:00")
                        .isEqual(java.time.OffsetDateTime.parse(first.get("takenAt").asText())),
                "the camera's local time, in the server's zone: " + first.get("takenAt"));
        assertEquals("image/png", list.get(1).get("contentType").asText());
        assertTrue(list.get(1).get("takenLocation").isNull());
        assertFalse(first.get("approved").asBoolean());

        // staff get the original, byte for byte, EXIF and all
        HttpResponse<byte[]> original =
                MultipartForm.bytes("operator", "/api/v1/media/" + first.get("id").asLong());
        assertEquals(200, original.statusCode());
        assertArrayEquals(exif, original.body());
        assertEquals("image/jpeg", original.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("nosniff", original.headers().firstValue("X-Content-Type-Options").orElse(""));
        // the files are in the media folder, named by their hash
        String sha = first.get("sha256").asText();
        assertTrue(
                Files.exists(
                        TestDatabase.mediaDir()
                                .resolve(sha.substring(0, 2))
                                .resolve(sha.substring(2, 4))
                                .resolve(sha)));
    }

    @Test
    void thePublicSeesAPhotoOnlyOnceAnOperatorApprovedItAndWithoutExif() throws Exception {
        byte[] exif = TestImages.jpegWithExif(64, 48, 31.2304, 121.4737, 1);
        long id = reportWithPhotos(exif);
        long photo = media(id).get(0).get("id").asLong();
        String path = "/api/v1/media/" + photo;

        assertEquals(404, MultipartForm.bytes(null, path).statusCode(), "not approved: none");
        assertEquals(404, MultipartForm.bytes(null, path + "/thumbnail").statusCode());
        assertTrue(open311(id).path("media_url").isNull(), "GeoReport's media_url: null");
        assertEquals(0, trackedPhotos(id).size(), "the tracking page shows none yet");

        // a grid worker may not approve (the command centre's call), and changes nothing
        Answer refused =
                TestServer.postAs(otherGridWorker, path + "/approval", "{\"approved\": true}");
        assertEquals(403, refused.status(), refused.body());
        assertEquals("application/problem+json", refused.contentType());
        assertEquals(404, MultipartForm.bytes(null, path).statusCode());
        // nor see the photo of a case outside their grid
        assertEquals(403, MultipartForm.bytes(otherGridWorker, path).statusCode());

        Answer ok = TestServer.postAs("operator", path + "/approval", "{\"approved\": true}");
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.json().get("approved").asBoolean());
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM incident_event WHERE incident_id = ? AND type ="
                                + " 'MEDIA_APPROVED' AND actor_id IS NOT NULL",
                        id));

        // the reporter's tracking page now shows it, as its public rendition
        JsonNode tracked = trackedPhotos(id);
        assertEquals(1, tracked.size(), tracked.toString());
        assertEquals(path, tracked.get(0).get("url").asText());
        assertEquals(path + "/thumbnail", tracked.get(0).get("thumbnailUrl").asText());

        HttpResponse<byte[]> shown = MultipartForm.bytes(null, path);
        assertEquals(200, shown.statusCode());
        assertEquals("image/jpeg", shown.headers().firstValue("Content-Type").orElseThrow());
        assertFalse(java.util.Arrays.equals(exif, shown.body()), "re-encoded, not the original");
        var md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(shown.body()));
        assertNull(md.getFirstDirectoryOfType(GpsDirectory.class), "no position for the public");
        assertFalse(new String(shown.body(), StandardCharsets.ISO_8859_1).contains("Exif"));
        assertEquals(200, MultipartForm.bytes(null, path + "/thumbnail").statusCode());
        // the grid worker now gets what the public gets
        HttpResponse<byte[]> worker = MultipartForm.bytes(otherGridWorker, path);
        assertEquals(200, worker.statusCode());
        assertArrayEquals(shown.body(), worker.body());

        // Open311 shows it as the request's media_url; the tracking page's list has it
        JsonNode request = open311(id);
        assertTrue(request.get("media_url").asText().endsWith(path), request.toString());

        Answer withdrawn =
                TestServer.postAs("operator", path + "/approval", "{\"approved\": false}");
        assertEquals(200, withdrawn.status(), withdrawn.body());
        assertEquals(404, MultipartForm.bytes(null, path).statusCode());
        assertTrue(open311(id).path("media_url").isNull(), "GeoReport's media_url: null");
    }

    static JsonNode open311(long id) {
        Answer a = TestServer.get("/open311/v2/requests/" + id + ".json");
        assertEquals(200, a.status(), a.body());
        return a.json().get(0);
    }

    @Test
    void staffAddPhotosToACaseWithTheirOwnEvent() throws Exception {
        long id = reportWithPhotos();
        Answer a =
                new MultipartForm()
                        .text("stage", "AFTER")
                        .text("note", "已清理完毕")
                        .file("photo", "after.jpg", "image/jpeg", TestImages.jpeg(40, 30))
                        .postAs("operator", "/api/v1/incidents/" + id + "/media");
        assertEquals(201, a.status(), a.body());
        long event = a.json().get("eventId").asLong();
        JsonNode m = a.json().get("media").get(0);
        assertEquals("AFTER", m.get("stage").asText());
        assertEquals(event, m.get("eventId").asLong());
        Answer events = TestServer.getAs("operator", "/api/v1/incidents/" + id + "/events");
        JsonNode last = events.json().get("events").get(events.json().get("events").size() - 1);
        assertEquals("MEDIA_ADDED", last.get("type").asText());
        assertTrue(last.get("note").asText().contains("已清理完毕"), last.toString());
        assertEquals(1, media(id).size());

        // the stage is required and one of the four
        Answer noStage =
                new MultipartForm()
                        .file("photo", "a.jpg", "image/jpeg", TestImages.jpeg(8, 8))
                        .postAs("operator", "/api/v1/incidents/" + id + "/media");
        assertEquals(422, noStage.status(), noStage.body());
        assertEquals("stage", noStage.json().get("field").asText());
        assertEquals(1, media(id).size());
    }

    @Test
    void open311TakesAMediaFileAndShowsTheApprovedOne() throws Exception {
        Answer a =
                new MultipartForm()
                        .text("service_code", publicCategory)
                        .text("lat", Double.toString(probe.lat()))
                        .text("long", Double.toString(probe.lon()))
                        .text("description", "Open311 照片")
                        .file("media", "street.jpg", "image/jpeg", TestImages.jpeg(50, 40))
                        .post("/open311/v2/requests.json");
        assertEquals(201, a.status(), a.body());
        long id = a.json().get(0).get("service_request_id").asLong();
        assertEquals(1, media(id).size());
        assertEquals("REPORT", media(id).get(0).get("stage").asText());
    }

    @Test
    void anIdempotentRetryWithPhotosStoresThemOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] photo = TestImages.jpeg(33, 22);
        MultipartForm f =
                new MultipartForm()
                        .text("report", report("重试"))
                        .file("photo", "a.jpg", "image/jpeg", photo);
        Answer first = f.post("/api/v1/incidents", "Idempotency-Key", key);
        Answer again = f.post("/api/v1/incidents", "Idempotency-Key", key);
        assertEquals(201, first.status(), first.body());
        assertEquals(201, again.status(), again.body());
        long id = first.json().get("id").asLong();
        assertEquals(id, again.json().get("id").asLong());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(1, count("SELECT count(*) FROM media WHERE incident_id = ?", id));
        // the same key with another photo is another request
        Answer other =
                new MultipartForm()
                        .text("report", report("重试"))
                        .file("photo", "a.jpg", "image/jpeg", TestImages.jpeg(34, 22))
                        .post("/api/v1/incidents", "Idempotency-Key", key);
        assertEquals(422, other.status(), other.body());
    }

    // --- bad input: problem+json 4xx and nothing stored (no row, no file, no case) ---

    static void assertProblem(Answer a, int status, String type) {
        assertEquals(status, a.status(), a.body());
        assertEquals("application/problem+json", a.contentType(), a.body());
        assertTrue(a.json().get("type").asText().endsWith("/" + type), a.body());
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedAndNothingStored() throws Exception {
        String marker = "不是图片 " + UUID.randomUUID();
        Stored before = Stored.now(marker);
        byte[] pdf = "%PDF-1.7\n1 0 obj << >> endobj\n".getBytes(StandardCharsets.US_ASCII);
        Answer a =
                new MultipartForm()
                        .text("report", report(marker))
                        .file("photo", "good.jpg", "image/jpeg", TestImages.jpeg(10, 10))
                        .file("photo", "scan.pdf", "application/pdf", pdf)
                        .post("/api/v1/incidents");
        assertProblem(a, 415, "not-an-image");
        assertEquals("photo", a.json().get("field").asText());
        assertTrue(a.json().get("detail").asText().contains("#2"), a.body());
        // a text file named and declared as a JPEG
        Answer renamed =
                new MultipartForm()
                        .text("report", report(marker))
                        .file("photo", "photo.jpg", "image/jpeg", "just text".getBytes())
                        .post("/api/v1/incidents");
        assertProblem(renamed, 415, "not-an-image");
        assertEquals(before, Stored.now(marker), "no case, no row, not even the good photo's file");
    }

    @Test
    void tooManyPhotosAreRefusedAndNothingStored() throws Exception {
        String marker = "太多照片 " + UUID.randomUUID();
        Stored before = Stored.now(marker);
        MultipartForm f = new MultipartForm().text("report", report(marker));
        for (int i = 0; i < 6; i++)
            f.file("photo", i + ".jpg", "image/jpeg", TestImages.jpeg(10 + i, 10));
        assertProblem(f.post("/api/v1/incidents"), 422, "too-many-files");
        assertEquals(before, Stored.now(marker));
    }

    @Test
    void anOversizedPhotoIsRefusedAndNothingStored() throws Exception {
        String marker = "太大 " + UUID.randomUUID();
        Stored before = Stored.now(marker);
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        System.arraycopy(TestImages.jpeg(16, 16), 0, big, 0, 100);
        Answer a =
                new MultipartForm()
                        .text("report", report(marker))
                        .file("photo", "huge.jpg", "image/jpeg", big)
                        .post("/api/v1/incidents");
        assertProblem(a, 413, "file-too-large");
        assertEquals(before, Stored.now(marker));
    }

    @Test
    void aPhotoForACaseTheCallerMayNotSeeIsRefusedAndNothingStored() throws Exception {
        long id = reportWithPhotos();
        Stored before = Stored.now("-");
        Answer a =
                new MultipartForm()
                        .text("stage", "BEFORE")
                        .file("photo", "x.jpg", "image/jpeg", TestImages.jpeg(12, 12))
                        .postAs(otherGridWorker, "/api/v1/incidents/" + id + "/media");
        assertProblem(a, 403, "not-your-case");
        assertEquals(before, Stored.now("-"));
        Answer anonymous =
                new MultipartForm()
                        .text("stage", "BEFORE")
                        .file("photo", "x.jpg", "image/jpeg", TestImages.jpeg(12, 12))
                        .post("/api/v1/incidents/" + id + "/media");
        assertEquals(401, anonymous.status(), anonymous.body());
        assertEquals(before, Stored.now("-"));
        assertEquals(
                403,
                TestServer.getAs(otherGridWorker, "/api/v1/incidents/" + id + "/media").status());
    }

    @Test
    void aMultipartReportNeedsItsReportPartAndNoOtherText() throws Exception {
        String marker = "缺报告 " + UUID.randomUUID();
        Stored before = Stored.now(marker);
        Answer none =
                new MultipartForm()
                        .file("photo", "a.jpg", "image/jpeg", TestImages.jpeg(9, 9))
                        .post("/api/v1/incidents");
        assertProblem(none, 422, "invalid-field");
        assertEquals("report", none.json().get("field").asText());
        Answer unknown =
                new MultipartForm()
                        .text("report", report(marker))
                        .text("comment", "x")
                        .post("/api/v1/incidents");
        assertProblem(unknown, 422, "invalid-field");
        assertEquals("comment", unknown.json().get("field").asText());
        // the report itself is checked as a JSON intake is, before any photo is looked at
        Answer bad =
                new MultipartForm()
                        .text("report", "{\"category\": \"NO_SUCH\"}")
                        .file("photo", "a.pdf", "application/pdf", "%PDF-1.4".getBytes())
                        .post("/api/v1/incidents");
        assertEquals(422, bad.status(), bad.body());
        assertEquals(before, Stored.now(marker));
    }

    @Test
    void theReportMayComeAsAFilePartAsCurlSendsIt() throws Exception {
        // curl -F report=@report.json -F photo=@a.jpg
        Answer a =
                new MultipartForm()
                        .file(
                                "report",
                                "report.json",
                                "application/json",
                                report("文件形式的报告").getBytes(StandardCharsets.UTF_8))
                        .file("photo", "a.jpg", "image/jpeg", TestImages.jpeg(15, 15))
                        .post("/api/v1/incidents");
        assertEquals(201, a.status(), a.body());
        assertEquals("文件形式的报告", a.json().get("description").asText());
        assertEquals(1, a.json().get("media").size());
    }

    @Test
    void aCaseHoldsAtMostItsLimitOfPhotos() throws Exception {
        long id = reportWithPhotos();
        for (int round = 0; round < 6; round++) {
            MultipartForm f = new MultipartForm().text("stage", "OTHER");
            for (int i = 0; i < 5; i++)
                f.file("photo", i + ".jpg", "image/jpeg", TestImages.jpeg(8 + round, 8 + i));
            assertEquals(201, f.postAs("operator", "/api/v1/incidents/" + id + "/media").status());
        }
        Stored before = Stored.now("-");
        Answer a =
                new MultipartForm()
                        .text("stage", "OTHER")
                        .file("photo", "more.jpg", "image/jpeg", TestImages.jpeg(99, 9))
                        .postAs("operator", "/api/v1/incidents/" + id + "/media");
        assertProblem(a, 422, "too-many-files");
        assertEquals(30, media(id).size());
        assertEquals(before, Stored.now("-"), "no row, no file");
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM incident_event WHERE incident_id = ? AND type ="
                                + " 'MEDIA_ADDED' AND data->>'count' = '1'",
                        id),
                "no event");
    }

    @Test
    void aPhotoOfACaseStaffEnteredIsNeverPublished() throws Exception {
        Answer hotline =
                new MultipartForm()
                        .text(
                                "report",
                                DemoFixture.report(publicCategory, probe.lon(), probe.lat()))
                        .file("photo", "x.jpg", "image/jpeg", TestImages.jpeg(12, 12))
                        .postAs("operator", "/api/v1/incidents");
        assertEquals(201, hotline.status(), hotline.body());
        long photo = hotline.json().get("media").get(0).get("id").asLong();
        Answer a =
                TestServer.postAs(
                        "operator", "/api/v1/media/" + photo + "/approval", "{\"approved\": true}");
        assertProblem(a, 409, "not-a-public-case");
        assertEquals(0, count("SELECT count(*) FROM media WHERE id = ? AND approved", photo));
    }

    @Test
    void open311RefusesAMediaFileThatIsNotAnImageAsGeoReportDoes() throws Exception {
        String marker = "Open311 非图片 " + UUID.randomUUID();
        Stored before = Stored.now(marker);
        Answer a =
                new MultipartForm()
                        .text("service_code", publicCategory)
                        .text("lat", Double.toString(probe.lat()))
                        .text("long", Double.toString(probe.lon()))
                        .text("description", marker)
                        .file("media", "x.jpg", "image/jpeg", "<html>".getBytes())
                        .post("/open311/v2/requests.json");
        assertEquals(415, a.status(), a.body());
        assertEquals(415, a.json().get(0).get("code").asInt(), a.body());
        assertEquals(before, Stored.now(marker));
    }
}
