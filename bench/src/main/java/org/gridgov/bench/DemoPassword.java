package org.gridgov.bench;

/** The bench database's demo accounts' password: scripts/bench exports it from .gridgov/secrets. */
final class DemoPassword {

    private DemoPassword() {}

    static String get() {
        String p = System.getenv("GRIDGOV_DEMO_PASSWORD");
        if (p == null || p.isBlank())
            throw new IllegalStateException(
                    "GRIDGOV_DEMO_PASSWORD is not set: run the benchmarks through scripts/bench");
        return p;
    }
}
