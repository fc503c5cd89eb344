package org.gridgov.media;

import java.time.OffsetDateTime;

/**
 * A checked photo, ready to store: the original as sent (staff only; its EXIF kept), what the
 * camera said of when and where it was taken, its public rendition (re-encoded: no metadata, turned
 * upright, at most {@link PhotoCheck#PUBLIC_MAX_SIDE} px) and its thumbnail, each with its SHA-256.
 */
public record Photo(
        String fileName,
        ImageType type,
        byte[] original,
        String sha256,
        int width,
        int height,
        OffsetDateTime takenAt,
        Double lon,
        Double lat,
        ImageType publicType,
        byte[] publicBytes,
        String publicSha256,
        byte[] thumbnail,
        String thumbSha256) {}
