package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The accountability screen in a real chromium: an auditor opens it from the header, asks for the
 * period of a case with two extension requests, sees it in its kind's table with the handler named
 * and a link to its history, narrows to a group, and the question was logged.
 */
@Tag("db")
@Tag("browser")
class AccountabilityBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    static JsonNode act(String user, long id, String action, String fields) {
        int version =
                TestServer.getAs("director", "/api/v1/incidents/" + id)
                        .json()
                        .get("version")
                        .asInt();
        Answer a =
                TestServer.postAs(
                        user,
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"%s\",\"expectedVersion\":%d%s}"
                                .formatted(action, version, fields));
        assertEquals(200, a.status(), action + " " + a.body());
        return a.json();
    }

    @Test
    void anAuditorFindsRepeatedExtensionsAndTheUseIsLogged() throws Exception {
        Answer r =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory()));
        assertEquals(201, r.status(), r.body());
        long id = r.json().get("id").asLong();
        act("operator", id, "accept", "");
        long handlerId = act("operator", id, "dispatch", "").at("/routing/assigneeId").asLong();
        String handler =
                TestServer.getAs("admin", "/api/v1/staff/" + handlerId)
                        .json()
                        .get("username")
                        .asText();
        act(handler, id, "start", "");
        for (int i = 0; i < 2; i++) {
            act(handler, id, "request-extension", ",\"reason\":\"等待\",\"extraHours\":4");
            act("director", id, "approve", "");
        }
        long uses =
                TestDatabase.queryLong(
                        "SELECT count(*) FROM admin_log WHERE kind = 'accountability'");

        browser.openFresh("/#/login?next=accountability");
        browser.waitFor("#login-username").sendKeys("auditor");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitFor("#gg-screen[data-screen=accountability]");
        browser.waitFor("#acc-groups");

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        browser.js(
                "location.hash = arguments[0]",
                "#/accountability?from="
                        + today.minusDays(1)
                        + "&to="
                        + today.plusDays(2)
                        + "&by=agency&kind=repeated-extension");
        String row = "table[data-kind=repeated-extension] tr[data-incident='" + id + "']";
        browser.waitFor(row);
        String text = browser.find(row).getText();
        assertTrue(text.contains("2 次延期"), text);
        assertTrue(text.contains("申请延期"), "the handler's part: " + text);
        assertEquals(
                "/api/v1/incidents/" + id + "/events",
                browser.find(row + " a").getAttribute("href").replaceFirst("^https?://[^/]+", ""));
        browser.screenshot("findings");

        // narrowing to the handler's group keeps the case
        browser.find("#acc-groups tr[data-key='" + handlerId + "'] a").click();
        browser.waitFor("#acc-groups tr.acc-picked[data-key='" + handlerId + "']");
        browser.waitFor(row);

        // an invalid threshold is caught before asking
        var min = browser.find("#acc-minExtensions");
        min.clear();
        min.sendKeys("0");
        browser.find("#acc-search").click();
        browser.waitFor("#acc-minExtensions[aria-invalid=true]");
        assertFalse(browser.find("#acc-errors").getText().isBlank());

        assertTrue(
                TestDatabase.queryLong(
                                "SELECT count(*) FROM admin_log WHERE kind = 'accountability'")
                        >= uses + 2,
                "the default question and the asked one were logged");
        assertTrue(
                browser.driver()
                                .findElements(By.cssSelector("nav a[href='#/accountability']"))
                                .size()
                        > 0,
                "the header offers the screen to the auditor");
    }
}
