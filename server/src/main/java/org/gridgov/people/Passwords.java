package org.gridgov.people;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Slow, salted password hashes (BCrypt, cost 10: about 50–100 ms a check on these machines). */
public final class Passwords {

    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10);
    // Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
    private static final String DUMMY = BCRYPT.encode("no such user");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCRYPT.encode(password);
    }

    public static boolean matches(String password, String hash) {
        if (hash == null) {
            BCRYPT.matches(password, DUMMY);
            return false;
        }
        return BCRYPT.matches(password, hash);
    }
}
