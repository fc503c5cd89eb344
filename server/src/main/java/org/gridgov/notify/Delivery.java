package org.gridgov.notify;

/**
 * What became of one attempt. Only {@link Accepted} marks a row sent: the receiver has it. A
 * channel that cannot tell (a timeout, a reset connection) answers {@link Retry}; sending again is
 * safe because the receiver drops a message id it has seen (docs/notifications.md).
 */
public sealed interface Delivery {

    record Accepted() implements Delivery {}

    /** Worth another attempt later (backoff). */
    record Retry(String reason) implements Delivery {}

    /** Will never succeed as it is (refused by the receiver, no address): dead at once. */
    record Failed(String reason) implements Delivery {}

    Delivery ACCEPTED = new Accepted();
}
