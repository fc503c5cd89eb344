package org.gridgov.incident;

import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * Which incidents a reader may see: first the isolation rule (docs/access.md) — a reader inside one
 * subdistrict ({@code subdistrictId} set) sees only that subdistrict's cases, a district-wide
 * reader ({@code subdistrictId} null) every case, the district's own included — and within that,
 * all, or those of one grid, community or platform, plus those assigned to them. Decided from the
 * caller's scope by {@link IncidentRoutes}; every endpoint about one case (its record, events,
 * actions, responders) refuses a case outside it with {@link #notYourCase}.
 */
public record Visibility(
        boolean all,
        Long gridId,
        Long communityId,
        String platform,
        Long assigneeId,
        boolean reporters,
        Long subdistrictId) {

    /** Without the subdistrict restriction (a district-wide reader, or a system query). */
    public Visibility(
            boolean all,
            Long gridId,
            Long communityId,
            String platform,
            Long assigneeId,
            boolean reporters) {
        this(all, gridId, communityId, platform, assigneeId, reporters, null);
    }

    /** Whether the isolation rule lets the reader see a case of subdistrict {@code sid}. */
    public boolean coversSubdistrict(Long sid) {
        return subdistrictId == null || subdistrictId.equals(sid);
    }

    /**
     * The subdistrict whose cases sent to the district this reader keeps reading once they are the
     * district's (docs/access.md): a reader of a whole subdistrict — its command centre, liaison —
     * reads what that subdistrict escalated; null for everyone else (a district-wide reader sees
     * every case anyway).
     */
    public Long readsSentFrom() {
        return all && subdistrictId != null ? subdistrictId : null;
    }

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
