package org.gridgov.incident;

/**
 * How a report given by address was placed, kept with its case (incident_address): the text given,
 * and either the door plate matched with its score, or the operator who placed it from the queue.
 */
public record AddressPlacement(
        String given, Long doorPlateId, String label, Double score, Long placedBy) {}
