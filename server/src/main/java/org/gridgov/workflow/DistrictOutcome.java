package org.gridgov.workflow;

/** The district's answer to an escalated case (district-reply's "outcome"). */
public enum DistrictOutcome {
    /** The district dealt with it: RESOLVED, to be verified. */
    HANDLED,
    /** Back to the subdistrict: ACCEPTED, to be dispatched. */
    RETURNED
}
