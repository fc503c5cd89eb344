package org.gridgov.media;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.gridgov.testing.TestServer;

/** A multipart/form-data body built as a browser sends one, and its POST. */
public final class MultipartForm {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String boundary = "----gridgov" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public MultipartForm text(String name, String value) {
        head("form-data; name=\"" + name + "\"", null);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public MultipartForm file(String name, String fileName, String type, byte[] bytes) {
        head("form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"", type);
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private void head(String disposition, String type) {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n");
        h.append("Content-Disposition: ").append(disposition).append("\r\n");
        if (type != null) h.append("Content-Type: ").append(type).append("\r\n");
        h.append("\r\n");
        out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
    }

    byte[] body() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return all.toByteArray();
    }

    TestServer.Answer post(String path, String... headers) {
        return postTo(TestServer.base(), path, headers);
    }

    /** The POST to another server than the shared test server. */
    TestServer.Answer postTo(String base, String path, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return TestServer.send(b.build());
    }

    public TestServer.Answer postAs(String user, String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + TestServer.token(user);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post(path, all);
    }

    /** GET with the answer's bytes as they are; user null: anonymous. */
    static HttpResponse<byte[]> bytes(String user, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.base() + path)).GET();
        if (user != null) b.header("Authorization", "Bearer " + TestServer.token(user));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
