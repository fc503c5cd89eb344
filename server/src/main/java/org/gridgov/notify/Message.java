package org.gridgov.notify;

import java.util.UUID;

/**
 * One claimed outbox row, as the worker hands it to a channel.
 *
 * @param messageId the stable id every receiver sees as the idempotency key
 * @param attempts attempts so far, this one included
 * @param payload the JSON body (WEBHOOK, HOTLINE), else null
 */
public record Message(
        long id,
        UUID messageId,
        Channel channel,
        String kind,
        Long incidentId,
        Long eventId,
        Long webhookId,
        String payload,
        int attempts) {}
