package org.gridgov.track;

import org.gridgov.api.RateLimit;

/**
 * Throttles guessing of lookup codes: failed look-ups and ratings are counted per client address
 * and per ticket, and either running out refuses further attempts (429) until it refills. A
 * successful attempt gives its tokens back, so a reporter reloading their page is never throttled;
 * 40-bit codes under these limits are out of reach of guessing (docs/tracking.md).
 */
public final class Guesses {

    private final RateLimit byAddress;
    private final RateLimit byTicket;

    /**
     * @param byAddress failed attempts one client address may make (per its period)
     * @param byTicket failed attempts on one ticket, from anywhere (per its period)
     */
    public Guesses(RateLimit byAddress, RateLimit byTicket) {
        this.byAddress = byAddress;
        this.byTicket = byTicket;
    }

    /** A refused attempt: which limit, and the seconds until another attempt may be made. */
    record Refusal(RateLimit limit, long retryAfterSeconds) {}

    /** Takes one attempt of each budget; a refusal when either is spent (nothing is taken then). */
    Refusal take(String address, long ticket) {
        String t = Long.toString(ticket);
        if (!byAddress.tryTake(address))
            return new Refusal(byAddress, byAddress.secondsUntilNext(address));
        if (!byTicket.tryTake(t)) {
            byAddress.giveBack(address);
            return new Refusal(byTicket, byTicket.secondsUntilNext(t));
        }
        return null;
    }

    /** The attempt was no guess (the code was right): its tokens go back. */
    void giveBack(String address, long ticket) {
        byAddress.giveBack(address);
        byTicket.giveBack(Long.toString(ticket));
    }
}
