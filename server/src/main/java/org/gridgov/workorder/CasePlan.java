package org.gridgov.workorder;

import org.gridgov.incident.AddressPlacement;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.Routing;

/** The case an order becomes, decided in memory before it is written. */
record CasePlan(IncidentReport report, Routing routing, FirstStep first, AddressPlacement placed) {

    CasePlan(IncidentReport report, Routing routing, FirstStep first) {
        this(report, routing, first, null);
    }

    /** The same case, placed by its address's match (kept with it as incident_address). */
    CasePlan placed(AddressPlacement how) {
        return new CasePlan(report, routing, first, how);
    }

    /** Decides the case of a located order; throws a ProblemException (out of area, no plan). */
    interface Planner {
        CasePlan plan(WorkOrder order, double lon, double lat);
    }
}
