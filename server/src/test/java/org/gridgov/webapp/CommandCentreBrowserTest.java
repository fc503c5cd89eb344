package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The command centre in a real headless chromium against the real server, database, event relay and
 * MapServer.
 */
@Tag("db")
@Tag("browser")
class CommandCentreBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    private static void openAs(String user) {
        browser.openFresh("/#/login?next=command");
        logIn(user);
        browser.waitForText("#gg-screen h1", "指挥中心");
        browser.waitForMap("command-map");
    }

    /** Fills in the login screen that is showing. */
    private static void logIn(String user) {
        // the login screen may mount twice while the first page settles: fill it in once it stays
        browser.until(
                d -> {
                    try {
                        WebElement name = browser.waitFor("#login-username");
                        name.clear();
                        name.sendKeys(user);
                        browser.find("#login-password").sendKeys("demo");
                        browser.find("#login-submit").click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return null;
                    }
                });
    }

    /** A column of the staff member's row (username, name). */
    private static String staff(long staffId, String column) {
        try (var c = org.gridgov.testing.TestDatabase.get().connection();
                var ps = c.prepareStatement("SELECT " + column + " FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "staff " + staffId);
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Clicks the board's row of the case; the list may be re-drawn in between, so try again then.
     */
    private static void clickRow(long id) {
        click("#board-list li[data-id='" + id + "']");
    }

    /**
     * Clicks the element once it shows; the board and the case panel are re-drawn by live events,
     * so a stale one is found again.
     */
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

    /**
     * Opens the case from the board, accepts it and dispatches it through the panel (the dispatch
     * rules choose).
     */
    private static void acceptAndDispatch(long id) {
        clickRow(id);
        browser.waitForText("#case-title", "案件 " + id);
        browser.waitFor("button.case-action[data-action=accept]");
        List<String> offered =
                browser.driver().findElements(By.cssSelector("button.case-action")).stream()
                        .map(b -> b.getAttribute("data-action"))
                        .toList();
        assertEquals(
                List.of("accept", "reclassify", "reject", "merge", "comment"),
                offered,
                "only what the operator may do to a new report (a subdistrict matter: no escalate)");
        click("button.case-action[data-action=accept]");
        browser.until(d -> "ACCEPTED".equals(data("#case-done", "status")) ? true : null);

        browser.until(
                d ->
                        "2".equals(browser.find("#case-title").getAttribute("data-version"))
                                ? true
                                : null);
        // dispatch asks for platform and assignee (both optional: the dispatch rules decide); a
        // live re-draw
        // of the panel in between closes the form, so open it again then
        browser.until(
                d -> {
                    try {
                        var send = d.findElements(By.cssSelector("#case-action-send"));
                        if (send.isEmpty() || !send.get(0).isDisplayed()) {
                            d.findElement(
                                            By.cssSelector(
                                                    "button.case-action[data-action=dispatch]"))
                                    .click();
                            return null;
                        }
                        assertFalse(
                                d.findElements(
                                                By.cssSelector(
                                                        "#case-action-form #case-field-platform"))
                                        .isEmpty());
                        send.get(0).click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException
                            | org.openqa.selenium.NoSuchElementException e) {
                        return null;
                    }
                });
        browser.until(d -> "DISPATCHED".equals(data("#case-done", "status")) ? true : null);
        assertEquals("已派遣", browser.find("#case-status").getText());
        assertEquals(
                3,
                browser.driver().findElements(By.cssSelector("#case-timeline li")).size(),
                "reported, accepted, dispatched");
    }

    private static Object data(String css, String key) {
        return browser.js(
                "return document.querySelector(arguments[0])?.dataset[arguments[1]] ?? null",
                css,
                key);
    }

    @Test
    void aNewIncidentArrivesLiveAndIsAcceptedAndDispatchedThroughThePanel() {
        openAs("operator");
        browser.until(d -> "open".equals(data("#cmd", "live")) ? true : null);
        browser.waitFor("#board-list li");

        Answer filed =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory()));
        assertEquals(201, filed.status(), filed.body());
        long id = filed.json().get("id").asLong();

        // over SSE: on the board, marked new, with a countdown, and on the map
        // the row is re-drawn as the case's details arrive: read it in one script
        browser.until(
                d ->
                        (Boolean)
                                        browser.js(
                                                """
                const li = document.querySelector(`#board-list li[data-id='${arguments[0]}']`);
                return !!li && li.dataset.status === 'REPORTED' && !!li.querySelector('.mark-new')
                    && li.querySelector('.board-countdown').textContent.startsWith('剩余');""",
                                                id)
                                ? true
                                : null);
        assertEquals(
                1L,
                browser.js(
                        "return document.getElementById('command-map').olMap.getAllLayers().find(l => l.get('name') === 'live')"
                                + ".getSource().getSource().getFeatures().filter(f => f.getId() === arguments[0]).length",
                        id),
                "the new case is on the map");
        assertTrue(browser.find("#cmd-toast").getText().contains(String.valueOf(id)));
        browser.screenshot("live-new");

        acceptAndDispatch(id);
        // the operator calls back: the panel shows the reporter as the API gave it, unmasked
        browser.waitForText("#case-reporter", "王先生 13800000000");
        browser.screenshot("case-dispatched");

        JsonNode stored = TestServer.getAs("auditor", "/api/v1/incidents/" + id).json();
        assertEquals("DISPATCHED", stored.get("status").asText());
        assertEquals(3, stored.get("version").asInt());
        assertFalse(stored.at("/routing/assigneeId").isNull(), "the dispatch rules chose someone");

        // the handler's phone reports a position near the case: reopened, the panel lists them and
        // the map draws them
        long handler = stored.at("/routing/assigneeId").asLong();
        DemoFixture.Probe p = DemoFixture.probe();
        Answer pos =
                TestServer.postAs(
                        staff(handler, "username"),
                        "/api/v1/staff/" + handler + "/positions",
                        "{\"positions\":[{\"at\":\""
                                + java.time.OffsetDateTime.now().minusMinutes(2)
                                + "\",\"lon\":"
                                + (p.lon() + 0.002)
                                + ",\"lat\":"
                                + p.lat()
                                + "}]}");
        assertEquals(200, pos.status(), pos.body());
        click("#case-back");
        clickRow(id);
        browser.waitForText("#case-title", "案件 " + id);
        browser.until(
                d ->
                        browser.driver()
                                                .findElements(
                                                        By.cssSelector(
                                                                "#case-responders li strong"))
                                                .size()
                                        >= 1
                                ? true
                                : null);
        assertTrue(
                (Long)
                                browser.js(
                                        "return document.getElementById('command-map').olMap.getAllLayers().find(l => l.get('name') === 'responders')"
                                                + ".getSource().getFeatures().filter(f => f.getId() === 'staff-' + arguments[0]).length",
                                        handler)
                        == 1L,
                "the assignee is drawn among the responders");
        browser.waitForText("#case-assignee", staff(handler, "name"));
        String responders = browser.find("#case-responders").getText();
        assertFalse(
                responders.matches("(?s).*\\b[A-Z]+_[A-Z_]+\\b.*"),
                "role codes are translated: " + responders);
        browser.screenshot("case-responders");

        // the board follows the live change too
        click("#case-back");
        browser.until(
                d ->
                        "DISPATCHED"
                                        .equals(
                                                browser.find("#board-list li[data-id='" + id + "']")
                                                        .getAttribute("data-status"))
                                ? true
                                : null);
    }

    @Test
    void anIncidentFiledByClickingTheIntakeMapArrivesLiveInTheCommandCentreAndIsDispatched() {
        DemoFixture.Probe probe = DemoFixture.probe();
        String category = DemoFixture.subdistrictCategory();
        // window 1: the operator's command centre, listening (SSE)
        openAs("operator");
        browser.until(d -> "open".equals(data("#cmd", "live")) ? true : null);
        browser.waitFor("#board-list li");
        var driver = browser.driver();
        String commandWindow = driver.getWindowHandle();

        // window 2: the same operator at the intake desk (a new window has its own sessionStorage:
        // log in there too)
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.WINDOW);
        long id;
        try {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
            browser.open("/#/login?next=intake");
            logIn("operator");
            browser.waitForMap("intake-map");
            assertEquals("operator", browser.find("#gg-username").getText());
            new Select(browser.waitFor("#intake-category")).selectByValue(category);
            browser.js(
                    """
                    const map = document.getElementById('intake-map').olMap;
                    map.getView().setCenter([arguments[0] * 20037508.342789244 / 180,
                        Math.log(Math.tan((90 + arguments[1]) * Math.PI / 360)) * 6378137]);
                    map.getView().setZoom(18);
                    map.renderSync();""",
                    probe.lon(),
                    probe.lat());
            new org.openqa.selenium.interactions.Actions(driver)
                    .moveToElement(browser.find("#intake-map"))
                    .click()
                    .perform();
            browser.waitForText("#preview-grid", probe.gridCode());
            browser.find("#intake-description").sendKeys("端到端测试：地图点选上报");
            browser.find("#intake-submit").click();
            id = Long.parseLong(browser.waitFor("#result-title").getAttribute("data-incident-id"));
            browser.screenshot("e2e-intake-filed");
        } finally {
            driver.close();
            driver.switchTo().window(commandWindow);
        }

        // back in the command centre: it arrived over SSE — on the board (new, counting down) and
        // on the live layer
        browser.until(
                d ->
                        (Boolean)
                                        browser.js(
                                                """
                const li = document.querySelector(`#board-list li[data-id='${arguments[0]}']`);
                return !!li && li.dataset.status === 'REPORTED' && !!li.querySelector('.mark-new')
                    && li.querySelector('.board-countdown').textContent.startsWith('剩余');""",
                                                id)
                                ? true
                                : null);
        assertEquals(
                String.valueOf(id),
                String.valueOf(data("#cmd", "lastLiveIncident")),
                "announced by the live stream, not a reload");
        assertEquals(
                1L,
                browser.js(
                        "return document.getElementById('command-map').olMap.getAllLayers().find(l => l.get('name') === 'live')"
                                + ".getSource().getSource().getFeatures().filter(f => f.getId() === arguments[0]).length",
                        id),
                "on the map");
        browser.screenshot("e2e-arrived");

        acceptAndDispatch(id);
        browser.screenshot("e2e-dispatched");
        JsonNode stored = TestServer.getAs("auditor", "/api/v1/incidents/" + id).json();
        assertEquals("DISPATCHED", stored.get("status").asText());
        assertEquals(3, stored.get("version").asInt());
        assertEquals("端到端测试：地图点选上报", stored.get("description").asText());
        assertEquals(
                probe.gridId(),
                stored.at("/routing/gridId").asLong(),
                "filed where the map was clicked");
        assertEquals(probe.lon(), stored.at("/location/coordinates/0").asDouble(), 1e-4);
    }

    @Test
    void aChangeBehindThePanelIsShownAsAConflictAndTheInputIsKept() {
        Answer filed =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory()));
        assertEquals(201, filed.status(), filed.body());
        long id = filed.json().get("id").asLong();
        openAs("operator");
        browser.until(d -> "open".equals(data("#cmd", "live")) ? true : null);
        clickRow(id);
        browser.waitForText("#case-title", "案件 " + id);
        assertEquals("1", browser.find("#case-title").getAttribute("data-version"));
        click("button.case-action[data-action=comment]");
        String mine = "坐席备注：已电话联系报告人";
        browser.waitFor("#case-field-note").sendKeys(mine);

        // behind the screen's back the director comments on the same case (version 1 → 2)
        Answer other =
                TestServer.postAs(
                        "director",
                        "/api/v1/incidents/" + id + "/actions",
                        "{\"action\":\"comment\",\"note\":\"主任批示：今日办结\",\"expectedVersion\":1}");
        assertEquals(200, other.status(), other.body());
        // the live change does not throw the open form away: it only says the case changed
        browser.waitFor("#case-changed");
        assertEquals(mine, browser.find("#case-field-note").getAttribute("value"));

        click("#case-action-send");
        WebElement conflict = browser.waitFor("#case-conflict");
        assertTrue(
                conflict.getText().contains("操作冲突") && conflict.getText().contains("version 1"),
                conflict.getText());
        // the panel was reloaded: the director's comment and version 2; the form is open again with
        // the operator's text
        assertEquals("2", browser.find("#case-title").getAttribute("data-version"));
        assertTrue(browser.find("#case-timeline").getText().contains("主任批示：今日办结"));
        assertEquals(
                mine,
                browser.find("#case-field-note").getAttribute("value"),
                "nothing typed is lost");
        browser.screenshot("case-conflict");
        Answer between = TestServer.getAs("auditor", "/api/v1/incidents/" + id + "/events");
        assertFalse(between.body().contains(mine), "the stale action changed nothing");

        // sent again on the current version: both comments are kept
        click("#case-action-send");
        browser.until(
                d ->
                        "3".equals(browser.find("#case-title").getAttribute("data-version"))
                                ? true
                                : null);
        assertFalse(browser.find("#case-conflict").isDisplayed());
        String events = TestServer.getAs("auditor", "/api/v1/incidents/" + id + "/events").body();
        assertTrue(events.contains(mine) && events.contains("主任批示：今日办结"), events);
        assertEquals(
                3,
                TestServer.getAs("auditor", "/api/v1/incidents/" + id)
                        .json()
                        .get("version")
                        .asInt());
    }

    @Test
    void heatmapFiltersChangeTheMapAndBinsAndHotSpotsDraw() throws IOException {
        openAs("director");
        new Select(browser.find("#cmd-span")).selectByValue("year");
        browser.until(
                d ->
                        String.valueOf(data("#command-map", "heatmapLoaded"))
                                        .matches("\\d{4}-\\d\\d-\\d\\d/\\d{4}-\\d\\d-\\d\\d//")
                                ? true
                                : null);
        String yearWindow = (String) data("#command-map", "heatmapLoaded");
        settle();
        BufferedImage all = mapPixels();
        browser.screenshot("heatmap-all");

        new Select(browser.find("#cmd-platform")).selectByValue("MARKET");
        browser.until(
                d ->
                        String.valueOf(data("#command-map", "heatmapLoaded")).endsWith("/MARKET")
                                ? true
                                : null);
        settle();
        BufferedImage market = mapPixels();
        double changed = changedFraction(all, market);
        // How much changes depends on the test area's data, which the other test classes of the
        // run add to (1.8 % after a full run, more than 2 % alone); an unchanged picture is 0.
        assertTrue(
                changed > 0.01,
                "the platform filter redraws the heatmap: " + changed + " of the pixels changed");
        browser.screenshot("heatmap-market");

        // the time slider moves the window back: another picture again
        browser.js(
                "const s = document.getElementById('cmd-time'); s.value = 100; s.dispatchEvent(new Event('input'));");
        browser.until(
                d ->
                        !String.valueOf(data("#command-map", "heatmapLoaded"))
                                        .startsWith(yearWindow.substring(0, 21))
                                ? true
                                : null);
        assertNotEquals(browser.find("#cmd-window").getText(), "");

        // play by week from five weeks before today: the window walks to today and stops
        new Select(browser.find("#cmd-step")).selectByValue("week");
        new Select(browser.find("#cmd-span")).selectByValue("week");
        browser.js(
                "const s = document.getElementById('cmd-time'); s.value = 364 - 35; s.dispatchEvent(new Event('input'));");
        browser.find("#cmd-play").click();
        assertEquals("暂停", browser.find("#cmd-play").getText());
        browser.until(d -> "true".equals(data("#cmd", "playedThrough")) ? true : null);
        assertEquals("364", browser.find("#cmd-time").getAttribute("value"));
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        assertTrue(
                String.valueOf(data("#command-map", "heatmapLoaded"))
                        .startsWith(java.time.LocalDate.parse(today).minusDays(6) + "/" + today),
                "the last window ends today: " + data("#command-map", "heatmapLoaded"));
        assertEquals("播放", browser.find("#cmd-play").getText());
        new Select(browser.find("#cmd-span")).selectByValue("year");

        new Select(browser.find("#cmd-mode")).selectByValue("hex");
        browser.until(d -> "ready".equals(data("#command-map", "layerState")) ? true : null);
        long hexes =
                (Long)
                        browser.js(
                                "return document.getElementById('command-map').olMap.getAllLayers().find(l => l.get('name') === 'analytics')"
                                        + ".getSource().getFeatures().filter(f => f.getGeometry().getCoordinates()[0].length === 7).length");
        assertTrue(hexes > 0, "hexagon cells are drawn");
        assertTrue(browser.find("#cmd-legend").getText().startsWith("事件数"));
        browser.screenshot("bins-hex");

        new Select(browser.find("#cmd-mode")).selectByValue("hotspots");
        browser.until(d -> "ready".equals(data("#command-map", "layerState")) ? true : null);
        assertTrue(browser.find("#cmd-legend").getText().contains("热点 99%"));
        browser.screenshot("hotspots");
    }

    /**
     * A new case whose deadlines have passed while it stayed open: the test area's history ends at
     * its load time, where a small area may have no overdue case at all (docs/demo-data.md).
     */
    private static long overdueCase() {
        Answer filed =
                TestServer.postAs(
                        "operator",
                        "/api/v1/incidents",
                        DemoFixture.report(DemoFixture.subdistrictCategory()));
        assertEquals(201, filed.status(), filed.body());
        long id = filed.json().get("id").asLong();
        try (var c = org.gridgov.testing.TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                "UPDATE incident SET due_at = now() - interval '3 hours',"
                                        + " step_due_at = now() - interval '2 hours' WHERE id = ?")) {
            ps.setLong(1, id);
            assertEquals(1, ps.executeUpdate());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    @Test
    void boardFiltersSituationChartsWallScreenAndEnglish() {
        long overdue = overdueCase();
        openAs("director");
        browser.waitFor("#board-list li");
        browser.until(d -> !browser.find("#kpi-open").getText().equals("–") ? true : null);
        long open = Long.parseLong(browser.find("#kpi-open").getText());
        assertTrue(open > 0, "the demo has open cases");
        browser.until(
                d ->
                        (Long)
                                                browser.js(
                                                        "return document.querySelectorAll('#cmd-situation .chart canvas').length")
                                        >= 4
                                ? true
                                : null);

        // the list is re-drawn as answers and live events arrive: check it in one script each time
        new Select(browser.find("#board-status")).selectByValue("ACCEPTED");
        browser.until(
                d ->
                        (Boolean)
                                        browser.js(
                                                """
                const rows = [...document.querySelectorAll('#board-list li[data-status]')];
                return rows.length > 0 && rows.every(li => li.dataset.status === 'ACCEPTED');""")
                                ? true
                                : null);
        new Select(browser.find("#board-status")).selectByValue("");
        browser.until(
                d ->
                        (Boolean)
                                        browser.js(
                                                """
                return new Set([...document.querySelectorAll('#board-list li[data-status]')].map(li => li.dataset.status)).size > 1;""")
                                ? true
                                : null);
        browser.find("#board-overdue").click();
        browser.until(
                d ->
                        (Boolean)
                                        browser.js(
                                                """
                const rows = [...document.querySelectorAll('#board-list li[data-status]')];
                return rows.some(li => li.dataset.id === String(arguments[0]))
                    && rows.every(li => li.querySelector('.mark-overdue') && li.querySelector('.board-countdown.overdue'));""",
                                                overdue)
                                ? true
                                : null);
        browser.screenshot("board-overdue");
        browser.find("#board-overdue").click();

        // headless chromium's full screen is its fixed 800×600 "screen": count the request, keep
        // the window
        browser.js(
                "window.__fullscreen = 0; document.documentElement.requestFullscreen = () => { window.__fullscreen++; return Promise.resolve(); };");
        browser.find("#cmd-wall").click();
        browser.until(
                d ->
                        (Boolean) browser.js("return document.body.classList.contains('gg-wall')")
                                ? true
                                : null);
        assertEquals(
                1L,
                browser.js("return window.__fullscreen"),
                "the wall screen asks for full screen");
        assertFalse(browser.find(".gg-header").isDisplayed(), "the wall screen has no header");
        assertEquals("退出大屏", browser.find("#cmd-wall").getText());
        double big =
                Double.parseDouble(
                        ((String)
                                        browser.js(
                                                "return getComputedStyle(document.querySelector('.kpi strong')).fontSize"))
                                .replace("px", ""));
        assertTrue(big >= 36, "large type on the wall: " + big);
        browser.screenshot("wall");
        browser.find("#cmd-wall").click();
        browser.until(
                d ->
                        !(Boolean) browser.js("return document.body.classList.contains('gg-wall')")
                                ? true
                                : null);

        new Select(browser.find("#gg-lang")).selectByValue("en");
        browser.waitForText("#cmd-board h2", "Case board");
        assertEquals("Wall screen", browser.find("#cmd-wall").getText());
        assertTrue(browser.find("#board-count").getText().contains("loaded"));
        assertEquals(
                "Heatmap",
                new Select(browser.find("#cmd-mode")).getFirstSelectedOption().getText());
        browser.screenshot("command-en");
        new Select(browser.find("#gg-lang")).selectByValue("zh-CN");
    }

    /** Lets the last image and the render finish. */
    private static void settle() {
        ((JavascriptExecutor) browser.driver())
                .executeAsyncScript(
                        """
                const done = arguments[arguments.length - 1];
                const map = document.getElementById('command-map').olMap;
                map.once('rendercomplete', () => done(true));
                map.render();""");
    }

    private static BufferedImage mapPixels() throws IOException {
        return ImageIO.read(
                new ByteArrayInputStream(
                        browser.find("#command-map").getScreenshotAs(OutputType.BYTES)));
    }

    private static double changedFraction(BufferedImage a, BufferedImage b) {
        int w = Math.min(a.getWidth(), b.getWidth()),
                h = Math.min(a.getHeight(), b.getHeight()),
                changed = 0,
                total = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                int d =
                        Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff))
                                + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                                + Math.abs((p & 0xff) - (q & 0xff));
                total++;
                if (d > 30) changed++;
            }
        }
        return (double) changed / total;
    }
}
