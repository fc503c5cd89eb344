package org.gridgov.media;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for the tests: the npm package s3rver (src/test/s3), installed by
 * {@code npm ci} on first use (offline once installed), started on a free port with one bucket.
 */
final class S3rver implements AutoCloseable {

    static final String BUCKET = "gridgov-media";

    /** s3rver's fixed test keys. */
    static final String KEY = "S3RVER";

    private static final Path TOOLS = Path.of("src/test/s3");
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private final Process process;
    private final URI endpoint;

    private S3rver(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3rver start(Path dir) throws IOException, InterruptedException {
        install();
        Process p =
                new ProcessBuilder(
                                "node",
                                "node_modules/s3rver/bin/s3rver.js",
                                "-d",
                                dir.toAbsolutePath().toString(),
                                "-a",
                                "127.0.0.1",
                                "-p",
                                "0",
                                "--configure-bucket",
                                BUCKET)
                        .directory(TOOLS.toFile())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                // keep reading its log, or s3rver blocks once the pipe is full
                Thread drain =
                        new Thread(
                                () -> {
                                    try {
                                        while (out.readLine() != null) {}
                                    } catch (IOException e) {
                                        // the server stopped
                                    }
                                },
                                "s3rver-log");
                drain.setDaemon(true);
                drain.start();
                return new S3rver(p, URI.create("http://127.0.0.1:" + m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new IOException("s3rver did not start:\n" + seen);
    }

    /** npm ci once: the lock file pins s3rver; nothing is fetched once node_modules is there. */
    private static synchronized void install() throws IOException, InterruptedException {
        if (Files.isRegularFile(TOOLS.resolve("node_modules/s3rver/bin/s3rver.js"))) return;
        Process npm =
                new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                        .directory(TOOLS.toFile())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0)
            throw new IOException("npm ci in " + TOOLS + " failed:\n" + log);
    }

    URI endpoint() {
        return endpoint;
    }

    S3Settings settings() {
        return new S3Settings(endpoint, BUCKET, "us-east-1", KEY, KEY);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
