package org.gridgov.roster;

/** Who is on duty for a grid at a time, and why; staffId null when nobody is. */
public record Duty(Long staffId, Reason reason) {

    /** Which step of the rule chose the person. */
    public enum Reason {
        WORKER,
        SUBSTITUTE,
        BACKUP_WORKER,
        GRID_LEADER,
        NOBODY
    }

    static final Duty NOBODY = new Duty(null, Reason.NOBODY);
}
