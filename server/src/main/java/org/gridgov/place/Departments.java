package org.gridgov.place;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.api.Csv;
import org.gridgov.category.Platforms;

/**
 * The departments of gis-data/places/departments.csv, which ship with the build and are written to
 * the department table at every start (new rows added, names and platforms kept as the file says; a
 * handler set in the database stays). A bad row stops the start with the file, line and column.
 */
public final class Departments {

    static final String RESOURCE = "/gis-data/places/departments.csv";
    static final List<String> COLUMNS = List.of("code", "nameZh", "nameEn", "platform");

    private Departments() {}

    /** The file this build ships. */
    public static List<Department> fromClasspath() {
        List<Csv.Row> rows = Csv.rowsFromClasspath(Departments.class, RESOURCE, COLUMNS);
        Set<String> seen = new HashSet<>();
        return rows.stream()
                .map(
                        r -> {
                            Department d = row(r);
                            if (!seen.add(d.code()))
                                throw r.error("code", "'" + d.code() + "' appears twice");
                            return d;
                        })
                .toList();
    }

    private static Department row(Csv.Row r) {
        String code = r.text("code");
        if (!code.matches("[A-Z][A-Z0-9_]{1,31}"))
            throw r.error(
                    "code", "'" + code + "' is not 2 to 32 of A-Z, 0-9 and '_', starting A-Z");
        String platform = r.text("platform");
        if (!Platforms.CODES.contains(platform))
            throw r.error(
                    "platform", "unknown platform '" + platform + "', one of " + Platforms.CODES);
        String nameZh = r.text("nameZh"), nameEn = r.text("nameEn");
        if (nameZh.isBlank()) throw r.error("nameZh", "must not be empty");
        if (nameEn.isBlank()) throw r.error("nameEn", "must not be empty");
        return new Department(code, nameZh, nameEn, platform, null);
    }
}
