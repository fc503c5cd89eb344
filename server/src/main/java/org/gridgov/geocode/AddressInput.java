package org.gridgov.geocode;

import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * An address as a caller sends it (a query, intake's 'address', Open311's address_string): the
 * refusals every door shares, each naming the field.
 */
public final class AddressInput {

    /** Longer than any real address with a room number and the whole province in front. */
    public static final int MAX_LENGTH = 200;

    private AddressInput() {}

    /**
     * The text if it may be looked up: not blank, not too long, no control characters.
     *
     * @param field the query parameter or JSON Pointer named in a refusal
     * @param status 400 for a query parameter, 422 for a field of a body
     */
    public static String check(String raw, String field, int status) {
        if (raw == null || raw.isBlank())
            throw invalid(status, field, "the address is empty; give a road and number");
        if (raw.length() > MAX_LENGTH)
            throw invalid(
                    status,
                    field,
                    "the address is " + raw.length() + " characters; at most " + MAX_LENGTH);
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd))
            throw invalid(status, field, "the address holds control characters or invalid bytes");
        return raw.strip();
    }

    /** The address named another city or district: 422 naming the place. */
    public static ProblemException elsewhere(AddressNormaliser.Elsewhere e, String field) {
        return new ProblemException(
                Problem.of(
                        422,
                        "address-elsewhere",
                        "The address is in another city or district",
                        "'"
                                + e.place()
                                + "' is not this service area's; reports are taken for addresses"
                                + " in it (leave out the province and city, or name ours)",
                        field));
    }

    /** Nothing that names a place is left of it (only punctuation, or only our own prefix). */
    public static ProblemException nothingLeft(String field, int status) {
        return invalid(status, field, "the address names no road, number or compound");
    }

    private static ProblemException invalid(int status, String field, String detail) {
        return new ProblemException(
                status == 400
                        ? Problem.invalidParameter(field, detail)
                        : Problem.invalidField(field, detail));
    }
}
