package org.gridgov.grid;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gridgov.testing.LimitedServer;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Imports are uploads from the network: who may upload is settled before the body is read, the body
 * is capped on the wire and once unzipped, formats are judged by their bytes, and GDAL reads
 * nothing but the upload (issue #14, finding 7). Runs against {@link LimitedServer} (1 MiB uploads,
 * 2 MiB unzipped).
 */
@Tag("db")
class ImportSecurityTest {

    static final byte[] SHAPE_MAGIC = {0, 0, 0x27, 0x0A};
    static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10))
                    .build();

    static TestServer.Answer upload(String query, byte[] body) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                LimitedServer.base() + "/api/v1/imports" + query))
                                .header("Authorization", "Bearer " + TestServer.token("planner"))
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new TestServer.Answer(
                r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(""),
                r.body(),
                r.headers().map());
    }

    static void assertProblem(int status, String type, TestServer.Answer a) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertTrue(a.json().get("type").asText().endsWith("/" + type), a.body());
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A Shapefile's .shx and .dbf heads (enough to pass the magic-byte checks). */
    static Map<String, byte[]> sidecars(String base) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] shx = new byte[100];
        System.arraycopy(SHAPE_MAGIC, 0, shx, 0, 4);
        m.put(base + ".shx", shx);
        byte[] dbf = new byte[33];
        dbf[0] = 0x03;
        m.put(base + ".dbf", dbf);
        return m;
    }

    static Set<String> uploadFolder() throws IOException {
        try (Stream<Path> s = Files.list(LimitedServer.uploads())) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Reads an HTTP/1.1 response head from a raw socket. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            out.write(c);
            if (out.size() >= 4 && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"))
                break;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** True once the server has closed the connection (end of stream or reset). */
    static boolean closedByServer(InputStream in) throws IOException {
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // the rest of the refusal's body
            }
            return true;
        } catch (SocketException e) {
            return true; // reset: the server closed with our unread upload in its buffer
        }
    }

    @Test
    void anAnonymousUploadIsAnsweredBeforeItsBodyIsRead() throws Exception {
        for (String authorization : new String[] {"", "Authorization: Bearer not-a-token\r\n"}) {
            refusedUnread(authorization);
        }
    }

    private static void refusedUnread(String authorization) throws Exception {
        Set<String> before = uploadFolder();
        try (Socket s = new Socket("127.0.0.1", LimitedServer.port())) {
            s.setSoTimeout(30_000); // a safety net only: the answer comes without the body
            OutputStream out = s.getOutputStream();
            // announces 900 KB (under the 1 MiB limit) but sends only 64 KiB: the server must not
            // wait for the rest
            out.write(
                    ("POST /api/v1/imports?kind=plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                    + authorization
                                    + "Content-Length: 900000\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[64 * 1024]);
            out.flush();
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 401"), head);
            assertTrue(head.toLowerCase().contains("content-type: application/problem+json"), head);
            assertTrue(
                    head.toLowerCase().contains("connection: close"),
                    "the client is told not to reuse the connection: " + head);
            assertTrue(
                    closedByServer(s.getInputStream()),
                    "the refused upload's connection is closed, not drained");
        }
        Set<String> after = uploadFolder();
        after.removeAll(before);
        assertEquals(Set.of(), after, "nothing of the refused upload was written");
    }

    @Test
    void aNonPlannerAndAnOversizedDeclaredUploadAreRefusedUpFront() throws Exception {
        // Tokens first: signing one may start the shared test server, which takes longer than
        // the limited server's 1-second header timeout on an open connection.
        String operator = TestServer.token("operator"), planner = TestServer.token("planner");
        try (Socket s = new Socket("127.0.0.1", LimitedServer.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream()
                    .write(
                            ("POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                            + operator
                                            + "\r\nContent-Length: 900000\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(head(s.getInputStream()).startsWith("HTTP/1.1 403"));
        }
        try (Socket s = new Socket("127.0.0.1", LimitedServer.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream()
                    .write(
                            ("POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                            + planner
                                            + "\r\nContent-Length: "
                                            + (2 << 20)
                                            + "\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
            assertTrue(head.toLowerCase().contains("application/problem+json"), head);
        }
    }

    @Test
    void aBodyOverTheLimitSentWithoutALengthIsCutOff() throws Exception {
        String planner = TestServer.token("planner"); // before connecting, as above
        try (Socket s = new Socket("127.0.0.1", LimitedServer.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                    + planner
                                    + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            chunk[0] = '{';
            try {
                // 1.5 MiB in 64 KiB chunks, never ended: the server answers once it has counted
                // past 1 MiB
                for (int i = 0; i < 24; i++) {
                    out.write(
                            (Integer.toHexString(chunk.length) + "\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    chunk[0] = ' ';
                }
                out.flush();
            } catch (SocketException e) {
                // the server closed the connection after answering: fine, the answer is read below
            }
            String head = head(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
        }
    }

    @Test
    void aVrtDisguisedAsAShapefileIsRefusedAndTheFileItNamesIsNotRead() throws Exception {
        String marker = "SECRET-" + UUID.randomUUID();
        Path secret = Files.createTempDirectory("secret").resolve("secret.csv");
        Files.writeString(
                secret,
                "WKT,code\n\"POLYGON((120.28 30.18,120.29 30.18,120.29 30.19,120.28 30.18))\","
                        + marker
                        + "\n");
        String vrt =
                "<OGRVRTDataSource><OGRVRTLayer name=\"u\"><SrcDataSource>"
                        + secret
                        + "</SrcDataSource><SrcLayer>secret</SrcLayer>"
                        + "<GeometryType>wkbPolygon</GeometryType><GeometryField encoding=\"WKT\" field=\"WKT\"/></OGRVRTLayer></OGRVRTDataSource>";
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("u.shp", vrt.getBytes(StandardCharsets.UTF_8));
        parts.putAll(sidecars("u"));
        assertProblem(422, "invalid-archive", upload("?kind=plan", zip(parts)));
        assertEquals(
                0,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM import_feature WHERE props::text LIKE '%"
                                + marker
                                + "%'"));

        // and GDAL itself, handed such a file as a Shapefile, finds no driver that reads VRT
        Path dir = Files.createTempDirectory("vrt");
        Path in = Files.writeString(dir.resolve("in.shp"), vrt);
        Path out = dir.resolve("out.geojson");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                Ogr.convertUntrusted(
                                        List.of("-f", "GeoJSON", out.toString(), in.toString()),
                                        "ESRI Shapefile"));
        assertFalse(e.getMessage().contains(marker));
        assertFalse(
                Files.exists(out) && Files.readString(out).contains(marker),
                "the secret file was not converted");
        Ogr.deleteTree(dir);
        Ogr.deleteTree(secret.getParent());
    }

    @Test
    void aZipBombIsRefused() throws Exception {
        byte[] shp =
                new byte
                        [(LimitedServer.UNZIPPED_LIMIT_MB << 20)
                                + 1024]; // zeros: a few KiB deflated
        System.arraycopy(SHAPE_MAGIC, 0, shp, 0, 4);
        Map<String, byte[]> parts = new LinkedHashMap<>(sidecars("u"));
        parts.put("u.shp", shp);
        byte[] bomb = zip(parts);
        assertTrue(bomb.length < 64 * 1024, "the upload itself is small: " + bomb.length);
        assertProblem(413, "payload-too-large", upload("?kind=units", bomb));

        Map<String, byte[]> many = new LinkedHashMap<>(sidecars("u"));
        for (int i = 0; i < 20; i++) many.put("u" + i + ".sbn", new byte[1]);
        assertProblem(422, "invalid-archive", upload("", zip(many)));
    }

    @Test
    void filesWhoseBytesDoNotMatchWhatTheyClaimAreRefused() throws Exception {
        assertProblem(
                415,
                "unsupported-media-type",
                upload("", "<kml xmlns=\"http://www.opengis.net/kml/2.2\"/>".getBytes()));
        assertProblem(
                415,
                "unsupported-media-type",
                upload("", "SQLite format 2\0 not really".getBytes()));

        Map<String, byte[]> textShp = new LinkedHashMap<>(sidecars("u"));
        textShp.put("u.shp", "hello".getBytes());
        assertProblem(422, "invalid-archive", upload("", zip(textShp)));

        Map<String, byte[]> notShx = new LinkedHashMap<>(sidecars("u"));
        byte[] shp = new byte[100];
        System.arraycopy(SHAPE_MAGIC, 0, shp, 0, 4);
        notShx.put("u.shp", shp);
        notShx.put("u.shx", "<OGRVRTDataSource/>".getBytes());
        assertProblem(422, "invalid-archive", upload("", zip(notShx)));

        Map<String, byte[]> escape = new LinkedHashMap<>(sidecars("u"));
        escape.put("../../u.shp", shp);
        assertProblem(422, "invalid-archive", upload("", zip(escape)));

        Map<String, byte[]> absolute = new LinkedHashMap<>(sidecars("u"));
        absolute.put("/tmp/u.shp", shp);
        assertProblem(422, "invalid-archive", upload("", zip(absolute)));

        Map<String, byte[]> foreign = new LinkedHashMap<>(sidecars("u"));
        foreign.put("u.shp", shp);
        foreign.put("u.vrt", "<OGRVRTDataSource/>".getBytes());
        assertProblem(422, "invalid-archive", upload("", zip(foreign)));
    }
}
