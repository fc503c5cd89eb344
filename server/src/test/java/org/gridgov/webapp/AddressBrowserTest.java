package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.Statement;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Addresses in the web map (docs/addresses.md): the intake form searches door plates as the user
 * types and files the report by its address; an address without a match is queued, and the command
 * centre places it by clicking the map.
 */
@Tag("db")
@Tag("browser")
class AddressBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    static String label() throws Exception {
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT label FROM door_plate WHERE unit IS NOT NULL"
                                        + " ORDER BY id LIMIT 1 OFFSET 5")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theFormFindsTheAddressAsItIsTypedAndFilesTheReportByIt() throws Exception {
        String label = label();
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        new Select(browser.waitFor("#intake-category"))
                .selectByValue(DemoFixture.subdistrictCategory());
        WebElement address = browser.find("#intake-address");
        address.sendKeys(label);
        // the search answers; the whole address typed out places the report there
        browser.until(d -> !browser.find("#intake-lonlat").getAttribute("value").isBlank());
        browser.until(
                d ->
                        browser.driver()
                                        .findElements(
                                                org.openqa.selenium.By.cssSelector(
                                                        "#intake-address-list option"))
                                        .size()
                                > 0);
        browser.waitFor("#preview-grid");
        browser.screenshot("intake-address");
        browser.find("#intake-submit").click();
        WebElement result = browser.waitFor("#result-title[data-incident-id]");
        long id = Long.parseLong(result.getAttribute("data-incident-id"));
        assertTrue(
                TestDatabase.queryLong(
                                "SELECT count(*) FROM incident_address WHERE incident_id = "
                                        + id
                                        + " AND door_plate_id IS NOT NULL")
                        > 0,
                "the case keeps the door plate it was placed by: " + label);
    }

    @Test
    void anUnknownAddressIsQueuedAndTheCommandCentrePlacesIt() throws Exception {
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        new Select(browser.waitFor("#intake-category"))
                .selectByValue(DemoFixture.subdistrictCategory());
        browser.find("#intake-address").sendKeys("幸福里花鸟市场门口东边的小卖部");
        browser.find("#intake-submit").click();
        WebElement result = browser.waitFor("#result-title[data-placement-id]");
        long pid = Long.parseLong(result.getAttribute("data-placement-id"));
        browser.screenshot("intake-queued");

        browser.openFresh("/#/command");
        browser.waitFor("#login-form");
        browser.find("#login-username").sendKeys("operator");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitForMap("command-map");
        browser.waitFor("#cmd-placements li[data-placement-id='" + pid + "']").click();
        browser.waitFor("#cmd-placements li.selected");
        DemoFixture.Probe probe = DemoFixture.probe();
        browser.js(
                """
                const map = document.getElementById('command-map').olMap;
                const x = arguments[0] * 20037508.342789244 / 180;
                const y = Math.log(Math.tan((90 + arguments[1]) * Math.PI / 360)) * 6378137;
                map.getView().cancelAnimations();
                map.getView().setCenter([x, y]);
                map.getView().setZoom(17);
                map.renderSync();""",
                probe.lon(),
                probe.lat());
        new Actions(browser.driver()).moveToElement(browser.find("#command-map")).click().perform();
        browser.until(
                d -> {
                    try {
                        return TestDatabase.queryLong(
                                                "SELECT count(*) FROM placement WHERE id = "
                                                        + pid
                                                        + " AND incident_id IS NOT NULL")
                                        > 0
                                ? true
                                : null;
                    } catch (Exception e) {
                        return null;
                    }
                });
        browser.screenshot("command-placed");
        assertTrue(
                TestDatabase.queryLong(
                                "SELECT count(*) FROM incident i JOIN placement p ON p.incident_id"
                                        + " = i.id WHERE p.id = "
                                        + pid
                                        + " AND i.grid_id IS NOT NULL")
                        > 0);
    }
}
