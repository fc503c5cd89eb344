package org.gridgov.ogc.ows;

/**
 * An OGC service exception: a code from the WMS 1.3.0 / OWS Common 2.0 lists, the parameter it is
 * about (locator) and the HTTP status OWS Common 2.0 (table 28) gives that code.
 */
public final class OwsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final String locator;
    private final int status;
    private final transient java.util.List<OwsException> all;

    public OwsException(int status, String code, String locator, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.locator = locator;
        this.all = java.util.List.of(this);
    }

    private OwsException(java.util.List<OwsException> all) {
        super(all.get(0).getMessage());
        this.status = all.get(0).status;
        this.code = all.get(0).code;
        this.locator = all.get(0).locator;
        this.all = java.util.List.copyOf(all);
    }

    /** Several exceptions in one report (WFS), e.g. every rule a transaction breaks. */
    public static OwsException several(java.util.List<OwsException> all) {
        return all.size() == 1 ? all.get(0) : new OwsException(all);
    }

    /** The exceptions of the report: this one, or each of several. */
    public java.util.List<OwsException> all() {
        return all;
    }

    public static OwsException invalid(String locator, String message) {
        return new OwsException(400, "InvalidParameterValue", locator, message);
    }

    public static OwsException missing(String locator) {
        return new OwsException(
                400, "MissingParameterValue", locator, "the parameter " + locator + " is required");
    }

    public static OwsException unavailable(String message) {
        return new OwsException(503, "NoApplicableCode", null, message);
    }

    public String code() {
        return code;
    }

    public String locator() {
        return locator;
    }

    public int status() {
        return status;
    }
}
