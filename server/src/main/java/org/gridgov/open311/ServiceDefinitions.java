package org.gridgov.open311;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.api.Csv;
import org.gridgov.api.Responses;
import org.gridgov.open311.ServiceAttribute.Choice;
import org.gridgov.open311.ServiceAttribute.Datatype;

/**
 * The extra questions of each service (GeoReport v2 service definitions): data, read once at start
 * from gis-data/taxonomy/service_attributes.csv through {@link Csv}, so a bad cell stops the start
 * with its file, line and column. A service (category code) with no rows asks nothing. Answers come
 * as {@code attribute[CODE]=value} (a multivaluelist as {@code attribute[CODE][]=v1&...}) and are
 * checked here: required, datatype, value list; docs/open311.md.
 */
public final class ServiceDefinitions {

    static final String RESOURCE = "/gis-data/taxonomy/service_attributes.csv";
    static final List<String> COLUMNS =
            List.of(
                    "service",
                    "code",
                    "order",
                    "variable",
                    "datatype",
                    "required",
                    "description",
                    "datatypeDescription",
                    "values");

    /** GeoReport's limits: a string is one line; a text is at most what a description may be. */
    static final int MAX_STRING = 200, MAX_TEXT = 4000;

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,47}");
    private static final Pattern PARAM = Pattern.compile("attribute\\[([^\\[\\]]*)\\](\\[\\])?");

    private final Map<String, List<ServiceAttribute>> byService;

    private ServiceDefinitions(Map<String, List<ServiceAttribute>> byService) {
        this.byService = byService;
    }

    /** The definitions this build ships. */
    public static ServiceDefinitions fromClasspath() {
        return of(Csv.rowsFromClasspath(ServiceDefinitions.class, RESOURCE, COLUMNS));
    }

    static ServiceDefinitions parse(InputStream in) {
        return of(Csv.rows(RESOURCE.substring(1), in, COLUMNS));
    }

    private static ServiceDefinitions of(List<Csv.Row> rows) {
        Map<String, List<ServiceAttribute>> by = new TreeMap<>();
        Set<String> seenCodes = new HashSet<>(), seenOrders = new HashSet<>();
        for (Csv.Row r : rows) {
            ServiceAttribute a = row(r);
            if (!seenCodes.add(a.service() + " " + a.code()))
                throw r.error("code", "'" + a.code() + "' appears twice for " + a.service());
            if (!seenOrders.add(a.service() + " " + a.order()))
                throw r.error("order", a.order() + " is used twice for " + a.service());
            by.computeIfAbsent(a.service(), s -> new ArrayList<>()).add(a);
        }
        Map<String, List<ServiceAttribute>> sorted = new LinkedHashMap<>();
        by.forEach(
                (s, list) ->
                        sorted.put(
                                s,
                                list.stream()
                                        .sorted(Comparator.comparingInt(ServiceAttribute::order))
                                        .toList()));
        return new ServiceDefinitions(Map.copyOf(sorted));
    }

    private static ServiceAttribute row(Csv.Row r) {
        String service = r.text("service"), code = r.text("code");
        if (!CODE.matcher(service).matches())
            throw r.error("service", "'" + service + "' is not a category code");
        if (!CODE.matcher(code).matches())
            throw r.error("code", "'" + code + "' is not 1 to 48 of A-Z, 0-9 and '_'");
        int order = r.integer("order");
        if (order < 1) throw r.error("order", order + " is not a positive whole number");
        Datatype type =
                Datatype.of(r.text("datatype"))
                        .orElseThrow(
                                () ->
                                        r.error(
                                                "datatype",
                                                "'"
                                                        + r.text("datatype")
                                                        + "' is not string, number, datetime,"
                                                        + " text, singlevaluelist or"
                                                        + " multivaluelist"));
        boolean variable = r.bool("variable"), required = r.bool("required");
        if (required && !variable)
            throw r.error("required", "a notice (variable false) cannot be required");
        String description = r.text("description");
        if (description.isEmpty()) throw r.error("description", "missing");
        List<Choice> values = choices(r);
        if (type.isList() && values.isEmpty())
            throw r.error("values", "a " + type.wire() + " needs values: KEY=name|KEY=name");
        if (!type.isList() && !values.isEmpty())
            throw r.error("values", "only a value list has values");
        String hint = r.text("datatypeDescription");
        return new ServiceAttribute(
                service,
                code,
                order,
                variable,
                type,
                required,
                description,
                hint.isEmpty() ? null : hint,
                values);
    }

    /** KEY=name|KEY=name: the key is what a client sends back. */
    private static List<Choice> choices(Csv.Row r) {
        String cell = r.text("values");
        if (cell.isEmpty()) return List.of();
        List<Choice> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String part : cell.split("\\|")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? "" : part.substring(0, eq).strip();
            String name = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (!CODE.matcher(key).matches() || name.isEmpty())
                throw r.error("values", "'" + part + "' is not KEY=name (KEY as A-Z, 0-9, '_')");
            if (!keys.add(key)) throw r.error("values", "key '" + key + "' appears twice");
            out.add(new Choice(key, name));
        }
        return List.copyOf(out);
    }

    /** The questions of a service, in their order; empty when it asks none. */
    List<ServiceAttribute> of(String service) {
        return byService.getOrDefault(service, List.of());
    }

    /** Whether a client must read the service's definition (services' metadata flag). */
    boolean has(String service) {
        return byService.containsKey(service);
    }

    /** Every service with a definition (for tests that check them against the categories). */
    Set<String> services() {
        return byService.keySet();
    }

    /** The service definition as GeoReport v2 lists it (JSON; XML follows the Spark convention). */
    ObjectNode definition(String service) {
        ObjectNode d = Responses.JSON.createObjectNode().put("service_code", service);
        ArrayNode list = d.putArray("attributes");
        for (ServiceAttribute a : of(service)) {
            ObjectNode o =
                    list.addObject()
                            .put("variable", a.variable())
                            .put("code", a.code())
                            .put("datatype", a.datatype().wire())
                            .put("required", a.required())
                            .put("datatype_description", a.datatypeDescription())
                            .put("order", a.order())
                            .put("description", a.description());
            ArrayNode values = o.putArray("values");
            for (Choice c : a.values())
                values.addObject().put("key", c.key()).put("name", c.name());
        }
        return d;
    }

    /**
     * Checks the attribute[...] parameters of a request for {@code service} and returns the answers
     * as kept with the case: [{"code", "description", "value", "name"?}] in the definition's order
     * (a number as a number, a multivaluelist's keys and names as arrays); empty when none. Throws
     * a 400 {@link Open311Error} naming the attribute for an unknown or malformed one, a missing
     * required one, a value of the wrong type or outside its list, and for any attribute of a
     * service that has none.
     *
     * @param params every request parameter by name (the others are ignored)
     */
    ArrayNode answers(String service, Map<String, List<String>> params) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("attribute")) continue;
            Matcher m = PARAM.matcher(name);
            if (!m.matches())
                throw new Open311Error(
                        400, "'" + name + "' is not attribute[CODE]=value or attribute[CODE][]=v");
            String code = m.group(1);
            List<String> values = new ArrayList<>();
            for (String v : e.getValue()) {
                if (v == null) continue;
                // Vert.x decodes bytes that are not UTF-8 to U+FFFD: refuse, as for other fields
                if (v.indexOf('\uFFFD') >= 0)
                    throw new Open311Error(400, "'" + name + "' is not valid UTF-8");
                if (!v.isBlank()) values.add(v.strip());
            }
            given.computeIfAbsent(code, c -> new ArrayList<>()).addAll(values);
        }
        List<ServiceAttribute> questions = of(service);
        if (!given.isEmpty() && questions.isEmpty())
            throw new Open311Error(
                    400,
                    "service '"
                            + service
                            + "' has no attributes, got attribute["
                            + given.keySet().iterator().next()
                            + "]");
        for (String code : given.keySet()) {
            ServiceAttribute a =
                    questions.stream()
                            .filter(q -> q.code().equals(code))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new Open311Error(
                                                    400,
                                                    "service '"
                                                            + service
                                                            + "' has no attribute '"
                                                            + code
                                                            + "'"));
            if (!a.variable() && !given.get(code).isEmpty())
                throw new Open311Error(
                        400, "attribute[" + code + "] is a notice to the reporter, not a question");
        }
        ArrayNode out = Responses.JSON.createArrayNode();
        for (ServiceAttribute a : questions) {
            List<String> values = given.getOrDefault(a.code(), List.of());
            if (values.isEmpty()) {
                if (a.required())
                    throw new Open311Error(
                            400,
                            "attribute[" + a.code() + "] is required (" + a.description() + ")");
                continue;
            }
            out.add(answer(a, values));
        }
        return out;
    }

    private static ObjectNode answer(ServiceAttribute a, List<String> values) {
        String at = "attribute[" + a.code() + "]";
        ObjectNode o =
                Responses.JSON
                        .createObjectNode()
                        .put("code", a.code())
                        .put("description", a.description());
        if (a.datatype() != Datatype.MULTIVALUELIST && values.size() > 1)
            throw new Open311Error(400, at + " takes one value, got " + values.size());
        String v = values.get(0);
        switch (a.datatype()) {
            case NUMBER -> {
                BigDecimal n = null;
                try {
                    if (v.length() <= 32) n = new BigDecimal(v);
                } catch (NumberFormatException e) {
                    // answered below
                }
                if (n == null || n.abs().compareTo(BigDecimal.valueOf(1, -15)) > 0)
                    throw new Open311Error(400, at + " must be a number, got '" + v + "'");
                o.put("value", n);
            }
            case DATETIME -> {
                try {
                    o.put("value", OffsetDateTime.parse(v).toString());
                } catch (DateTimeParseException e) {
                    throw new Open311Error(
                            400,
                            at
                                    + " must be a W3C date-time with offset, e.g."
                                    + " 2026-11-25T09:00:00+08:00");
                }
            }
            case STRING -> {
                if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0)
                    throw new Open311Error(400, at + " is one line (a string); use no line breaks");
                if (v.length() > MAX_STRING)
                    throw new Open311Error(400, at + " is longer than " + MAX_STRING);
                o.put("value", v);
            }
            case TEXT -> {
                if (v.length() > MAX_TEXT)
                    throw new Open311Error(400, at + " is longer than " + MAX_TEXT);
                o.put("value", v);
            }
            case SINGLEVALUELIST -> {
                Choice c = choice(a, at, v);
                o.put("value", c.key()).put("name", c.name());
            }
            case MULTIVALUELIST -> {
                ArrayNode keys = o.putArray("value"), names = o.putArray("name");
                for (String k : new LinkedHashSet<>(values)) {
                    Choice c = choice(a, at, k);
                    keys.add(c.key());
                    names.add(c.name());
                }
            }
        }
        return o;
    }

    private static Choice choice(ServiceAttribute a, String at, String key) {
        return a.choice(key)
                .orElseThrow(
                        () ->
                                new Open311Error(
                                        400,
                                        at
                                                + " must be one of "
                                                + String.join(
                                                        ", ",
                                                        a.values().stream()
                                                                .map(Choice::key)
                                                                .toList())
                                                + ", got '"
                                                + key
                                                + "'"));
    }
}
