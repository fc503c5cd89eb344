package org.gridgov.open311;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One question a service asks beyond the standard fields: a GeoReport v2 service definition
 * attribute, read from gis-data/taxonomy/service_attributes.csv. {@code variable} false is a notice
 * shown to the reporter, not a question (no answer is taken).
 */
record ServiceAttribute(
        String service,
        String code,
        int order,
        boolean variable,
        Datatype datatype,
        boolean required,
        String description,
        String datatypeDescription,
        List<Choice> values) {

    /** The datatypes GeoReport v2 names, written in lower case on the wire. */
    enum Datatype {
        STRING,
        NUMBER,
        DATETIME,
        TEXT,
        SINGLEVALUELIST,
        MULTIVALUELIST;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isList() {
            return this == SINGLEVALUELIST || this == MULTIVALUELIST;
        }

        static Optional<Datatype> of(String wire) {
            for (Datatype d : values()) if (d.wire().equals(wire)) return Optional.of(d);
            return Optional.empty();
        }
    }

    /** An option of a value list: key is sent back, name is shown. */
    record Choice(String key, String name) {}

    Optional<Choice> choice(String key) {
        return values.stream().filter(c -> c.key().equals(key)).findFirst();
    }
}
