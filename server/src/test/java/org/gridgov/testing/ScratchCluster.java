package org.gridgov.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private void db(String command) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(
                                TestDatabase.projectRoot().resolve("scripts/db").toString(),
                                command)
                        .inheritIO();
        pb.environment()
                .putAll(
                        Map.of(
                                "GRIDGOV_STATE",
                                state.toString(),
                                "GRIDGOV_PG_PORT",
                                String.valueOf(port)));
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
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
