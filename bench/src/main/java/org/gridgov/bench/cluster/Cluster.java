package org.gridgov.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of {@code scripts/cluster} (etcd, two PostgreSQL nodes under Patroni, HAProxy, N
 * gridgov instances), driven through that script so the failover test and bench exercise exactly
 * what an operator runs. Every command's output is logged to a file in the state folder.
 */
public final class Cluster implements AutoCloseable {

    /** HAProxy's HTTP port and the first instance's, as in scripts/cluster. */
    private static final int HAPROXY_PORT = 18400, INSTANCE_PORT = 18410;

    private final Path script;
    private final Path state;
    private final Map<String, String> env;
    private final Path log;
    private boolean started;

    /**
     * @param home the project's root (scripts/cluster, server/target/gridgov.jar)
     * @param state the state folder (GRIDGOV_STATE): the cluster lives in its {@code cluster/}
     * @param env settings for the instances (GRIDGOV_ANONYMOUS_WRITES_PER_MINUTE…)
     */
    public Cluster(Path home, Path state, Map<String, String> env) throws IOException {
        this.script = home.resolve("scripts/cluster");
        this.state = state.toAbsolutePath();
        Files.createDirectories(this.state);
        this.env = new LinkedHashMap<>(env);
        this.env.put("GRIDGOV_STATE", this.state.toString());
        this.log = this.state.resolve("cluster-commands.log");
    }

    /** Starts the cluster with {@code instances} gridgov instances; stops a failed start. */
    public Cluster start(int instances) throws Exception {
        run(600, "stop"); // leftovers of an earlier run killed before its teardown
        started = true;
        run(900, "start", "--instances", String.valueOf(instances));
        return this;
    }

    /** HAProxy's HTTP frontend. */
    public String base() {
        return "http://127.0.0.1:" + (HAPROXY_PORT + 1);
    }

    /** Instance k (1..N) directly, past HAProxy. */
    public String instanceBase(int k) {
        return "http://127.0.0.1:" + (INSTANCE_PORT + k);
    }

    /** The database through HAProxy (always the primary), as its owner role. */
    public Connection ownerConnection() throws SQLException, IOException {
        String pw =
                Files.readString(state.resolve("secrets/db-owner-password"), StandardCharsets.UTF_8)
                        .trim();
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + HAPROXY_PORT + "/gridgov?connectTimeout=5",
                "gridgov_owner",
                pw);
    }

    /** scripts/cluster status as key → value. */
    public Map<String, String> status() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : run(60, "status").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("["))
                out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** kill -9 of the primary's postmaster; returns the node killed (node0, node1). */
    public String killPrimary() throws Exception {
        return keyOf(run(60, "kill-primary"), "killed");
    }

    /** kill -9 of instance k. */
    public void killInstance(int k) throws Exception {
        run(60, "kill-instance", String.valueOf(k));
    }

    /** The pid the script recorded for instance k (to show it was not restarted). */
    public long instancePid(int k) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("cluster/pids/gridgov" + k)).trim());
    }

    private static String keyOf(String output, String key) {
        for (String line : output.split("\n"))
            if (line.startsWith(key + "=")) return line.substring(key.length() + 1);
        throw new IllegalStateException("no " + key + "= in: " + output);
    }

    /** Runs scripts/cluster; its output (both streams) is appended to the log and returned. */
    private String run(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(state, "cluster-", ".out");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "scripts/cluster " + String.join(" ", args) + " hung; see " + log);
            }
            String text = Files.readString(out);
            Files.writeString(
                    log,
                    "$ scripts/cluster " + String.join(" ", args) + "\n" + text,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            if (p.exitValue() != 0)
                throw new IllegalStateException(
                        "scripts/cluster " + String.join(" ", args) + " failed:\n" + tail(text));
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join(
                "\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    /** Stops everything the cluster started, also after a failed start. */
    @Override
    public void close() throws IOException {
        if (!started) return;
        try {
            run(600, "stop");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("scripts/cluster stop failed", e);
        }
    }
}
