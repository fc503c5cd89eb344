package org.gridgov.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a project script (scripts/admin, scripts/db) on the private test cluster. */
public final class AdminScript {

    /** Its exit code and what it printed (stdout and stderr). */
    public record Run(int code, String out) {}

    private AdminScript() {}

    /** scripts/NAME with the arguments, with the environment given added to the tests'. */
    public static Run run(String script, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestDatabase.projectRoot().resolve("scripts/" + script).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("GRIDGOV_DB_URL");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("scripts/" + script + " " + cmd + " did not end: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}
