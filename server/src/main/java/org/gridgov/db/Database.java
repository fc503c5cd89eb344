package org.gridgov.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** The connection pool and the schema's migration state. PostgreSQL is the one store of record. */
public final class Database implements AutoCloseable {

    /** Where the migrations are; released ones are listed in db/migration.lock (never edited). */
    public static final String LOCATION = "classpath:db/migration";

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens a pool and proves the database answers, so a wrong URL fails at start with a message
     * naming it, not at the first request.
     */
    public static Database connect(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) config.setUsername(settings.user());
        if (settings.password() != null) config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("gridgov");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        // The server's role: no statement may hold a connection longer than this (anonymous
        // requests can ask for heavy work); the failure handler answers 503 (docs/errors.md).
        if (settings.statementTimeoutMs() > 0)
            config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeoutMs());
        try {
            return new Database(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach the database at "
                            + settings.url()
                            + " as "
                            + settings.user()
                            + " (set GRIDGOV_DB_URL, GRIDGOV_DB_USER, GRIDGOV_DB_PASSWORD(_FILE), or start the private "
                            + "cluster with scripts/db start and run through scripts/run, which sets them): "
                            + rootMessage(e),
                    e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Applies pending Flyway migrations (the `migrate` command and the test set-up). */
    public void migrate() {
        flyway().migrate();
    }

    /**
     * Applies pending migrations, then the roles' grants (as this pool's account, the schema
     * owner), so that tables added by any migration are covered.
     */
    public void migrate(Grants grants) throws SQLException {
        migrate();
        try (Connection c = connection()) {
            grants.apply(c);
        }
    }

    /** Refuses to serve a database whose schema is behind or ahead of this build. */
    public void requireMigrated() {
        Flyway flyway = flyway();
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length > 0) {
            throw new IllegalStateException(
                    "the database schema is not migrated: "
                            + pending.length
                            + " pending migration(s), first "
                            + pending[0].getVersion()
                            + " '"
                            + pending[0].getDescription()
                            + "'. Run `java -jar gridgov.jar migrate` (scripts/run does this).");
        }
        var result = flyway.validateWithResult();
        if (!result.validationSuccessful) {
            throw new IllegalStateException(
                    "the database schema does not match this build: "
                            + result.getAllErrorMessages());
        }
    }

    private Flyway flyway() {
        // In order only: every database takes the migrations in one order, the release's. A
        // migration numbered below one already applied is refused, not slipped in (it would make
        // two databases of one release differ); scripts/check.d/migrations.sh catches it first.
        return Flyway.configure().dataSource(pool).locations(LOCATION).outOfOrder(false).load();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
