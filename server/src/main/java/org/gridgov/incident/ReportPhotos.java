package org.gridgov.incident;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.gridgov.api.Multipart;

/**
 * Photos sent with a report (the multipart intake, Open311's {@code media}): checked and stored by
 * the media capability, behind this interface so that incident does not depend on it (as {@link
 * FirstStep} keeps it off workflow). docs/media.md.
 */
public interface ReportPhotos {

    /** The limits of a form whose photos come in the part {@code field}. */
    Multipart.Limits limits(String field);

    /**
     * Checks every file (type by its bytes, size, pixels) and only then writes them to the media
     * store, before the case's transaction: a bad file is a 4xx and nothing is written. Blocking.
     *
     * @param staffId the member of staff sending them, or null for the public
     */
    Staged stage(List<Multipart.FilePart> files, Long staffId) throws Exception;

    /** Photos whose files are stored, waiting for the case's transaction to cite them. */
    interface Staged {
        boolean isEmpty();

        /** The files' SHA-256, in the order sent (part of an idempotent request's fingerprint). */
        List<String> hashes();

        /**
         * Inserts the photos' rows, citing the new case and its REPORTED event, on the case's own
         * connection and transaction.
         */
        void insert(Connection c, long incidentId) throws SQLException;

        /** The ids of the rows {@link #insert} wrote (empty before, or for a replay). */
        List<Long> ids();
    }

    /** No photo capability: a form with photos is refused (its limit is none). */
    ReportPhotos NONE =
            new ReportPhotos() {
                @Override
                public Multipart.Limits limits(String field) {
                    return new Multipart.Limits(java.util.Set.of(field), 0, 0, 64 * 1024);
                }

                @Override
                public Staged stage(List<Multipart.FilePart> files, Long staffId) {
                    if (!files.isEmpty()) throw Multipart.tooMany("photo", 0);
                    return new Staged() {
                        @Override
                        public boolean isEmpty() {
                            return true;
                        }

                        @Override
                        public List<String> hashes() {
                            return List.of();
                        }

                        @Override
                        public void insert(Connection c, long incidentId) {}

                        @Override
                        public List<Long> ids() {
                            return List.of();
                        }
                    };
                }
            };
}
