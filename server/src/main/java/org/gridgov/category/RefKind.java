package org.gridgov.category;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gridgov.api.Csv;

/**
 * One kind of versioned reference data: its name in the API and the reference_version table, the
 * gis-data file a new database is seeded from, its columns (the file's header) and how a set of
 * rows becomes the value the server works with. {@code parse} throws {@link Csv.BadCsv} naming the
 * row and column of a bad cell, whether the rows came from a file, the database or a JSON body.
 */
public record RefKind<T>(
        String name, String seedResource, List<Column> columns, Function<List<Csv.Row>, T> parse) {

    /** How a column's text is shown in JSON (a number, a boolean or a string). */
    public enum Type {
        TEXT,
        INTEGER,
        NUMBER,
        BOOLEAN
    }

    public record Column(String name, Type type) {}

    public static Column text(String name) {
        return new Column(name, Type.TEXT);
    }

    public static Column integer(String name) {
        return new Column(name, Type.INTEGER);
    }

    public static Column number(String name) {
        return new Column(name, Type.NUMBER);
    }

    public static Column bool(String name) {
        return new Column(name, Type.BOOLEAN);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The file this build ships, as the first version of a new database. */
    public List<Map<String, String>> seedRows() {
        return Csv.rowsFromClasspath(RefKind.class, seedResource, columnNames()).stream()
                .map(this::cells)
                .toList();
    }

    /** The value of a set of rows given as cells. */
    public T read(String source, List<Map<String, String>> rows) {
        return parse.apply(Csv.fromCells(source, rows, columnNames()));
    }

    private Map<String, String> cells(Csv.Row r) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String c : columnNames()) m.put(c, r.text(c));
        return m;
    }

    /** The cells of rows read from a CSV file. */
    public List<Map<String, String>> cellsOf(List<Csv.Row> rows) {
        return rows.stream().map(this::cells).toList();
    }
}
