package org.gridgov.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reference-data CSV (the files in gis-data/), read with Jackson's CSV parser so that what Excel or
 * LibreOffice writes reads as it looks: quoted fields with commas, doubled quotes and line breaks,
 * a UTF-8 byte order mark, CRLF line ends. Lines starting with {@code #} are comments; empty lines
 * and rows of empty cells are skipped; spaces around unquoted values are trimmed.
 *
 * <p>The first row names the columns; rows are read by column name, and any bad value throws a
 * {@link BadCsv} naming the file, the line and the column, e.g. {@code
 * gis-data/taxonomy/categories.csv line 7, column deadlineHours: 'abc' is not a whole number}.
 */
public final class Csv {

    private static final CsvFactory FACTORY =
            CsvFactory.builder()
                    .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                    .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                    .enable(CsvParser.Feature.TRIM_SPACES)
                    .build();
    private static final CsvSchema SCHEMA = CsvSchema.emptySchema().withComments();

    private Csv() {}

    /**
     * Reads a file packaged with the build ({@code resource} starts with "/"), mapping each data
     * row with {@code mapper}.
     */
    public static <T> List<T> fromClasspath(
            Class<?> anchor, String resource, List<String> columns, Function<Row, T> mapper) {
        return rowsFromClasspath(anchor, resource, columns).stream().map(mapper).toList();
    }

    /**
     * Reads {@code in} (UTF-8, with or without a byte order mark), mapping each data row with
     * {@code mapper}; {@code source} names the file in errors.
     */
    public static <T> List<T> read(
            String source, InputStream in, List<String> columns, Function<Row, T> mapper) {
        return rows(source, in, columns).stream().map(mapper).toList();
    }

    /** The data rows of a file packaged with the build ({@code resource} starts with "/"). */
    public static List<Row> rowsFromClasspath(
            Class<?> anchor, String resource, List<String> columns) {
        return rowsFromClasspath(anchor, resource, columns, Map.of());
    }

    /** As above; the header may leave out the columns of {@code absent} (see {@link #rows}). */
    public static List<Row> rowsFromClasspath(
            Class<?> anchor, String resource, List<String> columns, Map<String, String> absent) {
        String source = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(source + " is missing from the build");
            return rows(source, in, columns, absent);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The data rows of {@code in} (UTF-8, with or without a byte order mark). The header must name
     * exactly {@code columns}, in any order; {@code source} names the file in errors.
     */
    public static List<Row> rows(String source, InputStream in, List<String> columns) {
        return rows(source, in, columns, Map.of());
    }

    /**
     * As {@link #rows(String, InputStream, List)}, but the header may leave out the columns of
     * {@code absent}, whose rows then read the value given there (a column added to a file after
     * copies of it were saved).
     */
    public static List<Row> rows(
            String source, InputStream in, List<String> columns, Map<String, String> absent) {
        List<Row> out = new ArrayList<>();
        try (CsvParser p = FACTORY.createParser(in)) {
            p.setSchema(SCHEMA);
            Map<String, Integer> index = null;
            int width = 0;
            List<String> filled = List.of();
            // WRAP_AS_ARRAY: the file is one array holding an array per row
            if (p.nextToken() != JsonToken.START_ARRAY) throw new BadCsv(source, 1, null, "empty");
            while (p.nextToken() == JsonToken.START_ARRAY) {
                long[] line = {0};
                List<String> values = record(p, line);
                if (values.stream().allMatch(String::isEmpty)) continue;
                if (index == null) {
                    index = header(source, line[0], values, columns, absent.keySet());
                    width = values.size();
                    filled = new ArrayList<>();
                    Map<String, Integer> all = new HashMap<>(index);
                    for (String c : columns)
                        if (!all.containsKey(c)) {
                            all.put(c, all.size());
                            filled.add(absent.get(c));
                        }
                    index = Map.copyOf(all);
                    continue;
                }
                if (values.size() != width) {
                    throw new BadCsv(
                            source,
                            line[0],
                            null,
                            values.size() + " fields, the header names " + width);
                }
                values.addAll(filled);
                out.add(new Row(source, line[0], index, values));
            }
            if (index == null) throw new BadCsv(source, 1, null, "no header row");
        } catch (IOException e) {
            // malformed quoting, or bytes that are not UTF-8 (e.g. a file saved as GBK)
            throw new IllegalStateException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Rows given as cells by column name (reference data stored in the database, or sent as JSON),
     * read like a file's rows so that the same checks apply; row {@code i} is "line" {@code i}
     * (0-based). Every row must name exactly {@code columns}.
     */
    public static List<Row> fromCells(
            String source, List<Map<String, String>> cells, List<String> columns) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) index.put(columns.get(i), i);
        List<Row> out = new ArrayList<>();
        for (int n = 0; n < cells.size(); n++) {
            Map<String, String> row = cells.get(n);
            for (String k : row.keySet())
                if (!index.containsKey(k)) throw new BadCsv(source, n, k, "unknown column");
            List<String> values = new ArrayList<>();
            for (String col : columns) {
                String v = row.get(col);
                if (v == null) throw new BadCsv(source, n, col, "missing");
                values.add(v);
            }
            out.add(new Row(source, n, Map.copyOf(index), values));
        }
        return out;
    }

    /**
     * The rows as CSV with a header, as Excel opens it: UTF-8 with a byte order mark, CRLF line
     * ends, fields quoted where they hold a comma, a quote or a line break.
     */
    public static byte[] write(List<String> columns, List<Map<String, String>> rows) {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        for (String c : columns) b.addColumn(c);
        try {
            byte[] body =
                    new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                            .writer(b.build())
                            .writeValueAsBytes(rows);
            byte[] out = new byte[body.length + 3];
            out[0] = (byte) 0xEF;
            out[1] = (byte) 0xBB;
            out[2] = (byte) 0xBF;
            System.arraycopy(body, 0, out, 3, body.length);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write CSV: " + e.getMessage(), e);
        }
    }

    private static List<String> record(JsonParser p, long[] line) throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (values.isEmpty()) line[0] = p.currentTokenLocation().getLineNr();
            values.add(p.getText());
        }
        return values;
    }

    private static Map<String, Integer> header(
            String source,
            long line,
            List<String> names,
            List<String> columns,
            Set<String> mayBeAbsent) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!columns.contains(name))
                throw new BadCsv(source, line, null, "unknown column '" + name + "' in the header");
            if (index.put(name, i) != null)
                throw new BadCsv(source, line, null, "column '" + name + "' appears twice");
        }
        Set<String> missing = new LinkedHashSet<>(columns);
        missing.removeAll(index.keySet());
        missing.removeAll(mayBeAbsent);
        if (!missing.isEmpty()) {
            throw new BadCsv(
                    source,
                    line,
                    null,
                    "missing column "
                            + missing.stream()
                                    .map(c -> "'" + c + "'")
                                    .collect(Collectors.joining(", ")));
        }
        return Map.copyOf(index);
    }

    /** One data row, read by column name; every parse error names the row's line and column. */
    public static final class Row {
        private final String source;
        private final long line;
        private final Map<String, Integer> index;
        private final List<String> values;

        Row(String source, long line, Map<String, Integer> index, List<String> values) {
            this.source = source;
            this.line = line;
            this.index = index;
            this.values = List.copyOf(values);
        }

        /** The line the row starts on (1-based, comments and blank lines counted). */
        public long line() {
            return line;
        }

        /** The value as written (trimmed unless quoted); empty when the cell is empty. */
        public String text(String column) {
            Integer i = index.get(column);
            if (i == null)
                throw new IllegalArgumentException("no column '" + column + "' in " + source);
            return values.get(i);
        }

        public int integer(String column) {
            String v = text(column);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw error(column, "'" + v + "' is not a whole number");
            }
        }

        public double number(String column) {
            String v = text(column);
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) return d;
            } catch (NumberFormatException e) {
                // answered below
            }
            throw error(column, "'" + v + "' is not a number");
        }

        public BigDecimal decimal(String column) {
            String v = text(column);
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                throw error(column, "'" + v + "' is not a number");
            }
        }

        /** Spelt out: only {@code true} or {@code false}. */
        public boolean bool(String column) {
            String v = text(column);
            if (v.equals("true")) return true;
            if (v.equals("false")) return false;
            throw error(column, "must be true or false, found '" + v + "'");
        }

        public <E extends Enum<E>> E oneOf(Class<E> type, String column) {
            String v = text(column);
            for (E e : type.getEnumConstants()) if (e.name().equals(v)) return e;
            throw error(
                    column,
                    "'" + v + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }

        /**
         * The value read by {@code parser}; a RuntimeException it throws becomes an error at this
         * cell, with the parser's message.
         */
        public <T> T parse(String column, Function<String, T> parser) {
            String v = text(column);
            try {
                return parser.apply(v);
            } catch (BadCsv e) {
                throw e;
            } catch (RuntimeException e) {
                throw error(column, "'" + v + "': " + e.getMessage());
            }
        }

        /** An error at this row's cell in {@code column}. */
        public BadCsv error(String column, String problem) {
            return new BadCsv(source, line, column, problem);
        }

        /** An error about the whole row. */
        public BadCsv error(String problem) {
            return new BadCsv(source, line, null, problem);
        }
    }

    /** A CSV file that cannot be used, with where: file, line and (if one cell) column. */
    public static final class BadCsv extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String source;
        private final long line;
        private final String column;

        public BadCsv(String source, long line, String column, String problem) {
            super(
                    source
                            + " line "
                            + line
                            + (column == null ? "" : ", column " + column)
                            + ": "
                            + problem);
            this.source = source;
            this.line = line;
            this.column = column;
        }

        public String source() {
            return source;
        }

        public long line() {
            return line;
        }

        /** The column of the bad cell; null when the whole row (or the header) is wrong. */
        public String column() {
            return column;
        }
    }
}
