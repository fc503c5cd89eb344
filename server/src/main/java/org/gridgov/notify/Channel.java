package org.gridgov.notify;

/**
 * How a message leaves: the outbox's {@code channel} column (V20). HOTLINE rows are written by
 * other capabilities (the 12345 work orders) with their JSON body in the row's payload.
 */
public enum Channel {
    /** A text to the reporter's phone, through the configured HTTP gateway. */
    SMS,
    /** An e-mail to the reporter, over SMTP. */
    EMAIL,
    /** A signed POST of a case event to a subscribed system. */
    WEBHOOK,
    /** A signed POST of the row's payload to the 12345 platform's feedback endpoint. */
    HOTLINE
}
