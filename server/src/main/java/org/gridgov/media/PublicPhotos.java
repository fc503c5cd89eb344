package org.gridgov.media;

import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The photos the public may see, for pages and feeds that show a case to the public (the tracking
 * page, Open311's media_url): those an operator approved, of a case the public sees (reported by
 * the public in a public category). Their files are the public renditions, without metadata.
 */
public final class PublicPhotos {

    private final MediaQueries queries;

    public PublicPhotos(MediaQueries queries) {
        this.queries = queries;
    }

    /** The photo's address (its public rendition to the public; the original to staff). */
    public static String url(long mediaId) {
        return "/api/v1/media/" + mediaId;
    }

    public static String thumbnailUrl(long mediaId) {
        return url(mediaId) + "/thumbnail";
    }

    /** The approved photos' addresses, oldest first; none for a case the public does not see. */
    public List<String> approved(long incidentId) throws SQLException {
        return approved(List.of(incidentId)).getOrDefault(incidentId, List.of());
    }

    /** The same for many cases at once: case → addresses; cases without any are left out. */
    public Map<Long, List<String>> approved(Collection<Long> incidentIds) throws SQLException {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        queries.approved(incidentIds)
                .forEach(
                        (incident, ids) ->
                                out.put(incident, ids.stream().map(PublicPhotos::url).toList()));
        return out;
    }
}
