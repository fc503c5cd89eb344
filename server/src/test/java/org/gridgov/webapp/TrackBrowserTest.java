package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The reporter's side in a real chromium: a report filed on the public intake form, its receipt's
 * link to the tracking page (ticket and code in the hash), the timeline while staff work, and the
 * rating once the case is resolved.
 */
@Tag("db")
@Tag("browser")
class TrackBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    @Test
    void aReporterFollowsTheirReportAndRatesIt() throws Exception {
        DemoFixture.Probe probe = DemoFixture.probe();
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        new Select(browser.waitFor("#intake-category"))
                .selectByValue(DemoFixture.subdistrictCategory());
        clickMapAt(probe.lon(), probe.lat());
        browser.waitForText("#preview-grid", probe.gridCode());
        browser.find("#intake-description").sendKeys("浏览器测试：井盖松动");
        browser.find("#intake-submit").click();
        long ticket =
                Long.parseLong(browser.waitFor("#result-title").getAttribute("data-incident-id"));
        WebElement link = browser.waitFor("#result-track-link");
        String href = link.getAttribute("href");
        assertTrue(
                href.contains("#/track?ticket=" + ticket + "&code="),
                "the code travels in the hash: " + href);
        browser.screenshot("receipt");

        // the receipt's link opens the tracking page, filled in and looked up
        link.click();
        browser.waitFor("#track-timeline");
        assertEquals("已收到您的反映", browser.find("#track-status").getText());
        assertEquals(
                1,
                browser.driver()
                        .findElements(By.cssSelector("#track-timeline li[data-step=RECEIVED]"))
                        .size());
        assertTrue(
                browser.driver().findElements(By.cssSelector("#track-rate-form")).isEmpty(),
                "no rating form on an open case");
        assertEquals("暂无公开照片", browser.find("#track-photos").getText());
        browser.waitForMap("track-map");
        assertEquals(
                2L,
                browser.js(
                        "return document.getElementById('track-map').olMap.getAllLayers()"
                                + ".find(l => l.get('name') === 'case').getSource().getFeatures().length"),
                "the rounded place and its cell");
        assertFalse(browser.driver().getPageSource().contains("浏览器测试：井盖松动"));
        assertEquals("工单号 " + ticket, browser.find("#track-ticket-title").getText());
        assertFalse(browser.find("#track-case").getText().contains("null"));
        browser.screenshot("timeline");

        // staff handle it; the reporter looks again
        resolve(ticket);
        browser.find("#track-submit").click();
        browser.waitFor("#track-rate-form");
        assertEquals(
                java.util.List.of("RECEIVED", "ACCEPTED", "DISPATCHED", "IN_HAND", "RESOLVED"),
                browser.driver().findElements(By.cssSelector("#track-timeline li")).stream()
                        .map(li -> li.getAttribute("data-step"))
                        .toList());
        // sending without a score is stopped in the page
        browser.find("#track-rate-submit").click();
        assertEquals("请选择 1 至 5 分", browser.waitFor("#track-rate-error").getText());
        browser.find("#track-score-4").click();
        browser.find("#track-comment").sendKeys("处理及时");
        browser.screenshot("rating");
        browser.find("#track-rate-submit").click();
        assertEquals("您的评价：4 分", browser.waitFor("#track-rated").getText());
        assertEquals("感谢您的评价", browser.find("#track-note").getText());
        assertFalse(browser.find("#track-case").getText().contains("null"));
        browser.screenshot("rated");

        Answer stored = TestServer.getAs("operator", "/api/v1/incidents/" + ticket);
        assertEquals(4, stored.json().at("/case/satisfaction").asInt(), stored.body());
    }

    /** accept → dispatch → start → resolve, as staff do it. */
    private static void resolve(long id) throws Exception {
        int v = 1;
        String handler = null;
        for (String action : new String[] {"accept", "dispatch", "start", "resolve"}) {
            String who = action.equals("start") || action.equals("resolve") ? handler : "operator";
            Answer a =
                    TestServer.postAs(
                            who,
                            "/api/v1/incidents/" + id + "/actions",
                            "{\"action\":\"%s\",\"expectedVersion\":%d}".formatted(action, v));
            assertEquals(200, a.status(), action + " " + a.body());
            JsonNode n = a.json();
            v = n.get("version").asInt();
            if (action.equals("dispatch")) handler = username(n.at("/routing/assigneeId").asLong());
        }
    }

    private static String username(long staffId) throws Exception {
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

    /** Centres the intake map on the place at street zoom and clicks it, as a person would. */
    private static void clickMapAt(double lon, double lat) {
        browser.js(
                """
                const map = document.getElementById('intake-map').olMap;
                const x = arguments[0] * 20037508.342789244 / 180;
                const y = Math.log(Math.tan((90 + arguments[1]) * Math.PI / 360)) * 6378137;
                map.getView().setCenter([x, y]);
                map.getView().setZoom(18);
                map.renderSync();""",
                lon,
                lat);
        new Actions(browser.driver()).moveToElement(browser.find("#intake-map")).click().perform();
    }
}
