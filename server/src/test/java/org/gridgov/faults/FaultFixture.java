package org.gridgov.faults;

import org.gridgov.bench.FaultScenarios;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Databases the fault tests may fill with reports, apart from the shared test database. */
final class FaultFixture {

    private FaultFixture() {
    }

    /** A fresh database named {@code name} beside the one given, migrated, with a small demo area (no history). */
    static DbSettings freshDatabase(DbSettings beside, String name) throws Exception {
        String admin = beside.url().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection c = DriverManager.getConnection(admin, beside.user(), beside.password()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        DbSettings s = new DbSettings(beside.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"), beside.user(), beside.password(), 8);
        load(s);
        return s;
    }

    static void load(DbSettings s) throws Exception {
        try (Database db = Database.connect(s)) {
            db.migrate();
            CategoryCatalog.fromClasspath().sync(db.dataSource());
            DemoLoader.load(db.dataSource(), new DemoParams(11L, 0, 400, 400, 3));
        }
    }

    static void drop(DbSettings beside, String name) throws Exception {
        String admin = beside.url().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection c = DriverManager.getConnection(admin, beside.user(), beside.password()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** Where reports go: a subdistrict category and a point inside the subdistrict. */
    static FaultScenarios.Target target(Database db, Supplier<String> base, String token) throws Exception {
        try (var c = db.connection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT (SELECT code FROM category WHERE authority = 'SUBDISTRICT' AND active ORDER BY code LIMIT 1),
                       ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM jurisdiction WHERE kind = 'SUBDISTRICT'""")) {
            rs.next();
            return new FaultScenarios.Target(base, token, rs.getString(1), rs.getDouble(2), rs.getDouble(3));
        }
    }

    /** A signing secret of this run only (the server refuses short or published ones). */
    static String jwtSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
