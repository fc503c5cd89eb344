package org.gridgov.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gridgov.db.DbSettings;
import org.gridgov.geo.Crs;
import org.gridgov.people.Tokens;

/**
 * gridgov's settings. Each comes from the environment (GRIDGOV_PORT), else from the optional
 * properties file named by GRIDGOV_CONFIG (key gridgov.port), else its default; the README's
 * configuration table lists them all.
 */
public final class Config {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Config.class);

    private final Map<String, String> env;
    private final Properties file;

    Config(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    public static Config fromEnvironment() {
        Map<String, String> env = System.getenv();
        Properties props = new Properties();
        String path = env.get("GRIDGOV_CONFIG");
        if (path != null && !path.isBlank()) {
            try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the configuration file GRIDGOV_CONFIG="
                                + path
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return new Config(env, props);
    }

    /** Settings given explicitly (tests, embedding); the environment is not read. */
    public static Config of(Map<String, String> values) {
        return new Config(Map.copyOf(values), new Properties());
    }

    /** GRIDGOV_DB_URL → gridgov.db.url */
    String get(String envName, String defaultValue) {
        String v = env.get(envName);
        if (v != null && !v.isBlank()) return v;
        String key = envName.toLowerCase().replace('_', '.');
        v = file.getProperty(key);
        return v != null && !v.isBlank() ? v.trim() : defaultValue;
    }

    int getInt(String envName, int defaultValue) {
        String v = get(envName, null);
        if (v == null) return defaultValue;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(envName + " must be a whole number, got '" + v + "'");
        }
    }

    public int port() {
        return getInt("GRIDGOV_PORT", 8080);
    }

    public String host() {
        return get("GRIDGOV_HOST", "0.0.0.0");
    }

    /** Largest request body accepted, in bytes. */
    public int bodyLimit() {
        return getInt("GRIDGOV_BODY_LIMIT", 64 * 1024);
    }

    /**
     * The planar CRS for areas, distances, plan metrics, imports and analytics cells (default
     * EPSG:4549, right for the demo area).
     */
    public int planarSrid() {
        return getInt("GRIDGOV_PLANAR_SRID", Crs.PLANAR_DEFAULT);
    }

    public org.gridgov.ogc.catalog.OgcSettings ogc() {
        String dir = get("GRIDGOV_MAPSERVER_DIR", null);
        return new org.gridgov.ogc.catalog.OgcSettings(
                get("GRIDGOV_MAPSERVER_URL", null),
                getInt("GRIDGOV_MAPSERVER_WORKERS", 4),
                dir == null ? null : Path.of(dir),
                getInt("GRIDGOV_MAPSERVER_TIMEOUT_MS", 30_000),
                get("GRIDGOV_PUBLIC_URL", null),
                org.gridgov.ogc.catalog.OgcSettings.parseLayers(
                        get("GRIDGOV_OGC_PUBLIC_LAYERS", null)),
                getInt("GRIDGOV_TILE_CACHE_MB", 64),
                planarSrid());
    }

    /**
     * The deepest zoom whose incident tiles are built from the in-memory incident points (cells
     * with counts, docs/ogc.md); deeper ones come from PostGIS. -1: every zoom from PostGIS, the
     * SQL path the benchmark compares against.
     */
    public int tileMemoryMaxZoom() {
        int z =
                getInt(
                        "GRIDGOV_TILE_MEMORY_MAX_ZOOM",
                        org.gridgov.tiles.IncidentTiles.DEFAULT_MAX_ZOOM);
        if (z < -1 || z > org.gridgov.geo.TileScheme.MAX_ZOOM)
            throw new IllegalStateException(
                    "GRIDGOV_TILE_MEMORY_MAX_ZOOM must be from -1 to "
                            + org.gridgov.geo.TileScheme.MAX_ZOOM
                            + ", got "
                            + z);
        return z;
    }

    /**
     * The HS256 signing secret of access tokens: GRIDGOV_JWT_SECRET, else the contents of the file
     * named by GRIDGOV_JWT_SECRET_FILE (readable by its owner only). There is no default: with a
     * secret anyone can read, anyone can sign tokens of any role.
     */
    public String jwtSecret() {
        String secret = get("GRIDGOV_JWT_SECRET", null);
        String file = get("GRIDGOV_JWT_SECRET_FILE", null);
        String from = "GRIDGOV_JWT_SECRET";
        if (secret == null && file != null) {
            secret = readSecretFile(Path.of(file));
            from = "GRIDGOV_JWT_SECRET_FILE=" + file;
        }
        if (secret == null) {
            throw new IllegalStateException(
                    "no token signing secret: set GRIDGOV_JWT_SECRET, or GRIDGOV_JWT_SECRET_FILE to a file "
                            + "readable by its owner only (chmod 600), to at least "
                            + Tokens.MIN_SECRET_BYTES
                            + " random bytes, e.g. `openssl rand -base64 48`; the same on every instance");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < Tokens.MIN_SECRET_BYTES) {
            throw new IllegalStateException(
                    from
                            + ": the token signing secret must be at least "
                            + Tokens.MIN_SECRET_BYTES
                            + " bytes (set GRIDGOV_JWT_SECRET or GRIDGOV_JWT_SECRET_FILE), e.g. `openssl rand -base64 48`");
        }
        return secret;
    }

    private static String readSecretFile(Path file) {
        try {
            try {
                var perms = Files.getPosixFilePermissions(file);
                perms.retainAll(
                        java.util.EnumSet.of(
                                PosixFilePermission.GROUP_READ,
                                PosixFilePermission.GROUP_WRITE,
                                PosixFilePermission.OTHERS_READ,
                                PosixFilePermission.OTHERS_WRITE));
                if (!perms.isEmpty()) {
                    throw new IllegalStateException(
                            "GRIDGOV_JWT_SECRET_FILE="
                                    + file
                                    + " may be read or written by others ("
                                    + PosixFilePermissions.toString(
                                            Files.getPosixFilePermissions(file))
                                    + "): `chmod 600 "
                                    + file
                                    + "`");
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own access control applies
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read GRIDGOV_JWT_SECRET_FILE=" + file + ": " + e, e);
        }
    }

    public int tokenTtlSeconds() {
        return getInt("GRIDGOV_TOKEN_TTL_SECONDS", 8 * 3600);
    }

    /**
     * How long an instance may go on believing a staff row (disabled? role, scope or password
     * changed?) and its list of logged-out tokens before it reads them again: 1–30 s.
     */
    public int authRecheckSeconds() {
        int s = getInt("GRIDGOV_AUTH_RECHECK_SECONDS", 15);
        if (s < 1 || s > 30)
            throw new IllegalStateException(
                    "GRIDGOV_AUTH_RECHECK_SECONDS must be 1 to 30, got " + s);
        return s;
    }

    /**
     * Failed logins (token, Basic, password changes) one username may have per {@link
     * #loginFailureWindowMinutes()} before 429, whatever address they come from.
     */
    public int loginFailuresPerUser() {
        if (get("GRIDGOV_LOGIN_FAILURES_PER_MINUTE", null) != null)
            throw new IllegalStateException(
                    "GRIDGOV_LOGIN_FAILURES_PER_MINUTE is gone: the per-username limit is now"
                            + " GRIDGOV_LOGIN_FAILURES_PER_USER per"
                            + " GRIDGOV_LOGIN_FAILURE_WINDOW_MINUTES (10 per 15)");
        return positive("GRIDGOV_LOGIN_FAILURES_PER_USER", 10);
    }

    /** The window the per-username limit refills over, in minutes. */
    public int loginFailureWindowMinutes() {
        return positive("GRIDGOV_LOGIN_FAILURE_WINDOW_MINUTES", 15);
    }

    /** Whether scripts/run loads the demo subdistrict (GRIDGOV_DEMO=on|off). */
    public boolean demo() {
        String v = get("GRIDGOV_DEMO", "on");
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default ->
                    throw new IllegalStateException(
                            "GRIDGOV_DEMO must be 'on' or 'off', got '" + v + "'");
        };
    }

    /** Failed logins one client address may have per minute before 429. */
    public int loginFailuresPerAddress() {
        return positive("GRIDGOV_LOGIN_FAILURES_PER_MINUTE_PER_ADDRESS", 30);
    }

    private int positive(String envName, int defaultValue) {
        int v = getInt(envName, defaultValue);
        if (v <= 0)
            throw new IllegalStateException(envName + " must be a positive whole number, got " + v);
        return v;
    }

    /**
     * How often the workflow scheduler looks for due reminders, supervision notices and
     * escalations; 0 = never.
     */
    public int schedulerSeconds() {
        return getInt("GRIDGOV_SCHEDULER_SECONDS", 30);
    }

    /**
     * Days after a month ends that its assessment figures are settled automatically (ratings and
     * callbacks of its cases come in meanwhile), or -1 for {@code off}: only an admin settles
     * (docs/assessment.md, "Settled months"). Default 7; at most 366.
     */
    public int kpiSettleDays() {
        String name = "GRIDGOV_KPI_SETTLE_DAYS";
        String v = get(name, null);
        if (v == null) return 7;
        if (v.trim().equals("off")) return -1;
        int days;
        try {
            days = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 0 || days > 366)
            throw new IllegalStateException(
                    name
                            + " must be a whole number of days from 0 to 366 after a month's end,"
                            + " or 'off' (an admin settles), got '"
                            + v
                            + "'");
        return days;
    }

    /** The most GRIDGOV_REPORTER_RETENTION_DAYS may be (100 years). */
    static final int MAX_RETENTION_DAYS = 36_500;

    /**
     * Days after a case ends (closed, or rejected) that its reporter's name and phone are kept,
     * then erased by a scheduled job; 0 = kept for ever (docs/personal-data.md). Default 365.
     */
    public int reporterRetentionDays() {
        String name = "GRIDGOV_REPORTER_RETENTION_DAYS";
        String v = get(name, null);
        if (v == null) return 365;
        int days;
        try {
            days = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 0 || days > MAX_RETENTION_DAYS)
            throw new IllegalStateException(
                    name
                            + " must be a whole number of days from 0 (keep reporters' details for"
                            + " ever) to "
                            + MAX_RETENTION_DAYS
                            + ", got '"
                            + v
                            + "'");
        return days;
    }

    /**
     * The most reports intake writes in one transaction (group commit, docs/intake.md); 1 = each
     * report its own transaction.
     */
    public int intakeBatch() {
        return positive("GRIDGOV_INTAKE_BATCH", 64);
    }

    /** How many intake batches may be written at once (each holds a database connection). */
    public int intakeWriters() {
        return positive("GRIDGOV_INTAKE_WRITERS", 2);
    }

    /**
     * Writes without a token (intake, Open311 requests and follows) one client address may make per
     * minute.
     */
    public int anonymousWritesPerMinute() {
        return getInt("GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE", 20);
    }

    /**
     * Who to ask about the Open311 service, as its discovery document says
     * (GRIDGOV_OPEN311_CONTACT); by default the subdistrict's command centre.
     */
    public String open311Contact(String subdistrictName) {
        return get(
                "GRIDGOV_OPEN311_CONTACT",
                subdistrictName + "综合指挥中心 (the command centre of " + subdistrictName + ")");
    }

    /**
     * Address lookups (GET /api/v1/geocode…) without a token one client address may make a minute.
     */
    public int geocodePerMinute() {
        return getInt("GRIDGOV_GEOCODE_PER_MINUTE", 120);
    }

    /**
     * The score (0–1) an address's best match needs to place a report by itself; below it the
     * report waits in the placement queue (docs/addresses.md).
     */
    public double geocodeThreshold() {
        String v = get("GRIDGOV_GEOCODE_THRESHOLD", "0.8");
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0 && d <= 1))
            throw new IllegalStateException(
                    "GRIDGOV_GEOCODE_THRESHOLD must be a number from 0 to 1, got '" + v + "'");
        return d;
    }

    /**
     * The province and city names in front of the jurisdiction's district, dropped from addresses
     * (the district and subdistrict names come from the boundary); comma-separated, widest first.
     */
    public List<String> addressPlaces() {
        String v = get("GRIDGOV_ADDRESS_PLACES", "浙江省,杭州市");
        return java.util.Arrays.stream(v.split(","))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    /**
     * Failed tracking look-ups and ratings (a wrong ticket number or lookup code) one client
     * address may make per minute (docs/tracking.md).
     */
    public int trackGuessesPerAddress() {
        return getInt("GRIDGOV_TRACK_GUESSES_PER_ADDRESS", 10);
    }

    /** Failed tracking attempts on one ticket, from anywhere, per hour (docs/tracking.md). */
    public int trackGuessesPerTicket() {
        return getInt("GRIDGOV_TRACK_GUESSES_PER_TICKET", 20);
    }

    /**
     * The web map's optional external base map (XYZ/WMTS URL template); unset = gridgov's own
     * layers only.
     */
    public String baseMapUrl() {
        return get("GRIDGOV_BASEMAP_URL", null);
    }

    public String baseMapAttribution() {
        return get("GRIDGOV_BASEMAP_ATTRIBUTION", null);
    }

    /**
     * Origins whose pages may read /ows, /ogc and /tiles (CORS): * (any, the default) or a list
     * (docs/ogc.md#web-pages-on-other-origins-cors).
     */
    public org.gridgov.api.Cors cors() {
        return org.gridgov.api.Cors.allowing(get("GRIDGOV_CORS_ORIGINS", "*"));
    }

    /**
     * Proxies (addresses, CIDR blocks) whose X-Forwarded-For/-Host/-Proto headers are believed;
     * unset = none.
     */
    public String trustedProxies() {
        return get("GRIDGOV_TRUSTED_PROXIES", null);
    }

    /**
     * Import uploads: where they are written, how large they and their unzipped parts may be
     * (docs/planning.md).
     */
    public org.gridgov.grid.ImportLimits imports() {
        String dir = get("GRIDGOV_UPLOAD_DIR", null);
        return org.gridgov.grid.ImportLimits.of(
                dir == null ? null : Path.of(dir),
                getInt("GRIDGOV_IMPORT_LIMIT_MB", 64),
                getInt("GRIDGOV_IMPORT_UNZIPPED_LIMIT_MB", 256));
    }

    /**
     * Photos (docs/media.md): the media folder (GRIDGOV_MEDIA_DIR, default {@code media/} in the
     * state folder GRIDGOV_STATE, itself default {@code .gridgov}), the size of one photo, how many
     * one request and one case may carry, and the most pixels one may decode to.
     */
    public org.gridgov.media.MediaSettings media() {
        String dir = get("GRIDGOV_MEDIA_DIR", null);
        return new org.gridgov.media.MediaSettings(
                dir != null ? Path.of(dir) : Path.of(get("GRIDGOV_STATE", ".gridgov"), "media"),
                (long) positive("GRIDGOV_MEDIA_MAX_MB", 10) << 20,
                positive("GRIDGOV_MEDIA_MAX_PER_REQUEST", 5),
                positive("GRIDGOV_MEDIA_MAX_PER_CASE", 30),
                positive("GRIDGOV_MEDIA_MAX_MEGAPIXELS", 50) * 1_000_000L);
    }

    /**
     * The S3-compatible object store for photos (docs/media.md), or empty for the media folder:
     * GRIDGOV_MEDIA_S3_ENDPOINT turns it on; the bucket and both keys are then required (the keys
     * as GRIDGOV_MEDIA_S3_ACCESS_KEY / _SECRET_KEY or their _FILE; no default), the region is
     * GRIDGOV_MEDIA_S3_REGION (us-east-1, what most S3-compatible servers accept).
     */
    public java.util.Optional<org.gridgov.media.S3Settings> mediaS3() {
        String endpoint = get("GRIDGOV_MEDIA_S3_ENDPOINT", null);
        if (endpoint == null || endpoint.isBlank()) return java.util.Optional.empty();
        java.net.URI uri;
        try {
            uri = new java.net.URI(endpoint.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(
                    "GRIDGOV_MEDIA_S3_ENDPOINT is not a URL: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || uri.getHost() == null)
            throw new IllegalStateException(
                    "GRIDGOV_MEDIA_S3_ENDPOINT must be a URL such as https://s3.example.org,"
                            + " not "
                            + endpoint);
        return java.util.Optional.of(
                new org.gridgov.media.S3Settings(
                        uri,
                        get("GRIDGOV_MEDIA_S3_BUCKET", null),
                        get("GRIDGOV_MEDIA_S3_REGION", "us-east-1"),
                        secret("GRIDGOV_MEDIA_S3_ACCESS_KEY"),
                        secret("GRIDGOV_MEDIA_S3_SECRET_KEY")));
    }

    /** A connection with no traffic either way this long is closed; 0 = never. */
    public int idleTimeoutSeconds() {
        return getInt("GRIDGOV_IDLE_TIMEOUT_SECONDS", 120);
    }

    /**
     * A connection whose first request head has not arrived this long after it opened is closed; 0
     * = never.
     */
    public int headerTimeoutSeconds() {
        return getInt("GRIDGOV_HEADER_TIMEOUT_SECONDS", 10);
    }

    /**
     * The live feed's limits; its keep-alive comments come well within the idle timeout
     * (docs/live.md).
     */
    public org.gridgov.live.LiveLimits live() {
        int idle = idleTimeoutSeconds();
        return new org.gridgov.live.LiveLimits(
                getInt("GRIDGOV_LIVE_REPLAY_MAX", 1000),
                getInt("GRIDGOV_LIVE_STREAMS_PER_USER", 5),
                idle > 0 ? Math.min(15_000L, idle * 1000L / 3) : 15_000L);
    }

    private String dbUrl() {
        return get(
                "GRIDGOV_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + getInt("GRIDGOV_PG_PORT", 54329) + "/gridgov");
    }

    /**
     * A password: GRIDGOV_X_PASSWORD, else the first line of the file GRIDGOV_X_PASSWORD_FILE
     * (scripts/run points these at $GRIDGOV_STATE/secrets), else null. There is no default.
     */
    public String secret(String envName) {
        String v = get(envName, null);
        if (v != null) return v;
        String file = get(envName + "_FILE", null);
        if (file == null) return null;
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + envName + "_FILE=" + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server's account (DML only; docs/deployment.md), with a statement timeout on its pool.
     */
    public DbSettings db() {
        return new DbSettings(
                dbUrl(),
                get("GRIDGOV_DB_USER", "gridgov"),
                secret("GRIDGOV_DB_PASSWORD"),
                getInt("GRIDGOV_DB_POOL", 24),
                getInt("GRIDGOV_DB_STATEMENT_TIMEOUT_MS", 30_000));
    }

    /** The schema owner, for `migrate` and `demo`; unset = the server's account, with a warning. */
    public DbSettings ownerDb() {
        String user = get("GRIDGOV_DB_OWNER_USER", null);
        DbSettings app = db();
        if (user == null) {
            log.warn(
                    "GRIDGOV_DB_OWNER_USER is not set: migrating as the server's account {}, which then owns the schema "
                            + "and may change it (docs/deployment.md)",
                    app.user());
            return app.withStatementTimeout(0);
        }
        return new DbSettings(dbUrl(), user, secret("GRIDGOV_DB_OWNER_PASSWORD"), 4, 0);
    }

    /** MapServer's read-only account; unset = the server's account, with a warning. */
    public DbSettings mapDb() {
        String user = get("GRIDGOV_DB_MAP_USER", null);
        DbSettings app = db();
        if (user == null) {
            log.warn(
                    "GRIDGOV_DB_MAP_USER is not set: MapServer connects as the server's account {} (docs/deployment.md)",
                    app.user());
            return app;
        }
        return new DbSettings(dbUrl(), user, secret("GRIDGOV_DB_MAP_PASSWORD"), 1, 0);
    }

    /**
     * The roles' names for the grants `migrate` makes; the map role's reads come from the layer
     * catalog.
     */
    public org.gridgov.db.Grants grants(java.util.Map<String, java.util.List<String>> mapReads) {
        return new org.gridgov.db.Grants(
                get("GRIDGOV_DB_USER", "gridgov"), get("GRIDGOV_DB_MAP_USER", null), mapReads);
    }

    /**
     * Telling reporters and other systems (docs/notifications.md): the delivery worker, the SMS
     * gateway, SMTP, the 12345 feedback endpoint. A channel without its address is off.
     *
     * @param port the port the server listens on, for links when GRIDGOV_PUBLIC_URL is unset
     */
    public org.gridgov.notify.NotifySettings notifications(int port) {
        java.time.Duration timeout =
                java.time.Duration.ofSeconds(positive("GRIDGOV_NOTIFY_TIMEOUT_SECONDS", 10));
        var delivery =
                new org.gridgov.notify.OutboxWorker.Settings(
                        positive("GRIDGOV_OUTBOX_THREADS", 4),
                        java.time.Duration.ofSeconds(positive("GRIDGOV_OUTBOX_LEASE_SECONDS", 60)),
                        java.time.Duration.ofMillis(positive("GRIDGOV_OUTBOX_POLL_MS", 500)),
                        new org.gridgov.notify.Backoff(
                                java.time.Duration.ofSeconds(
                                        positive("GRIDGOV_OUTBOX_BACKOFF_SECONDS", 10)),
                                java.time.Duration.ofSeconds(
                                        positive("GRIDGOV_OUTBOX_BACKOFF_CAP_SECONDS", 3600)),
                                positive("GRIDGOV_OUTBOX_MAX_ATTEMPTS", 12)));
        String base = get("GRIDGOV_PUBLIC_URL", null);
        if (base == null) base = "http://localhost:" + port;
        String sms = get("GRIDGOV_SMS_GATEWAY_URL", null);
        String smtp = get("GRIDGOV_SMTP_HOST", null);
        String hotline = get("GRIDGOV_HOTLINE_FEEDBACK_URL", null);
        String hotlineSecret = secret("GRIDGOV_HOTLINE_SECRET");
        if (hotline != null && hotlineSecret == null)
            throw new IllegalStateException(
                    "GRIDGOV_HOTLINE_FEEDBACK_URL needs GRIDGOV_HOTLINE_SECRET to sign the feedback");
        String smtpUser = get("GRIDGOV_SMTP_USER", null);
        return new org.gridgov.notify.NotifySettings(
                !get("GRIDGOV_OUTBOX_WORKER", "on").equals("off"),
                delivery,
                timeout,
                new org.gridgov.notify.Links(get("GRIDGOV_NOTIFY_LINK_BASE", base)),
                get("GRIDGOV_SMS_SIGN", "网格治理"),
                sms == null
                        ? null
                        : new org.gridgov.notify.SmsChannel.Settings(
                                absolute("GRIDGOV_SMS_GATEWAY_URL", sms),
                                secret("GRIDGOV_SMS_GATEWAY_TOKEN"),
                                timeout),
                smtp == null
                        ? null
                        : new org.gridgov.notify.EmailChannel.Settings(
                                smtp,
                                getInt("GRIDGOV_SMTP_PORT", 587),
                                smtpUser,
                                secret("GRIDGOV_SMTP_PASSWORD"),
                                get("GRIDGOV_SMTP_STARTTLS", smtpUser != null ? "on" : "off")
                                        .equals("on"),
                                get("GRIDGOV_SMTP_FROM", "gridgov@localhost"),
                                timeout),
                hotline == null
                        ? null
                        : new org.gridgov.notify.HotlineChannel.Settings(
                                absolute("GRIDGOV_HOTLINE_FEEDBACK_URL", hotline),
                                hotlineSecret,
                                timeout));
    }

    private static java.net.URI absolute(String name, String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            if (u.getScheme() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null)
                throw new java.net.URISyntaxException(url, "not http(s)");
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(
                    name + " must be an absolute http:// or https:// URL, got '" + url + "'");
        }
    }
}
