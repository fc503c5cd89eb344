package org.gridgov.place;

/**
 * A department that owns facilities (部件): its platform takes the cases of the categories routed by
 * facility, and its handler, when it names one, is assigned them (docs/places.md).
 */
public record Department(
        String code, String nameZh, String nameEn, String platform, Long handlerId) {}
