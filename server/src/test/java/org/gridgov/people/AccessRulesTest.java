package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.testing.TestServer;
import org.gridgov.testing.TestServer.Answer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The access table covers every mounted route, refuses what it does not list, and is what
 * docs/access.md shows.
 */
@Tag("db")
class AccessRulesTest {

    @Test
    void everyMountedRouteHasARule() throws Exception {
        Router router = TestServer.get().router();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Route r : router.getRoutes()) {
            // Vert.x reports ":param" paths as regex routes too; getPath() still gives the pattern
            // as mounted
            boolean anyMethod = r.methods() == null || r.methods().isEmpty();
            if (anyMethod) {
                // middleware (client address, bodies, authentication, this guard) and failure
                // handlers
                continue;
            }
            if (!handles(r)) continue;
            String path = r.getPath() == null ? AccessRules.WEB_APP : r.getPath();
            for (var m : r.methods()) {
                checked++;
                if (AccessRules.forRoute(m.name(), path).isEmpty())
                    missing.add(m.name() + " " + path);
            }
        }
        assertTrue(checked > 60, "the router's routes were read: " + checked);
        assertEquals(
                List.of(),
                missing,
                "routes without a rule in people/AccessRules (add one, and regenerate docs/access.md)");
    }

    @Test
    void routesWithoutARuleAreRefused() {
        Router router = TestServer.get().router();
        Route probe = router.get("/api/v1/unlisted-probe").handler(ctx -> ctx.end("leaked"));
        Route post = router.post("/health").handler(ctx -> ctx.end("leaked"));
        try {
            Answer a = TestServer.get("/api/v1/unlisted-probe");
            assertEquals(404, a.status(), a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
            Answer staff = TestServer.getAs("admin", "/api/v1/unlisted-probe");
            assertEquals(404, staff.status(), staff.body());
            Answer wrongMethod = TestServer.post("/health", "{}");
            assertEquals(405, wrongMethod.status(), wrongMethod.body());
            assertEquals("GET", wrongMethod.header("Allow"));
        } finally {
            probe.remove();
            post.remove();
        }
    }

    @Test
    void matchingFollowsTheRouter() {
        assertEquals("/tiles/bins/:z/:x/:y.mvt", found("GET", "/tiles/bins/14/1/2.mvt").path());
        assertEquals(
                "/tiles/:layer/:z/:x/:y.mvt", found("GET", "/tiles/incident/14/1/2.mvt").path());
        assertEquals(
                "/api/v1/plans/:a/compare/:b", found("GET", "/api/v1/plans/1/compare/2").path());
        assertEquals(
                "/open311/v2/requests/:id.json",
                found("GET", "/open311/v2/requests/12.json").path());
        assertEquals(AccessRules.WEB_APP, found("GET", "/assets/index-abc.js").path());
        assertEquals(AccessRules.WEB_APP, found("GET", "/").path());
        // a server path is never the web app's, so an unlisted one cannot slip through as a file
        assertInstanceOf(AccessRules.NoRule.class, AccessRules.match("GET", "/api/v1/nothing"));
        assertInstanceOf(AccessRules.NoRule.class, AccessRules.match("GET", "/tiles"));
        assertInstanceOf(
                AccessRules.WrongMethod.class, AccessRules.match("DELETE", "/api/v1/plans/1"));
    }

    private static AccessRules.Rule found(String method, String path) {
        AccessRules.Match m = AccessRules.match(method, path);
        assertInstanceOf(AccessRules.Found.class, m, method + " " + path);
        return ((AccessRules.Found) m).rule();
    }

    @Test
    void docsShowTheTable() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "access.md"));
        assertTrue(
                doc.contains(AccessRules.markdown()),
                "docs/access.md must contain the table AccessRules.markdown() prints, as it is now:\n"
                        + AccessRules.markdown());
    }

    @Test
    void docsShowTheReporterRule() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "access.md"));
        assertTrue(
                doc.contains(AccessRules.reporterMarkdown()),
                "docs/access.md must contain the table AccessRules.reporterMarkdown() prints:\n"
                        + AccessRules.reporterMarkdown());
        assertEquals(
                java.util.EnumSet.allOf(Role.class),
                AccessRules.REPORTER.keySet(),
                "every role has a reporter rule");
    }

    @Test
    void theReporterRuleDecidesByRoleAndAssignment() {
        Principal operator = principal(7, Role.CENTRE_OPERATOR);
        Principal worker = principal(8, Role.GRID_WORKER);
        Principal auditor = principal(9, Role.AUDITOR);
        assertTrue(AccessRules.seesReporter(operator, null));
        assertTrue(AccessRules.seesReporter(operator, 99L));
        assertTrue(AccessRules.seesReporter(worker, 8L), "the assignee");
        assertFalse(AccessRules.seesReporter(worker, 99L), "someone else's case");
        assertFalse(AccessRules.seesReporter(worker, null));
        assertFalse(AccessRules.seesReporter(auditor, 9L), "never, even if assigned");
    }

    private static Principal principal(long id, Role role) {
        return new Principal(id, "u" + id, java.util.EnumSet.of(role), Scope.SUBDISTRICT);
    }

    /**
     * Whether the route has a request handler (not only failure handlers): Vert.x keeps that in its
     * internal state.
     */
    private static boolean handles(Route r) throws Exception {
        Method state = r.getClass().getDeclaredMethod("state");
        state.setAccessible(true);
        Object s = state.invoke(r);
        Method length = s.getClass().getMethod("getContextHandlersLength");
        length.setAccessible(true);
        return (int) length.invoke(s) > 0;
    }
}
