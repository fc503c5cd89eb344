package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The district screen (#/district) in a real headless chromium against the real server: the map
 * holds the subdistricts from GET /api/v1/subdistricts, and picking a subdistrict on the board
 * shows its cases only until "show all" (docs/district.md, "The screen").
 */
@Tag("db")
@Tag("browser")
class DistrictBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    @Test
    void theMapDrawsTheSubdistrictsAndAPickFiltersTheQueue() {
        browser.openFresh("/#/login?next=district");
        browser.waitFor("#login-username").sendKeys("doperator");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitFor("#gg-screen[data-screen=district]");

        int subdistricts =
                TestServer.getAs("doperator", "/api/v1/subdistricts").json().get("features").size();
        assertTrue(subdistricts >= 1);
        browser.until(
                d ->
                        String.valueOf(subdistricts)
                                        .equals(
                                                browser.js(
                                                        "return document.getElementById('dcc-map').dataset.subdistricts ?? null"))
                                ? true
                                : null);

        WebElement row = browser.waitFor("#dcc-board-table tr[data-subdistrict]");
        String name = row.findElement(By.cssSelector("td")).getText().trim();
        row.click();
        browser.until(d -> browser.find("#dcc-filter").getText().contains(name) ? true : null);
        assertTrue(
                browser.find("#dcc-board-table tr[data-subdistrict]")
                        .getAttribute("class")
                        .contains("dcc-selected"));
        List<WebElement> cases =
                browser.driver().findElements(By.cssSelector("#dcc-queue tbody tr"));
        for (WebElement c : cases)
            assertEquals(
                    name,
                    c.findElements(By.cssSelector("td")).get(1).getText().trim(),
                    "only the picked subdistrict's cases are listed");
        browser.screenshot("subdistrict-picked");

        browser.find("#dcc-show-all").click();
        browser.until(d -> browser.find("#dcc-filter").isDisplayed() ? null : true);
        assertFalse(
                browser.find("#dcc-board-table tr[data-subdistrict]")
                        .getAttribute("class")
                        .contains("dcc-selected"));
    }
}
