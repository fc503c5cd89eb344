package org.gridgov.api;

/**
 * An RFC 9457 problem: what went wrong, in words a client developer can act on. {@code type} is a
 * stable identifier (documented in docs/errors.md); {@code field} is a JSON Pointer into the
 * request body, or the name of the query parameter or header, that was wrong.
 */
public record Problem(int status, String type, String title, String detail, String field) {

    public static final String TYPE_BASE = "https://gridgov.org/problems/";

    public static Problem of(int status, String slug, String title, String detail, String field) {
        return new Problem(status, TYPE_BASE + slug, title, detail, field);
    }

    public static Problem invalidField(String field, String detail) {
        return of(422, "invalid-field", "A field of the request is invalid", detail, field);
    }

    /** 415: the body's Content-Type is not one the route reads; the detail says which it takes. */
    public static Problem unsupportedMediaType(String detail) {
        return of(415, "unsupported-media-type", "Unsupported media type", detail, "Content-Type");
    }

    public static Problem malformed(String detail) {
        return of(400, "malformed-json", "The request body is not valid JSON", detail, null);
    }

    public static Problem invalidParameter(String parameter, String detail) {
        return of(400, "invalid-parameter", "A query parameter is invalid", detail, parameter);
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "Not found", detail, null);
    }
}
