package org.gridgov.ogc.features;

/**
 * Where a page of items starts: after skipping {@code value} features (offset, for clients that
 * build it), or just after / just before the feature with id {@code value} (the keyset cursor the
 * next and prev links carry, so a deep page costs what the first does).
 */
public record PageStart(Kind kind, long value) {

    public enum Kind {
        OFFSET,
        AFTER,
        BEFORE
    }

    public static final PageStart FIRST = new PageStart(Kind.OFFSET, 0);

    /** The query parameter that gives this start. */
    public String parameter() {
        return switch (kind) {
            case OFFSET -> "offset";
            case AFTER -> "after";
            case BEFORE -> "before";
        };
    }
}
