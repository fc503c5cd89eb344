package org.gridgov.app;

import org.gridgov.db.DbSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * gridgov's settings. Each comes from the environment (GRIDGOV_PORT), else from the optional
 * properties file named by GRIDGOV_CONFIG (key gridgov.port), else its default. docs/configuration.md
 * lists them all.
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
                throw new IllegalStateException("cannot read the configuration file GRIDGOV_CONFIG=" + path + ": " + e.getMessage(), e);
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

    /** The planar CRS for areas, distances and analytics cells (EPSG:4549 for the demo area). */
    public int planarSrid() {
        return getInt("GRIDGOV_PLANAR_SRID", 4549);
    }

    /**
     * GRIDGOV_MAPSERVER_TRANSPORT: lighttpd (default: HTTP to lighttpd, which runs the workers) or
     * fastcgi (the gateway talks FastCGI to workers it runs itself). lighttpd measured faster here
     * (docs/benchmarks.md, ogc).
     */
    private boolean mapServerTransport() {
        String t = get("GRIDGOV_MAPSERVER_TRANSPORT", "lighttpd");
        if (!t.equals("fastcgi") && !t.equals("lighttpd"))
            throw new IllegalArgumentException("GRIDGOV_MAPSERVER_TRANSPORT must be fastcgi or lighttpd, got " + t);
        return t.equals("fastcgi");
    }

    public org.gridgov.ogc.OgcSettings ogc() {
        String dir = get("GRIDGOV_MAPSERVER_DIR", null);
        return new org.gridgov.ogc.OgcSettings(get("GRIDGOV_MAPSERVER_URL", null), getInt("GRIDGOV_MAPSERVER_WORKERS", 4),
                dir == null ? null : Path.of(dir), getInt("GRIDGOV_MAPSERVER_TIMEOUT_MS", 30_000), get("GRIDGOV_PUBLIC_URL", null),
                org.gridgov.ogc.OgcSettings.parseLayers(get("GRIDGOV_OGC_PUBLIC_LAYERS", null)), getInt("GRIDGOV_TILE_CACHE_MB", 64),
                mapServerTransport());
    }

    /** HS256 signing secret of access tokens; unset = the published development secret, with a warning. */
    public String jwtSecret() {
        return get("GRIDGOV_JWT_SECRET", null);
    }

    public int tokenTtlSeconds() {
        return getInt("GRIDGOV_TOKEN_TTL_SECONDS", 8 * 3600);
    }

    /** How often the workflow scheduler looks for due reminders, supervision notices and escalations; 0 = never. */
    public int schedulerSeconds() {
        return getInt("GRIDGOV_SCHEDULER_SECONDS", 30);
    }

    /** New Open311 service requests a client (api_key, else address) may file per minute. */
    public int open311PostsPerMinute() {
        return getInt("GRIDGOV_OPEN311_POSTS_PER_MINUTE", 10);
    }

    /** The web map's optional external base map (XYZ/WMTS URL template); unset = gridgov's own layers only. */
    public String baseMapUrl() {
        return get("GRIDGOV_BASEMAP_URL", null);
    }

    public String baseMapAttribution() {
        return get("GRIDGOV_BASEMAP_ATTRIBUTION", null);
    }

    /** Proxies (addresses, CIDR blocks) whose X-Forwarded-For/-Host/-Proto headers are believed; unset = none. */
    public String trustedProxies() {
        return get("GRIDGOV_TRUSTED_PROXIES", null);
    }

    private String dbUrl() {
        return get("GRIDGOV_DB_URL", "jdbc:postgresql://127.0.0.1:" + getInt("GRIDGOV_PG_PORT", 54329) + "/gridgov");
    }

    /**
     * A password: GRIDGOV_X_PASSWORD, else the first line of the file GRIDGOV_X_PASSWORD_FILE
     * (scripts/run points these at $GRIDGOV_STATE/secrets), else null. There is no default.
     */
    String secret(String envName) {
        String v = get(envName, null);
        if (v != null) return v;
        String file = get(envName + "_FILE", null);
        if (file == null) return null;
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + envName + "_FILE=" + file + ": " + e.getMessage(), e);
        }
    }

    /** The server's account (DML only; docs/deployment.md), with a statement timeout on its pool. */
    public DbSettings db() {
        return new DbSettings(dbUrl(), get("GRIDGOV_DB_USER", "gridgov"), secret("GRIDGOV_DB_PASSWORD"),
                getInt("GRIDGOV_DB_POOL", 24), getInt("GRIDGOV_DB_STATEMENT_TIMEOUT_MS", 30_000));
    }

    /** The schema owner, for `migrate` and `demo`; unset = the server's account, with a warning. */
    public DbSettings ownerDb() {
        String user = get("GRIDGOV_DB_OWNER_USER", null);
        DbSettings app = db();
        if (user == null) {
            log.warn("GRIDGOV_DB_OWNER_USER is not set: migrating as the server's account {}, which then owns the schema "
                    + "and may change it (docs/deployment.md)", app.user());
            return app.withStatementTimeout(0);
        }
        return new DbSettings(dbUrl(), user, secret("GRIDGOV_DB_OWNER_PASSWORD"), 4, 0);
    }

    /** MapServer's read-only account; unset = the server's account, with a warning. */
    public DbSettings mapDb() {
        String user = get("GRIDGOV_DB_MAP_USER", null);
        DbSettings app = db();
        if (user == null) {
            log.warn("GRIDGOV_DB_MAP_USER is not set: MapServer connects as the server's account {} (docs/deployment.md)", app.user());
            return app;
        }
        return new DbSettings(dbUrl(), user, secret("GRIDGOV_DB_MAP_PASSWORD"), 1, 0);
    }

    /** The roles' names for the grants `migrate` makes; the map role's reads come from the layer catalog. */
    public org.gridgov.db.Grants grants(java.util.Map<String, java.util.List<String>> mapReads) {
        return new org.gridgov.db.Grants(get("GRIDGOV_DB_USER", "gridgov"), get("GRIDGOV_DB_MAP_USER", null), mapReads);
    }
}
