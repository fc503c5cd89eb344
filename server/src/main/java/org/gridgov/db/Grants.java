package org.gridgov.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the server's and MapServer's roles may do, granted by the schema owner after every
 * migration, so tables a later migration adds are covered (docs/deployment.md).
 *
 * <ul>
 *   <li>the server's role ({@code app}): SELECT, INSERT, UPDATE, DELETE on the owner's tables, but
 *       only SELECT and INSERT on {@code incident_event}, {@code admin_log} and {@code
 *       reporter_read, reference_version} (the append-only audit trails) and only SELECT on
 *       Flyway's history; no TRUNCATE, REFERENCES, TRIGGER, and no DDL (it owns nothing);
 *   <li>MapServer's role ({@code map}): SELECT on what the published layers read, and on a table
 *       with private columns (the incident's reporter, description) only the listed columns.
 * </ul>
 *
 * A partition (docs/partitions.md) is granted nothing: it is read and written through its
 * partitioned table, whose grants are checked for every partition it reaches.
 *
 * <p>With one account for everything (an external database, GRIDGOV_DB_OWNER_USER unset), there is
 * nothing to grant and nothing is done.
 *
 * @param app the server's role
 * @param map MapServer's role
 * @param mapReads table → the columns MapServer may read (null: all of them)
 */
public record Grants(String app, String map, Map<String, List<String>> mapReads) {

    /** The audit trails: the server appends and reads, never changes or removes. */
    public static final java.util.Set<String> APPEND_ONLY =
            java.util.Set.of(
                    "incident_event",
                    "admin_log",
                    "reporter_read",
                    "reference_version",
                    "place_owner_read");

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    /** Applies the grants as the current user, who must own the schema's tables. */
    public void apply(Connection c) throws SQLException {
        String owner;
        List<String> tables = new ArrayList<>(), sequences = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                owner = rs.getString(1);
            }
            try (ResultSet rs =
                    st.executeQuery(
                            """
                    SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                      AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition
                    ORDER BY c.relname""")) {
                while (rs.next())
                    (rs.getString(2).equals("S") ? sequences : tables).add(rs.getString(1));
            }
        }
        boolean separateApp = app != null && !app.equals(owner);
        boolean separateMap = map != null && !map.equals(owner) && !map.equals(app);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (separateApp) {
                String a = ident(app);
                for (String t : tables) {
                    st.execute("REVOKE ALL ON " + ident(t) + " FROM " + a);
                    String privileges =
                            APPEND_ONLY.contains(t)
                                    ? "SELECT, INSERT"
                                    : t.equals("flyway_schema_history")
                                            ? "SELECT"
                                            : "SELECT, INSERT, UPDATE, DELETE";
                    st.execute("GRANT " + privileges + " ON " + ident(t) + " TO " + a);
                }
                for (String s : sequences)
                    st.execute("GRANT USAGE, SELECT ON SEQUENCE " + ident(s) + " TO " + a);
                // the owner's SECURITY DEFINER functions: the few schema changes the server may
                // cause, such as next month's partitions (db/Partitions); migrations revoke
                // them from PUBLIC
                for (String f : definerFunctions(st))
                    st.execute("GRANT EXECUTE ON FUNCTION " + f + " TO " + a);
            }
            if (separateMap) {
                String m = ident(map);
                for (String t : tables) st.execute("REVOKE ALL ON " + ident(t) + " FROM " + m);
                for (var e : mapReads.entrySet()) {
                    if (!tables.contains(e.getKey()))
                        throw new IllegalStateException(
                                "a published layer reads '"
                                        + e.getKey()
                                        + "', which is not a table of the schema");
                    String columns =
                            e.getValue() == null
                                    ? ""
                                    : " ("
                                            + String.join(
                                                    ", ",
                                                    e.getValue().stream()
                                                            .map(Grants::ident)
                                                            .toList())
                                            + ")";
                    st.execute("GRANT SELECT" + columns + " ON " + ident(e.getKey()) + " TO " + m);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The owner's SECURITY DEFINER functions in public, as name(argument types). */
    private static List<String> definerFunctions(Statement st) throws SQLException {
        List<String> fs = new ArrayList<>();
        try (ResultSet rs =
                st.executeQuery(
                        """
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.prosecdef
                  AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                ORDER BY 1""")) {
            while (rs.next()) fs.add(rs.getString(1));
        }
        return fs;
    }

    /**
     * Role and table names are plain lower-case identifiers (settings are checked, not quoted
     * blindly).
     */
    static String ident(String name) {
        if (!NAME.matcher(name).matches())
            throw new IllegalStateException("not a plain lower-case SQL name: '" + name + "'");
        return "\"" + name + "\"";
    }
}
