package org.gridgov.geocode;

/**
 * A door plate the geocoder proposes for an address, and how well it matches (0..1: 1 is every part
 * given agreeing and the texts equal).
 */
public record GeocodeMatch(DoorPlate plate, double score) {}
