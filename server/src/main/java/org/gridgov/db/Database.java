package org.gridgov.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool and the schema's migration state. PostgreSQL is the one store of record. */
public final class Database implements AutoCloseable {

    /**
     * Where the migrations are; released ones are listed in db/migration.lock (never edited, but
     * for {@link #SANCTIONED_EDITS}).
     */
    public static final String LOCATION = "classpath:db/migration";

    /**
     * A released migration whose file changed after its release without changing what it does
     * (docs/upgrading.md, "The one sanctioned edit"): the Flyway checksum a database that took the
     * released file records, and the one of this build's file. {@link #migrate()} rewrites exactly
     * that pair before Flyway validates; db/migration.lock names the edited file's SHA-256.
     */
    public record SanctionedEdit(String version, int released, int current) {}

    /**
     * V1's first comment named a design file outside the repository; it names docs/data-model.md
     * since 2026-12-06. Nothing else in the file changed.
     */
    public static final List<SanctionedEdit> SANCTIONED_EDITS =
            List.of(new SanctionedEdit("1", 2039392240, 588205036));

    private static final Logger log = LoggerFactory.getLogger(Database.class);

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

    /**
     * Applies pending Flyway migrations (the `migrate` command and the test set-up), after moving
     * the history of a sanctioned edit to this build's checksum; any other mismatch fails Flyway's
     * validation as before.
     */
    public void migrate() {
        Flyway flyway = flyway();
        try {
            repairSanctionedEdits(flyway.getConfiguration().getTable());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot update the migration history's checksums: " + e.getMessage(), e);
        }
        flyway.migrate();
    }

    /**
     * Rewrites a sanctioned edit's released checksum, and only that value of that version, to the
     * current one. A database no migration has reached yet has no history to repair.
     */
    private void repairSanctionedEdits(String history) throws SQLException {
        try (Connection c = connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, history);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) return;
                }
            }
            // the history table's name is Flyway's configuration, not input
            String update =
                    "UPDATE " + history + " SET checksum = ? WHERE version = ? AND checksum = ?";
            for (SanctionedEdit e : SANCTIONED_EDITS) {
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    ps.setInt(1, e.current());
                    ps.setString(2, e.version());
                    ps.setInt(3, e.released());
                    if (ps.executeUpdate() > 0)
                        log.info(
                                "migration {}: checksum {} of the released file moved to {}, this"
                                        + " build's (a sanctioned edit, docs/upgrading.md)",
                                e.version(),
                                e.released(),
                                e.current());
                }
            }
        }
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
