package org.gridgov.track;

import java.util.List;

/**
 * Where the tracking page's photos come from: the case's photos an operator approved for the
 * public, without their location data. {@code app/Gridgov} wires it to the media capability's
 * approved photos; {@link #NONE} is for servers without photos. Called on a worker thread; may read
 * the database.
 */
@FunctionalInterface
public interface PhotoSource {

    /** One public photo: where to fetch it and its thumbnail, and when it was taken or added. */
    record Photo(String url, String thumbnailUrl, String takenAt) {}

    /** The approved photos of the case, oldest first; empty when there are none. */
    List<Photo> publicPhotos(long incidentId) throws Exception;

    /** No photos: the page's photo list stays empty. */
    PhotoSource NONE = id -> List.of();
}
