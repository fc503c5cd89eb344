package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/** The web map in a real headless chromium against the real server, database and MapServer. */
@Tag("db")
@Tag("browser")
class WebMapBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    @Test
    void logsInAndSwitchesLanguage() throws IOException {
        browser.openFresh("/#/command");
        // the command centre needs a login: the app sends us to it, and back after
        browser.waitFor("#login-form");
        assertEquals("登录", browser.find("#login-submit").getText());
        browser.find("#login-username").sendKeys("operator");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitForText("#gg-screen h1", "指挥中心");
        assertEquals("operator", browser.find("#gg-username").getText());
        assertEquals("受理", browser.find("a[data-route=intake]").getText());

        new Select(browser.find("#gg-lang")).selectByValue("en");
        browser.waitForText("#gg-screen h1", "Command centre");
        assertEquals("Intake", browser.find("a[data-route=intake]").getText());
        assertEquals("Log out", browser.find("#gg-logout").getText());
        assertEquals("en", browser.js("return document.documentElement.lang"));

        browser.waitForMap("command-map");
        assertMapDrawn(browser.find("#command-map"));
        browser.screenshot("command-en");

        String token =
                (String)
                        browser.js(
                                "return JSON.parse(sessionStorage.getItem('gridgov.session')).token");
        browser.find("#gg-logout").click();
        browser.waitFor("#login-form");
        assertEquals("Log in", browser.find("#login-submit").getText());
        // logging out revokes the token on the server, not only in this tab
        var after =
                org.gridgov.testing.TestServer.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                org.gridgov.testing.TestServer.base()
                                                        + "/api/v1/incidents?limit=1"))
                                .header("Authorization", "Bearer " + token)
                                .build());
        assertEquals(401, after.status(), after.body());
    }

    @Test
    void wrongPasswordShowsTheServersProblem() {
        browser.openFresh("/#/login");
        browser.waitFor("#login-username").sendKeys("operator");
        browser.find("#login-password").sendKeys("not-the-password");
        browser.find("#login-submit").click();
        WebElement problem = browser.waitFor("#login-problem .gg-problem");
        assertFalse(
                problem.findElement(org.openqa.selenium.By.cssSelector(".gg-problem-title"))
                        .getText()
                        .isBlank());
        assertEquals(0L, browser.js("return sessionStorage.length"));
    }

    @Test
    void intakeByClickingTheMapPreviewsTheRoutingAndFilesTheReport() {
        DemoFixture.Probe probe = DemoFixture.probe();
        String category = DemoFixture.subdistrictCategory();
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        new Select(browser.waitFor("#intake-category")).selectByValue(category);
        clickMapAt(probe.lon(), probe.lat());

        browser.waitForText("#preview-grid", probe.gridCode());
        // the base map draws gridgov's roads (vector tiles /tiles/roads) around the place at street
        // zoom
        browser.until(
                d ->
                        (Long)
                                                browser.js(
                                                        """
                const map = document.getElementById('intake-map').olMap;
                const roads = map.getAllLayers().find(l => l.get('name') === 'roads');
                return roads.getFeaturesInExtent(map.getView().calculateExtent(map.getSize())).length;""")
                                        > 0
                                ? true
                                : null);
        String lonLat = browser.find("#intake-lonlat").getAttribute("value");
        String[] parts = lonLat.split(",\\s*");
        assertEquals(
                probe.lon(),
                Double.parseDouble(parts[0]),
                1e-4,
                "the clicked place is filled in: " + lonLat);
        assertEquals(probe.lat(), Double.parseDouble(parts[1]), 1e-4);
        assertEquals("综合执法", browser.find("#preview-platform").getText());
        assertFalse(browser.find("#preview-due").getText().isBlank());
        browser.find("#intake-description").sendKeys("浏览器测试：路边占道经营");
        browser.screenshot("intake-preview");

        browser.find("#intake-submit").click();
        WebElement result = browser.waitFor("#result-title");
        long id = Long.parseLong(result.getAttribute("data-incident-id"));
        assertEquals("已受理：事件 " + id, result.getText());
        browser.screenshot("intake-result");

        Answer stored = TestServer.getAs("auditor", "/api/v1/incidents/" + id);
        assertEquals(200, stored.status(), stored.body());
        JsonNode i = stored.json();
        assertEquals(category, i.get("category").asText());
        assertEquals(probe.gridId(), i.at("/routing/gridId").asLong());
        assertEquals("浏览器测试：路边占道经营", i.get("description").asText());
        assertEquals(
                "PUBLIC_ONLINE",
                i.get("channel").asText(),
                "without a login the form files on the public channel");
        assertEquals(
                1L,
                browser.js(
                        "return document.getElementById('intake-map').olMap.getAllLayers()"
                                + ".find(l => l.get('name') === 'filed').getSource().getFeatures().filter(f => f.getId() === arguments[0]).length",
                        id),
                "the new incident is on the map");
    }

    @Test
    void aReportWithoutCategoryShowsTheProblemDetail() {
        DemoFixture.Probe probe = DemoFixture.probe();
        browser.openFresh("/#/intake");
        browser.waitForMap("intake-map");
        clickMapAt(probe.lon(), probe.lat());
        browser.until(d -> !browser.find("#intake-lonlat").getAttribute("value").isBlank());
        browser.find("#intake-submit").click();
        WebElement detail = browser.waitFor("#intake-problem .gg-problem-detail");
        assertEquals("'category' is required", detail.getText());
        assertEquals("/category", browser.find("#intake-problem .gg-field").getText());
        assertFalse(browser.find("#intake-problem .gg-problem-title").getText().isBlank());
        browser.screenshot("intake-problem");
    }

    @Test
    void typedCoordinatesOnAPhoneSizedWindowGiveTheSamePreview() {
        DemoFixture.Probe probe = DemoFixture.probe();
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.openFresh("/#/intake");
            browser.waitForMap("intake-map");
            WebElement form = browser.find("#intake-form");
            WebElement map = browser.find("#intake-map");
            assertTrue(
                    form.getLocation().getY()
                            >= map.getLocation().getY() + map.getSize().getHeight() - 1,
                    "on a phone the form sits below the map");
            new Select(browser.find("#intake-category"))
                    .selectByValue(DemoFixture.subdistrictCategory());
            WebElement coords = browser.find("#intake-lonlat");
            coords.sendKeys(
                    probe.lat() + ", " + probe.lon() + "\t"); // latitude first is recognised too
            browser.waitForText("#preview-grid", probe.gridCode());
            browser.screenshot("intake-phone");
        } finally {
            browser.driver()
                    .manage()
                    .window()
                    .setSize(new org.openqa.selenium.Dimension(1280, 800));
        }
    }

    /**
     * Centres the map on the place at street zoom, then clicks the map's centre like a person
     * would.
     */
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
        WebElement map = browser.find("#intake-map");
        new Actions(browser.driver()).moveToElement(map).click().perform();
    }

    /**
     * The map's canvas is not blank: many pixels differ from the background, in several colours.
     */
    private static void assertMapDrawn(WebElement map) throws IOException {
        BufferedImage img =
                ImageIO.read(new ByteArrayInputStream(map.getScreenshotAs(OutputType.BYTES)));
        int background = 0xf4f4f0, drawn = 0, total = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                total++;
                colours.add(rgb);
                if (Math.abs(((rgb >> 16) & 0xff) - 0xf4)
                                + Math.abs(((rgb >> 8) & 0xff) - 0xf4)
                                + Math.abs((rgb & 0xff) - 0xf0)
                        > 24) drawn++;
            }
        }
        assertTrue(
                drawn > total / 5,
                "communities fill the map: "
                        + drawn
                        + " of "
                        + total
                        + " pixels differ from the background "
                        + Integer.toHexString(background));
        assertTrue(
                colours.size() > 20,
                "communities, grid lines and labels give many colours: " + colours.size());
    }
}
