package org.gridgov.media;

import java.nio.file.Path;

/**
 * Where photos are kept and what one may be (docs/media.md): the media folder, the size of one
 * file, how many one request and one case may carry, and the most pixels a photo may decode to (a
 * small file can declare a huge image).
 */
public record MediaSettings(
        Path dir, long maxBytes, int maxPerRequest, int maxPerCase, long maxPixels) {

    public MediaSettings {
        if (maxBytes <= 0 || maxPerRequest <= 0 || maxPerCase <= 0 || maxPixels <= 0)
            throw new IllegalStateException(
                    "the media limits must be positive: GRIDGOV_MEDIA_MAX_MB, "
                            + "GRIDGOV_MEDIA_MAX_PER_REQUEST, GRIDGOV_MEDIA_MAX_PER_CASE, "
                            + "GRIDGOV_MEDIA_MAX_MEGAPIXELS");
        if (maxPerRequest > maxPerCase)
            throw new IllegalStateException(
                    "GRIDGOV_MEDIA_MAX_PER_REQUEST ("
                            + maxPerRequest
                            + ") may not exceed GRIDGOV_MEDIA_MAX_PER_CASE ("
                            + maxPerCase
                            + ")");
    }
}
