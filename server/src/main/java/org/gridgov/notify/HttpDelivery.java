package org.gridgov.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST to a receiver, the way every HTTP channel sends (SMS gateway, webhooks, the
 * hotline), and what its answer means (docs/notifications.md): 2xx accepted (a receiver that has
 * seen the id answers 2xx again); 408, 425, 429 and 5xx, a timeout or a broken connection: try
 * again later; any other answer: refused for good.
 */
final class HttpDelivery {

    /** The header every receiver de-duplicates by; X-Gridgov-Message-Id says the same. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    static final String MESSAGE_ID = "X-Gridgov-Message-Id";

    private final HttpClient client;
    private final Duration timeout;

    HttpDelivery(Duration timeout) {
        this.timeout = timeout;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    Delivery post(URI url, Message m, String body, Map<String, String> headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header(IDEMPOTENCY_KEY, m.messageId().toString())
                        .header(MESSAGE_ID, m.messageId().toString())
                        .header("User-Agent", "gridgov-outbox")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new Delivery.Retry("no answer from " + url.getHost() + " within " + timeout);
        } catch (IOException e) {
            return new Delivery.Retry(url.getHost() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Retry("interrupted (the server is stopping)");
        }
        return classify(r.statusCode(), r.body());
    }

    static Delivery classify(int status, String body) {
        if (status >= 200 && status < 300) return Delivery.ACCEPTED;
        String why = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body);
        if (status == 408 || status == 425 || status == 429 || status >= 500)
            return new Delivery.Retry(why);
        return new Delivery.Failed(why);
    }
}
