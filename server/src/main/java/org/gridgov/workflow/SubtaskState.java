package org.gridgov.workflow;

/** Where a coordinated case's piece of work for one platform stands. */
public enum SubtaskState {
    OPEN,
    STARTED,
    DONE
}
