package org.gridgov.workorder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.gridgov.category.Category;

/**
 * One hotline work order as validated: the hotline's number, source and category code (mapped to
 * {@code category}), what the caller said, the hotline's deadlines, the caller, and where — an
 * address, a point, or both. An order without a point waits to be placed (docs/workorders.md).
 */
public record WorkOrder(
        String sourceSystem,
        String externalNo,
        String externalCategory,
        Category category,
        String text,
        OffsetDateTime reportedAt,
        OffsetDateTime signDueAt,
        OffsetDateTime completeDueAt,
        String callerName,
        String callerPhone,
        String address,
        Double lon,
        Double lat) {

    /** A source system's name: the number is unique within it. */
    static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public boolean located() {
        return lon != null && lat != null;
    }

    /**
     * The fingerprint of what the hotline sent, field by field as parsed (times as instants): a
     * resend of the same number with the same content — as JSON or as a CSV row — is a replay.
     */
    public String hash() {
        StringBuilder b = new StringBuilder();
        for (Object v :
                new Object[] {
                    sourceSystem,
                    externalNo,
                    externalCategory,
                    text,
                    reportedAt.toInstant(),
                    signDueAt.toInstant(),
                    completeDueAt.toInstant(),
                    callerName,
                    callerPhone,
                    address,
                    lon,
                    lat
                }) {
            String s = v == null ? "\u0001" : v.toString();
            b.append(s.length()).append(':').append(s).append('\u0000');
        }
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
