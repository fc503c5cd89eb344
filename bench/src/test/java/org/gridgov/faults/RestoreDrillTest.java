package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.db.Database;
import org.gridgov.testing.ScratchCluster;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The restore drill of docs/backups.md on a cluster of its own: reports written through the real
 * server, a full backup, more reports, an incremental backup, more reports, a time noted, more
 * reports, then {@code scripts/db restore --time} to the noted time and gridgov started on the
 * result: the reports and the last event are those committed before that time, none after. The
 * refusals (no backup, a malformed time, a time before the first backup) change nothing.
 */
@Tag("db")
class RestoreDrillTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    /** What the database holds: incidents, the last event's id, the newest incident's id. */
    private record Contents(long incidents, long lastEventId, long lastIncidentId) {}

    private static Contents contents(Database db) throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT (SELECT count(*) FROM incident),"
                                        + " (SELECT max(id) FROM incident_event),"
                                        + " (SELECT max(id) FROM incident)")) {
            rs.next();
            return new Contents(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    private static Gridgov serve(Database db) throws Exception {
        return Gridgov.start(
                Config.of(
                        Map.of(
                                "GRIDGOV_PORT", "0",
                                "GRIDGOV_HOST", "127.0.0.1",
                                "GRIDGOV_JWT_SECRET", FaultFixture.jwtSecret(),
                                "GRIDGOV_SCHEDULER_SECONDS", "0",
                                "GRIDGOV_MAPSERVER_URL", "http://127.0.0.1:9/unused")),
                db);
    }

    private static String login(String base) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"username\":\"operator\",\"password\":\""
                                                        + TestDatabase.DEMO_PASSWORD
                                                        + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.JSON.readTree(r.body()).get("token").asText();
    }

    /** Reports {@code n} incidents through the server; their ids. */
    private static List<Long> report(Gridgov server, Database db, int n) throws Exception {
        String base = "http://127.0.0.1:" + server.port();
        String token = login(base);
        FaultScenarios.Target t = FaultFixture.target(db, () -> base, token);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/incidents"))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + token)
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"category\":\""
                                                            + t.category()
                                                            + "\",\"channel\":\"PUBLIC_ONLINE\","
                                                            + "\"description\":\"drill\","
                                                            + "\"location\":{\"lon\":"
                                                            + t.lon()
                                                            + ",\"lat\":"
                                                            + t.lat()
                                                            + "}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            ids.add(TestServer.JSON.readTree(r.body()).get("id").asLong());
        }
        return ids;
    }

    private static String clusterTime(Database db) throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',"
                                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertRefused(ScratchCluster.Run r, String says) {
        assertNotEquals(0, r.exit(), "scripts/db should have refused:\n" + r.output());
        assertTrue(r.output().contains(says), "expected '" + says + "' in:\n" + r.output());
    }

    @Test
    void restoreToATimeBetweenBackupsKeepsWhatWasCommittedBeforeIt() throws Exception {
        try (ScratchCluster cluster = ScratchCluster.start()) {
            FaultFixture.load(cluster.settings());
            String timeBeforeBackups;
            Contents atTarget;
            String target;
            List<Long> after;
            try (Database db = Database.connect(cluster.settings());
                    Gridgov server = serve(db)) {
                report(server, db, 3);
                Contents before = contents(db);
                timeBeforeBackups = clusterTime(db);

                assertRefused(cluster.run("restore"), "there is no backup to restore from");
                assertRefused(
                        cluster.run("restore", "--time", "last tuesday"),
                        "is not a time: give a date and time");
                assertEquals(before, contents(db), "a refused restore changed the database");

                assertEquals(0, cluster.run("backup", "--full").exit(), "the full backup");
                report(server, db, 3);
                assertEquals(0, cluster.run("backup", "--incr").exit(), "the incremental one");
                assertRefused(
                        cluster.run("restore", "--time", timeBeforeBackups),
                        "is before the first backup finished");
                assertRefused(
                        cluster.run("restore", "--time", "2026-02-30 10:00"), "is not a time");
                report(server, db, 3);
                Thread.sleep(20); // the target lies strictly between two commits
                target = clusterTime(db);
                atTarget = contents(db);
                Thread.sleep(20);
                after = report(server, db, 4);
                assertEquals(atTarget.incidents() + 4, contents(db).incidents());
            }

            ScratchCluster.Run restored = cluster.run("restore", "--time", target);
            assertEquals(0, restored.exit(), restored.output());
            Matcher aside = Pattern.compile("moved aside to (\\S+)").matcher(restored.output());
            assertTrue(aside.find(), "the restore says where the old data directory went");
            Path old = Path.of(aside.group(1));
            assertTrue(
                    Files.isRegularFile(old.resolve("PG_VERSION")),
                    "the data directory from before the restore is kept in " + old);

            try (Database db = Database.connect(cluster.settings());
                    Gridgov server = serve(db)) {
                assertEquals(
                        atTarget,
                        contents(db),
                        "incidents and the last event are those committed before " + target);
                try (var c = db.connection();
                        var st =
                                c.prepareStatement(
                                        "SELECT count(*) FROM incident WHERE id = ANY (?)")) {
                    st.setArray(1, c.createArrayOf("bigint", after.toArray()));
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), "reports made after the target time");
                    }
                }
                // the restored cluster is promoted: gridgov takes new reports on it
                report(server, db, 1);
                assertEquals(atTarget.incidents() + 1, contents(db).incidents());
            }
        }
    }
}
