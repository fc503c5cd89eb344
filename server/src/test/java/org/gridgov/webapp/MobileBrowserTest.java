package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.gridgov.testing.DemoFixture;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The phone screen (#/m) in a real headless chromium emulating a 360×740 phone: a grid worker takes
 * a case through start → resolve with a photo; then, offline (the DevTools protocol's network
 * conditions), queues an action and a report with a photo, reloads the page (the service worker
 * serves the app shell), comes back online and the queue syncs — each once in the database. A
 * queued action replayed with the same Idempotency-Key makes no second event.
 */
@Tag("db")
@Tag("browser")
class MobileBrowserTest {

    @RegisterExtension
    static final Browser browser = new Browser(TestServer::base, new Dimension(360, 740));

    /** Screenshots to look at (docs/field-app.md describes them); not part of the build. */
    static final Path SHOTS = Path.of("/tmp");

    private static ChromeDriver chrome() {
        return (ChromeDriver) browser.driver();
    }

    private static void cdp(String command, Map<String, Object> params) {
        chrome().executeCdpCommand(command, params);
    }

    private static void phone() {
        cdp(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 360, "height", 740, "deviceScaleFactor", 2, "mobile", true));
    }

    private static void network(boolean offline) {
        cdp("Network.enable", Map.of());
        cdp(
                "Network.emulateNetworkConditions",
                Map.of(
                        "offline",
                        offline,
                        "latency",
                        0,
                        "downloadThroughput",
                        -1,
                        "uploadThroughput",
                        -1));
    }

    private static void shot(String name) throws Exception {
        Files.copy(
                browser.screenshot(name),
                SHOTS.resolve("phone-" + name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    static long count(String sql, Object... args) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String username(long staffId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps = c.prepareStatement("SELECT username FROM staff WHERE id = ?")) {
            ps.setLong(1, staffId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /** A demo place (the demo set of places) on a unit of the grid. */
    static long placeIn(long gridId) throws Exception {
        try (var c = TestDatabase.get().connection();
                var ps =
                        c.prepareStatement(
                                """
                SELECT p.id FROM place p JOIN grid_unit gu ON gu.unit_id = p.unit_id
                WHERE gu.grid_id = ? AND p.active ORDER BY p.id LIMIT 1""")) {
            ps.setLong(1, gridId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the demo has a place in grid " + gridId);
                return rs.getLong(1);
            }
        }
    }

    /**
     * An inspection task for the worker at the place, made by the command centre: a yes/no item
     * that fails into an incident with a photo, and a number.
     */
    static long taskFor(long workerId, long placeId, String title) {
        String body =
                """
                {"kind": "INSPECTION", "title": "%s", "target": {"type": "PLACE", "id": %d},
                 "dueAt": "%s", "assigneeId": %d,
                 "checks": [{"key": "exit_clear", "label": "安全出口是否畅通", "type": "YES_NO",
                             "expected": true, "photoRequired": true, "category": "%s"},
                            {"key": "extinguishers", "label": "灭火器数量", "type": "NUMBER",
                             "min": 1, "max": 20, "required": true, "category": "%s"}]}"""
                        .formatted(
                                title,
                                placeId,
                                java.time.Instant.now().plus(java.time.Duration.ofDays(3)),
                                workerId,
                                DemoFixture.subdistrictCategory(),
                                DemoFixture.subdistrictCategory());
        Answer a = TestServer.postAs("operator", "/api/v1/tasks", body);
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asLong();
    }

    /**
     * The task completed once from the phone: DONE, an answer per item, its photo, and the incident
     * the failed item made (an inspection at the place, with the photo as its report's).
     */
    static void assertTaskDone(long task, long place) throws Exception {
        assertEquals(1, count("SELECT count(*) FROM task WHERE id = ? AND state = 'DONE'", task));
        assertEquals(2, count("SELECT count(*) FROM task_answer WHERE task_id = ?", task));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM media WHERE task_id = ? AND task_check = 'exit_clear'",
                        task));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM task_answer WHERE task_id = ? AND incident_id IS NOT"
                                + " NULL",
                        task));
        assertEquals(
                1,
                count(
                        """
                        SELECT count(*) FROM task_answer a JOIN incident i ON i.id = a.incident_id
                        WHERE a.task_id = ? AND a.check_key = 'exit_clear'
                          AND i.channel = 'INSPECTION' AND i.place_id = ?
                          AND (SELECT count(*) FROM media m WHERE m.incident_id = i.id
                               AND m.stage = 'REPORT') = 1""",
                        task,
                        place));
    }

    /** A case reported by the hotline, accepted and dispatched to the worker: version 3. */
    static long dispatchedTo(long workerId, String description) {
        DemoFixture.Probe p = DemoFixture.probe();
        String report =
                """
                {"category": "%s", "channel": "HOTLINE", "location": {"lon": %s, "lat": %s},
                 "description": "%s"}"""
                        .formatted(
                                DemoFixture.subdistrictCategory(), p.lon(), p.lat(), description);
        Answer a = TestServer.postAs("operator", "/api/v1/incidents", report);
        assertEquals(201, a.status(), a.body());
        long id = a.json().get("id").asLong();
        String[] steps = {
            "{\"action\":\"accept\",\"expectedVersion\":1}",
            "{\"action\":\"dispatch\",\"expectedVersion\":2,\"assigneeId\":" + workerId + "}"
        };
        for (String step : steps) {
            Answer s = TestServer.postAs("operator", "/api/v1/incidents/" + id + "/actions", step);
            assertEquals(200, s.status(), step + " " + s.body());
        }
        return id;
    }

    private static void click(String css) {
        browser.until(
                d -> {
                    try {
                        browser.waitFor(css).click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException
                            | org.openqa.selenium.ElementClickInterceptedException e) {
                        return null;
                    }
                });
    }

    private static String badgeCount() {
        return (String)
                browser.js(
                        "return document.getElementById('m-queue-badge')?.dataset.count ?? null");
    }

    /** The rows of one IndexedDB store of the phone's outbox, as JSON text. */
    private static String store(String name) {
        return (String)
                ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                        .executeAsyncScript(
                                """
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('gridgov-field');
                open.onsuccess = () => {
                  const all = open.result.transaction(arguments[0]).objectStore(arguments[0]).getAll();
                  all.onsuccess = () => { done(JSON.stringify(all.result.map(
                    (r) => ({ ...r, photos: undefined, photo: undefined })))); open.result.close(); };
                };""",
                                name);
    }

    @Test
    void aGridWorkerWorksACaseAndQueuesOfflineWhatSyncsOnceOnline() throws Exception {
        DemoFixture.Probe probe = DemoFixture.probe();
        assertNotNull(probe.workerId(), "the probe grid has a worker on duty");
        String worker = username(probe.workerId());
        String tag = Long.toString(System.nanoTime(), 36);
        long first = dispatchedTo(probe.workerId(), "手机测试甲 " + tag);
        long second = dispatchedTo(probe.workerId(), "手机测试乙 " + tag);
        long third = dispatchedTo(probe.workerId(), "手机测试丙 " + tag);
        Path photo = MediaBrowserTest.jpeg(64, 48);

        phone();
        cdp(
                "Browser.grantPermissions",
                Map.of("permissions", List.of("geolocation"), "origin", TestServer.base()));
        cdp(
                "Emulation.setGeolocationOverride",
                Map.of("latitude", probe.lat(), "longitude", probe.lon(), "accuracy", 12));

        // log in through the app's login screen without ?next=: a grid worker on a phone-wide
        // screen lands on #/m (docs/field-app.md)
        browser.openFresh("/#/login");
        browser.until(
                d -> {
                    try {
                        WebElement name = browser.waitFor("#login-username");
                        name.clear();
                        name.sendKeys(worker);
                        browser.find("#login-password").sendKeys("demo");
                        browser.find("#login-submit").click();
                        return true;
                    } catch (org.openqa.selenium.StaleElementReferenceException e) {
                        return null;
                    }
                });
        browser.waitFor("#m-to-handle li[data-id='" + first + "']");
        assertTrue(
                browser.driver().getCurrentUrl().contains("#/m"), browser.driver().getCurrentUrl());
        assertEquals(
                360L, browser.js("return document.documentElement.clientWidth"), "a phone's width");
        assertEquals("在线", browser.find("#m-online").getText());
        shot("cases");

        // start → resolve with an after photo
        click("#m-to-handle li[data-id='" + first + "'] button");
        browser.waitForText("#m-case-title", "案件 " + first);
        click("#m-act-start");
        browser.waitForText("#m-case-status", "处置中");
        click("#m-act-resolve");
        browser.waitFor("#m-action-send");
        browser.find("#m-photo-AFTER").sendKeys(photo.toString());
        browser.waitForText("#m-photo-AFTER-list", photo.getFileName().toString());
        shot("resolve");
        click("#m-action-send");
        browser.waitForText("#m-case-status", "待核查");
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM media WHERE incident_id = ? AND stage = 'AFTER'",
                        first));
        assertEquals(
                1,
                count("SELECT count(*) FROM incident WHERE id = ? AND status = 'RESOLVED'", first));

        // the service worker controls the page before the network goes (it claims it on activation)
        browser.until(
                d ->
                        Boolean.TRUE.equals(
                                        browser.js("return !!navigator.serviceWorker?.controller"))
                                ? true
                                : null);

        // offline: an action and a report with a photo wait on the phone
        network(true);
        browser.open("/#/m?tab=case&id=" + second);
        browser.waitForText("#m-online", "离线");
        browser.waitForText("#m-case-title", "案件 " + second);
        click("#m-act-start");
        browser.waitFor("#m-case-pending");
        browser.until(d -> "1".equals(badgeCount()) ? true : null);
        shot("offline-case");

        click("#m-tab-report");
        new Select(browser.waitFor("#m-report-category"))
                .selectByValue(DemoFixture.subdistrictCategory());
        browser.find("#m-report-description").sendKeys("手机离线上报 " + tag);
        browser.find("#m-report-photo").sendKeys(photo.toString());
        browser.waitFor("#m-report-where[data-located='true']");
        click("#m-report-submit");
        browser.waitFor("#m-report-queued");
        browser.until(d -> "2".equals(badgeCount()) ? true : null);
        assertEquals("待同步 2", browser.find("#m-queue-badge").getText());
        shot("offline-report");

        // the page reloaded without a network: the app shell from the worker, the queue from
        // IndexedDB
        browser.driver().navigate().refresh();
        browser.waitFor("#m-app");
        browser.until(d -> "2".equals(badgeCount()) ? true : null);
        assertEquals(
                0, count("SELECT count(*) FROM incident WHERE description = ?", "手机离线上报 " + tag));
        click("#m-queue-badge");
        browser.waitFor("#m-queue-list li");
        shot("offline-queue");

        // a third case started on the phone while, meanwhile, the chief commander coordinates it
        // (→ COORDINATION, a subtask per platform, the worker's own) and puts it under 督办
        browser.open("/#/m?tab=case&id=" + third);
        browser.waitForText("#m-case-title", "案件 " + third);
        click("#m-act-start");
        browser.waitFor("#m-case-pending");
        browser.until(d -> "3".equals(badgeCount()) ? true : null);
        Answer co =
                TestServer.postAs(
                        "chief",
                        "/api/v1/incidents/" + third + "/actions",
                        "{\"action\":\"coordinate\",\"expectedVersion\":3,"
                                + "\"platforms\":[\"MARKET\"]}");
        assertEquals(200, co.status(), co.body());
        String reason = "群众反映强烈 " + tag;
        Answer sup =
                TestServer.postAs(
                        "chief",
                        "/api/v1/incidents/" + third + "/actions",
                        "{\"action\":\"supervise\",\"expectedVersion\":4,\"reason\":\""
                                + reason
                                + "\",\"dueAt\":\""
                                + java.time.Instant.now().plus(java.time.Duration.ofDays(2))
                                + "\"}");
        assertEquals(200, sup.status(), sup.body());

        // online again: the queue syncs in order
        network(false);
        browser.until(d -> "0".equals(badgeCount()) ? true : null);
        browser.until(d -> store("queue").equals("[]") ? true : null);
        assertEquals(
                1, count("SELECT count(*) FROM incident WHERE description = ?", "手机离线上报 " + tag));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM media m JOIN incident i ON i.id = m.incident_id"
                                + " WHERE i.description = ? AND m.stage = 'REPORT'",
                        "手机离线上报 " + tag));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM incident_event WHERE incident_id = ? AND type = 'START'",
                        second));
        // the third case's start met a case that had moved on: someone acted first, shown with
        // the case's state now
        JsonNode parked = TestServer.JSON.readTree(store("problems"));
        assertEquals(1, parked.size(), parked.toString());
        assertEquals(third, parked.get(0).get("incidentId").asLong());
        assertEquals("conflict", parked.get(0).at("/problem/outcome").asText());
        assertEquals(409, parked.get(0).at("/problem/status").asInt());
        assertTrue(
                parked.get(0)
                        .at("/problem/problem/type")
                        .asText()
                        .matches(".*/(stale-version|invalid-transition)"),
                parked.toString());
        browser.until(
                d ->
                        browser.waitFor(".m-problem[data-outcome='conflict']")
                                        .getText()
                                        .contains("有人已先处理：案件 " + third + " 现为「协同中」")
                                ? true
                                : null);
        shot("conflict");
        // the case on screen follows: its state now, no longer pending
        browser.waitForText("#m-case-status", "协同中");
        assertTrue(browser.driver().findElements(By.id("m-case-pending")).isEmpty());
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM incident_event WHERE incident_id = ? AND type = 'START'",
                        third));

        // the same queued action again (its answer lost, say): one event still
        JsonNode results = TestServer.JSON.readTree(store("results"));
        String key = null;
        for (JsonNode r : results) if (r.path("id").asLong() == second) key = r.get("key").asText();
        assertNotNull(key, results.toString());
        browser.js(
                """
                const open = indexedDB.open('gridgov-field');
                open.onsuccess = () => {
                  const tx = open.result.transaction('queue', 'readwrite');
                  tx.objectStore('queue').add({kind: 'action', key: arguments[0],
                    incidentId: arguments[1], body: {action: 'start', expectedVersion: 3}, attempts: 0});
                  tx.oncomplete = () => { open.result.close(); window.dispatchEvent(new Event('online')); };
                };""",
                key,
                second);
        browser.until(d -> store("queue").equals("[]") ? true : null);
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM incident_event WHERE incident_id = ? AND type = 'START'",
                        second));
        // the server answered 409 action-already-applied: the phone counts it as done (its result
        // kept with that status) and shows no "someone acted first" for it
        JsonNode after = TestServer.JSON.readTree(store("results"));
        JsonNode replayed = null;
        for (JsonNode r : after) if (key.equals(r.path("key").asText())) replayed = r;
        assertNotNull(replayed, after.toString());
        assertEquals(409, replayed.get("status").asInt(), replayed.toString());
        assertEquals(second, replayed.get("id").asLong(), replayed.toString());
        JsonNode problems = TestServer.JSON.readTree(store("problems"));
        assertEquals(1, problems.size(), "only the third case's conflict: " + problems);
        assertEquals(third, problems.get(0).get("incidentId").asLong());
        shot("synced");

        // the coordinated case shows the leader's 督办 and the worker's own subtask (by way of the
        // list: the page still shows that case as it was offline, and the same hash does not move)
        browser.open("/#/m?tab=cases");
        browser.waitFor("#m-to-handle");
        browser.open("/#/m?tab=case&id=" + third);
        browser.waitForText("#m-case-status", "协同中");
        String supervisions = browser.waitFor("#m-supervisions").getText();
        assertTrue(supervisions.contains(reason) && supervisions.contains("限"), supervisions);
        String mine = browser.waitFor("#m-subtasks li.m-mine").getText();
        assertTrue(mine.contains("未开始") && mine.contains("我的"), mine);
        assertEquals(2, browser.driver().findElements(By.cssSelector("#m-subtasks li")).size());
        shot("supervised");

        // my tasks: an inspection of a demo place in the worker's grid, made at the command centre
        long place = placeIn(probe.gridId());
        long task = taskFor(probe.workerId(), place, "消防检查 " + tag);
        long later = taskFor(probe.workerId(), place, "消防复查 " + tag);
        click("#m-tab-tasks");
        click("#m-view li[data-id='" + task + "'] button.m-case-open");
        new Select(browser.waitFor("#m-check-exit_clear")).selectByValue("false");
        browser.find("#m-check-photo-exit_clear").sendKeys(photo.toString());
        browser.waitForText("#m-check-photo-exit_clear-list", photo.getFileName().toString());
        browser.find("#m-check-extinguishers").sendKeys("3");
        shot("task");
        click("#m-task-complete");
        browser.waitFor("#m-task-queued");
        browser.until(d -> store("queue").equals("[]") ? true : null);
        assertEquals(1, TestServer.JSON.readTree(store("problems")).size(), store("problems"));
        assertTaskDone(task, place);

        // the other task completed offline: its photo and completion wait, then sync once
        network(true);
        browser.open("/#/m?tab=cases");
        browser.waitForText("#m-online", "离线");
        click("#m-tab-tasks");
        click("#m-view li[data-id='" + later + "'] button.m-case-open");
        new Select(browser.waitFor("#m-check-exit_clear")).selectByValue("true");
        browser.find("#m-check-photo-exit_clear").sendKeys(photo.toString());
        browser.waitForText("#m-check-photo-exit_clear-list", photo.getFileName().toString());
        browser.find("#m-check-extinguishers").sendKeys("5");
        click("#m-task-complete");
        browser.waitFor("#m-task-queued");
        browser.until(d -> "2".equals(badgeCount()) ? true : null);
        assertEquals(0, count("SELECT count(*) FROM task_answer WHERE task_id = ?", later));
        network(false);
        browser.until(d -> store("queue").equals("[]") ? true : null);
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM task WHERE id = ? AND state = 'DONE' AND version = 2",
                        later));
        assertEquals(2, count("SELECT count(*) FROM task_answer WHERE task_id = ?", later));
        assertEquals(1, count("SELECT count(*) FROM media WHERE task_id = ?", later));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM task_answer WHERE task_id = ? AND incident_id IS NOT"
                                + " NULL",
                        later),
                "every item passed");
        assertEquals(1, TestServer.JSON.readTree(store("problems")).size(), store("problems"));

        // patrol: positions as the phone moves, sent as one batch when the patrol stops
        click("#m-tab-patrol");
        click("#m-patrol-start");
        long before =
                count("SELECT count(*) FROM staff_position WHERE staff_id = ?", probe.workerId());
        for (int i = 1; i <= 3; i++) {
            Thread.sleep(1100); // one point a second at most: the server keys them by time
            cdp(
                    "Emulation.setGeolocationOverride",
                    Map.of(
                            "latitude",
                            probe.lat() + i * 0.0002,
                            "longitude",
                            probe.lon(),
                            "accuracy",
                            10));
        }
        browser.until(
                d ->
                        browser.find("#m-patrol-status").getText().matches("巡查中：已记录 [3-9].*")
                                ? true
                                : null);
        shot("patrol");
        click("#m-patrol-stop");
        browser.until(d -> store("queue").equals("[]") ? true : null);
        assertTrue(
                count("SELECT count(*) FROM staff_position WHERE staff_id = ?", probe.workerId())
                        >= before + 3,
                "the patrol's points are stored");
    }
}
