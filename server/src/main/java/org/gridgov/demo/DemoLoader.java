package org.gridgov.demo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.gridgov.db.Jdbc;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.RoadEdge;
import org.gridgov.demo.DemoData.RoadVertex;
import org.gridgov.demo.DemoData.Staff;
import org.gridgov.demo.DemoData.Unit;
import org.gridgov.demo.DemoIncidents.DemoCategory;
import org.gridgov.geocode.AddressNormaliser;
import org.gridgov.geocode.GazetteerStore;
import org.gridgov.people.Passwords;
import org.gridgov.place.Departments;
import org.gridgov.place.PlaceStore;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.WKBWriter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the demo subdistrict ({@link DemoSubdistrict}) and its incident history ({@link
 * DemoIncidents}) into an empty, migrated database, in one transaction. Geometry is sent as planar
 * EPSG:4549 WKB and reprojected to EPSG:4326 by PostGIS; incidents go through COPY.
 */
public final class DemoLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);
    private static final String TO_4326 =
            "ST_Transform(ST_GeomFromWKB(?, " + DemoSubdistrict.SRID + "), 4326)";

    private DemoLoader() {}

    /** true when the jurisdiction table already has rows (demo or real data loaded). */
    public static boolean isLoaded(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM jurisdiction)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Builds and writes everything in one transaction. Requires migrated schema and the category
     * table filled. Every demo account gets {@code password}: there is no built-in one, since a
     * demo left running on a LAN would otherwise let anyone in as an administrator.
     */
    public static DemoSummary load(DataSource ds, DemoParams p, String password)
            throws SQLException {
        return load(ds, p, 1, password);
    }

    /**
     * A district of {@code subdistricts} adjacent subdistricts ({@link DemoDistrict}), each built
     * as the single demo subdistrict is from its own seed and written one after another (only one
     * is in memory at a time; incidents are streamed), with {@code p.incidents()} reports in all,
     * shared evenly. One subdistrict is exactly the single-subdistrict demo.
     */
    public static DemoSummary load(DataSource ds, DemoParams p, int subdistricts, String password)
            throws SQLException {
        if (password == null || password.length() < 4)
            throw new IllegalArgumentException(
                    "the demo accounts need a password of at least 4 characters");
        List<DemoSubdistrict.Site> sites = DemoDistrict.sites(subdistricts, p.seed());
        boolean alone = sites.size() == 1;
        Polygon served = alone ? null : DemoDistrict.served(sites);
        Polygon district = alone ? null : DemoDistrict.district(served);
        DemoSummary summary =
                Jdbc.inTransaction(
                        ds,
                        c -> {
                            try (Statement st = c.createStatement();
                                    ResultSet rs =
                                            st.executeQuery(
                                                    "SELECT EXISTS (SELECT 1 FROM jurisdiction)")) {
                                rs.next();
                                if (rs.getBoolean(1))
                                    throw new IllegalStateException(
                                            "an area is already loaded; demo data goes into an empty database");
                            }
                            List<DemoCategory> cats = readCategories(c);
                            if (cats.isEmpty())
                                throw new IllegalStateException(
                                        "the category table is empty: sync the CategoryCatalog first");
                            if (!alone) {
                                writeDistrict(c, sites.size() + 1, district);
                                unitSetVersionTriggers(c, false);
                            }
                            DemoData.Bases bases = DemoData.Bases.NONE;
                            int[] totals = new int[8];
                            // the next subdistrict is generated while this one is written
                            // (at most two in memory)
                            ExecutorService ahead = Executors.newSingleThreadExecutor();
                            try {
                                Future<DemoData> next =
                                        ahead.submit(() -> generate(sites.get(0), p, sites.size()));
                                for (DemoSubdistrict.Site site : sites) {
                                    DemoData local = await(next);
                                    int k = site.index();
                                    if (k < sites.size())
                                        next =
                                                ahead.submit(
                                                        () ->
                                                                generate(
                                                                        sites.get(k),
                                                                        p,
                                                                        sites.size()));
                                    DemoData d = alone ? local : local.shifted(bases, district);
                                    int[] n =
                                            writeSubdistrict(
                                                    c,
                                                    site,
                                                    alone,
                                                    d,
                                                    cats,
                                                    paramsOf(site, p, sites.size()),
                                                    served,
                                                    password);
                                    for (int i = 0; i < n.length; i++) totals[i] += n[i];
                                    bases = bases.after(d);
                                }
                            } finally {
                                ahead.shutdownNow();
                            }
                            if (!alone) unitSetVersionTriggers(c, true);
                            try (Statement st = c.createStatement()) {
                                for (String table :
                                        List.of(
                                                "grid_plan",
                                                "grid",
                                                "staff",
                                                "incident",
                                                "incident_event")) {
                                    st.execute(
                                            "SELECT setval(pg_get_serial_sequence('"
                                                    + table
                                                    + "', 'id'), GREATEST(max(id), 1)) FROM "
                                                    + table);
                                }
                                boolean plates = totals[7] > 0;
                                for (String table :
                                        List.of(
                                                "jurisdiction",
                                                "community",
                                                "base_unit",
                                                "road_vertex",
                                                "road_edge",
                                                "door_plate",
                                                "grid",
                                                "grid_unit",
                                                "staff",
                                                "incident",
                                                "incident_event")) {
                                    if (!table.equals("door_plate") || plates)
                                        st.execute("ANALYZE " + table);
                                }
                                if (hasTable(c, "place")) {
                                    st.execute("ANALYZE place");
                                    st.execute("ANALYZE facility");
                                }
                            }
                            return new DemoSummary(
                                    totals[0], totals[1], totals[2], totals[3], totals[4],
                                    totals[5], totals[6]);
                        });
        // the campaign goes through the task package's own stores, each with its transaction
        // (tasks and campaigns came with V26: skipped on an older schema, as places are)
        if (hasTable(ds, "campaign") && hasTable(ds, "place")) {
            long t = System.nanoTime();
            DemoCampaign.Made m = DemoCampaign.create(ds, p);
            log.info(
                    "demo campaign {} made in {} ms: {} tasks, {} done",
                    m.id(),
                    ms(t),
                    m.tasks(),
                    m.done());
        }
        return summary;
    }

    /**
     * One subdistrict's rows: its boundary, communities, units, roads, plan and grids, staff, door
     * plates, places and facilities, and its share of the incidents.
     *
     * @return communities, units, households, grids, road edges, staff, incidents, door plates
     */
    private static int[] writeSubdistrict(
            Connection c,
            DemoSubdistrict.Site site,
            boolean alone,
            DemoData d,
            List<DemoCategory> cats,
            DemoParams p,
            Polygon served,
            String password)
            throws SQLException {
        long t = System.nanoTime();
        long sid = site.index();
        writeAreas(c, d, site, alone);
        if (!alone) {
            // the grids are unions of units found by id, the facilities' units by place: with
            // the statistics of an empty table each later subdistrict would scan every unit
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE base_unit");
                st.execute("ANALYZE community");
            }
        }
        writeRoads(c, d);
        writeGrids(c, d, site, alone);
        writeStaff(c, d, site, password);
        writeGridWorkers(c, d);
        // a schema of an earlier release (UpgradeTest loads the demo on it) has no gazetteer yet:
        // addAddresses fills it once the database is upgraded
        int plates = hasGazetteer(c) ? writeAddresses(c, d, p.seed(), site) : 0;
        // places and facilities came later still (V25): skipped on an older schema
        int[] places = hasTable(c, "place") ? writePlaces(c, d, p.seed(), site) : null;
        log.info(
                "demo subdistrict {}: areas, roads, grids, staff, {} door plates, {} places and {}"
                        + " facilities written in {} ms",
                site.code(),
                plates,
                places == null ? 0 : places[0],
                places == null ? 0 : places[1],
                ms(t));
        t = System.nanoTime();
        int n =
                writeIncidents(
                        c,
                        d,
                        cats,
                        p,
                        new DemoIncidents.Share(
                                maxId(c, "incident"), maxId(c, "incident_event"), served),
                        maxId(c, "case_exception"),
                        sid);
        log.info("demo incidents of {} written in {} ms: {}", site.code(), ms(t), n);
        return new int[] {
            d.communities().size(),
            d.units().size(),
            d.totalHouseholds(),
            d.grids().size(),
            d.roadEdges().size(),
            d.staff().size(),
            n,
            plates
        };
    }

    /**
     * Off and on again around a district's units and roads. Their statement triggers (V8) bump one
     * row per statement: within one transaction each bump walks every earlier version of that row,
     * so tens of thousands of batched inserts grew quadratically. One bump at the end.
     */
    private static void unitSetVersionTriggers(Connection c, boolean on) throws SQLException {
        String verb = on ? "ENABLE" : "DISABLE";
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE base_unit " + verb + " TRIGGER base_unit_version");
            st.execute("ALTER TABLE road_edge " + verb + " TRIGGER road_edge_version");
            if (on) st.execute("UPDATE unit_set_version SET version = version + 1");
        }
    }

    /** A subdistrict's parameters: its seed, its share of the district's incidents. */
    private static DemoParams paramsOf(DemoSubdistrict.Site site, DemoParams p, int n) {
        int share = p.incidents() / n + (site.index() <= p.incidents() % n ? 1 : 0);
        return new DemoParams(
                site.seed(), share, p.householdsPerGrid(), p.units(), p.communities(), p.anchor());
    }

    private static DemoData generate(DemoSubdistrict.Site site, DemoParams p, int n) {
        long t0 = System.nanoTime();
        DemoData d = DemoSubdistrict.generate(paramsOf(site, p, n), site);
        log.info(
                "demo subdistrict {} generated in {} ms: {} communities, {} units, {} grids",
                site.code(),
                ms(t0),
                d.communities().size(),
                d.units().size(),
                d.grids().size());
        return d;
    }

    private static DemoData await(Future<DemoData> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the demo was generated", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static long maxId(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(max(id), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The district of several subdistricts: their area and a service margin around it. */
    private static void writeDistrict(Connection c, long id, Polygon district) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO jurisdiction (id, kind, code, name, geom) VALUES (?,"
                                + " 'DISTRICT', ?, ?, ST_Multi("
                                + TO_4326
                                + "))")) {
            ps.setLong(1, id);
            ps.setString(2, DemoSubdistrict.DISTRICT_CODE);
            ps.setString(3, DemoSubdistrict.DISTRICT_NAME);
            ps.setBytes(4, wkb(district));
            ps.executeUpdate();
        }
    }

    private static boolean hasTable(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return hasTable(c, table);
        }
    }

    static List<DemoCategory> readCategories(Connection c) throws SQLException {
        List<DemoCategory> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT code, platform, name_zh, weight, deadline_hours, authority FROM category WHERE active ORDER BY code")) {
            while (rs.next()) {
                out.add(
                        new DemoCategory(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getDouble(4),
                                rs.getInt(5),
                                rs.getString(6)));
            }
        }
        return out;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static byte[] wkb(Geometry g) {
        return new WKBWriter(2).write(g);
    }

    /**
     * The subdistrict (jurisdiction id = its index), with the district (id 2) when it is {@code
     * alone} (a district of several writes its own first), its communities and units.
     */
    private static void writeAreas(
            Connection c, DemoData d, DemoSubdistrict.Site site, boolean alone)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO jurisdiction (id, kind, code, name, geom) VALUES (?, ?, ?, ?, ST_Multi("
                                + TO_4326
                                + "))")) {
            ps.setLong(1, site.index());
            ps.setString(2, "SUBDISTRICT");
            ps.setString(3, site.code());
            ps.setString(4, site.name());
            ps.setBytes(5, wkb(d.subdistrict()));
            ps.addBatch();
            if (!alone) {
                ps.executeBatch();
                ps.clearBatch();
            } else {
                ps.setLong(1, 2);
                ps.setString(2, "DISTRICT");
                ps.setString(3, DemoSubdistrict.DISTRICT_CODE);
                ps.setString(4, DemoSubdistrict.DISTRICT_NAME);
                ps.setBytes(5, wkb(d.district()));
                ps.addBatch();
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO community (id, code, name, kind, geom) VALUES (?, ?, ?, ?, ST_Multi("
                                + TO_4326
                                + "))")) {
            for (Community cm : d.communities()) {
                ps.setLong(1, cm.id());
                ps.setString(2, cm.code());
                ps.setString(3, cm.name());
                ps.setString(4, cm.kind().name());
                ps.setBytes(5, wkb(cm.geom()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO base_unit (id, community_id, code, land_use, households, population, geom) VALUES (?, ?, ?, ?, ?, ?, "
                                + TO_4326
                                + ")")) {
            int n = 0;
            for (Unit u : d.units()) {
                ps.setLong(1, u.id());
                ps.setLong(2, u.communityId());
                ps.setString(3, u.code());
                ps.setString(4, u.landUse());
                ps.setInt(5, u.households());
                ps.setInt(6, u.population());
                ps.setBytes(7, wkb(u.geom()));
                ps.addBatch();
                if (++n % 2000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The demo's door plates into a demo database loaded before the gazetteer existed (the bench
     * database is built once and kept); nothing when it has plates already.
     *
     * @param p the parameters the area was generated with (the incident count does not matter)
     * @return the plates written
     */
    public static int addAddresses(DataSource ds, DemoParams p) throws SQLException {
        DemoData d = DemoSubdistrict.generate(p);
        return Jdbc.inTransaction(
                ds,
                c -> {
                    try (Statement st = c.createStatement();
                            ResultSet rs =
                                    st.executeQuery("SELECT EXISTS (SELECT 1 FROM door_plate)")) {
                        rs.next();
                        if (rs.getBoolean(1)) return 0;
                    }
                    int n = writeAddresses(c, d, p.seed(), DemoSubdistrict.Site.alone(p.seed()));
                    try (Statement st = c.createStatement()) {
                        st.execute("ANALYZE door_plate");
                    }
                    return n;
                });
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static final String PLANAR_POINT =
            "ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), " + DemoSubdistrict.SRID + "), 4326)";

    /**
     * The shipped departments, then the demo's places and facilities (DemoPlaces); a facility's
     * unit is the one it stands in, if any.
     *
     * @return how many places and facilities were written
     */
    private static int[] writePlaces(Connection c, DemoData d, long seed, DemoSubdistrict.Site site)
            throws SQLException {
        if (site.index() == 1) PlaceStore.syncDepartments(c, Departments.fromClasspath());
        String codes = site.index() == 1 ? "" : "S" + site.index() + "-";
        List<DemoPlaces.NewPlace> places = DemoPlaces.places(d, seed, codes);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO place (code, kind, name, owner_name, owner_phone, unit_id,"
                                + " geom) VALUES (?, ?, ?, ?, ?, ?, "
                                + PLANAR_POINT
                                + ")")) {
            for (DemoPlaces.NewPlace p : places) {
                ps.setString(1, p.code());
                ps.setString(2, p.kind());
                ps.setString(3, p.name());
                ps.setString(4, p.ownerName());
                ps.setString(5, p.ownerPhone());
                ps.setLong(6, p.unitId());
                ps.setDouble(7, p.x());
                ps.setDouble(8, p.y());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<DemoPlaces.NewFacility> facilities = DemoPlaces.facilities(d, seed, codes);
        long facilitiesBefore = maxId(c, "facility");
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO facility (code, kind, department, geom) VALUES (?, ?, ?, "
                                + PLANAR_POINT
                                + ")")) {
            int n = 0;
            for (DemoPlaces.NewFacility f : facilities) {
                ps.setString(1, f.code());
                ps.setString(2, f.kind());
                ps.setString(3, f.department());
                ps.setDouble(4, f.x());
                ps.setDouble(5, f.y());
                ps.addBatch();
                if (++n % 5000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.execute(
                    """
                    UPDATE facility f SET unit_id = u.id FROM base_unit u
                    WHERE f.id > %d AND f.unit_id IS NULL AND u.geom && f.geom
                      AND ST_Intersects(u.geom, f.geom)"""
                            .formatted(facilitiesBefore));
        }
        return new int[] {places.size(), facilities.size()};
    }

    private static boolean hasGazetteer(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('door_plate') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The units' door plates (DemoAddresses) into the gazetteer. */
    private static int writeAddresses(
            Connection c, DemoData d, long seed, DemoSubdistrict.Site site) throws SQLException {
        AddressNormaliser n =
                new AddressNormaliser(
                        List.of(DemoSubdistrict.DISTRICT_NAME, site.name()),
                        AddressNormaliser.defaultTypos());
        // a later subdistrict's roads carry its name's first characters: plates stay unique
        String roads = site.index() == 1 ? "" : site.name().replace("街道", "");
        return GazetteerStore.insert(
                c, "DEMO", DemoSubdistrict.SRID, DemoAddresses.of(d, seed, roads), n);
    }

    private static void writeRoads(Connection c, DemoData d) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO road_vertex (id, geom) VALUES (?, " + TO_4326 + ")")) {
            int n = 0;
            for (RoadVertex v : d.roadVertices()) {
                ps.setLong(1, v.id());
                ps.setBytes(2, wkb(DemoSubdistrict.GF.createPoint(v.coordinate())));
                ps.addBatch();
                if (++n % 5000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO road_edge (id, source, target, road_class, length_m, cost, reverse_cost, geom) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                + TO_4326
                                + ")")) {
            int n = 0;
            for (RoadEdge e : d.roadEdges()) {
                ps.setLong(1, e.id());
                ps.setLong(2, e.source());
                ps.setLong(3, e.target());
                ps.setString(4, e.roadClass());
                ps.setDouble(5, e.lengthM());
                ps.setDouble(6, e.cost());
                ps.setDouble(7, e.cost());
                ps.setBytes(8, wkb(e.geom()));
                ps.addBatch();
                if (++n % 5000 == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The subdistrict's plan in effect (id = the subdistrict's index; its subdistrict_id set where
     * the schema has one) and its grids.
     */
    private static void writeGrids(
            Connection c, DemoData d, DemoSubdistrict.Site site, boolean alone)
            throws SQLException {
        long plan = site.index();
        boolean perSubdistrict = hasColumn(c, "grid_plan", "subdistrict_id");
        try (PreparedStatement ps =
                c.prepareStatement(
                        perSubdistrict
                                ? """
                                INSERT INTO grid_plan (id, name, status, effective_from, version,
                                                       subdistrict_id)
                                VALUES (?, ?, 'ACTIVE', '2024-01-01T00:00+08:00', 1, ?)"""
                                : """
                                INSERT INTO grid_plan (id, name, status, effective_from, version)
                                VALUES (?, ?, 'ACTIVE', '2024-01-01T00:00+08:00', 1)""")) {
            ps.setLong(1, plan);
            ps.setString(2, (alone ? "" : site.name()) + "2024年网格划分");
            if (perSubdistrict) ps.setLong(3, site.index());
            ps.executeUpdate();
        }
        // grid.geom is exactly the union of its units, computed by PostGIS from the stored units
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO grid (id, plan_id, community_id, code, name, kind, geom)
                SELECT ?, ?, ?, ?, ?, ?, ST_Multi(ST_Union(geom)) FROM base_unit WHERE id = ANY (?)""")) {
            for (Grid g : d.grids()) {
                ps.setLong(1, g.id());
                ps.setLong(2, plan);
                ps.setLong(3, g.communityId());
                ps.setString(4, g.code());
                ps.setString(5, g.name());
                ps.setString(6, g.kind());
                ps.setArray(
                        7,
                        c.createArrayOf(
                                "bigint", java.util.Arrays.stream(g.unitIds()).boxed().toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO grid_unit (plan_id, unit_id, grid_id) VALUES (?, ?, ?)")) {
            long[] gou = d.gridOfUnit();
            for (int i = 0; i < gou.length; i++) {
                ps.setLong(1, plan);
                ps.setLong(2, d.units().get(i).id());
                ps.setLong(3, gou[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The subdistrict's staff, with its subdistrict where the schema has the column (the district's
     * accounts, scope DISTRICT, have none); a later subdistrict's usernames carry its prefix.
     */
    private static void writeStaff(
            Connection c, DemoData d, DemoSubdistrict.Site site, String password)
            throws SQLException {
        // One BCrypt hash for every demo account: hashing per account would cost seconds.
        String hash = Passwords.hash(password);
        List<String> usernames =
                DemoAccounts.usernames(d, site.index() == 1 ? "" : "s" + site.index() + ".");
        boolean perSubdistrict = hasColumn(c, "staff", "subdistrict_id");
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                INSERT INTO staff (id, name, role, employment, scope_type, grid_id, community_id, platform, phone, on_duty,
                                   username, password_hash%s)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?%s)"""
                                .formatted(
                                        perSubdistrict ? ", subdistrict_id" : "",
                                        perSubdistrict ? ", ?" : ""))) {
            int k = 0;
            for (Staff s : d.staff()) {
                // a schema before V31 (UpgradeTest loads the demo into the last release) has no
                // district roles: the district's accounts come with the upgrade, not the demo
                if (!perSubdistrict && s.scopeType().equals("DISTRICT")) {
                    k++;
                    continue;
                }
                if (perSubdistrict) {
                    if (s.scopeType().equals("DISTRICT")) ps.setNull(13, Types.BIGINT);
                    else ps.setLong(13, site.index());
                }
                ps.setString(11, usernames.get(k++));
                ps.setString(12, hash);
                ps.setLong(1, s.id());
                ps.setString(2, s.name());
                ps.setString(3, s.role());
                ps.setString(4, s.employment());
                ps.setString(5, s.scopeType());
                setLong(ps, 6, s.gridId());
                setLong(ps, 7, s.communityId());
                ps.setString(8, s.platform());
                ps.setString(9, s.phone());
                ps.setBoolean(10, s.onDuty());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The plan names each grid's worker and backup worker (after staff: they reference it). A
     * schema before V13 has no backup_worker_id (UpgradeTest loads the demo into the last release).
     */
    private static void writeGridWorkers(Connection c, DemoData d) throws SQLException {
        long[] backup = DemoGrids.backupWorkers(d.grids());
        boolean hasBackup;
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                                        + " current_schema() AND table_name = 'grid' AND"
                                        + " column_name = 'backup_worker_id'");
                ResultSet rs = ps.executeQuery()) {
            hasBackup = rs.next();
        }
        String sql =
                hasBackup
                        ? "UPDATE grid SET worker_id = ?, backup_worker_id = ? WHERE id = ?"
                        : "UPDATE grid SET worker_id = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < backup.length; i++) {
                Grid g = d.grids().get(i);
                int k = 1;
                ps.setLong(k++, g.workerId());
                if (hasBackup) ps.setLong(k++, backup[i]);
                ps.setLong(k, g.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean hasColumn(Connection c, String table, String column)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                                + " current_schema() AND table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    /**
     * COPY into a temporary staging table (planar x/y, epoch seconds), then one INSERT … SELECT
     * into incident (PostGIS reprojects) and one into incident_event.
     */
    private static int writeIncidents(
            Connection c,
            DemoData d,
            List<DemoCategory> cats,
            DemoParams p,
            DemoIncidents.Share share,
            long exceptionIdsBefore,
            long plan)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(
                    """
                    CREATE TEMP TABLE demo_incident_stage (
                        id bigint, version int, status text, category text, channel text, description text,
                        x float8, y float8, reported_at bigint, received_at bigint, reporter_name text, reporter_phone text,
                        jurisdiction text, grid_id bigint, community_id bigint, platform text, assignee_id bigint,
                        due_at bigint, updated_at bigint, rep_event_id bigint, rep_actor_id bigint, rep_actor_role text,
                        imp_event_id bigint, imp_at bigint) ON COMMIT DROP""");
        }
        long t = System.nanoTime();
        CopyIn copy =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY demo_incident_stage FROM STDIN");
        int[] count = {0};
        DemoHistories histories = new DemoHistories(d, p, exceptionIdsBefore);
        List<DemoHistories.History> written = new ArrayList<>();
        List<Long> historyIds = new ArrayList<>();
        try {
            StringBuilder sb = new StringBuilder(1 << 21);
            DemoIncidents.generate(
                    d,
                    cats,
                    p,
                    share,
                    i -> {
                        // a sampled case's full history replaces its IMPORTED event
                        DemoHistories.History h = histories.next(i);
                        if (h != null) {
                            written.add(h);
                            historyIds.add(i.id());
                        }
                        sb.append(i.id())
                                .append('\t')
                                .append(h == null ? i.version() : 1 + h.events().size())
                                .append('\t')
                                .append(i.status())
                                .append('\t')
                                .append(i.category())
                                .append('\t')
                                .append(i.channel())
                                .append('\t')
                                .append(i.description())
                                .append('\t')
                                .append(i.x())
                                .append('\t')
                                .append(i.y())
                                .append('\t')
                                .append(i.reportedAt())
                                .append('\t')
                                .append(i.receivedAt())
                                .append('\t');
                        nullable(sb, i.reporterName()).append('\t');
                        nullable(sb, i.reporterPhone()).append('\t');
                        sb.append(i.jurisdiction()).append('\t');
                        nullable(sb, i.gridId()).append('\t');
                        nullable(sb, i.communityId()).append('\t');
                        sb.append(i.platform()).append('\t');
                        nullable(sb, i.assigneeId()).append('\t');
                        sb.append(i.dueAt())
                                .append('\t')
                                .append(i.updatedAt())
                                .append('\t')
                                .append(i.reportedEventId())
                                .append('\t');
                        nullable(sb, i.reportedActorId()).append('\t');
                        nullable(sb, i.reportedActorRole()).append('\t');
                        if (h != null) sb.append("\\N\t").append(i.importedAt());
                        else if (i.importedEventId() > 0)
                            sb.append(i.importedEventId()).append('\t').append(i.importedAt());
                        else sb.append("\\N\t\\N");
                        sb.append('\n');
                        count[0]++;
                        if (sb.length() > (1 << 20)) flush(copy, sb);
                    });
            flush(copy, sb);
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        log.info("demo incidents generated and staged in {} ms", ms(t));
        t = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.executeUpdate(
                    """
                    INSERT INTO incident (id, version, status, category, channel, description, location, reported_at, received_at,
                                          reporter_name, reporter_phone, jurisdiction, plan_id, grid_id, community_id, platform,
                                          assignee_id, due_at, updated_at, closed_at)
                    SELECT id, version, status, category, channel, description,
                           ST_Transform(ST_SetSRID(ST_MakePoint(x, y), %d), 4326),
                           to_timestamp(reported_at), to_timestamp(received_at), reporter_name, reporter_phone, jurisdiction,
                           %d, grid_id, community_id, platform, assignee_id, to_timestamp(due_at), to_timestamp(updated_at),
                           CASE WHEN status = 'CLOSED' THEN to_timestamp(imp_at) END   -- closed when its imported history says
                    FROM demo_incident_stage ORDER BY id"""
                            .formatted(DemoSubdistrict.SRID, plan));
            log.info("demo incident rows inserted in {} ms", ms(t));
            t = System.nanoTime();
            st.executeUpdate(
                    """
                    INSERT INTO incident_event (id, incident_id, at, actor_id, actor_role, type, from_status, to_status, note)
                    SELECT e.* FROM (
                        SELECT rep_event_id, id, to_timestamp(received_at), rep_actor_id, rep_actor_role,
                               'REPORTED', NULL, 'REPORTED', NULL
                        FROM demo_incident_stage
                        UNION ALL
                        SELECT imp_event_id, id, to_timestamp(imp_at), NULL::bigint, 'SYSTEM', 'IMPORTED', 'REPORTED', status, '历史数据导入'
                        FROM demo_incident_stage WHERE imp_event_id IS NOT NULL
                    ) e (id, incident_id, at, actor_id, actor_role, type, from_status, to_status, note) ORDER BY e.id""");
            long th = System.nanoTime();
            int events = writeHistories(c, written, historyIds);
            log.info(
                    "demo incident events inserted in {} ms ({} full case histories, {} events, in"
                            + " {} ms)",
                    ms(t),
                    written.size(),
                    events,
                    ms(th));
            st.execute("DROP TABLE demo_incident_stage");
        }
        return count[0];
    }

    /**
     * The sampled cases' histories (DemoHistories) after the bulk events, with ids above them, and
     * the extension and return requests they decided; the cases the scheduler sent a 督办单 are
     * supervised.
     *
     * @return the events written
     */
    private static int writeHistories(
            Connection c, List<DemoHistories.History> histories, List<Long> ids)
            throws SQLException {
        if (histories.isEmpty()) return 0;
        try (Statement st = c.createStatement()) {
            st.execute(
                    """
                    CREATE TEMP TABLE demo_history_stage (
                        ord bigint, incident_id bigint, at bigint, actor_id bigint, actor_role text, type text,
                        from_status text, to_status text, note text, data text) ON COMMIT DROP""");
        }
        StringBuilder sb = new StringBuilder(1 << 20);
        int ord = 0;
        List<Long> supervised = new ArrayList<>();
        for (int k = 0; k < histories.size(); k++) {
            long id = ids.get(k);
            for (DemoHistories.Event e : histories.get(k).events()) {
                sb.append(++ord).append('\t').append(id).append('\t').append(e.at()).append('\t');
                nullable(sb, e.actorId()).append('\t');
                sb.append(e.actorRole()).append('\t').append(e.type()).append('\t');
                sb.append(e.from()).append('\t').append(e.to()).append('\t');
                nullable(sb, e.note()).append('\t');
                nullable(sb, e.data()).append('\n');
                if (e.type().equals("SUPERVISION_NOTICE")) supervised.add(id);
            }
        }
        CopyIn copy =
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY demo_history_stage FROM STDIN");
        try {
            flush(copy, sb);
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        """
                        INSERT INTO case_exception (id, incident_id, kind, reason, extra_hours, requested_by,
                                                    requested_at, status, decided_by, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, to_timestamp(?), 'APPROVED', ?, to_timestamp(?))""")) {
            for (DemoHistories.History h : histories)
                for (DemoHistories.Exception x : h.exceptions()) {
                    ps.setLong(1, x.id());
                    ps.setLong(2, x.incidentId());
                    ps.setString(3, x.kind());
                    ps.setString(4, x.reason());
                    if (x.extraHours() == null) ps.setNull(5, Types.INTEGER);
                    else ps.setInt(5, x.extraHours());
                    ps.setLong(6, x.requestedBy());
                    ps.setLong(7, x.requestedAt());
                    ps.setLong(8, x.decidedBy());
                    ps.setLong(9, x.decidedAt());
                    ps.addBatch();
                }
            ps.executeBatch();
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate(
                    """
                    INSERT INTO incident_event (id, incident_id, at, actor_id, actor_role, type, from_status, to_status, note, data)
                    SELECT m.top + h.ord, h.incident_id, to_timestamp(h.at), h.actor_id, h.actor_role, h.type,
                           h.from_status, h.to_status, h.note, h.data::jsonb
                    FROM demo_history_stage h, (SELECT max(id) AS top FROM incident_event) m ORDER BY h.ord""");
            st.execute("DROP TABLE demo_history_stage"); // the next subdistrict stages its own
            st.execute(
                    "SELECT setval(pg_get_serial_sequence('case_exception', 'id'),"
                            + " GREATEST(max(id), 1)) FROM case_exception");
        }
        if (!supervised.isEmpty())
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "UPDATE incident SET supervised = true WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", supervised.toArray()));
                ps.executeUpdate();
            }
        return ord;
    }

    private static StringBuilder nullable(StringBuilder sb, Object v) {
        return v == null ? sb.append("\\N") : sb.append(v);
    }

    private static void flush(CopyIn copy, StringBuilder sb) throws SQLException {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(b, 0, b.length);
        sb.setLength(0);
    }
}
