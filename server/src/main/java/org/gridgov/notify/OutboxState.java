package org.gridgov.notify;

/** Where an outbox row is: waiting (or leased), accepted by its receiver, given up, withdrawn. */
public enum OutboxState {
    PENDING,
    SENT,
    /** Out of attempts, or refused for good by its receiver: for an administrator to look at. */
    DEAD,
    /** Withdrawn before it was sent: the reporter opted out, the webhook was deleted. */
    CANCELLED
}
