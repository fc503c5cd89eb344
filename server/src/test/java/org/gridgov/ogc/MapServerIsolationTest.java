package org.gridgov.ogc;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.gridgov.ogc.mapserver.MapServerProcesses;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MapServer behind gridgov is reachable only through the gateway (finding 11): lighttpd listens on
 * no TCP port, only on a 0600 Unix socket in a 0700 folder, and MapServer's database password is in
 * a 0600 pgpass file, not in the mapfiles. Before, lighttpd answered /mapserv?map=full on a
 * loopback port to anyone on the host, and the mapfiles carried the superuser's password.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class MapServerIsolationTest {

    @Test
    void lighttpdListensOnAPrivateSocketOnly() throws Exception {
        MapServerProcesses ms = TestServer.get().ogc().mapServer();
        ProcessHandle lighttpd = ms.process().orElseThrow();
        Path dir = ms.directory().orElseThrow();
        assertEquals("rwx------", perms(dir));
        Path socket = ms.httpSocket().orElseThrow();
        assertTrue(Files.exists(socket));
        assertEquals("rw-------", perms(socket));
        String conf = Files.readString(dir.resolve("lighttpd.conf"));
        assertFalse(conf.contains("server.port"), conf);
        // The kernel's view: none of lighttpd's sockets is a listening TCP socket.
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) continue;
            for (String line :
                    Files.readAllLines(Path.of(table))
                            .subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A")) listening.add(f[9]); // st = LISTEN; inode
            }
        }
        Set<String> own = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + lighttpd.pid() + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:["))
                        own.add(target.substring(8, target.length() - 1));
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        assertFalse(own.isEmpty(), "lighttpd has sockets (its Unix socket)");
        own.retainAll(listening);
        assertTrue(own.isEmpty(), "lighttpd listens on TCP: inodes " + own);
        // And through the socket it does answer, as the gateway's transport.
        assertEquals(200, TestServer.get("/ows?SERVICE=WMS&REQUEST=GetCapabilities").status());
    }

    @Test
    void mapServersPasswordIsInAPrivatePgpassFileNotInTheMapfiles() throws Exception {
        Path dir = TestServer.get().ogc().mapServer().directory().orElseThrow();
        String password = TestDatabase.accounts().map().password();
        assertEquals("rw-------", perms(dir.resolve("pgpass")));
        assertTrue(Files.readString(dir.resolve("pgpass")).strip().endsWith(":" + password));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(
                                    p ->
                                            p.toString().endsWith(".map")
                                                    || p.toString().endsWith(".conf"))
                            .toList()) {
                String text = Files.readString(f);
                assertFalse(
                        text.contains("password="), f + " has a password in a connection string");
                assertFalse(text.contains(password), f + " holds the password");
            }
        }
    }

    private static String perms(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
