package org.gridgov.place;

import java.sql.SQLException;
import java.util.Locale;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.incident.ReportSubjects;

/**
 * Looks up the place and facility a report names (docs/places.md): each must exist, be active and
 * lie within {@link #MAX_METRES} of the report's point — a place across the subdistrict is a wrong
 * pick, not the place the report is about.
 */
public final class PlaceSubjects implements ReportSubjects {

    /** How far a named place or facility may lie from the report's point. */
    public static final double MAX_METRES = 200;

    private final PlaceStore store;

    public PlaceSubjects(PlaceStore store) {
        this.store = store;
    }

    @Override
    public Named resolve(Long placeId, String facilityCode, double lon, double lat)
            throws SQLException {
        if (placeId == null && facilityCode == null) return Named.NOTHING;
        PlaceStore.Near place = null;
        if (placeId != null) {
            place =
                    store.placeNear(placeId, lon, lat)
                            .orElseThrow(
                                    () ->
                                            unknown(
                                                    "/placeId",
                                                    "unknown-place",
                                                    "Unknown place",
                                                    "place "
                                                            + placeId
                                                            + " does not exist or is no longer"
                                                            + " active; GET /api/v1/places lists"
                                                            + " them"));
            tooFar("/placeId", "place " + placeId + " (" + place.name() + ")", place.metres());
        }
        PlaceStore.Owned facility = null;
        if (facilityCode != null) {
            facility =
                    store.facilityOwned(facilityCode, lon, lat)
                            .orElseThrow(
                                    () ->
                                            unknown(
                                                    "/facilityCode",
                                                    "unknown-facility",
                                                    "Unknown facility",
                                                    "facility '"
                                                            + facilityCode
                                                            + "' does not exist or is no longer"
                                                            + " active; GET /api/v1/facilities"
                                                            + " lists them"));
            tooFar("/facilityCode", "facility '" + facilityCode + "'", facility.metres());
        }
        return new Named(
                place == null ? null : place.id(),
                place == null ? null : place.name(),
                place == null ? null : place.kind(),
                facility == null ? null : facility.id(),
                facility == null ? null : facility.code(),
                facility == null ? null : facility.kind(),
                facility == null ? null : facility.department(),
                facility == null ? null : facility.platform(),
                facility == null ? null : facility.handlerId());
    }

    private static void tooFar(String pointer, String what, double metres) {
        if (metres <= MAX_METRES) return;
        throw new ProblemException(
                Problem.of(
                        422,
                        "subject-too-far",
                        "The place or facility is far from the report's location",
                        String.format(
                                Locale.ROOT,
                                "%s lies %.0f m from the report's location; at most %.0f m is"
                                        + " taken (check the location or the pick)",
                                what,
                                metres,
                                MAX_METRES),
                        pointer));
    }

    private static ProblemException unknown(
            String pointer, String slug, String title, String detail) {
        return new ProblemException(Problem.of(422, slug, title, detail, pointer));
    }
}
