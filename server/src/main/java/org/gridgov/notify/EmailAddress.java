package org.gridgov.notify;

import java.util.regex.Pattern;

/**
 * What intake accepts as a reporter's e-mail address: one local part, one domain with a dot, no
 * spaces or angle brackets (nothing that could add a header). Not RFC 5322 in full: a plain address
 * a person types, which the SMTP server then checks for real.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;

    private static final Pattern PLAIN =
            Pattern.compile(
                    "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}"
                            + "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");

    private EmailAddress() {}

    public static boolean valid(String s) {
        return s != null && s.length() <= MAX_LENGTH && PLAIN.matcher(s).matches();
    }
}
