package org.gridgov.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.app.Config;
import org.gridgov.app.Gridgov;
import org.gridgov.app.Main;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.db.Grants;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;
import org.gridgov.testing.TestServer.Answer;

/**
 * A production start on a database of its own: created beside the test database, provisioned and
 * migrated as {@code java -jar gridgov.jar migrate} does it (schema, grants, the packaged
 * categories) and nothing else — no area, no plan, no accounts — then a gridgov started on it with
 * GRIDGOV_DEMO=off, as the server's role. For tests of what a new subdistrict goes through
 * (onboarding, the first accounts). Close it to stop the server and drop the database.
 */
public final class EmptyServer implements AutoCloseable {

    private static final HttpClient UPLOADS =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10))
                    .build();

    private final String name;
    private final DbSettings owner;
    private final Database ownerDb;
    private final Database serverDb;
    private final Map<String, String> settings;
    private final Gridgov app;

    private EmptyServer(
            String name,
            DbSettings owner,
            Database ownerDb,
            Database serverDb,
            Map<String, String> settings,
            Gridgov app) {
        this.name = name;
        this.owner = owner;
        this.ownerDb = ownerDb;
        this.serverDb = serverDb;
        this.settings = settings;
        this.app = app;
    }

    /**
     * Creates (or re-creates) the database {@code name}, migrates it and starts a server on it;
     * extra settings go to the server's configuration.
     */
    public static EmptyServer start(String name, Map<String, String> extra) throws Exception {
        String url = TestDatabase.createEmpty(name);
        TestDatabase.Accounts a = TestDatabase.accounts();
        DbSettings owner = new DbSettings(url, a.owner().user(), a.owner().password(), 8);
        Database ownerDb = Database.connect(owner);
        ownerDb.migrate(
                new Grants(
                        a.server().user(),
                        a.map().user(),
                        MapServerConfig.tablesRead(LayerCatalog.load(null))));
        CategoryCatalog.fromClasspath().sync(ownerDb.dataSource());
        Map<String, String> s = new HashMap<>();
        s.put("GRIDGOV_DB_URL", url);
        s.put("GRIDGOV_DB_POOL", "8");
        s.put("GRIDGOV_DB_USER", a.server().user());
        if (a.server().password() != null) s.put("GRIDGOV_DB_PASSWORD", a.server().password());
        s.put("GRIDGOV_DB_MAP_USER", a.map().user());
        if (a.map().password() != null) s.put("GRIDGOV_DB_MAP_PASSWORD", a.map().password());
        s.put("GRIDGOV_PORT", "0");
        s.put("GRIDGOV_HOST", "127.0.0.1");
        s.put("GRIDGOV_JWT_SECRET", TestServer.jwtSecret());
        s.put("GRIDGOV_SCHEDULER_SECONDS", "0");
        s.put("GRIDGOV_DEMO", "off");
        s.putAll(extra);
        Config config = Config.of(s);
        Database serverDb = Database.connect(config.db());
        try {
            return new EmptyServer(
                    name, owner, ownerDb, serverDb, Map.copyOf(s), Gridgov.start(config, serverDb));
        } catch (Exception e) {
            serverDb.close();
            ownerDb.close();
            throw e;
        }
    }

    public Gridgov app() {
        return app;
    }

    public String base() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The owner's pool (fixtures and checks may read and write freely with it). */
    public Database ownerDb() {
        return ownerDb;
    }

    public DbSettings owner() {
        return owner;
    }

    /** The single number a query answers, read as the owner. */
    public long queryLong(String sql) throws java.sql.SQLException {
        try (Connection c = ownerDb.connection();
                var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            if (!rs.next()) throw new AssertionError("no row from: " + sql);
            return rs.getLong(1);
        }
    }

    /**
     * {@code java -jar gridgov.jar admin create-user --username U --role R}, as a deployment runs
     * it, then the first login's password change: returns a token of the new account, whose
     * password is then {@code password}.
     */
    public String firstAccount(String username, String role, String password) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.admin(
                        Config.of(settings),
                        new String[] {"create-user", "--username", username, "--role", role},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) throw new AssertionError("create-user failed: " + err);
        Matcher m =
                Pattern.compile("one-time password: (\\S+)")
                        .matcher(out.toString(StandardCharsets.UTF_8));
        if (!m.find()) throw new AssertionError("no one-time password in: " + out);
        Answer changed =
                post(
                        "/api/v1/auth/password",
                        null,
                        "{\"username\":\""
                                + username
                                + "\",\"password\":\""
                                + m.group(1)
                                + "\",\"newPassword\":\""
                                + password
                                + "\"}");
        if (changed.status() != 204)
            throw new AssertionError("password change failed: " + changed.body());
        return login(username, password);
    }

    /** A token for username/password (AssertionError when the login fails). */
    public String login(String username, String password) {
        Answer a =
                post(
                        "/api/v1/auth/token",
                        null,
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (a.status() != 200)
            throw new AssertionError("login of " + username + ": " + a.status() + " " + a.body());
        return a.json().get("token").asText();
    }

    public Answer get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return TestServer.send(b.build());
    }

    /** GET of a file (an export) with a token: its bytes (AssertionError unless 200). */
    public byte[] download(String path, String token) {
        try {
            HttpResponse<byte[]> r =
                    UPLOADS.send(
                            HttpRequest.newBuilder(URI.create(base() + path))
                                    .header("Authorization", "Bearer " + token)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200)
                throw new AssertionError(path + ": " + r.statusCode() + " " + new String(r.body()));
            return r.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("download failed: " + path, e);
        }
    }

    /** POST of a JSON body, with a token (or none). */
    public Answer post(String path, String token, String json) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return TestServer.send(b.build());
    }

    /** PATCH of a JSON body with a token. */
    public Answer patch(String path, String token, String json) {
        return TestServer.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    /** POST of a file's bytes (an upload), with a token and optional extra headers. */
    public Answer upload(String path, String token, byte[] body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            // HTTP/1.1 as curl --data-binary sends it (no h2c upgrade on an upload)
            HttpResponse<String> r = UPLOADS.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(""),
                    r.body(),
                    r.headers().map());
        } catch (Exception e) {
            throw new AssertionError("upload failed: " + path, e);
        }
    }

    /** Polls a job until it leaves RUNNING (at most a minute); its final JSON. */
    public com.fasterxml.jackson.databind.JsonNode awaitJob(String jobId, String token)
            throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            Answer a = get("/api/v1/jobs/" + jobId, token);
            if (a.status() != 200) throw new AssertionError("job " + jobId + ": " + a.body());
            if (!a.json().get("status").asText().equals("RUNNING")) return a.json();
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " still running after a minute");
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException {
        try {
            app.close();
        } finally {
            serverDb.close();
            ownerDb.close();
            String admin = owner.url().replaceFirst("/([^/?]+)(\\?|$)", "/postgres$2");
            try (Connection c = DriverManager.getConnection(admin, owner.user(), owner.password());
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                // the next start of that name re-creates it anyway
            }
        }
    }
}
