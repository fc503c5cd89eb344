package org.gridgov.task;

/** What a task asks of the worker. A RECHECK follows the fix of what a failed check found. */
public enum TaskKind {
    VISIT,
    INSPECTION,
    SURVEY,
    RECHECK
}
