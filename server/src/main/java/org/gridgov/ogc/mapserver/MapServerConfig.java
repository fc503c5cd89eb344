package org.gridgov.ogc.mapserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gridgov.api.XmlText;
import org.gridgov.db.DbSettings;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;

/**
 * MapServer's configuration, generated from the layer catalog at every start: the mapfiles (two
 * kinds of map: {@code public} with only the layers anonymous clients may see, and one per set of
 * restricted layers a caller may see, {@code full} holding all), MapServer's config file, the
 * lighttpd front's config and the pgpass file MapServer's read-only role logs in with (its password
 * is never in a mapfile).
 */
public final class MapServerConfig {

    public static final String MAPSERV = "/usr/lib/cgi-bin/mapserv";
    private static final String CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    /** Tables with private columns: MapServer's role may read only the published ones (Grants). */
    static final Map<String, List<String>> PUBLISHED_COLUMNS =
            Map.of(
                    "incident",
                    List.of(
                            "id",
                            "category",
                            "platform",
                            "channel",
                            "status",
                            "reported_at",
                            "grid_id",
                            "community_id",
                            "location",
                            // not published: the per-subdistrict filter reads it (%subdistrict%)
                            "subdistrict_id"),
                    // a place's owner is personal data (docs/places.md)
                    "place",
                    List.of("id", "code", "kind", "name", "unit_id", "geom", "active"));

    private MapServerConfig() {}

    /**
     * Writes everything MapServer and lighttpd read into dir: the feature-info templates, one
     * mapfile per subset of restricted layers, MapServer's config file (the only maps it may open),
     * lighttpd's config (workers max-procs) and the pgpass file.
     */
    static void write(
            Path dir,
            int workers,
            LayerCatalog catalog,
            DbSettings db,
            double[] extent,
            int planarSrid)
            throws IOException {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates);
        Files.writeString(
                templates.resolve("header.html"),
                """
                <!-- MapServer Template -->
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>gridgov feature info</title></head><body>
                """);
        Files.writeString(
                templates.resolve("footer.html"), "<!-- MapServer Template -->\n</body></html>\n");
        for (Layer l : catalog.vectorLayers()) {
            StringBuilder t =
                    new StringBuilder(
                                    "<!-- MapServer Template -->\n<table class=\"gridgov-info\" data-layer=\"")
                            .append(l.name())
                            .append("\">\n<caption>")
                            .append(XmlText.escape(l.title()))
                            .append("</caption>\n")
                            .append(
                                    "<tr><th>id</th><td>[item name=\"id\" escape=\"html\"]</td></tr>\n");
            for (String a : l.attributes().keySet()) {
                t.append("<tr><th>")
                        .append(a)
                        .append("</th><td>[item name=\"")
                        .append(a)
                        .append("\" escape=\"html\"]</td></tr>\n");
            }
            Files.writeString(templates.resolve(l.name() + ".html"), t.append("</table>\n"));
        }
        String font = null;
        if (Files.exists(Path.of(CJK_FONT))) {
            Files.writeString(dir.resolve("fonts.txt"), "cjk " + CJK_FONT + "\n");
            font = dir.resolve("fonts.txt").toString();
        }
        writePgpass(dir, db);
        Mapfile.Source src =
                new Mapfile.Source(libpq(db), extent, font, templates.toString(), planarSrid);
        // One map per subset of restricted layers a caller may see, so that capabilities list only
        // those (a handful: 2^restricted layers; MapServer reads a mapfile per request anyway).
        List<Layer> restricted = catalog.restricted();
        if (restricted.size() > 8)
            throw new IllegalStateException(
                    "at most 8 restricted OGC layers (one mapfile per subset)");
        StringBuilder maps = new StringBuilder();
        for (int mask = 0; mask < 1 << restricted.size(); mask++) {
            final int m = mask;
            String name = catalog.mapName(mask);
            Files.writeString(
                    dir.resolve(name + ".map"),
                    Mapfile.generate(
                            catalog,
                            l -> catalog.isPublic(l) || (m & (1 << restricted.indexOf(l))) != 0,
                            src),
                    StandardCharsets.UTF_8);
            maps.append("    \"")
                    .append(name)
                    .append("\" \"")
                    .append(dir)
                    .append('/')
                    .append(name)
                    .append(".map\"\n");
        }
        Files.writeString(
                dir.resolve("mapserver.conf"),
                """
                CONFIG
                  ENV
                    MS_MAP_PATTERN "^%1$s/"
                    MS_MAP_NO_PATH "1"
                    MS_ERRORFILE "%1$s/mapserver.log"
                  END
                  MAPS
                %2$s  END
                END
                """
                        .formatted(dir, maps));
        Files.writeString(
                dir.resolve("lighttpd.conf"),
                """
                server.modules = ("mod_fastcgi", "mod_setenv")
                server.document-root = "%1$s"
                server.bind = "%1$s/lighttpd.sock"
                server.socket-perms = "0600"
                # libfcgi gives mapserv each request's environment in place of its own: libpq finds its password file there
                setenv.add-environment = ("PGPASSFILE" => "%1$s/pgpass")
                server.errorlog = "%1$s/lighttpd.log"
                server.max-connections = 256
                server.max-keep-alive-requests = 100000
                server.max-keep-alive-idle = 5
                server.max-read-idle = 120
                server.max-write-idle = 120
                fastcgi.server = ( "/mapserv" => ((
                    "bin-path" => "%2$s",
                    "socket" => "%1$s/mapserv.sock",
                    "max-procs" => %3$d,
                    "check-local" => "disable",
                    "bin-environment" => ("MAPSERVER_CONFIG_FILE" => "%1$s/mapserver.conf", "PGPASSFILE" => "%1$s/pgpass"),
                )))
                """
                        .formatted(dir, MAPSERV, workers));
    }

    /** The folder only gridgov's OS user may enter: sockets, pgpass file, mapfiles. */
    static void privateDir(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    /** MapServer's password, for libpq (PGPASSFILE), in a 0600 file: never in a mapfile. */
    private static void writePgpass(Path dir, DbSettings db) throws IOException {
        Path f = dir.resolve("pgpass");
        Files.deleteIfExists(f);
        Files.createFile(
                f,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        if (db.password() == null) return;
        String[] p = parseUrl(db.url());
        Files.writeString(
                f,
                String.join(
                                ":",
                                pgpass(p[0]),
                                pgpass(p[1]),
                                pgpass(p[2]),
                                pgpass(db.user() == null ? "*" : db.user()),
                                pgpass(db.password()))
                        + "\n",
                StandardCharsets.UTF_8);
    }

    private static String pgpass(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** host, port, database of a jdbc:postgresql URL. */
    private static String[] parseUrl(String url) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)")
                        .matcher(url);
        if (!m.find())
            throw new IllegalStateException("cannot derive a MapServer connection from " + url);
        return new String[] {m.group(1), m.group(2) == null ? "5432" : m.group(2), m.group(3)};
    }

    /** libpq connection string for MapServer's account; its password is in the pgpass file. */
    static String libpq(DbSettings db) {
        String[] p = parseUrl(db.url());
        String s = "host=" + p[0] + " port=" + p[1] + " dbname=" + p[2];
        if (db.user() != null) s += " user=" + db.user();
        if (s.contains("\"") || s.contains("'"))
            throw new IllegalStateException(
                    "quotes in database settings are not supported for MapServer");
        return s
                + " connect_timeout=5 application_name=mapserver options='-c statement_timeout=25000'";
    }

    /**
     * What MapServer's role may read (Grants): the tables each published layer names in
     * layers.yaml, all columns except of tables with private ones; the heatmap's source reads
     * incident.
     */
    public static Map<String, List<String>> tablesRead(LayerCatalog catalog) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Layer l : catalog.all()) {
            for (String t : l.isRaster() ? List.of("incident") : l.tables())
                out.put(t, PUBLISHED_COLUMNS.get(t));
        }
        return out;
    }
}
