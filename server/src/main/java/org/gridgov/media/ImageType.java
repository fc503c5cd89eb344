package org.gridgov.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The image types taken, known by their first bytes (never by the file name or the declared type).
 * HEIC (iPhones' default) is recognised only to say so: no library here decodes it (TwelveMonkeys
 * has no HEIC reader; the JDK none), so it is refused with a hint.
 */
public enum ImageType {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp");

    public final String mime;
    public final String extension;

    ImageType(String mime, String extension) {
        this.mime = mime;
        this.extension = extension;
    }

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    /** The type these bytes are, by their signature; empty for anything else. */
    public static Optional<ImageType> sniff(byte[] b) {
        if (b.length >= 3
                && (b[0] & 0xff) == 0xff
                && (b[1] & 0xff) == 0xd8
                && (b[2] & 0xff) == 0xff) return Optional.of(JPEG);
        if (b.length >= 8 && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8)) return Optional.of(PNG);
        if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return Optional.of(WEBP);
        return Optional.empty();
    }

    /** An ISO base media file whose brand is HEIF/HEIC ("ftypheic", "ftypmif1", …). */
    public static boolean isHeif(byte[] b) {
        if (b.length < 12 || !ascii(b, 4, "ftyp")) return false;
        String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif" -> true;
            default -> false;
        };
    }

    public static Optional<ImageType> ofMime(String mime) {
        for (ImageType t : values()) if (t.mime.equals(mime)) return Optional.of(t);
        return Optional.empty();
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) if (b[at + i] != s.charAt(i)) return false;
        return true;
    }
}
