package org.gridgov.notify;

/**
 * A ticket's lookup code (incident.LookupCode implements it): messages carry it, and it authorises
 * the opt-out link. An interface, so notify sits below incident (docs/architecture.md).
 */
public interface TicketCodes {

    String of(long ticket);

    boolean matches(long ticket, String code);
}
