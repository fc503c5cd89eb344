package org.gridgov.incident;

import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Which incidents a reader may see: all, or those of one grid, community or platform, plus those
 * assigned to them. Decided from the caller's scope by {@link IncidentRoutes}; every endpoint about
 * one case (its record, events, actions, responders) refuses a case outside it with {@link
 * #notYourCase}.
 */
public record Visibility(
        boolean all,
        Long gridId,
        Long communityId,
        String platform,
        Long assigneeId,
        boolean reporters) {

    /** 403 not-your-case: the case exists but lies outside the caller's scope. */
    public static ProblemException notYourCase(long incidentId) {
        return new ProblemException(
                Problem.of(
                        403,
                        "not-your-case",
                        "Not your case",
                        "incident " + incidentId + " lies outside your scope",
                        null));
    }
}
