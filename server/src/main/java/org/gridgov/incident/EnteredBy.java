package org.gridgov.incident;

/**
 * The member of staff who entered a report (null for the public reporting for themselves), and
 * whether they back-dated it: both go on the case's first events, so its history says who typed it
 * in and that its report time is theirs, not the server's.
 */
public record EnteredBy(long staffId, String username, String role, boolean backdated) {}
