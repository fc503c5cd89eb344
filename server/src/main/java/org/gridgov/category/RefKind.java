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

    /**
     * {@code absent}: the value of a column added after versions were stored without it (null: the
     * column is required). Stored versions, JSON bodies and imported files may then leave it out.
     */
    public record Column(String name, Type type, String absent) {
        public Column(String name, Type type) {
            this(name, type, null);
        }

        /** The same column, taking {@code value} where a row leaves it out. */
        public Column absentAs(String value) {
            return new Column(name, type, value);
        }
    }

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

    /** The columns a row may leave out, with the value they then take. */
    public Map<String, String> absent() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Column c : columns) if (c.absent() != null) m.put(c.name(), c.absent());
        return m;
    }

    /** The file this build ships, as the first version of a new database. */
    public List<Map<String, String>> seedRows() {
        return Csv.rowsFromClasspath(RefKind.class, seedResource, columnNames(), absent()).stream()
                .map(this::cells)
                .toList();
    }

    /** The value of a set of rows given as cells. */
    public T read(String source, List<Map<String, String>> rows) {
        return parse.apply(Csv.fromCells(source, complete(rows), columnNames()));
    }

    /** The rows with the columns that may be left out filled in (a version stored before them). */
    public List<Map<String, String>> complete(List<Map<String, String>> rows) {
        if (columns.stream().allMatch(c -> c.absent() == null)) return rows;
        List<Map<String, String>> out = new java.util.ArrayList<>(rows.size());
        for (Map<String, String> row : rows) {
            Map<String, String> m = new java.util.LinkedHashMap<>(row);
            for (Column c : columns) if (c.absent() != null) m.putIfAbsent(c.name(), c.absent());
            out.add(m);
        }
        return out;
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
