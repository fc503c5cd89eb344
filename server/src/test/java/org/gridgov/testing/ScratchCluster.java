package org.gridgov.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gridgov.db.DbSettings;

/**
 * A PostgreSQL cluster of its own, in a temporary folder, for tests that crash the database.
 * Created and driven by scripts/db with GRIDGOV_STATE and GRIDGOV_PG_PORT pointing elsewhere.
 */
public final class ScratchCluster implements AutoCloseable {

    private final Path state;
    private final int port;

    private ScratchCluster(Path state, int port) {
        this.state = state;
        this.port = port;
    }

    public static ScratchCluster start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ScratchCluster c =
                new ScratchCluster(
                        Files.createTempDirectory("gridgov-scratch").resolve("state"), port);
        c.db("start");
        return c;
    }

    /** The owner's account of the cluster's gridgov database (password from its secrets folder). */
    public DbSettings settings() {
        try {
            String password = Files.readString(state.resolve("secrets/db-owner-password")).strip();
            return new DbSettings(
                    "jdbc:postgresql://127.0.0.1:" + port + "/gridgov",
                    "gridgov_owner",
                    password,
                    16);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the scratch cluster has no owner password in " + state + "/secrets", e);
        }
    }

    /** Stops PostgreSQL at once, without a checkpoint, as a power cut would. */
    public void crash() throws Exception {
        db("crash");
    }

    /** Stops PostgreSQL the orderly way (pg_ctl -m fast): sessions are ended, then a checkpoint. */
    public void stop() throws Exception {
        db("stop");
    }

    public void restart() throws Exception {
        db("start");
    }

    /** The cluster's state folder (GRIDGOV_STATE): its data directory is {@code pgdata} in it. */
    public Path state() {
        return state;
    }

    /** What a run of scripts/db answered: its exit status and all it printed (both streams). */
    public record Run(int exit, String output) {}

    /**
     * Runs {@code scripts/db} with these arguments for this cluster (e.g. {@code backup --full},
     * {@code restore --time T}); what it prints is echoed to this process's output as well.
     */
    public Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(TestDatabase.projectRoot().resolve("scripts/db").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment()
                .putAll(
                        Map.of(
                                "GRIDGOV_STATE",
                                state.toString(),
                                "GRIDGOV_PG_PORT",
                                String.valueOf(port)));
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader =
                new Thread(
                        () -> {
                            try (var lines = p.inputReader().lines()) {
                                lines.forEach(
                                        l -> {
                                            System.out.println(l);
                                            synchronized (out) {
                                                out.append(l).append('\n');
                                            }
                                        });
                            }
                        },
                        "scripts-db-output");
        reader.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "scripts/db " + String.join(" ", args) + " hung for the cluster in " + state);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (out) {
            return new Run(p.exitValue(), out.toString());
        }
    }

    private void db(String command) throws IOException, InterruptedException {
        Run r = run(command);
        if (r.exit() != 0) {
            throw new IllegalStateException(
                    "scripts/db " + command + " failed for the scratch cluster in " + state);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            db("stop");
            ProcessBuilder rm = new ProcessBuilder("rm", "-rf", state.getParent().toString());
            rm.start().waitFor(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not thrown: try-with-resources would hide it
        }
    }
}
