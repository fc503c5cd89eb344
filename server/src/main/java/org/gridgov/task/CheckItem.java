package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.CategoryCatalog;

/**
 * One item of a task's checklist and its pass rule: a YES_NO item passes when answered {@code
 * expected}, a NUMBER item when within [min, max]; TEXT and PHOTO items always pass. An item that
 * can fail names the incident category its failure becomes.
 */
public record CheckItem(
        String key,
        String label,
        CheckType type,
        boolean required,
        boolean photoRequired,
        Boolean expected,
        BigDecimal min,
        BigDecimal max,
        String category) {

    static final int MAX_ITEMS = 50;
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Set<String> FIELDS =
            Set.of(
                    "key",
                    "label",
                    "type",
                    "required",
                    "photoRequired",
                    "expected",
                    "min",
                    "max",
                    "category");

    /** Whether an answer can fail this item. */
    public boolean canFail() {
        return expected != null || min != null || max != null;
    }

    /** Whether a (type-checked) value passes; a missing answer passes (required is apart). */
    public boolean passes(JsonNode value) {
        if (value == null || value.isNull()) return true;
        return switch (type) {
            case YES_NO -> expected == null || expected == value.asBoolean();
            case NUMBER -> {
                BigDecimal v = value.decimalValue();
                yield (min == null || v.compareTo(min) >= 0)
                        && (max == null || v.compareTo(max) <= 0);
            }
            case TEXT, PHOTO -> true;
        };
    }

    /** What the rule is, for an incident's description. */
    public String rule() {
        return switch (type) {
            case YES_NO -> "expected " + (Boolean.TRUE.equals(expected) ? "yes" : "no");
            case NUMBER ->
                    (min == null ? "" : "≥ " + min.toPlainString())
                            + (min != null && max != null ? " and " : "")
                            + (max == null ? "" : "≤ " + max.toPlainString());
            default -> "";
        };
    }

    /** The items of a request's {@code checks} array (absent: none). */
    public static List<CheckItem> parseAll(JsonNode n, String pointer, CategoryCatalog catalog) {
        List<CheckItem> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray())
            throw bad(
                    pointer, "'checks' must be an array of check items, found " + JsonBody.kind(n));
        if (n.size() > MAX_ITEMS)
            throw bad(pointer, n.size() + " check items; at most " + MAX_ITEMS);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            CheckItem c = parse(n.get(i), pointer + "/" + i, catalog);
            if (!keys.add(c.key()))
                throw bad(pointer + "/" + i + "/key", "the key '" + c.key() + "' is used twice");
            out.add(c);
        }
        return out;
    }

    static CheckItem parse(JsonNode n, String p, CategoryCatalog catalog) {
        if (n == null || !n.isObject())
            throw bad(p, "a check item is an object, found " + JsonBody.kind(n));
        ObjectNode o = (ObjectNode) n;
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw bad(p + "/" + f, "unknown field '" + f + "'");
        }
        String key = JsonBody.optionalText(o, "key", p + "/key", 40);
        if (key == null || !KEY.matcher(key).matches())
            throw bad(
                    p + "/key",
                    "give a key of lower-case letters, digits and _ (starting with a letter)");
        String label = JsonBody.optionalText(o, "label", p + "/label", 200);
        if (label == null || label.isBlank()) throw bad(p + "/label", "give the item's label");
        String t = JsonBody.optionalText(o, "type", p + "/type", 20);
        CheckType type;
        try {
            type = CheckType.valueOf(t == null ? "" : t);
        } catch (IllegalArgumentException e) {
            throw bad(p + "/type", "the type is YES_NO, NUMBER, TEXT or PHOTO");
        }
        boolean required = bool(o, "required", p, true);
        boolean photo = bool(o, "photoRequired", p, type == CheckType.PHOTO);
        Boolean expected = null;
        if (o.hasNonNull("expected")) {
            if (type != CheckType.YES_NO)
                throw bad(p + "/expected", "only a YES_NO item has an expected answer");
            if (!o.get("expected").isBoolean())
                throw bad(p + "/expected", "'expected' is true or false");
            expected = o.get("expected").asBoolean();
        }
        BigDecimal min = number(o, "min", p, type), max = number(o, "max", p, type);
        if (min != null && max != null && min.compareTo(max) > 0)
            throw bad(p + "/max", "max is below min");
        String category = JsonBody.optionalText(o, "category", p + "/category", 40);
        if (category != null && catalog.find(category).isEmpty())
            throw bad(p + "/category", "no category '" + category + "'");
        CheckItem c =
                new CheckItem(key, label, type, required, photo, expected, min, max, category);
        if (c.canFail() && category == null)
            throw bad(
                    p + "/category",
                    "an item that can fail names the category of the incident its failure makes");
        return c;
    }

    private static boolean bool(ObjectNode o, String f, String p, boolean dflt) {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw bad(p + "/" + f, "'" + f + "' is true or false");
        return n.asBoolean();
    }

    private static BigDecimal number(ObjectNode o, String f, String p, CheckType type) {
        JsonNode n = o.get(f);
        if (n == null || n.isNull()) return null;
        if (type != CheckType.NUMBER) throw bad(p + "/" + f, "only a NUMBER item has " + f);
        if (!n.isNumber()) throw bad(p + "/" + f, "'" + f + "' is a number");
        return n.decimalValue();
    }

    static ProblemException bad(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
