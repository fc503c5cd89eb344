package org.gridgov.notify;

/**
 * The addresses a message to a reporter carries, under the server's public address: the tracking
 * page (the web map's {@code #/track}), the rating there, and the opt-out.
 *
 * @param base the server's public address, without a trailing slash
 */
public record Links(String base) {

    public Links {
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    }

    public String track(long ticket, String code) {
        return base + "/#/track?ticket=" + ticket + "&code=" + code;
    }

    public String rate(long ticket, String code) {
        return track(ticket, code) + "&rate=1";
    }

    public String optOut(long ticket, String code) {
        return base + "/api/v1/opt-out?ticket=" + ticket + "&code=" + code;
    }
}
