package org.gridgov.incident;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.gridgov.notify.TicketCodes;

/**
 * The lookup code a reporter gets with their ticket number (the incident's id): the two together
 * open the public tracking page and the rating of that one case. The code is derived, not stored:
 * an HMAC-SHA256 of the ticket number under a key of the server's, cut to {@link #LENGTH}
 * characters of Crockford's base 32 (no I, L, O or U: read out on the phone without mistakes).
 * Nothing to leak from the database, and a message rendered at delivery time can carry it. The key
 * is derived from the token signing secret (a separate HMAC label, so a code is never a token's
 * signature): rotating that secret changes every code (docs/tracking.md).
 */
public final class LookupCode implements TicketCodes {

    /** 8 characters of base 32 = 40 bits; guessing is throttled per address on top. */
    public static final int LENGTH = 8;

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final String LABEL = "gridgov lookup codes v1";

    private final byte[] key;

    /**
     * @param serverSecret the token signing secret (Config.jwtSecret())
     */
    public LookupCode(String serverSecret) {
        this.key = hmac(serverSecret.getBytes(StandardCharsets.UTF_8), LABEL);
    }

    /** The code of a ticket. */
    @Override
    public String of(long ticket) {
        byte[] mac = hmac(key, Long.toString(ticket));
        StringBuilder s = new StringBuilder(LENGTH);
        long bits = 0;
        for (int i = 0; i < 5; i++) bits = (bits << 8) | (mac[i] & 0xff); // 40 bits
        for (int i = LENGTH - 1; i >= 0; i--) s.append(ALPHABET[(int) (bits >>> (5 * i)) & 31]);
        return s.toString();
    }

    /**
     * Whether code is the ticket's code, compared in constant time. Case, spaces and hyphens are
     * ignored, and the letters people confuse with digits (O, I, L) read as those digits.
     */
    @Override
    public boolean matches(long ticket, String code) {
        if (code == null) return false;
        String given = normalise(code);
        return MessageDigest.isEqual(
                of(ticket).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    static String normalise(String code) {
        return code.toUpperCase(Locale.ROOT)
                .replaceAll("[\\s-]", "")
                .replace('O', '0')
                .replace('I', '1')
                .replace('L', '1');
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
