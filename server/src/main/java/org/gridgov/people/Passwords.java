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

    /**
     * A one-time password: 16 letters and digits from a secure random source (about 95 bits),
     * without look-alikes (l, o, I, O, 0, 1); admin create-user and the staff API hand it out.
     */
    public static String oneTime() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
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
