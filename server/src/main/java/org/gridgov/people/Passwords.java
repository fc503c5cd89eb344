package org.gridgov.people;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Slow, salted password hashes (BCrypt, cost 10: about 50–100 ms a check on these machines). */
public final class Passwords {

    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10);
    // Checked against when the username is unknown, so a wrong name takes as long as a wrong
    // password.
    private static final String DUMMY = BCRYPT.encode("no such user");

    // BCrypt checks run (tests: an unknown name costs one too, a throttled attempt none).
    private static final java.util.concurrent.atomic.AtomicLong CHECKS =
            new java.util.concurrent.atomic.AtomicLong();

    private Passwords() {}

    static long checks() {
        return CHECKS.get();
    }

    public static String hash(String password) {
        return BCRYPT.encode(password);
    }

    public static boolean matches(String password, String hash) {
        CHECKS.incrementAndGet();
        if (hash == null) {
            BCRYPT.matches(password, DUMMY);
            return false;
        }
        return BCRYPT.matches(password, hash);
    }
}
