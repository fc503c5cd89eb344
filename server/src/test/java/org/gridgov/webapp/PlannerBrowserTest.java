package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.gridgov.job.Jobs;
import org.gridgov.testing.JobHold;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The planner screen in a real headless chromium against the real server, database and MapServer,
 * logged in as the demo planner: rebalance → compare → validate → adopt through the UI (and the
 * plan in effect at the chosen time changes in the API); editing a draft by clicking units and
 * grids, undo/redo, and an edit conflict (the version bumped behind the UI's back) shown to the
 * user; import with its report, export links.
 */
@Tag("db")
@Tag("browser")
class PlannerBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    @AfterEach
    void removeJobHold() {
        JobHold.remove();
    }

    private static void loginAndOpen(String hash) {
        browser.openFresh("/#/login");
        browser.waitFor("#login-username").sendKeys("planner");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        // the login screen goes on to the command centre; only then ask for the planner
        browser.until(
                d ->
                        Boolean.TRUE.equals(
                                        browser.js("return location.hash.startsWith('#/command')"))
                                ? true
                                : null);
        browser.open(hash);
        browser.until(
                d ->
                        "true"
                                        .equals(
                                                browser.js(
                                                        "return document.getElementById('planner-map')?.dataset.plannerReady ?? null"))
                                ? true
                                : null);
        browser.waitForMap("planner-map");
    }

    private static long shownPlan() {
        return Long.parseLong(
                (String)
                        browser.js("return document.getElementById('planner-map').dataset.planId"));
    }

    private static int shownVersion() {
        return Integer.parseInt(
                (String)
                        browser.js(
                                "return document.getElementById('planner-map').dataset.planVersion"));
    }

    @Test
    void rebalanceCompareValidateAndAdoptThroughTheUi() throws Exception {
        JsonNode plans = TestServer.getAs("planner", "/api/v1/plans").json().get("plans");
        long inEffect = -1, last = -1;
        Instant lastStart = Instant.EPOCH;
        for (JsonNode p : plans) {
            if (p.get("inEffect").asBoolean()) inEffect = p.get("id").asLong();
            if (!p.get("effectiveFrom").isNull()
                    && Instant.parse(p.get("effectiveFrom").asText()).isAfter(lastStart)) {
                lastStart = Instant.parse(p.get("effectiveFrom").asText());
                last = p.get("id").asLong();
            }
        }
        // AdoptionTest schedules plans in 2090 and 2095: adopt after whatever was adopted last, far
        // in the future, and take it back at the end, so no other test sees a difference
        int year = Math.max(2098, lastStart.atOffset(ZoneOffset.UTC).getYear() + 1);
        Timestamp lastEnd = timestamp("SELECT effective_to FROM grid_plan WHERE id = " + last);

        loginAndOpen("/#/planner");
        assertEquals(inEffect, shownPlan(), "the planner opens on the plan in effect");
        assertTrue(browser.find("#planner-plan-status").getText().contains("现行"));
        assertFalse(browser.find("#planner-legend").getText().isBlank(), "the legend is shown");
        // hover: the grid's workload; click: its statistics
        WebElement map = browser.find("#planner-map");
        new Actions(browser.driver()).moveToElement(map, 10, 10).moveToElement(map).perform();
        WebElement tip = browser.waitFor("#planner-tooltip");
        assertTrue(tip.getText().contains("工作量"), tip.getText());
        new Actions(browser.driver()).click().perform();
        WebElement facts = browser.waitFor("#planner-grid-facts");
        long gridId = Long.parseLong(facts.getAttribute("data-grid-id"));
        assertTrue(
                facts.getText().contains(text("SELECT code FROM grid WHERE id = " + gridId)),
                facts.getText());
        browser.screenshot("workload");
        // communities and base units toggle
        browser.find("#planner-show-communities").click();
        browser.find("#planner-show-units").click();
        assertEquals(
                false,
                browser.js(
                        "return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'communities').getVisible()"));
        assertEquals(
                false,
                browser.js(
                        "return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'base_units').getVisible()"));
        browser.find("#planner-show-communities").click();
        browser.find("#planner-show-units").click();
        assertEquals(
                true,
                browser.js(
                        "return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'base_units').getVisible()"));

        browser.find("#planner-tab-rebalance").click();
        browser.find("#planner-rebalance").click();
        browser.waitFor("#planner-metrics");
        assertEquals(
                "DONE", browser.js("return document.getElementById('planner-job').dataset.status"));
        assertEquals("1", browser.find("#planner-progress").getAttribute("value"));
        long proposal = shownPlan();
        assertNotEquals(inEffect, proposal);
        JsonNode draft = TestServer.getAs("planner", "/api/v1/plans/" + proposal).json();
        assertEquals("DRAFT", draft.get("status").asText());
        assertEquals(inEffect, draft.get("basedOn").asLong());

        // the proposal against the plan it came from: the counts are the server's, and the units
        // the
        // screen highlights (its own diff of the two assignments) are exactly as many
        JsonNode cmp =
                TestServer.getAs("planner", "/api/v1/plans/" + inEffect + "/compare/" + proposal)
                        .json();
        assertTrue(
                browser.find("#planner-units-moved")
                        .getText()
                        .startsWith(cmp.get("unitsMoved").asText() + " "),
                browser.find("#planner-units-moved").getText());
        assertEquals(
                cmp.get("unitsMoved").asLong(),
                ((Number)
                                browser.js(
                                        "return document.getElementById('planner-map').dataset.movedUnits * 1"))
                        .longValue());
        assertTrue(cmp.get("unitsMoved").asInt() > 0, "the demo is not balanced, so units move");
        assertEquals(
                TestServer.getAs("planner", "/api/v1/plans/" + inEffect)
                        .json()
                        .get("grids")
                        .asLong(),
                ((Number)
                                browser.js(
                                        """
                return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'base-plan')
                    .getSource().getFeatures().length"""))
                        .longValue(),
                "the base plan's grid lines are drawn over the proposal");
        WebElement maxDev = browser.find("#planner-metrics tr[data-metric=maxDeviation]");
        assertTrue(maxDev.getText().contains("±"), maxDev.getText());
        browser.screenshot("proposal");

        // the grids the rebalance made have no worker, which blocks adoption: name one (in SQL,
        // so the version the page holds stays current)
        try (Connection c = TestDatabase.get().dataSource().getConnection()) {
            c.createStatement()
                    .executeUpdate(
                            "UPDATE grid SET worker_id = (SELECT min(id) FROM staff WHERE role ="
                                    + " 'GRID_WORKER') WHERE worker_id IS NULL AND plan_id = "
                                    + proposal);
        }
        browser.find("#planner-validate").click();
        WebElement valid = browser.waitFor("#planner-valid");
        assertEquals("true", valid.getAttribute("data-valid"), valid.getText());

        browser.js(
                "document.getElementById('planner-effective').value = arguments[0]",
                year + "-01-01T00:00");
        long offsetMinutes =
                ((Number)
                                browser.js(
                                        "return -new Date(arguments[0], 0, 1).getTimezoneOffset()",
                                        year))
                        .longValue();
        Instant effective =
                OffsetDateTime.of(
                                year,
                                1,
                                1,
                                0,
                                0,
                                0,
                                0,
                                ZoneOffset.ofTotalSeconds((int) offsetMinutes * 60))
                        .toInstant();
        try {
            browser.find("#planner-adopt").click();
            WebElement adopted = browser.waitFor("#planner-adopted-text");
            assertEquals(String.valueOf(proposal), adopted.getAttribute("data-plan-id"));
            browser.screenshot("adopted");

            JsonNode p = TestServer.getAs("planner", "/api/v1/plans/" + proposal).json();
            assertEquals("ACTIVE", p.get("status").asText());
            assertEquals(effective, Instant.parse(p.get("effectiveFrom").asText()));
            assertEquals(
                    effective,
                    Instant.parse(
                            TestServer.getAs("planner", "/api/v1/plans/" + last)
                                    .json()
                                    .get("effectiveTo")
                                    .asText()),
                    "the plan adopted last ends when the new one begins");
            // the plan in effect at a point changes at the effective time
            String[] lonLat =
                    text("SELECT ST_X(p) || ',' || ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE plan_id = "
                                    + proposal
                                    + " ORDER BY id LIMIT 1) s")
                            .split(",");
            String at = "/api/v1/grids/at?lon=" + lonLat[0] + "&lat=" + lonLat[1] + "&at=";
            assertEquals(
                    proposal,
                    TestServer.get(at + effective.plusSeconds(60)).json().get("planId").asLong());
            assertEquals(
                    last,
                    TestServer.get(at + effective.minusSeconds(60)).json().get("planId").asLong());
            assertTrue(
                    TestServer.getAs("planner", "/api/v1/plans/" + inEffect)
                            .json()
                            .get("inEffect")
                            .asBoolean(),
                    "today's plan is still in effect");
            assertEquals(
                    "已采纳",
                    browser.find("#planner-plan-status").getText(),
                    "the screen shows the adopted plan");
        } finally {
            // take the adoption back: the proposal becomes a draft again, the last plan gets its
            // end back
            try (Connection c = TestDatabase.get().dataSource().getConnection()) {
                c.createStatement()
                        .executeUpdate(
                                "UPDATE grid_plan SET status = 'DRAFT', effective_from = NULL, effective_to = NULL WHERE id = "
                                        + proposal);
                var ps = c.prepareStatement("UPDATE grid_plan SET effective_to = ? WHERE id = ?");
                ps.setTimestamp(1, lastEnd);
                ps.setLong(2, last);
                ps.executeUpdate();
            }
        }

        // plan history lists every plan with its status
        browser.find("#planner-tab-history").click();
        assertTrue(
                browser.waitFor("#planner-history tr[data-plan-id='" + inEffect + "']")
                        .getText()
                        .contains("现行"));
    }

    @Test
    void editingADraftByClickUndoRedoAndAConflictIsShown() throws Exception {
        long draft =
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans",
                                "{\"from\": \"active\", \"name\": \"浏览器编辑\"}")
                        .json()
                        .get("id")
                        .asLong();
        // a unit on the edge of grid A that touches grid B (same community)
        long[] n =
                longs(
                        """
                SELECT ga.id, gb.id, b.id FROM grid ga JOIN grid gb ON gb.plan_id = ga.plan_id AND gb.community_id = ga.community_id AND gb.id <> ga.id
                JOIN grid_unit gu ON gu.grid_id = ga.id JOIN base_unit b ON b.id = gu.unit_id
                WHERE ga.plan_id = %d AND ST_Intersects(b.geom, gb.geom) AND ST_Length(ST_Intersection(ST_Boundary(b.geom), ST_Boundary(gb.geom))) > 0
                ORDER BY ga.id, gb.id, b.id LIMIT 1"""
                                .formatted(draft));
        long gridA = n[0], gridB = n[1], unit = n[2];

        loginAndOpen("/#/planner?plan=" + draft + "&tab=edit");
        assertEquals(draft, shownPlan());
        int v = shownVersion();

        // move a unit by clicking it, then choosing the target grid
        browser.find("#planner-tool-units").click();
        clickAt(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM base_unit WHERE id = "
                        + unit
                        + ") s",
                "base_units");
        browser.until(
                d ->
                        "1".equals(browser.find("#planner-selection").getAttribute("data-count"))
                                ? true
                                : null);
        new Select(browser.find("#planner-target-grid")).selectByValue(String.valueOf(gridB));
        browser.screenshot("unit-selected");
        browser.find("#planner-move").click();
        waitForVersion(v + 1);
        assertEquals(gridB, gridOf(draft, unit), "the unit moved in the database");

        // lasso: a freehand loop around the map centre selects the units inside it
        browser.find("#planner-tool-lasso").click();
        WebElement mapEl = browser.find("#planner-map");
        Actions lasso = new Actions(browser.driver()).moveToElement(mapEl, -70, -70).clickAndHold();
        int[][] path = {{140, 0}, {0, 140}, {-140, 0}, {0, -130}};
        for (int[] step : path) {
            for (int i = 0; i < 7; i++) lasso.moveByOffset(step[0] / 7, step[1] / 7);
        }
        lasso.release().perform();
        browser.until(
                d ->
                        Integer.parseInt(
                                                browser.find("#planner-selection")
                                                        .getAttribute("data-count"))
                                        >= 1
                                ? true
                                : null);
        browser.screenshot("lasso");
        browser.find("#planner-clear-selection").click();
        assertEquals("0", browser.find("#planner-selection").getAttribute("data-count"));

        // pick grid A on the map and rename it
        browser.find("#planner-tool-grid").click();
        clickAt(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE id = "
                        + gridA
                        + ") s",
                "plan-grids");
        browser.until(
                d ->
                        String.valueOf(gridA)
                                        .equals(
                                                browser.js(
                                                        "return document.querySelector('#planner-grid-facts')?.dataset.gridId ?? null"))
                                ? true
                                : null);
        WebElement name = browser.find("#planner-rename-input");
        name.clear();
        name.sendKeys("界面改名");
        browser.find("#planner-rename").click();
        waitForVersion(v + 2);
        assertEquals("界面改名", text("SELECT name FROM grid WHERE id = " + gridA));

        // undo and redo through the UI
        browser.find("#planner-undo").click();
        waitForVersion(v + 3);
        assertNotEquals("界面改名", text("SELECT name FROM grid WHERE id = " + gridA));
        browser.find("#planner-redo").click();
        waitForVersion(v + 4);
        assertEquals("界面改名", text("SELECT name FROM grid WHERE id = " + gridA));

        // someone else edits the draft: the screen still shows version v + 4
        var behind =
                TestServer.postAs(
                        "planner",
                        "/api/v1/plans/" + draft + "/edits",
                        "{\"expectedVersion\": "
                                + (v + 4)
                                + ", \"op\": \"rename\", \"gridId\": "
                                + gridB
                                + ", \"name\": \"别处改名\"}");
        assertEquals(200, behind.status(), behind.body());
        name = browser.find("#planner-rename-input");
        name.clear();
        name.sendKeys("不会保存");
        browser.find("#planner-rename").click();
        WebElement conflict = browser.waitFor("#planner-conflict");
        assertTrue(conflict.getText().contains("编辑冲突"), conflict.getText());
        assertTrue(
                conflict.getText().contains("version " + (v + 5)),
                "the server's detail is shown: " + conflict.getText());
        waitForVersion(v + 5); // reloaded
        assertEquals(
                "界面改名",
                text("SELECT name FROM grid WHERE id = " + gridA),
                "the refused edit changed nothing");
        browser.screenshot("conflict");
        // the box stays until dismissed; after the reload the next edit goes through
        browser.find("#planner-conflict button").click();
        assertFalse(browser.find("#planner-conflict").isDisplayed());
        browser.find("#planner-undo").click();
        waitForVersion(v + 6);
        assertNotEquals(
                "别处改名",
                text("SELECT name FROM grid WHERE id = " + gridB),
                "undo takes back the other edit, the last one");

        // validation problems are listed and each zooms to its place
        browser.find("#planner-tab-rebalance").click();
        WebElement band = browser.find("#planner-band");
        band.clear();
        band.sendKeys("0.01");
        browser.find("#planner-validate").click();
        WebElement invalid = browser.waitFor("#planner-valid");
        assertEquals("false", invalid.getAttribute("data-valid"));
        assertTrue(
                browser.find("#planner-validation").getText().contains("工作量超出允许范围"),
                "a band of ±1% leaves grids out of band");
        Object zoomBefore =
                browser.js(
                        "return document.getElementById('planner-map').olMap.getView().getZoom()");
        browser.find("#planner-validation button[data-problem-type=workload-out-of-band]").click();
        browser.until(
                d ->
                        ((Number)
                                                        browser.js(
                                                                """
                return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'problems')
                    .getSource().getFeatures().length"""))
                                                .intValue()
                                        == 1
                                ? true
                                : null);
        browser.until(
                d ->
                        !zoomBefore.equals(
                                        browser.js(
                                                "return document.getElementById('planner-map').olMap.getView().getZoom()"))
                                ? true
                                : null);
        browser.screenshot("problems");

        // split grid A along a line drawn across it, west to east through its middle
        long gridsBefore = longs("SELECT count(*) FROM grid WHERE plan_id = " + draft)[0];
        browser.find("#planner-tab-edit").click();
        browser.find("#planner-tool-split").click();
        @SuppressWarnings("unchecked")
        java.util.List<Number> ends =
                (java.util.List<Number>)
                        browser.js(
                                """
                const map = document.getElementById('planner-map').olMap;
                const grid = map.getAllLayers().find(l => l.get('name') === 'plan-grids').getSource().getFeatureById(arguments[0]);
                const e = grid.getGeometry().getExtent();
                map.getView().fit(e, { padding: [120, 120, 120, 120] });
                map.renderSync();
                const y = (e[1] + e[3]) / 2, margin = (e[2] - e[0]) * 0.1;
                const a = map.getPixelFromCoordinate([e[0] - margin, y]), b = map.getPixelFromCoordinate([e[2] + margin, y]);
                const size = map.getSize();
                return [a[0] - size[0] / 2, a[1] - size[1] / 2, b[0] - size[0] / 2, b[1] - size[1] / 2];""",
                                gridA);
        WebElement mapEl2 = browser.find("#planner-map");
        new Actions(browser.driver())
                .moveToElement(mapEl2, ends.get(0).intValue(), ends.get(1).intValue())
                .click()
                .moveToElement(
                        mapEl2,
                        (ends.get(0).intValue() + ends.get(2).intValue()) / 2,
                        ends.get(1).intValue() + 1)
                .click()
                .moveToElement(mapEl2, ends.get(2).intValue(), ends.get(3).intValue())
                .doubleClick()
                .perform();
        waitForVersion(v + 7);
        assertTrue(
                longs("SELECT count(*) FROM grid WHERE plan_id = " + draft)[0] > gridsBefore,
                "the split made a new grid");
        assertTrue(
                browser.find("#planner-notice").getText().contains("split into"),
                browser.find("#planner-notice").getText());
        assertEquals(
                0L,
                browser.js(
                        """
                return document.getElementById('planner-map').olMap.getAllLayers().find(l => l.get('name') === 'problems')
                    .getSource().getFeatures().length"""),
                "the validation report was about the version before the split");
        browser.screenshot("split");

        // claim: a square drawn over the middle of grid B gives its units there to the picked grid
        // A
        long unitsOfA = longs("SELECT count(*) FROM grid_unit WHERE grid_id = " + gridA)[0];
        browser.find("#planner-tool-claim").click();
        @SuppressWarnings("unchecked")
        java.util.List<Number> box =
                (java.util.List<Number>)
                        browser.js(
                                """
                const map = document.getElementById('planner-map').olMap;
                const grid = map.getAllLayers().find(l => l.get('name') === 'plan-grids').getSource().getFeatureById(arguments[0]);
                const e = grid.getGeometry().getExtent();
                map.getView().fit(e, { padding: [60, 60, 60, 60] });
                map.renderSync();
                const a = map.getPixelFromCoordinate([e[0] + (e[2] - e[0]) / 4, e[1] + (e[3] - e[1]) / 4]);
                const b = map.getPixelFromCoordinate([e[2] - (e[2] - e[0]) / 4, e[3] - (e[3] - e[1]) / 4]);
                const size = map.getSize();
                return [a[0] - size[0] / 2, b[1] - size[1] / 2, b[0] - size[0] / 2, a[1] - size[1] / 2];""",
                                gridB);
        int x0 = box.get(0).intValue(),
                y0 = box.get(1).intValue(),
                x1 = box.get(2).intValue(),
                y1 = box.get(3).intValue();
        new Actions(browser.driver())
                .moveToElement(mapEl2, x0, y0)
                .click()
                .moveToElement(mapEl2, x1, y0)
                .click()
                .moveToElement(mapEl2, x1, y1)
                .click()
                .moveToElement(mapEl2, x0, y1)
                .doubleClick()
                .perform();
        waitForVersion(v + 8);
        assertTrue(
                longs("SELECT count(*) FROM grid_unit WHERE grid_id = " + gridA)[0] > unitsOfA,
                "grid A claimed units of B");
        assertTrue(
                browser.find("#planner-notice").getText().contains("claimed"),
                browser.find("#planner-notice").getText());

        // Ctrl-drag selects a box of units
        browser.find("#planner-tool-units").click();
        new Actions(browser.driver())
                .keyDown(org.openqa.selenium.Keys.CONTROL)
                .moveToElement(mapEl2, -60, -60)
                .clickAndHold()
                .moveByOffset(60, 60)
                .moveByOffset(60, 60)
                .release()
                .keyUp(org.openqa.selenium.Keys.CONTROL)
                .perform();
        browser.until(
                d ->
                        Integer.parseInt(
                                                browser.find("#planner-selection")
                                                        .getAttribute("data-count"))
                                        >= 1
                                ? true
                                : null);
        browser.screenshot("box-selection");

        // a refused edit shows the server's problem; the next change (an undo) clears it
        name = browser.find("#planner-rename-input");
        name.clear();
        browser.find("#planner-rename").click();
        WebElement problem = browser.waitFor("#planner-problem .gg-problem");
        assertFalse(problem.getText().isBlank());
        WebElement undo = browser.find("#planner-undo");
        browser.js(
                "arguments[0].scrollIntoView({ block: 'center' })",
                undo); // the problem box stays on top of the panel
        undo.click();
        waitForVersion(v + 9);
        browser.until(d -> !browser.find("#planner-problem").isDisplayed() ? true : null);
    }

    @Test
    void importWithItsReportAndExportLinks() throws Exception {
        loginAndOpen("/#/planner?tab=import");
        long shown = shownPlan();
        assertEquals("导入导出", browser.find("#planner-tab-import").getText());
        new Select(browser.find("#gg-lang")).selectByValue("en");
        browser.waitForText("#planner-tab-import", "Import/export");
        assertEquals("Export", browser.find("section[data-panel=import] h2").getText());
        assertTrue(
                browser.find("#planner-plan-status").getText().equals("In effect"),
                "rendered text follows the language too");
        String href = browser.find("#planner-export a[data-format=gpkg]").getAttribute("href");
        assertTrue(href.endsWith("/api/v1/plans/" + shown + "/export?format=gpkg"), href);
        var exported =
                TestServer.getAs("planner", "/api/v1/plans/" + shown + "/export?format=geojson");
        assertEquals(200, exported.status());
        Path file = Files.createTempFile("plan", ".geojson");
        Files.writeString(file, exported.body(), StandardCharsets.UTF_8);
        try {
            browser.find("#planner-import-file").sendKeys(file.toAbsolutePath().toString());
            browser.find("#planner-import").click();
            WebElement report = browser.waitFor("#planner-import-valid");
            assertEquals("true", report.getAttribute("data-valid"), report.getText());
            browser.screenshot("import-report");
            browser.waitFor("#planner-import-commit").click();
            browser.until(d -> shownPlan() != shown ? true : null);
            JsonNode imported = TestServer.getAs("planner", "/api/v1/plans/" + shownPlan()).json();
            assertEquals("DRAFT", imported.get("status").asText());
            assertEquals(
                    TestServer.getAs("planner", "/api/v1/plans/" + shown)
                            .json()
                            .get("grids")
                            .asInt(),
                    imported.get("grids").asInt());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRunningRebalanceIsCancelledFromTheScreen() throws Exception {
        long plansBefore = longs("SELECT count(*) FROM grid_plan")[0];
        String since = text("SELECT now()::text");
        loginAndOpen("/#/planner?tab=rebalance");
        // The user clicks Cancel the moment the progress bar shows. The job is held before it
        // writes its draft, so the cancel always comes first however fast the machine computes
        // (a cancel during the computation stops it at its next progress check instead).
        JobHold hold =
                JobHold.install(
                        Jobs.Stage.BEFORE_LOCK, p -> "capacity".equals(p.path("mode").asText()));
        new Select(browser.waitFor("#planner-mode")).selectByValue("capacity");
        WebElement capacity = browser.find("#planner-capacity");
        capacity.clear();
        capacity.sendKeys("20");
        browser.js(
                """
                const job = document.getElementById('planner-job');
                new MutationObserver((changes, observer) => {
                  if (job.hidden) return;
                  observer.disconnect();
                  document.getElementById('planner-cancel').click();
                }).observe(job, { attributes: true, attributeFilter: ['hidden'] });""");
        browser.find("#planner-rebalance").click();
        browser.until(
                d ->
                        "CANCELLED"
                                        .equals(
                                                browser.js(
                                                        "return document.getElementById('planner-job').dataset.status"))
                                ? true
                                : null);
        // (the language another test chose may still be in the page)
        assertTrue(
                java.util.Set.of("已取消", "Cancelled")
                        .contains(browser.find("#planner-job-status").getText().trim()),
                browser.find("#planner-job-status").getText());
        browser.until(d -> browser.find("#planner-rebalance").isEnabled() ? true : null);
        browser.screenshot("rebalance-cancelled");
        hold.releaseAndAwaitEnd();

        String job =
                text(
                        "SELECT id::text FROM job WHERE kind = 'rebalance' AND created_at >= '"
                                + since
                                + "' ORDER BY created_at DESC LIMIT 1");
        JsonNode answer = TestServer.getAs("planner", "/api/v1/jobs/" + job).json();
        assertEquals("CANCELLED", answer.get("status").asText(), answer.toString());
        assertTrue(
                answer.get("result") == null || answer.get("result").isNull(),
                "a cancelled job has no result");
        // the job has ended (released above): it wrote no draft
        assertEquals(
                plansBefore, longs("SELECT count(*) FROM grid_plan")[0], "no draft was written");
        assertEquals(
                "CANCELLED",
                TestServer.getAs("planner", "/api/v1/jobs/" + job).json().get("status").asText());
    }

    @Test
    void aGridIsCreatedFromSelectedUnitsAndDeletedOnceEmpty() throws Exception {
        long draft =
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans",
                                "{\"from\": \"active\", \"name\": \"新建与删除\"}")
                        .json()
                        .get("id")
                        .asLong();
        long[] n =
                longs(
                        """
                SELECT gu.grid_id, gu.unit_id FROM grid_unit gu JOIN grid g ON g.id = gu.grid_id
                WHERE gu.plan_id = %d AND (SELECT count(*) FROM grid_unit o WHERE o.grid_id = gu.grid_id) > 1
                ORDER BY gu.grid_id, gu.unit_id LIMIT 1"""
                                .formatted(draft));
        long oldGrid = n[0], unit = n[1];
        long gridsBefore = longs("SELECT count(*) FROM grid WHERE plan_id = " + draft)[0];

        loginAndOpen("/#/planner?plan=" + draft + "&tab=edit");
        int v = shownVersion();
        assertEquals(
                0,
                browser.driver().findElements(By.cssSelector("#planner-empty-grids li")).size(),
                "no empty grid yet");

        // select a unit, then make a grid of it
        browser.find("#planner-tool-units").click();
        String unitPoint =
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM base_unit WHERE id = "
                        + unit
                        + ") s";
        clickAt(unitPoint, "base_units");
        browser.until(
                d ->
                        "1".equals(browser.find("#planner-selection").getAttribute("data-count"))
                                ? true
                                : null);
        browser.find("#planner-create").click();
        waitForVersion(v + 1);
        long newGrid = gridOf(draft, unit);
        assertNotEquals(oldGrid, newGrid, "the unit is in a new grid");
        assertEquals(
                gridsBefore + 1, longs("SELECT count(*) FROM grid WHERE plan_id = " + draft)[0]);
        assertEquals(
                longs("SELECT community_id FROM grid WHERE id = " + oldGrid)[0],
                longs("SELECT community_id FROM grid WHERE id = " + newGrid)[0],
                "in the unit's village/community");

        // move the unit back: the new grid is empty and listed with a delete button
        clickAt(unitPoint, "base_units");
        browser.until(
                d ->
                        "1".equals(browser.find("#planner-selection").getAttribute("data-count"))
                                ? true
                                : null);
        new Select(browser.find("#planner-target-grid")).selectByValue(String.valueOf(oldGrid));
        browser.find("#planner-move").click();
        waitForVersion(v + 2);
        WebElement empty =
                browser.waitFor("#planner-empty-grids li[data-grid-id='" + newGrid + "']");
        browser.screenshot("empty-grid");
        empty.findElement(By.tagName("button")).click();
        waitForVersion(v + 3);
        assertEquals(
                gridsBefore,
                longs("SELECT count(*) FROM grid WHERE plan_id = " + draft)[0],
                "the empty grid is gone");
        assertEquals(0, longs("SELECT count(*) FROM grid WHERE id = " + newGrid)[0]);
        browser.until(
                d ->
                        browser.driver()
                                        .findElements(By.cssSelector("#planner-empty-grids li"))
                                        .isEmpty()
                                ? true
                                : null);
    }

    @Test
    void workerAndBackupWorkerAreNamedFromTheEditTab() throws Exception {
        long draft =
                TestServer.postAs(
                                "planner",
                                "/api/v1/plans",
                                "{\"from\": \"active\", \"name\": \"AB角\"}")
                        .json()
                        .get("id")
                        .asLong();
        long[] g =
                longs(
                        "SELECT id, worker_id, backup_worker_id FROM grid WHERE plan_id = "
                                + draft
                                + " ORDER BY id LIMIT 1");
        long grid = g[0], worker = g[1], backup = g[2];
        long other =
                longs(
                        """
                SELECT id FROM staff WHERE role = 'GRID_WORKER' AND active AND id NOT IN (%d, %d)
                ORDER BY id LIMIT 1"""
                                .formatted(worker, backup))[0];

        loginAndOpen("/#/planner?plan=" + draft + "&tab=edit");
        int v = shownVersion();
        browser.find("#planner-tool-grid").click();
        clickAt(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE id = "
                        + grid
                        + ") s",
                "plan-grids");
        browser.until(
                d ->
                        String.valueOf(backup)
                                        .equals(
                                                browser.find("#planner-backup")
                                                        .getAttribute("value"))
                                ? true
                                : null);
        assertEquals(String.valueOf(worker), browser.find("#planner-worker").getAttribute("value"));
        assertFalse(
                options("#planner-backup").contains(String.valueOf(worker)),
                "the worker is not offered as the grid's backup");

        // a new backup worker, chosen and applied
        new Select(browser.find("#planner-backup")).selectByValue(String.valueOf(other));
        browser.find("#planner-set-backup").click();
        waitForVersion(v + 1);
        assertEquals(other, longs("SELECT backup_worker_id FROM grid WHERE id = " + grid)[0]);
        assertFalse(options("#planner-worker").contains(String.valueOf(other)));
        assertTrue(
                browser.find("#planner-edit-history").getText().contains("指定备岗网格员"),
                browser.find("#planner-edit-history").getText());
        browser.screenshot("backup-worker");

        // no worker: validation says so as an error, and the plan cannot be adopted
        new Select(browser.find("#planner-worker")).selectByValue("");
        browser.find("#planner-set-worker").click();
        waitForVersion(v + 2);
        assertEquals(
                0L,
                longs(
                        "SELECT count(*) FROM grid WHERE id = "
                                + grid
                                + " AND worker_id IS NOT NULL")[0]);
        browser.find("#planner-tab-rebalance").click();
        WebElement band = browser.find("#planner-band");
        band.clear();
        band.sendKeys("5");
        browser.find("#planner-validate").click();
        assertEquals("false", browser.waitFor("#planner-valid").getAttribute("data-valid"));
        WebElement error = browser.find("#planner-validation h3[data-severity=error]");
        assertTrue(error.getText().contains("没有网格员的网格"), error.getText());

        // the worker named again: valid
        browser.find("#planner-tab-edit").click();
        new Select(browser.find("#planner-worker")).selectByValue(String.valueOf(worker));
        browser.find("#planner-set-worker").click();
        waitForVersion(v + 3);
        assertEquals(worker, longs("SELECT worker_id FROM grid WHERE id = " + grid)[0]);
        browser.find("#planner-tab-rebalance").click();
        browser.find("#planner-validate").click();
        browser.until(
                d ->
                        "true".equals(browser.find("#planner-valid").getAttribute("data-valid"))
                                ? true
                                : null);
        // the grid tab names both
        browser.find("#planner-tab-grid").click();
        String facts = browser.find("#planner-grid-facts").getText();
        assertTrue(facts.contains(text("SELECT name FROM staff WHERE id = " + other)), facts);
        assertTrue(facts.contains(text("SELECT name FROM staff WHERE id = " + worker)), facts);
    }

    /** The option values of a select. */
    @SuppressWarnings("unchecked")
    private static java.util.List<String> options(String select) {
        return (java.util.List<String>)
                browser.js(
                        "return [...document.querySelector(arguments[0]).options].map(o => o.value)",
                        select);
    }

    private static void waitForVersion(int version) {
        browser.until(d -> shownVersion() == version ? true : null);
        browser.until(
                d ->
                        browser.find("#planner-plan-version")
                                        .getText()
                                        .equals(String.valueOf(version))
                                ? true
                                : null);
    }

    /** Centres the map on the point the SQL gives (lon, lat), zooms in and clicks the centre. */
    private static void clickAt(String sql, String layer) throws Exception {
        double[] p = doubles(sql);
        browser.js(
                """
                const map = document.getElementById('planner-map').olMap;
                const x = arguments[0] * 20037508.342789244 / 180;
                const y = Math.log(Math.tan((90 + arguments[1]) * Math.PI / 360)) * 6378137;
                map.getView().setCenter([x, y]);
                map.getView().setZoom(17);
                map.renderSync();""",
                p[0],
                p[1]);
        // wait until the layer has drawn something under the centre (tiles load after the move)
        browser.until(
                d ->
                        Boolean.TRUE.equals(
                                        browser.js(
                                                """
                const map = document.getElementById('planner-map').olMap;
                map.renderSync();
                return map.getFeaturesAtPixel(map.getPixelFromCoordinate(map.getView().getCenter()),
                    { layerFilter: (l) => l.get('name') === arguments[0] }).length > 0;""",
                                                layer))
                                ? true
                                : null);
        new Actions(browser.driver()).moveToElement(browser.find("#planner-map")).click().perform();
    }

    private static long gridOf(long plan, long unit) throws Exception {
        return longs(
                "SELECT grid_id FROM grid_unit WHERE plan_id = " + plan + " AND unit_id = " + unit)[
                0];
    }

    private static long[] longs(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) out[i] = rs.getLong(i + 1);
            return out;
        }
    }

    private static double[] doubles(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            return new double[] {rs.getDouble(1), rs.getDouble(2)};
        }
    }

    private static String text(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getString(1);
        }
    }

    private static Timestamp timestamp(String sql) throws Exception {
        try (Connection c = TestDatabase.get().dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getTimestamp(1);
        }
    }
}
