package org.gridgov.webapp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin screen (#/admin) in a real headless chromium against the real server: an admin creates
 * a member of staff, sees the one-time password once, resets it, and finds both in the admin log; a
 * problem the server answers is shown at its field; leave recorded on the rosters tab makes the
 * on-duty lookup answer the backup worker, a category is added on the reference data tab, and both
 * are in the admin log under their kinds; other roles get no link.
 */
@Tag("db")
@Tag("browser")
class AdminBrowserTest {

    @RegisterExtension static final Browser browser = new Browser(TestServer::base);

    /** Logs in on the login screen, which then opens the screen next. */
    private static void login(String username, String next) {
        browser.openFresh("/#/login?next=" + next);
        browser.waitFor("#login-username").sendKeys(username);
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitForText("#gg-username", username);
        browser.waitFor("#gg-screen[data-screen=" + next + "]");
    }

    private static Answer apiLogin(String username, String password) {
        return TestServer.post(
                "/api/v1/auth/token",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static String text(String css) {
        return browser.find(css).getText().trim();
    }

    /** The one-time password dialog: its password, after checking the warning and the copy. */
    private static String oneTimePassword(String title) {
        browser.waitFor("#admin-otp[open]");
        browser.waitForText("#admin-otp-title", title);
        String password = text("#admin-otp-value");
        assertTrue(password.length() >= 12, password);
        assertTrue(text("#admin-otp-warning").contains("只显示这一次"), text("#admin-otp-warning"));
        browser.find("#admin-otp-copy").click();
        browser.until(d -> text("#admin-otp-status").isEmpty() ? null : true);
        return password;
    }

    private static void closeOneTimePassword() {
        browser.find("#admin-otp-done").click();
        browser.until(
                d ->
                        Boolean.FALSE.equals(
                                        browser.js(
                                                "return document.getElementById('admin-otp').open"))
                                ? true
                                : null);
        assertEquals(
                "",
                browser.js("return document.getElementById('admin-otp-value').textContent"),
                "the password is wiped from the page when the dialog closes");
    }

    @Test
    void anAdminCreatesStaffResetsThePasswordAndSeesBothInTheLog() {
        login("admin", "command");
        browser.find("a[data-route=admin]").click();
        browser.waitFor("[data-panel=staff][data-loaded=true]");
        assertEquals("系统管理", text("#gg-screen h1"));
        assertEquals("true", browser.find("#admin-tab-staff").getAttribute("aria-selected"));
        assertTrue(text("#admin-staff-count").startsWith("显示"), text("#admin-staff-count"));

        // the form checks what the server would refuse before sending anything
        browser.find("#admin-staff-new").click();
        browser.waitFor("#admin-staff-dialog[open]");
        assertEquals("新建人员", text("#admin-staff-form-title"));
        browser.find("#admin-f-username").sendKeys("Bad Name");
        browser.find("#admin-staff-save").click();
        browser.waitForText("#admin-f-username-error", "只能用小写字母、数字和 . _ -，以字母或数字开头，至少 2 位");
        assertEquals("true", browser.find("#admin-f-username").getAttribute("aria-invalid"));
        assertEquals("请输入姓名", text("#admin-f-name-error"));
        assertEquals("请选择角色", text("#admin-f-role-error"));

        String username = "web." + Long.toString(System.nanoTime(), 36);
        browser.find("#admin-f-username").clear();
        browser.find("#admin-f-username").sendKeys(username);
        browser.find("#admin-f-name").sendKeys("浏览器测试员");
        browser.find("#admin-f-phone").sendKeys("13900001111");
        new Select(browser.find("#admin-f-role")).selectByValue("GRID_WORKER");
        // a grid worker's scope is a grid: proposed with the role
        assertEquals(
                "GRID",
                new Select(browser.find("#admin-f-scope-type"))
                        .getFirstSelectedOption()
                        .getAttribute("value"));
        Select grid = new Select(browser.waitFor("#admin-f-grid"));
        grid.selectByIndex(1);
        long gridId = Long.parseLong(grid.getFirstSelectedOption().getAttribute("value"));
        new Select(browser.find("#admin-f-employment")).selectByValue("PART_TIME");
        browser.screenshot("create-form");
        browser.find("#admin-staff-save").click();

        String first = oneTimePassword("账号已创建");
        assertTrue(text("#admin-otp-who").contains(username), text("#admin-otp-who"));
        browser.screenshot("one-time-password");
        closeOneTimePassword();
        assertEquals("已创建：浏览器测试员", text("#admin-notice"));

        // the account as the API has it, and its one-time password works once
        browser.find("#admin-filter-text").sendKeys(username);
        WebElement row = browser.waitFor("#admin-staff-table tbody tr[data-staff-id]");
        assertEquals(
                1,
                browser.driver()
                        .findElements(By.cssSelector("#admin-staff-table tbody tr"))
                        .size());
        long id = Long.parseLong(row.getAttribute("data-staff-id"));
        JsonNode account = TestServer.getAs("admin", "/api/v1/staff/" + id).json();
        assertEquals(username, account.get("username").asText());
        assertEquals("浏览器测试员", account.get("name").asText());
        assertEquals("13900001111", account.get("phone").asText());
        assertEquals("GRID_WORKER", account.at("/roles/0").asText());
        assertEquals("GRID", account.at("/scope/type").asText());
        assertEquals(gridId, account.at("/scope/gridId").asLong());
        assertEquals("PART_TIME", account.get("employment").asText());
        assertTrue(account.get("passwordMustChange").asBoolean());
        Answer firstLogin = apiLogin(username, first);
        assertEquals(403, firstLogin.status(), firstLogin.body());
        assertTrue(firstLogin.body().contains("password-change-required"), firstLogin.body());
        assertTrue(row.getText().contains("网格员"), row.getText());
        assertTrue(row.getText().contains("兼职"), row.getText());

        // the server's problem is shown at the field it names: the username is taken
        browser.find("#admin-staff-new").click();
        browser.waitFor("#admin-staff-dialog[open]");
        browser.find("#admin-f-username").sendKeys(username);
        browser.find("#admin-f-name").sendKeys("重名测试");
        new Select(browser.find("#admin-f-role")).selectByValue("CENTRE_OPERATOR");
        // a whole-subdistrict scope: the subdistrict picked by name (GET /api/v1/subdistricts);
        // the demo admin sees only their own, which is proposed
        Select subdistrict = new Select(browser.waitFor("#admin-f-subdistrict"));
        assertTrue(
                subdistrict.getFirstSelectedOption().getText().contains("(330108001)"),
                subdistrict.getFirstSelectedOption().getText());
        browser.find("#admin-staff-save").click();
        browser.until(
                d ->
                        text("#admin-f-username-error").contains("another account has the username")
                                ? true
                                : null);
        assertEquals("The username is taken", text("#admin-staff-form-problem .gg-problem-title"));
        assertTrue(
                (Boolean) browser.js("return document.getElementById('admin-staff-dialog').open"));
        browser.screenshot("username-taken");
        browser.find("#admin-staff-cancel").click();

        // a password reset: asked first, then a new one-time password; the old one stops working
        browser.waitFor("button[data-action=reset][data-staff-id='" + id + "']").click();
        browser.waitFor("#admin-confirm[open]");
        assertTrue(text("#admin-confirm-text").contains(username), text("#admin-confirm-text"));
        browser.find("#admin-confirm-ok").click();
        String second = oneTimePassword("密码已重设");
        assertNotEquals(first, second);
        closeOneTimePassword();
        assertEquals(401, apiLogin(username, first).status());
        Answer secondLogin = apiLogin(username, second);
        assertEquals(403, secondLogin.status(), secondLogin.body());

        // the admin log: both changes, newest first, by the admin, on the new account
        browser.find("#admin-tab-log").click();
        browser.waitFor("[data-panel=log][data-loaded=true]");
        assertTrue(browser.driver().getCurrentUrl().endsWith("#/admin?tab=log"));
        List<WebElement> entries =
                browser.driver()
                        .findElements(
                                By.cssSelector(
                                        "#admin-log-table tr[data-target='staff/" + id + "']"));
        assertEquals(2, entries.size(), "the create and the reset");
        assertEquals("passwordReset", entries.get(0).getAttribute("data-kind"));
        assertEquals("created", entries.get(1).getAttribute("data-kind"));
        for (WebElement e : entries) {
            assertTrue(e.getText().contains("(admin)"), e.getText());
            assertTrue(e.getText().contains("浏览器测试员 (" + username + ")"), e.getText());
        }
        assertTrue(entries.get(0).getText().contains("重设密码"), entries.get(0).getText());
        String created = entries.get(1).getText();
        assertTrue(created.contains("创建账号"), created);
        assertTrue(created.contains("手机号：13900001111"), created);
        assertTrue(created.contains("用工方式：兼职"), created);
        assertFalse(created.contains(first), "no password in the log");
        browser.screenshot("log");
    }

    @Test
    void anAdminEditsAndDisablesAnAccount() {
        Answer made =
                TestServer.postAs(
                        "admin",
                        "/api/v1/staff",
                        "{\"username\":\"edit."
                                + Long.toString(System.nanoTime(), 36)
                                + "\",\"name\":\"待修改\",\"phone\":\"13700000000\","
                                + "\"roles\":[\"CENTRE_OPERATOR\"]}");
        assertEquals(201, made.status(), made.body());
        long id = made.json().get("id").asLong();
        String username = made.json().get("username").asText();

        login("admin", "admin");
        browser.waitFor("[data-panel=staff][data-loaded=true]");
        browser.find("#admin-filter-text").sendKeys(username);
        browser.waitFor("button[data-action=edit][data-staff-id='" + id + "']").click();
        browser.waitFor("#admin-staff-dialog[open]");
        assertEquals("13700000000", browser.find("#admin-f-phone").getAttribute("value"));
        assertEquals("true", browser.find("#admin-f-username").getAttribute("aria-readonly"));
        browser.find("#admin-f-name").clear();
        browser.find("#admin-f-name").sendKeys("已修改");
        browser.find("#admin-f-phone").clear();
        browser.find("#admin-staff-save").click();
        browser.waitForText("#admin-notice", "已保存：已修改");
        JsonNode after = TestServer.getAs("admin", "/api/v1/staff/" + id).json();
        assertEquals("已修改", after.get("name").asText());
        assertTrue(after.get("phone").isNull(), "an emptied phone is cleared");

        // disabling asks first; the account is then shown disabled and filtered as such
        browser.find("button[data-action=disable][data-staff-id='" + id + "']").click();
        browser.waitFor("#admin-confirm[open]");
        browser.find("#admin-confirm-ok").click();
        browser.waitFor("button[data-action=enable][data-staff-id='" + id + "']");
        assertFalse(
                TestServer.getAs("admin", "/api/v1/staff/" + id).json().get("active").asBoolean());
        assertEquals("已停用", text("tr[data-staff-id='" + id + "'] .admin-badge"));
        new Select(browser.find("#admin-filter-active")).selectByValue("true");
        browser.until(
                d ->
                        d.findElements(By.cssSelector("tr[data-staff-id='" + id + "']")).isEmpty()
                                ? true
                                : null);
        new Select(browser.find("#admin-filter-active")).selectByValue("false");
        browser.waitFor("tr[data-staff-id='" + id + "']");

        // the admin's own row offers no disabling or reset (no locking oneself out)
        browser.find("#admin-filter-text").clear();
        new Select(browser.find("#admin-filter-active")).selectByValue("");
        browser.find("#admin-filter-text").sendKeys("admin");
        WebElement own = browser.waitFor("#admin-staff-table tbody tr .admin-you");
        WebElement ownRow = own.findElement(By.xpath("./ancestor::tr"));
        assertTrue(ownRow.findElements(By.cssSelector("[data-action=disable]")).isEmpty());
        assertTrue(ownRow.findElements(By.cssSelector("[data-action=reset]")).isEmpty());

        // the log says what changed, before and after
        browser.find("#admin-tab-log").click();
        browser.waitFor("[data-panel=log][data-loaded=true]");
        List<WebElement> entries =
                browser.driver()
                        .findElements(
                                By.cssSelector(
                                        "#admin-log-table tr[data-target='staff/" + id + "']"));
        assertEquals(3, entries.size());
        assertTrue(entries.get(0).getText().contains("状态：在用 → 已停用"), entries.get(0).getText());
        assertTrue(entries.get(1).getText().contains("姓名：待修改 → 已修改"), entries.get(1).getText());
        assertTrue(
                entries.get(1).getText().contains("手机号：13700000000 → —"), entries.get(1).getText());

        // in English
        new Select(browser.find("#gg-lang")).selectByValue("en");
        browser.waitForText("#admin-tab-log", "Admin log");
        String newest = text("#admin-log-table tr[data-target='staff/" + id + "']");
        assertTrue(newest.contains("Status: Active → Disabled"), newest);
        browser.screenshot("log-en");
    }

    /** Sets an input's value as the browser's pickers would (datetime-local, date). */
    private static void setValue(String id, String value) {
        browser.js(
                "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                        + " e.dispatchEvent(new Event('input', {bubbles: true}));"
                        + " e.dispatchEvent(new Event('change', {bubbles: true}));",
                id,
                value);
    }

    @Test
    void anAdminRecordsLeaveSeesTheBackupOnDutyAddsACategoryAndFindsBothInTheLog()
            throws Exception {
        long gridId, worker, backup;
        try (Connection c = TestDatabase.get().connection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        """
                        SELECT g.id, g.worker_id, g.backup_worker_id
                        FROM grid g JOIN grid_plan gp ON gp.id = g.plan_id
                        WHERE gp.status <> 'DRAFT' AND gp.effective_from <= now()
                          AND (gp.effective_to IS NULL OR gp.effective_to > now())
                          AND g.worker_id IS NOT NULL AND g.backup_worker_id IS NOT NULL
                        ORDER BY g.id DESC LIMIT 1""")) {
            assertTrue(rs.next());
            gridId = rs.getLong(1);
            worker = rs.getLong(2);
            backup = rs.getLong(3);
        }
        String day = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(20).toString();
        String code = "TST_WEB_" + Long.toString(System.nanoTime() % 1000000, 36).toUpperCase();
        Long leaveId = null;
        boolean categoryAdded = false;
        try {
            login("admin", "admin");
            browser.find("#admin-tab-rosters").click();
            browser.waitFor("[data-panel=rosters][data-loaded=true]");
            assertTrue(browser.driver().getCurrentUrl().endsWith("#/admin?tab=rosters"));
            assertEquals("排班与请假", text("#admin-tab-rosters"));

            // leave for the grid's worker, 09:00 to 18:00
            browser.waitFor("#admin-leave-staffId option[value='" + worker + "']");
            new Select(browser.find("#admin-leave-staffId")).selectByValue(String.valueOf(worker));
            new Select(browser.find("#admin-leave-kind")).selectByValue("SICK");
            setValue("admin-leave-start", day + "T09:00");
            setValue("admin-leave-end", day + "T18:00");
            browser.find("#admin-leave-save").click();
            browser.until(d -> text("#admin-notice").startsWith("已登记") ? true : null);
            JsonNode leave =
                    TestServer.getAs(
                                    "admin",
                                    "/api/v1/leave?staffId="
                                            + worker
                                            + "&from="
                                            + day
                                            + "T00:00:00%2B08:00&to="
                                            + day
                                            + "T23:59:00%2B08:00")
                            .json()
                            .get("leave");
            assertEquals(1, leave.size(), leave.toString());
            leaveId = leave.get(0).get("id").asLong();
            assertEquals("SICK", leave.get(0).get("kind").asText());
            assertTrue(leave.get(0).get("start").asText().startsWith(day + "T09:00"));

            // the same again: the server's 409 is shown at the start field, nothing written
            browser.find("#admin-leave-save").click();
            browser.until(
                    d ->
                            text("#admin-leave-start-error").contains("already on leave")
                                    ? true
                                    : null);
            assertEquals("true", browser.find("#admin-leave-start").getAttribute("aria-invalid"));

            // who is on duty: the backup at 10:00, the worker again at 19:00
            browser.waitFor("#admin-duty-grid option[value='" + gridId + "']");
            new Select(browser.find("#admin-duty-grid")).selectByValue(String.valueOf(gridId));
            setValue("admin-duty-at", day + "T10:00");
            browser.find("#admin-duty-ask").click();
            WebElement who = browser.waitFor(".admin-duty-who[data-reason=BACKUP_WORKER]");
            assertEquals(String.valueOf(backup), who.getAttribute("data-staff-id"));
            assertTrue(text("#admin-duty-answer").contains("B 角顶岗"), text("#admin-duty-answer"));
            browser.screenshot("on-duty-backup");
            setValue("admin-duty-at", day + "T19:00");
            browser.find("#admin-duty-ask").click();
            who = browser.waitFor(".admin-duty-who[data-reason=WORKER]");
            assertEquals(String.valueOf(worker), who.getAttribute("data-staff-id"));

            // a shift for the worker that day: shown in the week beside the leave, then deleted
            setValue("admin-roster-week", day);
            browser.waitFor("#admin-roster-table th[data-date='" + day + "']");
            new Select(browser.find("#admin-shift-staffId")).selectByValue(String.valueOf(worker));
            setValue("admin-shift-from", day);
            setValue("admin-shift-to", day);
            setValue("admin-shift-start", "08:00");
            setValue("admin-shift-end", "12:00");
            new Select(browser.find("#admin-shift-days")).selectByValue("ALL");
            browser.find("#admin-shift-save").click();
            String cell =
                    "#admin-roster-table tr[data-staff-id='"
                            + worker
                            + "'] td[data-date='"
                            + day
                            + "']";
            WebElement shift = browser.waitFor(cell + " .admin-shift");
            assertTrue(shift.getText().startsWith("08:00–12:00"), shift.getText());
            assertEquals("病假", text(cell + " .admin-leave-mark"));
            browser.find("#admin-shift-save").click();
            browser.until(d -> text("#admin-shift-from-error").contains("overlaps") ? true : null);
            browser.screenshot("roster-week");
            browser.find(cell + " [data-action=delete-shift]").click();
            browser.waitFor("#admin-confirm[open]");
            browser.find("#admin-confirm-ok").click();
            browser.until(
                    d ->
                            d.findElements(By.cssSelector(cell + " .admin-shift")).isEmpty()
                                    ? true
                                    : null);

            // a category through the reference tab: an existing code is refused at its field
            browser.find("#admin-tab-reference").click();
            browser.waitFor("[data-panel=reference][data-loaded=true][data-kind=categories]");
            String existing =
                    browser.waitFor("#admin-ref-rows tbody tr[data-code]")
                            .getAttribute("data-code");

            // a CSV file with a bad cell: the server's line and column are shown, nothing changes
            java.nio.file.Path bad = java.nio.file.Files.createTempFile("categories", ".csv");
            java.nio.file.Files.writeString(
                    bad,
                    "code,platform,nameZh,nameEn,deadlineHours,weight,authority,urgency,public\r\n"
                            + "TST_CSV,MOON,测试,Test,24,1,SUBDISTRICT,NORMAL,false\r\n");
            String versionBefore = text("#admin-ref-summary");
            browser.find("#admin-import-file").sendKeys(bad.toString());
            browser.find("#admin-import-save").click();
            browser.until(d -> text("#admin-import-problem").contains("MOON") ? true : null);
            String problem = text("#admin-import-problem");
            assertTrue(problem.contains("column platform"), problem);
            assertEquals(versionBefore, text("#admin-ref-summary"));
            java.nio.file.Files.delete(bad);
            browser.find("#admin-cat-new").click();
            browser.waitFor("#admin-cat-dialog[open]");
            browser.find("#admin-cat-code").sendKeys(existing);
            new Select(browser.find("#admin-cat-platform")).selectByValue("SERVICE");
            browser.find("#admin-cat-nameZh").sendKeys("浏览器测试分类");
            browser.find("#admin-cat-nameEn").sendKeys("Browser test category");
            browser.find("#admin-cat-deadlineHours").sendKeys("36");
            browser.find("#admin-cat-save").click();
            browser.until(d -> text("#admin-cat-code-error").contains("already") ? true : null);
            browser.find("#admin-cat-code").clear();
            browser.find("#admin-cat-code").sendKeys(code);
            browser.find("#admin-cat-save").click();
            browser.waitFor("#admin-ref-rows tbody tr[data-code='" + code + "']");
            categoryAdded = true;
            assertTrue(text("#admin-notice").startsWith("已新增 " + code), text("#admin-notice"));
            String row = text("#admin-ref-rows tbody tr[data-code='" + code + "']");
            assertTrue(row.contains("浏览器测试分类") && row.contains("36"), row);
            browser.screenshot("reference-category");

            // both in the admin log, each under its kind
            browser.find("#admin-tab-log").click();
            browser.waitFor("[data-panel=log][data-loaded=true]");
            new Select(browser.find("#admin-log-kind")).selectByValue("roster");
            browser.waitFor("[data-panel=log][data-kind=roster][data-loaded=true]");
            WebElement recorded =
                    browser.waitFor(
                            "#admin-log-table tr[data-target='staff/"
                                    + worker
                                    + "'][data-kind=leaveRecorded]");
            assertTrue(recorded.getText().contains("登记请假"), recorded.getText());
            assertTrue(recorded.getText().contains("病假"), recorded.getText());
            assertTrue(recorded.getText().contains(day + " 09:00"), recorded.getText());
            assertTrue(recorded.getText().contains("(admin)"), recorded.getText());
            new Select(browser.find("#admin-log-kind")).selectByValue("reference");
            browser.waitFor("[data-panel=log][data-kind=reference][data-loaded=true]");
            WebElement version =
                    browser.waitFor("#admin-log-table tr[data-target='reference/categories']");
            assertTrue(version.getText().contains("+ " + code + " 浏览器测试分类"), version.getText());
            assertTrue(version.getText().contains("事项分类"), version.getText());
            browser.screenshot("log-reference");
        } finally {
            // leave the demo as it was: no shifts, no leave, the seed's categories in force
            JsonNode left =
                    TestServer.getAs(
                                    "admin",
                                    "/api/v1/rosters?staffId="
                                            + worker
                                            + "&from="
                                            + day
                                            + "T00:00:00%2B08:00&to="
                                            + day
                                            + "T23:59:00%2B08:00")
                            .json()
                            .get("shifts");
            for (JsonNode s : left)
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                TestServer.base()
                                                        + "/api/v1/rosters/"
                                                        + s.get("id").asLong()))
                                .header("Authorization", "Bearer " + TestServer.token("admin"))
                                .DELETE()
                                .build());
            if (leaveId != null)
                TestServer.send(
                        HttpRequest.newBuilder(
                                        URI.create(TestServer.base() + "/api/v1/leave/" + leaveId))
                                .header("Authorization", "Bearer " + TestServer.token("admin"))
                                .DELETE()
                                .build());
            if (categoryAdded) {
                Answer gone =
                        TestServer.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        TestServer.base()
                                                                + "/api/v1/categories/"
                                                                + code))
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestServer.token("admin"))
                                        .DELETE()
                                        .build());
                assertEquals(200, gone.status(), gone.body());
            }
        }
    }

    @Test
    void otherRolesGetNoAdminLinkAndNoScreen() {
        login("operator", "command");
        browser.waitFor("a[data-route=intake]");
        assertTrue(browser.driver().findElements(By.cssSelector("a[data-route=admin]")).isEmpty());
        browser.open("/#/admin");
        browser.waitFor("#gg-forbidden");
        assertTrue(browser.driver().findElements(By.id("admin")).isEmpty());

        // an admin logging in gets the link without a reload; logging out takes it away
        browser.find("#gg-logout").click();
        browser.waitFor("#login-form");
        assertTrue(browser.driver().findElements(By.cssSelector("a[data-route=admin]")).isEmpty());
        browser.find("#login-username").sendKeys("admin");
        browser.find("#login-password").sendKeys("demo");
        browser.find("#login-submit").click();
        browser.waitFor("a[data-route=admin]");
    }
}
