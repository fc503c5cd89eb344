package org.gridgov.app;

import java.sql.SQLException;
import org.gridgov.analytics.StudyArea;
import org.gridgov.area.Jurisdictions;

/**
 * Keeps the boundaries routing reads and the hot spots' study areas on the boundary table: on a
 * timer (another instance's import), after this instance's boundary import, and when a test adds a
 * subdistrict; nothing else reloads them. The study areas follow the boundaries' fingerprint, not
 * the refresh's answer: whoever re-read the boundaries first would otherwise leave the study areas
 * on the old ones.
 */
final class AreaRefresh {

    private final Jurisdictions areas;
    private final StudyArea studyArea;
    private String studyAreaOf;

    AreaRefresh(Jurisdictions areas, StudyArea studyArea) {
        this.areas = areas;
        this.studyArea = studyArea;
        this.studyAreaOf = areas.loadedFingerprint();
    }

    synchronized void refresh() throws SQLException {
        areas.refreshIfChanged();
        String now = areas.loadedFingerprint();
        if (!now.equals(studyAreaOf)) {
            studyArea.reload();
            studyAreaOf = now;
        }
    }
}
