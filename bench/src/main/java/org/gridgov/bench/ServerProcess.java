package org.gridgov.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * gridgov in a JVM of its own ({@code java -cp … org.gridgov.app.Main serve}), so a fault can be a
 * real {@code kill -9}. It keeps its port across restarts; its output goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {

    private final String classpath;
    private final String heap;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private Process process;

    /**
     * @param heap the -Xmx of the server's JVM (512m, 2g)
     * @param env the server's settings (GRIDGOV_DB_URL…); GRIDGOV_PORT and GRIDGOV_HOST are set
     *     here
     */
    public ServerProcess(String classpath, String heap, Map<String, String> env, Path log)
            throws IOException {
        this.classpath = classpath;
        this.heap = heap;
        this.env = env;
        this.log = log;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Starts the server and waits until it answers /health (any status), at most {@code patience}.
     */
    public void start(Duration patience) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx" + heap,
                                "-cp",
                                classpath,
                                "org.gridgov.app.Main",
                                "serve"));
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("GRIDGOV_PORT", String.valueOf(port));
        pb.environment().put("GRIDGOV_HOST", "127.0.0.1");
        process = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive())
                throw new IllegalStateException(
                        "the server exited at start (" + process.exitValue() + "); see " + log);
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(
                "the server did not answer within " + patience + "; see " + log);
    }

    /** kill -9: no shutdown hook, no connection closed, no buffer flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Unix
        process.waitFor(60, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        process.destroy(); // SIGTERM: the shutdown hook closes the server
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
