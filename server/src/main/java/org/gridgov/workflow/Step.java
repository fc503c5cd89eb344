package org.gridgov.workflow;

/** A supervised step of the case flow, each with its own deadline (docs/workflow.md). */
public enum Step {
    ACCEPT,
    DISPATCH,
    HANDLE,
    VERIFY,
    CLOSE,
    NO_OWNER
}
