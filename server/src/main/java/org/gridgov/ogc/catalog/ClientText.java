package org.gridgov.ogc.catalog;

/** A client's value quoted back in an error message: at most 80 characters of it. */
public final class ClientText {

    private ClientText() {}

    public static String shorten(String v) {
        if (v == null) return "";
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }
}
