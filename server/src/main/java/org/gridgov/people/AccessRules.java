package org.gridgov.people;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call each route of the server: the one table that {@link AccessGuard} enforces before any
 * route's own handler, that docs/access.md shows (AccessRulesTest checks the page against {@link
 * #markdown()}) and that AccessMatrixTest walks role by role. A route without a rule is refused,
 * and AccessRulesTest fails when a mounted route lacks one. Handlers keep their finer checks (a
 * grid worker sees only their grid's cases; OGC layers have their own roles).
 */
public final class AccessRules {

    /** Who may call: anyone (roles null), any valid token (every role), or the named role set. */
    public record Audience(String name, Set<Role> roles) {
        public static final Audience PUBLIC = new Audience("public", null);
        public static final Audience STAFF =
                new Audience("staff", Collections.unmodifiableSet(EnumSet.allOf(Role.class)));

        public boolean anonymous() {
            return roles == null;
        }

        public boolean admits(Set<Role> held) {
            if (roles == null) return true;
            for (Role r : held) if (roles.contains(r)) return true;
            return false;
        }

        /** As docs/access.md shows it. */
        public String describe() {
            if (this == PUBLIC) return "public";
            if (this == STAFF) return "staff (any valid token)";
            List<String> names = new ArrayList<>();
            roles.forEach(r -> names.add(r.name()));
            return "`" + name + "`: " + String.join(", ", names);
        }
    }

    /**
     * One route as mounted (method, Vert.x path), who may call it, and why it is so in a few words.
     */
    public record Rule(String method, String path, Audience audience, String note) {
        Pattern pattern() {
            if (path.equals(WEB_APP)) return null;
            StringBuilder re = new StringBuilder();
            Matcher m = PARAM.matcher(path);
            int last = 0;
            while (m.find()) {
                re.append(Pattern.quote(path.substring(last, m.start()))).append("[^/]+");
                last = m.end();
            }
            re.append(Pattern.quote(path.substring(last)));
            return Pattern.compile(re.toString());
        }
    }

    /**
     * The web map's files: any path outside the server's own (those under the first segments of the
     * rules).
     */
    public static final String WEB_APP = "/*";

    private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

    private static final Audience COMMAND_CENTRE =
            new Audience("COMMAND_CENTRE", Role.COMMAND_CENTRE);
    private static final Audience SEES_STAFF = new Audience("SEES_STAFF", Role.SEES_STAFF);
    private static final Audience SEES_KPIS = new Audience("SEES_KPIS", Role.SEES_KPIS);
    private static final Audience PLANNERS = new Audience("PLANNERS", Role.PLANNERS);
    private static final Audience SEES_PLANS = new Audience("SEES_PLANS", Role.SEES_PLANS);
    private static final Audience SEES_RESPONDERS =
            new Audience("SEES_RESPONDERS", Role.SEES_RESPONDERS);
    private static final Audience AUDITS = new Audience("AUDITS", Role.AUDITS);
    private static final Audience DISTRICT_SCOPED =
            new Audience("DISTRICT_SCOPED", Role.DISTRICT_SCOPED);
    private static final Audience ADMINS = new Audience("ADMINS", Role.ADMINS);
    private static final Audience ASSIGNS_TASKS = new Audience("ASSIGNS_TASKS", Role.ASSIGNS_TASKS);
    private static final Audience MANAGES_ROSTERS =
            new Audience("MANAGES_ROSTERS", Role.MANAGES_ROSTERS);

    private static final Audience PUBLIC = Audience.PUBLIC, STAFF = Audience.STAFF;
    private static final String OPEN311 = "/open311/v2";

    /** In the order docs/access.md lists them. */
    public static final List<Rule> RULES =
            List.of(
                    rule("GET", "/health", PUBLIC, "liveness and dependencies"),
                    rule("GET", "/openapi.json", PUBLIC, "the API description"),
                    rule("GET", "/api/v1/web-config", PUBLIC, "the web map's settings"),
                    rule(
                            "GET",
                            WEB_APP,
                            PUBLIC,
                            "the web map's files (any path outside the server's own)"),
                    rule("HEAD", WEB_APP, PUBLIC, "the web map's files"),
                    rule("POST", "/api/v1/auth/token", PUBLIC, "log in"),
                    rule(
                            "POST",
                            "/api/v1/auth/password",
                            PUBLIC,
                            "set a new password: the current one is required (a token, if sent,"
                                    + " must be the account's own)"),
                    rule("POST", "/api/v1/auth/logout", STAFF, "revoke one's own token"),
                    rule("GET", "/api/v1/categories", PUBLIC, "the category catalogue (?at=T)"),
                    // reference data (docs/reference-data.md): staff read, administrators write
                    rule("POST", "/api/v1/categories", ADMINS, "a new version of the taxonomy"),
                    rule("PATCH", "/api/v1/categories/:code", ADMINS, "a new version"),
                    rule("DELETE", "/api/v1/categories/:code", ADMINS, "not a code in use"),
                    rule("GET", "/api/v1/reference", STAFF, "the kinds of reference data"),
                    rule(
                            "GET",
                            "/api/v1/reference/calendar/years",
                            STAFF,
                            "holidays and make-up workdays by year"),
                    rule("PUT", "/api/v1/reference/calendar/years/:year", ADMINS, "a new version"),
                    rule(
                            "DELETE",
                            "/api/v1/reference/calendar/years/:year",
                            ADMINS,
                            "a new version"),
                    rule("GET", "/api/v1/reference/:kind", STAFF, "the version in force (?at=T)"),
                    rule("PUT", "/api/v1/reference/:kind", ADMINS, "a whole new version"),
                    rule("GET", "/api/v1/reference/:kind/history", STAFF, "every version"),
                    rule("GET", "/api/v1/reference/:kind/csv", STAFF, "export, as Excel opens it"),
                    rule("PUT", "/api/v1/reference/:kind/csv", ADMINS, "import a whole version"),
                    rule("GET", "/api/v1/communities", PUBLIC, "community boundaries"),
                    rule(
                            "GET",
                            "/api/v1/subdistricts",
                            STAFF,
                            "one's own subdistrict's boundary; every one for district scope"),
                    rule(
                            "GET",
                            "/api/v1/grids",
                            PUBLIC,
                            "grids of the plan in effect; `?plan=` of another plan needs `SEES_PLANS`"),
                    rule(
                            "GET",
                            "/api/v1/grids/at",
                            PUBLIC,
                            "the grid at a point, under a plan that was in effect"),
                    // reporting: anonymous intake, and Open311 (its lists are de-identified)
                    rule("POST", "/api/v1/incidents", PUBLIC, "report an incident"),
                    rule(
                            "POST",
                            "/api/v1/incidents/preview",
                            PUBLIC,
                            "where a report would go; stores nothing"),
                    rule("GET", "/open311/discovery.json", PUBLIC, "Open311 service discovery"),
                    rule("GET", "/open311/discovery.xml", PUBLIC, "Open311 service discovery"),
                    rule("GET", OPEN311 + "/discovery.json", PUBLIC, "Open311 service discovery"),
                    rule("GET", OPEN311 + "/discovery.xml", PUBLIC, "Open311 service discovery"),
                    // addresses (docs/addresses.md): public lookups, limited per client address
                    rule("GET", "/api/v1/geocode", PUBLIC, "door plates for an address"),
                    rule(
                            "GET",
                            "/api/v1/geocode/reverse",
                            PUBLIC,
                            "the door plate nearest a point"),
                    rule(
                            "GET",
                            "/api/v1/placements",
                            COMMAND_CENTRE,
                            "reports whose address awaits placing"),
                    rule(
                            "POST",
                            "/api/v1/placements/:id/place",
                            COMMAND_CENTRE,
                            "place a queued report on the map"),
                    // the reporter's tracking page (docs/tracking.md): ticket number + lookup code
                    rule(
                            "POST",
                            "/api/v1/track",
                            PUBLIC,
                            "one case in public wording, with its ticket number and lookup code"),
                    rule(
                            "POST",
                            "/api/v1/track/rating",
                            PUBLIC,
                            "the reporter rates their handled case, once"),
                    rule("GET", OPEN311 + "/services.json", PUBLIC, "Open311"),
                    rule("GET", OPEN311 + "/services.xml", PUBLIC, "Open311"),
                    rule("GET", OPEN311 + "/services/:code.json", PUBLIC, "Open311"),
                    rule("GET", OPEN311 + "/services/:code.xml", PUBLIC, "Open311"),
                    rule("GET", OPEN311 + "/requests.json", PUBLIC, "Open311, de-identified"),
                    rule("GET", OPEN311 + "/requests.xml", PUBLIC, "Open311, de-identified"),
                    rule("POST", OPEN311 + "/requests.json", PUBLIC, "Open311 report"),
                    rule("POST", OPEN311 + "/requests.xml", PUBLIC, "Open311 report"),
                    rule("GET", OPEN311 + "/requests/:id.json", PUBLIC, "Open311, de-identified"),
                    rule("GET", OPEN311 + "/requests/:id.xml", PUBLIC, "Open311, de-identified"),
                    // cases
                    rule("GET", "/api/v1/incidents", STAFF, "within the caller's scope"),
                    rule("GET", "/api/v1/incidents/:id", STAFF, "within the caller's scope"),
                    rule("GET", "/api/v1/incidents/:id/events", STAFF, "within the caller's scope"),
                    rule(
                            "GET",
                            "/api/v1/incidents/:id/actions",
                            STAFF,
                            "within the caller's scope"),
                    rule(
                            "POST",
                            "/api/v1/incidents/:id/actions",
                            STAFF,
                            "within the caller's scope; each action has its roles"),
                    rule("GET", "/api/v1/incidents/:id/duplicates", COMMAND_CENTRE, ""),
                    rule(
                            "GET",
                            "/api/v1/incidents/:id/responders",
                            SEES_RESPONDERS,
                            "within the caller's scope"),
                    // photos (docs/media.md)
                    rule(
                            "GET",
                            "/api/v1/incidents/:id/media",
                            STAFF,
                            "within the caller's scope; with the photos' EXIF time and place"),
                    rule(
                            "POST",
                            "/api/v1/incidents/:id/media",
                            STAFF,
                            "within the caller's scope (judged before the upload is read)"),
                    rule(
                            "GET",
                            "/api/v1/media/:id",
                            PUBLIC,
                            "staff within the case's scope: the original; others: only a public"
                                    + " report's photo an operator approved, without metadata"),
                    rule("GET", "/api/v1/media/:id/thumbnail", PUBLIC, "as the photo"),
                    rule(
                            "POST",
                            "/api/v1/media/:id/approval",
                            COMMAND_CENTRE,
                            "show a photo to the public, or withdraw it; public reports only"),
                    rule("GET", "/api/v1/workflow/queues/:queue", COMMAND_CENTRE, ""),
                    // the district command centre (docs/district.md); one subdistrict's admin or
                    // auditor sees that subdistrict's rows only
                    rule("GET", "/api/v1/district/queue", DISTRICT_SCOPED, "escalated cases"),
                    rule("GET", "/api/v1/district/board", DISTRICT_SCOPED, "per subdistrict"),
                    // field tasks and campaigns (docs/tasks.md); finer: a grid leader for their
                    // community, a task seen by its assignee and those whose scope holds its grid
                    rule("POST", "/api/v1/tasks", ASSIGNS_TASKS, "leaders: their community"),
                    rule("GET", "/api/v1/tasks", STAFF, "own, and the grids in scope"),
                    rule("GET", "/api/v1/tasks/:id", STAFF, "own, or grid in scope"),
                    rule("POST", "/api/v1/tasks/:id/photos", STAFF, "the assignee only"),
                    rule("POST", "/api/v1/tasks/:id/complete", STAFF, "the assignee only"),
                    rule(
                            "POST",
                            "/api/v1/tasks/:id/cancel",
                            ASSIGNS_TASKS,
                            "leaders: their community"),
                    rule("POST", "/api/v1/campaigns", COMMAND_CENTRE, "one task per target"),
                    rule("GET", "/api/v1/campaigns", SEES_KPIS, ""),
                    rule(
                            "GET",
                            "/api/v1/campaigns/:id/progress",
                            SEES_KPIS,
                            "by grid or community"),
                    // joint enforcement: a coordinated case's subtasks per platform
                    rule(
                            "POST",
                            "/api/v1/incidents/:id/subtasks/:sid/actions",
                            STAFF,
                            "start, finish: the subtask's assignee or its platform's staff;"
                                    + " reassign: its platform's commander, chief, director"),
                    rule("GET", "/api/v1/subtasks", STAFF, "assignee=me: the caller's own"),
                    // 12345 hotline work orders (docs/workorders.md); the hotline's integration
                    // account is a CENTRE_OPERATOR account
                    rule("POST", "/api/v1/workorders", COMMAND_CENTRE, "a batch, all or nothing"),
                    rule("POST", "/api/v1/workorders/csv", COMMAND_CENTRE, "a batch as CSV"),
                    rule("GET", "/api/v1/workorders", COMMAND_CENTRE, "callers masked"),
                    rule(
                            "POST",
                            "/api/v1/workorders/:id/place",
                            COMMAND_CENTRE,
                            "an order without a point becomes a case"),
                    rule(
                            "GET",
                            "/api/v1/callbacks",
                            COMMAND_CENTRE,
                            "callbacks (二次回访) after a \"not solved\" rating"),
                    rule(
                            "POST",
                            "/api/v1/callbacks/:id/done",
                            COMMAND_CENTRE,
                            "the outcome of a callback"),
                    rule(
                            "GET",
                            "/api/v1/events",
                            STAFF,
                            "the live feed, within the caller's scope"),
                    // staff
                    rule("GET", "/api/v1/staff", SEES_STAFF, ""),
                    rule("POST", "/api/v1/staff", ADMINS, "answers a one-time password"),
                    rule("GET", "/api/v1/staff/:id", ADMINS, "with phone and active flag"),
                    rule("PATCH", "/api/v1/staff/:id", ADMINS, "logged in the admin log"),
                    rule(
                            "POST",
                            "/api/v1/staff/:id/password-reset",
                            ADMINS,
                            "a new one-time password; old tokens stop"),
                    rule(
                            "GET",
                            "/api/v1/audit",
                            AUDITS,
                            "`kind=staff`, `reference`, `roster`, `accountability`: the admin log;"
                                    + " `kind=pii`: unmasked reads of reporters"),
                    // accountability (docs/accountability.md)
                    rule(
                            "GET",
                            "/api/v1/accountability",
                            AUDITS,
                            "findings over the event log; every use logged"),
                    rule("GET", "/api/v1/accountability.csv", AUDITS, "the same, as CSV; logged"),
                    rule(
                            "GET",
                            "/api/v1/accountability.html",
                            AUDITS,
                            "the same, printable; logged"),
                    // notifications (docs/notifications.md)
                    rule("GET", "/api/v1/outbox", AUDITS, "messages by state (`?state=DEAD`)"),
                    rule("GET", "/api/v1/outbox/counts", AUDITS, "messages by state and channel"),
                    rule("POST", "/api/v1/outbox/:id/retry", ADMINS, "a dead message, again"),
                    rule("POST", "/api/v1/webhooks", ADMINS, "answers the secret, once"),
                    rule("GET", "/api/v1/webhooks", ADMINS, "subscriptions, without secrets"),
                    rule("DELETE", "/api/v1/webhooks/:id", ADMINS, "queued events are cancelled"),
                    rule(
                            "GET",
                            "/api/v1/opt-out",
                            PUBLIC,
                            "the link in a message: a page to confirm (ticket + lookup code)"),
                    rule(
                            "POST",
                            "/api/v1/opt-out",
                            PUBLIC,
                            "a reporter stops the messages of their case (ticket + lookup code)"),
                    rule(
                            "POST",
                            "/api/v1/staff/:id/positions",
                            STAFF,
                            "one's own (admins: anyone's)"),
                    rule("GET", "/api/v1/staff/:id/track", STAFF, "one's own, or `SEES_STAFF`"),
                    // rosters and leave (docs/rosters.md)
                    rule("GET", "/api/v1/rosters", SEES_STAFF, "shifts in a period"),
                    rule("POST", "/api/v1/rosters", MANAGES_ROSTERS, "shifts of one person"),
                    rule("DELETE", "/api/v1/rosters/:id", MANAGES_ROSTERS, "one shift"),
                    rule(
                            "GET",
                            "/api/v1/rosters/on-duty",
                            SEES_STAFF,
                            "who is on duty for a grid at a time, and why"),
                    rule("GET", "/api/v1/leave", SEES_STAFF, "leave in a period"),
                    rule("POST", "/api/v1/leave", MANAGES_ROSTERS, "record leave"),
                    rule("DELETE", "/api/v1/leave/:id", MANAGES_ROSTERS, "cancel (kept)"),
                    // analytics
                    rule(
                            "GET",
                            "/api/v1/analytics/bins",
                            PUBLIC,
                            "anonymous: coarsened (docs/analytics.md)"),
                    rule("GET", "/api/v1/analytics/hotspots", PUBLIC, "anonymous: coarsened"),
                    rule("GET", "/api/v1/analytics/timeseries", PUBLIC, "anonymous: coarsened"),
                    rule("GET", "/api/v1/analytics/trends", PUBLIC, "anonymous: coarsened"),
                    rule("GET", "/api/v1/analytics/situation", STAFF, "today's figures"),
                    rule("GET", "/api/v1/analytics/consistency", AUDITS, ""),
                    rule("GET", "/api/v1/analytics/kpis", SEES_KPIS, ""),
                    rule("GET", "/api/v1/analytics/kpis/settlements", SEES_KPIS, "settled months"),
                    rule(
                            "POST",
                            "/api/v1/analytics/kpis/settlements",
                            ADMINS,
                            "settle a month, or again"),
                    rule("GET", "/api/v1/analytics/patrol-coverage", SEES_KPIS, ""),
                    rule("GET", "/api/v1/analytics/patrol-gaps", STAFF, ""),
                    rule("GET", "/api/v1/analytics/workload", SEES_PLANS, "per grid of a plan"),
                    // grid plans
                    rule("GET", "/api/v1/plans", SEES_PLANS, "drafts included"),
                    rule("GET", "/api/v1/plans/:id", SEES_PLANS, ""),
                    rule("GET", "/api/v1/plans/:id/edits", SEES_PLANS, ""),
                    rule("GET", "/api/v1/plans/:id/units", SEES_PLANS, ""),
                    rule("GET", "/api/v1/plans/:a/compare/:b", SEES_PLANS, ""),
                    rule("GET", "/api/v1/plans/:id/export", PLANNERS, "runs ogr2ogr"),
                    rule("POST", "/api/v1/plans", PLANNERS, "new draft"),
                    rule("POST", "/api/v1/plans/:id/validate", PLANNERS, ""),
                    rule("POST", "/api/v1/plans/:id/adopt", PLANNERS, ""),
                    rule("POST", "/api/v1/plans/:id/edits", PLANNERS, ""),
                    rule("POST", "/api/v1/plans/:id/undo", PLANNERS, ""),
                    rule("POST", "/api/v1/plans/:id/redo", PLANNERS, ""),
                    rule("POST", "/api/v1/plans/:id/rebalance", PLANNERS, "starts a job"),
                    // places and facilities (docs/places.md): staff read; owners masked by role
                    rule("GET", "/api/v1/departments", STAFF, "owners of facilities"),
                    rule("GET", "/api/v1/places", STAFF, "owners masked"),
                    rule(
                            "GET",
                            "/api/v1/places/:id",
                            STAFF,
                            "owner as stored to `SEES_PLACE_OWNERS`, else masked"),
                    rule("GET", "/api/v1/facilities", STAFF, ""),
                    rule("GET", "/api/v1/facilities/:code", STAFF, ""),
                    rule("POST", "/api/v1/places/import", PLANNERS, "GeoJSON or CSV, all or none"),
                    rule(
                            "POST",
                            "/api/v1/facilities/import",
                            PLANNERS,
                            "GeoJSON or CSV, all or none"),
                    rule("POST", "/api/v1/imports", PLANNERS, "upload; starts a job"),
                    rule("POST", "/api/v1/imports/:id/commit", PLANNERS, ""),
                    rule("GET", "/api/v1/jobs/:id", PLANNERS, ""),
                    rule("DELETE", "/api/v1/jobs/:id", PLANNERS, "cancel"),
                    // OGC services: each layer has its roles (ogc/catalog/LayerAccess, docs/ogc.md)
                    rule("GET", "/ows", PUBLIC, "WMS/WFS; layer-level access"),
                    rule("POST", "/ows", PUBLIC, "WMS/WFS; layer-level access"),
                    rule("GET", "/ogc", PUBLIC, "OGC API Features; layer-level access"),
                    rule("GET", "/ogc/api", PUBLIC, "the OGC API's own definition"),
                    rule("GET", "/ogc/conformance", PUBLIC, "OGC API Features"),
                    rule("GET", "/ogc/collections", PUBLIC, "layer-level access"),
                    rule("GET", "/ogc/collections/:collectionId", PUBLIC, "layer-level access"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/items",
                            PUBLIC,
                            "layer-level access"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/items/:featureId",
                            PUBLIC,
                            "layer-level access"),
                    rule("GET", "/ogc/tileMatrixSets", PUBLIC, "OGC API Tiles"),
                    rule("GET", "/ogc/tileMatrixSets/:tileMatrixSetId", PUBLIC, "OGC API Tiles"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/tiles",
                            PUBLIC,
                            "layer-level access"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/tiles/:tileMatrixSetId",
                            PUBLIC,
                            "layer-level access"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/tiles/:tileMatrixSetId/tilejson",
                            PUBLIC,
                            "layer-level access"),
                    rule(
                            "GET",
                            "/ogc/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol",
                            PUBLIC,
                            "layer-level access"),
                    rule("GET", "/tiles/bins/:z/:x/:y.mvt", PUBLIC, "anonymous: coarsened"),
                    rule("GET", "/tiles/:layer/:z/:x/:y.mvt", PUBLIC, "layer-level access"),
                    rule("GET", "/tiles/:layer.json", PUBLIC, "layer-level access"));

    /**
     * When a role is shown a reporter's name and phone unmasked (docs/personal-data.md): always
     * (the command centre calls reporters back), only on a case assigned to the caller (the worker
     * or handler who goes there may need to ring for the exact spot), or never (masked: 王**,
     * 138****0000). Lists and exports are masked for everyone; an unmasked read is logged.
     */
    public enum ReporterView {
        ALWAYS("as given, reading one case (logged)"),
        WHEN_ASSIGNED("as given, reading one case assigned to them (logged); else masked"),
        NEVER("masked");

        public final String describe;

        ReporterView(String describe) {
            this.describe = describe;
        }
    }

    /** The one rule for reporter details, role by role; every role is listed. */
    public static final Map<Role, ReporterView> REPORTER = reporterRule();

    private static Map<Role, ReporterView> reporterRule() {
        Map<Role, ReporterView> m = new EnumMap<>(Role.class);
        for (Role r : Role.values()) m.put(r, ReporterView.NEVER);
        for (Role r : Role.COMMAND_CENTRE) m.put(r, ReporterView.ALWAYS);
        for (Role r :
                List.of(
                        Role.GRID_WORKER,
                        Role.GRID_LEADER,
                        Role.VILLAGE_CADRE,
                        Role.PLATFORM_HANDLER,
                        Role.PLATFORM_COMMANDER)) m.put(r, ReporterView.WHEN_ASSIGNED);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Whether the caller sees the reporter of a case unmasked (on a single-case read; lists never).
     *
     * @param assigneeId the case's assignee, or null
     */
    public static boolean seesReporter(Principal p, Long assigneeId) {
        for (Role r : p.roles()) {
            ReporterView v = REPORTER.get(r);
            if (v == ReporterView.ALWAYS) return true;
            if (v == ReporterView.WHEN_ASSIGNED && Long.valueOf(p.staffId()).equals(assigneeId))
                return true;
        }
        return false;
    }

    /** The reporter table of docs/access.md, generated from {@link #REPORTER}. */
    public static String reporterMarkdown() {
        StringBuilder b =
                new StringBuilder(
                        "| role | reporter's name and phone (lists and exports: masked for all) |\n|---|---|\n");
        REPORTER.forEach(
                (role, v) ->
                        b.append("| ")
                                .append(role.name())
                                .append(" | ")
                                .append(v.describe)
                                .append(" |\n"));
        return b.toString();
    }

    private static final List<Pattern> PATTERNS = RULES.stream().map(Rule::pattern).toList();

    /** First path segments the server owns ("/api", "/tiles", "/health", …): never the web app. */
    private static final Set<String> SERVER_ROOTS = serverRoots();

    private AccessRules() {}

    private static Rule rule(String method, String path, Audience who, String note) {
        return new Rule(method, path, who, note);
    }

    /** What a request may match. */
    public sealed interface Match permits Found, WrongMethod, NoRule {}

    public record Found(Rule rule) implements Match {}

    /** The path has rules, for other methods: 405. */
    public record WrongMethod(Set<String> allowed) implements Match {}

    /** No rule for the path: refused, whatever is mounted there. */
    public record NoRule() implements Match {}

    /**
     * The rule for a request; an exact path wins over a parameter (/tiles/bins/… over
     * /tiles/:layer/…), as the router's order does.
     */
    public static Match match(String method, String path) {
        Set<String> others = new LinkedHashSet<>();
        for (int k = 0; k < RULES.size(); k++) {
            Pattern p = PATTERNS.get(k);
            if (p == null || !p.matcher(path).matches()) continue;
            Rule r = RULES.get(k);
            if (r.method().equals(method)) return new Found(r);
            others.add(r.method());
        }
        if (!others.isEmpty()) return new WrongMethod(others);
        if (!SERVER_ROOTS.contains(root(path))) {
            for (Rule r : RULES)
                if (r.path().equals(WEB_APP) && r.method().equals(method)) return new Found(r);
        }
        return new NoRule();
    }

    /** The rule for a route exactly as mounted (method and Vert.x path pattern). */
    public static Optional<Rule> forRoute(String method, String path) {
        return RULES.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .findFirst();
    }

    private static Set<String> serverRoots() {
        Set<String> roots = new LinkedHashSet<>();
        for (Rule r : RULES) if (!r.path().equals(WEB_APP)) roots.add(root(r.path()));
        return roots;
    }

    private static String root(String path) {
        int slash = path.indexOf('/', 1);
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** The table of docs/access.md, generated from {@link #RULES}. */
    public static String markdown() {
        StringBuilder b =
                new StringBuilder("| method | path | who may call | note |\n|---|---|---|---|\n");
        for (Rule r : RULES) {
            b.append("| ")
                    .append(r.method())
                    .append(" | `")
                    .append(r.path())
                    .append("` | ")
                    .append(r.audience().describe())
                    .append(" | ")
                    .append(r.note())
                    .append(" |\n");
        }
        return b.toString();
    }
}
