package org.gridgov.open311;

/** An error as GeoReport v2 clients expect it ([{"code", "description"}]), not problem+json. */
final class Open311Error extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;

    Open311Error(int status, String description) {
        super(description, null, false, false);
        this.status = status;
    }
}
