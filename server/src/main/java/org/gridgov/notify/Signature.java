package org.gridgov.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on a webhook's or the hotline's body: {@code X-Gridgov-Signature: sha256=<hex of
 * HMAC-SHA256(secret, timestamp + "." + body)>} with {@code X-Gridgov-Timestamp: <unix seconds>}.
 * The timestamp is signed too, so a receiver can refuse old replays (docs/notifications.md).
 */
public final class Signature {

    public static final String HEADER = "X-Gridgov-Signature";
    public static final String TIMESTAMP = "X-Gridgov-Timestamp";

    private Signature() {}

    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** What a receiver does, compared in constant time. */
    public static boolean verify(String secret, long timestamp, String body, String header) {
        if (header == null) return false;
        return MessageDigest.isEqual(
                sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
