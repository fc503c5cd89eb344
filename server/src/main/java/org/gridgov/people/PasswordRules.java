package org.gridgov.people;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every new password must be (docs/access.md, "Passwords"): long enough, not a common one, and
 * not the username. The demo loader's shared password is the one exception: it is no account's own.
 */
public final class PasswordRules {

    public static final int MIN_LENGTH = 12;

    /** One rule a password breaks: a stable name for clients and a sentence for people. */
    public record Violation(String rule, String message) {}

    private static final Set<String> COMMON = load();

    private PasswordRules() {}

    /** The rules newPassword breaks for this username; empty when it may be used. */
    public static List<Violation> check(String username, String newPassword) {
        List<Violation> out = new ArrayList<>();
        if (newPassword.codePointCount(0, newPassword.length()) < MIN_LENGTH)
            out.add(
                    new Violation(
                            "min-length",
                            "a password needs at least " + MIN_LENGTH + " characters"));
        if (isCommon(newPassword))
            out.add(
                    new Violation(
                            "common-password",
                            "this password (or it with digits or symbols added at the end) is one"
                                    + " of the most common passwords"));
        String user = username.toLowerCase(Locale.ROOT);
        if (!user.isEmpty() && newPassword.toLowerCase(Locale.ROOT).contains(user))
            out.add(new Violation("contains-username", "a password must not contain the username"));
        return out;
    }

    /**
     * In the list, as it is or with trailing digits and punctuation taken off (a common word with a
     * year and a "!" appended is as guessable as the word).
     */
    static boolean isCommon(String password) {
        String p = password.toLowerCase(Locale.ROOT).strip();
        if (COMMON.contains(p)) return true;
        int end = p.length();
        while (end > 0 && !Character.isLetter(p.charAt(end - 1))) end--;
        return end < p.length() && end >= 4 && COMMON.contains(p.substring(0, end));
    }

    static int listSize() {
        return COMMON.size();
    }

    private static Set<String> load() {
        InputStream in = PasswordRules.class.getResourceAsStream("/people/common-passwords.txt");
        if (in == null) throw new IllegalStateException("people/common-passwords.txt is missing");
        Set<String> set = new HashSet<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#"))
                    set.add(line.strip().toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(set);
    }
}
