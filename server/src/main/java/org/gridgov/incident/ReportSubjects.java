package org.gridgov.incident;

import java.sql.SQLException;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.Category;

/**
 * The place (场所) or facility (部件) a report names (docs/places.md), looked up by the places
 * capability, which {@code incident} does not depend on (it implements this interface and the app
 * wires it in, as workflow does {@link FirstStep}).
 */
public interface ReportSubjects {

    /**
     * What a report names, resolved: nulls where it names no place or no facility. The facility's
     * owning department gives the platform and, when set, the handler of the categories routed by
     * facility.
     */
    record Named(
            Long placeId,
            String placeName,
            String placeKind,
            Long facilityId,
            String facilityCode,
            String facilityKind,
            String department,
            String departmentPlatform,
            Long departmentHandlerId) {

        public static final Named NOTHING =
                new Named(null, null, null, null, null, null, null, null, null);

        /** A place known by id only (a task's target): named, with nothing to route by. */
        public static Named place(long placeId) {
            return new Named(placeId, null, null, null, null, null, null, null, null);
        }

        public boolean any() {
            return placeId != null || facilityId != null;
        }

        /**
         * The routing of a report of {@code category}: the facility's department's platform, and
         * its handler when it names one, where the category is routed by facility; else as it was.
         * A case passed to the district keeps the district's routing.
         */
        public Routing route(Routing r, Category category) {
            if (facilityId == null || !category.routeByFacility() || r.transferred()) return r;
            return new Routing(
                    r.planId(),
                    r.gridId(),
                    r.gridCode(),
                    r.communityId(),
                    departmentPlatform,
                    departmentHandlerId != null ? departmentHandlerId : r.assigneeId(),
                    r.dueAt(),
                    r.jurisdiction(),
                    r.transferReason());
        }
    }

    /**
     * Looks the named place and facility up; 422 problem+json with the field's pointer when one
     * does not exist, or when the place lies too far from the report's point.
     *
     * @param placeId null when the report names no place
     * @param facilityCode null when the report names no facility
     */
    Named resolve(Long placeId, String facilityCode, double lon, double lat) throws SQLException;

    /** A server without places: a report naming one is refused. */
    ReportSubjects NONE =
            (placeId, facilityCode, lon, lat) -> {
                if (placeId == null && facilityCode == null) return Named.NOTHING;
                throw new ProblemException(
                        Problem.invalidField(
                                placeId != null ? "/placeId" : "/facilityCode",
                                "this server keeps no places or facilities"));
            };
}
