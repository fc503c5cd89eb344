package org.gridgov.notify;

import java.time.Duration;

/**
 * What app/Config reads for notifications (README's configuration table). A channel whose settings
 * are null is not configured: its rows wait in the outbox, counted, until it is.
 *
 * @param worker whether this instance delivers (off: it only queues; another instance sends)
 * @param links the public address messages link to
 * @param smsSign the 【signature】 an SMS starts with
 * @param sms null: no SMS gateway
 * @param email null: no SMTP server
 * @param hotline null: no 12345 feedback endpoint
 */
public record NotifySettings(
        boolean worker,
        OutboxWorker.Settings delivery,
        Duration timeout,
        Links links,
        String smsSign,
        SmsChannel.Settings sms,
        EmailChannel.Settings email,
        HotlineChannel.Settings hotline) {

    public NotifySettings {
        if (delivery.lease().compareTo(timeout.multipliedBy(2)) < 0)
            throw new IllegalStateException(
                    "GRIDGOV_OUTBOX_LEASE_SECONDS ("
                            + delivery.lease().toSeconds()
                            + ") must be at least twice GRIDGOV_NOTIFY_TIMEOUT_SECONDS ("
                            + timeout.toSeconds()
                            + "): a message still being sent must not be taken by another worker");
    }
}
