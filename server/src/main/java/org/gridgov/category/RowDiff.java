package org.gridgov.category;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Responses;

/**
 * What a new version of reference data changes against the one it replaces, for the admin log:
 * {@code added} and {@code removed} rows (as multisets: a row's order does not matter), and for
 * rows with a {@code code} (categories) a removed and an added row of the same code become one
 * {@code changed} entry, {code, fields: {field: {before, after}}}.
 */
final class RowDiff {

    private RowDiff() {}

    static ObjectNode of(List<Map<String, String>> before, List<Map<String, String>> after) {
        Map<Map<String, String>, Integer> left = new HashMap<>();
        for (Map<String, String> r : before) left.merge(r, 1, Integer::sum);
        List<Map<String, String>> added = new ArrayList<>();
        for (Map<String, String> r : after) {
            Integer n = left.get(r);
            if (n == null) added.add(r);
            else if (n == 1) left.remove(r);
            else left.put(r, n - 1);
        }
        List<Map<String, String>> removed = new ArrayList<>();
        for (Map<String, String> r : before)
            if (left.getOrDefault(r, 0) > 0) {
                removed.add(r);
                left.merge(r, -1, Integer::sum);
            }
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode changed = out.putArray("changed");
        Map<String, Map<String, String>> removedByCode = new LinkedHashMap<>();
        for (Map<String, String> r : removed)
            if (r.get("code") != null) removedByCode.putIfAbsent(r.get("code"), r);
        List<Map<String, String>> addedOnly = new ArrayList<>();
        for (Map<String, String> r : added) {
            Map<String, String> old =
                    r.get("code") == null ? null : removedByCode.get(r.get("code"));
            if (old == null) {
                addedOnly.add(r);
                continue;
            }
            removedByCode.remove(r.get("code"));
            removed.remove(old);
            ObjectNode c = changed.addObject().put("code", r.get("code"));
            ObjectNode fields = c.putObject("fields");
            for (var e : r.entrySet()) {
                String was = old.get(e.getKey());
                if (java.util.Objects.equals(e.getValue(), was)) continue;
                fields.putObject(e.getKey()).put("before", was).put("after", e.getValue());
            }
        }
        rows(out.putArray("added"), addedOnly);
        rows(out.putArray("removed"), removed);
        return out;
    }

    private static void rows(ArrayNode arr, List<Map<String, String>> rows) {
        for (Map<String, String> r : rows) {
            ObjectNode o = arr.addObject();
            r.forEach(o::put);
        }
    }
}
