package org.gridgov.roster;

/**
 * The people a grid names, each null when there is none: its worker, its backup worker (the AB pair
 * of the plan) and the grid leader of its community.
 */
public record GridPeople(Long workerId, Long backupWorkerId, Long leaderId) {
    public static final GridPeople NOBODY = new GridPeople(null, null, null);
}
