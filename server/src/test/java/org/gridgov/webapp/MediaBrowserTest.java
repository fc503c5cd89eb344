package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import javax.imageio.ImageIO;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Photos in the web map, in a real headless chromium: the report form attaches one, and the command
 * centre's case panel shows a case's photos (fetched with the token) and publishes one.
 */
@Tag("db")
@Tag("browser")
class MediaBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    static String publicCategory() throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT code FROM category WHERE public AND active AND authority ="
                                        + " 'SUBDISTRICT' ORDER BY code LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(String sql, long id) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Path jpeg(int w, int h) throws Exception {
        Path f = Files.createTempFile("gridgov-photo", ".jpg");
        var img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ImageIO.write(img, "jpeg", f.toFile());
        return f;
    }

    @Test
    void theReportFormAttachesAPhoto() throws Exception {
        DemoFixture.Probe probe = DemoFixture.probe();
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        new Select(browser.waitFor("#intake-category")).selectByValue(publicCategory());
        WebElement lonLat = browser.find("#intake-lonlat");
        lonLat.sendKeys(probe.lon() + ", " + probe.lat(), Keys.TAB);
        browser.find("#intake-description").sendKeys("浏览器测试：带照片上报");
        Path photo = jpeg(64, 48);
        browser.find("#intake-photos").sendKeys(photo.toString());
        browser.waitForText("#intake-photos-list", photo.getFileName().toString());
        browser.find("#intake-submit").click();
        WebElement result = browser.waitFor("#result-title");
        long id = Long.parseLong(result.getAttribute("data-incident-id"));
        assertEquals(
                1,
                count("SELECT count(*) FROM media WHERE incident_id = ? AND stage = 'REPORT'", id));
    }

    @Test
    void anOperatorSeesACasesPhotosAndPublishesOne() throws Exception {
        // a public report with a photo, through the API
        DemoFixture.Probe probe = DemoFixture.probe();
        String boundary = "----gridgovbrowser";
        byte[] photo = Files.readAllBytes(jpeg(80, 60));
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n"
                                + """
                {"category": "%s", "channel": "PUBLIC_ONLINE", "location": {"lon": %s, "lat": %s},
                 "description": "浏览器测试：照片审核"}"""
                                        .formatted(publicCategory(), probe.lon(), probe.lat())
                                + "\r\n--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"photo\";"
                                + " filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        Answer a =
                TestServer.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                TestServer.base() + "/api/v1/incidents"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(
                                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                                body.toByteArray()))
                                .build());
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        long photoId = a.json().get("media").get(0).get("id").asLong();

        browser.openFresh("/#/login?next=command");
        browser.until(
                d -> {
                    try {
                        WebElement name = browser.waitFor("#login-username");
                        name.clear();
                        name.sendKeys("operator");
                        browser.find("#login-password").sendKeys("demo");
                        browser.find("#login-submit").click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return null;
                    }
                });
        browser.waitForText("#gg-screen h1", "指挥中心");
        browser.waitForMap("command-map");
        click("#board-list li[data-id='" + id + "']");
        browser.waitForText("#case-title", "案件 " + id);
        // the thumbnail, fetched with the token and shown from a blob
        browser.until(
                d ->
                        Boolean.TRUE.equals(
                                        browser.js(
                                                "const i = document.querySelector('#case-photos"
                                                        + " img.case-photo'); return !!i &&"
                                                        + " i.src.startsWith('blob:') &&"
                                                        + " i.complete && i.naturalWidth > 0;"))
                                ? true
                                : null);
        assertTrue(browser.find("#case-photos").getText().contains("未公开"));
        click("#case-photos button[data-review=approve]");
        browser.waitFor("#case-photos button[data-review=withdraw]");
        assertTrue(browser.find("#case-photos").getText().contains("已公开"));
        browser.screenshot("case-photos");
        assertEquals(1, count("SELECT count(*) FROM media WHERE id = ? AND approved", photoId));
        assertFalse(browser.driver().findElements(By.cssSelector("#case-photos li")).isEmpty());
    }

    private static void click(String css) {
        browser.until(
                d -> {
                    try {
                        browser.waitFor(css).click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return null;
                    }
                });
    }
}
