package org.gridgov.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gridgov.testing.PostgisExtension;
import org.gridgov.testing.TestDatabase;
import org.gridgov.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over 500 malformed requests generated from openapi.yaml (every operation; seeded, so a failure
 * replays): each is answered with a 4xx in the format of its path (problem+json; OGC exception
 * reports on /ows; GeoReport errors on /open311), never a 5xx, and the database is unchanged.
 */
@Tag("db")
@ExtendWith(PostgisExtension.class)
class MalformedInputTest {

    private static final long SEED = Long.getLong("gridgov.faults.seed", 20261205L);
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void malformedRequestsAreRefusedWith4xxAndWriteNothing() throws Exception {
        var known =
                new MalformedRequests.Known(
                        TestDatabase.queryLong("SELECT min(id) FROM incident"),
                        TestDatabase.queryLong("SELECT plan_in_effect()"),
                        TestDatabase.queryLong(
                                "SELECT min(id) FROM staff WHERE role = 'GRID_WORKER'"),
                        category(),
                        120.29,
                        30.19);
        String yaml =
                Files.readString(
                        Path.of(
                                TestDatabase.projectRoot().toString(),
                                "server/src/main/resources/openapi.yaml"));
        MalformedRequests generator = new MalformedRequests(yaml, SEED, known);
        List<MalformedRequests.Probe> probes = generator.generate(500);
        for (String u : List.of("operator", "planner", "admin", "director"))
            TestServer.token(u); // logins before the fingerprint
        Map<String, String> before = DatabaseFingerprint.of(TestDatabase.get().dataSource());

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> unanswered = new ArrayList<>(),
                serverErrors = new ArrayList<>(),
                accepted = new ArrayList<>(),
                wrongFormat = new ArrayList<>();
        for (var p : probes) {
            Outcome o = send(p);
            statuses.merge(o.status, 1, Integer::sum);
            if (o.status == -1) unanswered.add(p + ": " + o.body);
            else if (o.status >= 500) serverErrors.add(o.status + " " + p + ": " + o.body);
            else if (o.status < 400) accepted.add(o.status + " " + p);
            else if (!rightFormat(p.path(), o))
                wrongFormat.add(o.status + " " + o.contentType + " " + p + ": " + o.body);
        }
        Map<String, String> after = DatabaseFingerprint.of(TestDatabase.get().dataSource());
        List<String> changed =
                before.keySet().stream()
                        .filter(t -> !before.get(t).equals(after.get(t)))
                        .map(t -> t + " " + before.get(t) + " -> " + after.get(t))
                        .toList();

        System.out.printf(
                "faults.malformed.operations=%d%nfaults.malformed.tried=%d%nfaults.malformed.statuses=%s%n"
                        + "faults.malformed.unanswered=%d%nfaults.malformed.5xx=%d%nfaults.malformed.accepted=%d%nfaults.malformed.wrong_format=%d%nfaults.malformed.tables_changed=%d%n",
                generator.operations(),
                probes.size(),
                statuses,
                unanswered.size(),
                serverErrors.size(),
                accepted.size(),
                wrongFormat.size(),
                changed.size());
        assertTrue(probes.size() >= 500, "malformed requests tried: " + probes.size());
        assertEquals(List.of(), unanswered, "malformed requests left without an answer");
        assertEquals(List.of(), serverErrors, "5xx answers to malformed requests");
        assertEquals(List.of(), accepted, "malformed requests accepted");
        assertEquals(List.of(), wrongFormat, "4xx answers not in the path's error format");
        assertEquals(List.of(), changed, "tables changed by malformed requests");
    }

    private record Outcome(int status, String contentType, String body) {}

    private static Outcome send(MalformedRequests.Probe p) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(TestServer.base() + p.path()))
                        .timeout(Duration.ofSeconds(60));
        if (p.body() != null)
            b.method(p.method(), HttpRequest.BodyPublishers.ofByteArray(p.body()));
        else b.method(p.method(), HttpRequest.BodyPublishers.noBody());
        if (p.contentType() != null) b.header("Content-Type", p.contentType());
        if (p.user() != null) b.header("Authorization", "Bearer " + TestServer.token(p.user()));
        p.headers().forEach(b::header);
        HttpResponse<InputStream> r;
        try {
            r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            return new Outcome(
                    -1,
                    "",
                    e.toString()); // no answer within a minute (a hang), or the connection cut
        }
        String body;
        try (InputStream in = r.body()) {
            // an accepted request may be a stream (the SSE feed): read only what a refusal would
            // carry
            body =
                    r.statusCode() < 400
                            ? ""
                            : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
        return new Outcome(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body);
    }

    private static boolean rightFormat(String path, Outcome o) {
        if (path.startsWith("/ows")) return o.body.contains("Exception");
        if (path.startsWith("/open311")) return o.body.contains("description");
        return o.contentType.startsWith("application/problem+json")
                && o.body.contains("\"status\":" + o.status);
    }

    private static String category() throws Exception {
        try (var c = TestDatabase.get().connection();
                var st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT code FROM category WHERE authority = 'SUBDISTRICT' ORDER BY code LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
