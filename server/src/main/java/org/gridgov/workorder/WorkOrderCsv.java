package org.gridgov.workorder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.api.Csv;
import org.gridgov.api.Responses;

/**
 * Work orders as CSV (read through api/Csv: Excel's quoting, BOM, CRLF): one order a row, the
 * columns of {@link #COLUMNS} in any order, an empty cell for a field not given. Each row becomes
 * the JSON shape of {@code POST /api/v1/workorders}, so both are validated alike; a field's error
 * names the row's line and the column.
 */
final class WorkOrderCsv {

    static final List<String> COLUMNS =
            List.of(
                    "sourceSystem",
                    "externalNo",
                    "category",
                    "text",
                    "reportedAt",
                    "signDueAt",
                    "completeDueAt",
                    "callerName",
                    "callerPhone",
                    "address",
                    "lon",
                    "lat");

    /** One row as an order, with its line. */
    record Line(long line, ObjectNode order) {}

    private WorkOrderCsv() {}

    /** The rows; throws {@link Csv.BadCsv} (header, field count, a coordinate not a number). */
    static List<Line> read(String source, InputStream in) {
        List<Line> out = new ArrayList<>();
        for (Csv.Row r : Csv.rows(source, in, COLUMNS)) {
            ObjectNode o = Responses.JSON.createObjectNode();
            for (String c :
                    List.of(
                            "sourceSystem",
                            "externalNo",
                            "category",
                            "text",
                            "reportedAt",
                            "signDueAt",
                            "completeDueAt",
                            "address")) if (!r.text(c).isEmpty()) o.put(c, r.text(c));
            if (!r.text("callerName").isEmpty() || !r.text("callerPhone").isEmpty()) {
                ObjectNode caller = o.putObject("caller");
                if (!r.text("callerName").isEmpty()) caller.put("name", r.text("callerName"));
                if (!r.text("callerPhone").isEmpty()) caller.put("phone", r.text("callerPhone"));
            }
            if (!r.text("lon").isEmpty() || !r.text("lat").isEmpty()) {
                ObjectNode loc = o.putObject("location");
                if (!r.text("lon").isEmpty()) loc.put("lon", r.number("lon"));
                if (!r.text("lat").isEmpty()) loc.put("lat", r.number("lat"));
            }
            out.add(new Line(r.line(), o));
        }
        return out;
    }

    /** The CSV column of a field of the order's JSON shape ("/caller/name" → callerName). */
    static String column(String pointer) {
        if (pointer.startsWith("/caller/name")) return "callerName";
        if (pointer.startsWith("/caller/phone")) return "callerPhone";
        if (pointer.startsWith("/location/lat")) return "lat";
        if (pointer.startsWith("/location")) return "lon";
        if (pointer.isEmpty() || pointer.equals("/")) return null;
        int next = pointer.indexOf('/', 1);
        return next < 0 ? pointer.substring(1) : pointer.substring(1, next);
    }

    /** How an error names a cell: "workorders.csv line 4, column category". */
    static String cell(String source, long line, String pointer) {
        String column = column(pointer);
        return source + " line " + line + (column == null ? "" : ", column " + column);
    }
}
