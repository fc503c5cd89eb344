package org.gridgov.faults;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.gridgov.bench.FaultScenarios;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.db.Grants;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.mapserver.MapServerConfig;
import org.gridgov.testing.TestDatabase;

/** Databases the fault tests may fill with reports, apart from the shared test database. */
final class FaultFixture {

    private FaultFixture() {}

    /**
     * A fresh database's accounts: its owner (fixtures, checks) and the server's role (the server
     * under test).
     */
    record Fresh(DbSettings owner, DbSettings server) {}

    /**
     * A fresh database named {@code name} beside the test one, provisioned as the test database is
     * (owner, server and MapServer roles), migrated with the grants, with a small demo area (no
     * history).
     */
    static Fresh freshDatabase(String name) throws Exception {
        String url = TestDatabase.createEmpty(name);
        TestDatabase.Accounts a = TestDatabase.accounts();
        Fresh f =
                new Fresh(
                        new DbSettings(url, a.owner().user(), a.owner().password(), 8),
                        new DbSettings(url, a.server().user(), a.server().password(), 8));
        try (Database db = Database.connect(f.owner())) {
            db.migrate(
                    new Grants(
                            a.server().user(),
                            a.map().user(),
                            MapServerConfig.tablesRead(LayerCatalog.load(null))));
            fill(db);
        }
        return f;
    }

    /** Migrates and fills a database whose one account does everything (a scratch cluster). */
    static void load(DbSettings s) throws Exception {
        try (Database db = Database.connect(s)) {
            db.migrate();
            fill(db);
        }
    }

    private static void fill(Database db) throws Exception {
        CategoryCatalog.fromClasspath().sync(db.dataSource());
        DemoLoader.load(
                db.dataSource(), new DemoParams(11L, 0, 400, 400, 3), TestDatabase.DEMO_PASSWORD);
    }

    /**
     * Drops a fresh database, best effort: the next {@link #freshDatabase} of that name starts
     * clean anyway.
     */
    static void drop(Fresh f) {
        String admin = f.owner().url().replaceFirst("/([^/?]+)(\\?|$)", "/postgres$2");
        String name = f.owner().url().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c =
                        DriverManager.getConnection(admin, f.owner().user(), f.owner().password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        } catch (java.sql.SQLException e) {
            System.out.println(
                    "faults: " + name + " left for the next run to drop: " + e.getMessage());
        }
    }

    /** Where reports go: a subdistrict category and a point inside the subdistrict. */
    static FaultScenarios.Target target(Database db, Supplier<String> base, String token)
            throws Exception {
        try (var c = db.connection();
                var st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                """
                SELECT (SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND active ORDER BY code LIMIT 1),
                       ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM jurisdiction WHERE kind = 'SUBDISTRICT'""")) {
            rs.next();
            return new FaultScenarios.Target(
                    base, token, rs.getString(1), rs.getDouble(2), rs.getDouble(3));
        }
    }

    /** A signing secret of this run only (the server refuses short or published ones). */
    static String jwtSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
