package org.gridgov.media;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.gridgov.api.Multipart;
import org.gridgov.incident.ReportPhotos;

/** Photos sent with a report, for intake and Open311: checked, stored, cited on its transaction. */
public final class MediaIntake implements ReportPhotos {

    private final Photos photos;
    private final MediaQueries queries;

    public MediaIntake(Photos photos, MediaQueries queries) {
        this.photos = photos;
        this.queries = queries;
    }

    @Override
    public Multipart.Limits limits(String field) {
        return photos.limits(field);
    }

    @Override
    public Staged stage(List<Multipart.FilePart> files, Long staffId) throws Exception {
        List<Photo> checked = photos.check(files);
        photos.store(checked);
        return new Staged() {
            private List<Long> ids = List.of();

            @Override
            public boolean isEmpty() {
                return checked.isEmpty();
            }

            @Override
            public List<String> hashes() {
                return checked.stream().map(Photo::sha256).toList();
            }

            @Override
            public void insert(Connection c, long incidentId) throws SQLException {
                ids = List.copyOf(queries.insertReported(c, incidentId, checked, staffId));
            }

            @Override
            public List<Long> ids() {
                return ids;
            }
        };
    }
}
