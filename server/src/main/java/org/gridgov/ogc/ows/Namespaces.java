package org.gridgov.ogc.ows;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.ogc.catalog.ClientText;
import org.gridgov.ogc.mapserver.Mapfile;

/**
 * The namespace bindings of a WFS request, and its qualified names (type names, value references,
 * property names, sort keys) resolved by namespace URI, never by prefix: a client may bind any
 * prefix to gridgov's namespace. Key-value requests declare bindings in {@code
 * NAMESPACES=xmlns(ns1,https://gridgov.org/ns)} (WFS 2.0; WFS 1.1's {@code NAMESPACE=xmlns(ns1=…)}
 * too); XML requests bind them with {@code xmlns:ns1} ({@link OwsXml} passes them on as
 * NAMESPACES). Without a declaration, the prefixes the capabilities use are known: {@code gridgov}
 * and {@code gml}. An unprefixed name is matched by its local name, as clients that write {@code
 * typeNames="grids"} under a default namespace of their own expect.
 */
final class Namespaces {

    static final String GRIDGOV = Mapfile.NAMESPACE_URI;
    static final String GML32 = "http://www.opengis.net/gml/3.2";
    static final String GML = "http://www.opengis.net/gml";

    private static final Pattern NCNAME = Pattern.compile("[A-Za-z_][\\w.-]*");
    private static final Pattern BINDING =
            Pattern.compile("\\s*xmlns\\((?:([A-Za-z_][\\w.-]*)[,=])?([^()]*)\\)\\s*(?:,|$)");

    /** A name resolved: its namespace URI (null: unprefixed) and local part. */
    record QName(String uri, String local, boolean attribute, String text) {

        /** gridgov's own (or unprefixed, matched by local name). */
        boolean gridgov() {
            return uri == null || uri.equals(GRIDGOV);
        }

        boolean gml() {
            return GML32.equals(uri) || GML.equals(uri);
        }
    }

    private final Map<String, String> declared;

    private Namespaces(Map<String, String> declared) {
        this.declared = declared;
    }

    /** Only the implicit bindings (gridgov, gml). */
    static final Namespaces IMPLICIT = new Namespaces(Map.of());

    /**
     * The bindings of a NAMESPACES (or WFS 1.1 NAMESPACE) value; InvalidParameterValue with the key
     * as locator when it is not a list of {@code xmlns(prefix,uri)}.
     */
    static Namespaces parse(String key, String value) {
        if (value == null || value.isBlank()) return IMPLICIT;
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = BINDING.matcher(value);
        int at = 0;
        while (at < value.length() && m.find(at) && m.start() == at) {
            String uri = m.group(2).trim();
            // The URI is URL-escaped inside the value; a client that escaped the whole value once
            // more leaves %XX here.
            if (uri.contains("%")) {
                try {
                    uri = URLDecoder.decode(uri, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw OwsException.invalid(
                            key, "'" + ClientText.shorten(uri) + "' is not a namespace URI");
                }
            }
            if (uri.isEmpty())
                throw OwsException.invalid(key, key + " binds a prefix to an empty namespace URI");
            // A default namespace (xmlns(uri)) changes nothing: unprefixed names are matched by
            // local name.
            if (m.group(1) != null) out.put(m.group(1), uri);
            at = m.end();
        }
        if (at < value.length())
            throw OwsException.invalid(
                    key,
                    key
                            + " is a list of xmlns(prefix,namespace URI), e.g. xmlns(ns1,"
                            + GRIDGOV
                            + "), got '"
                            + ClientText.shorten(value)
                            + "'");
        return new Namespaces(Map.copyOf(out));
    }

    /** The URI a prefix is bound to: declared, else implicit (gridgov, gml), else null. */
    String uri(String prefix) {
        String d = declared.get(prefix);
        if (d != null) return d;
        return switch (prefix) {
            case Mapfile.NAMESPACE_PREFIX -> GRIDGOV;
            case "gml" -> GML32;
            default -> null;
        };
    }

    /** Resolves a name by the declared and implicit bindings. */
    QName resolve(String key, String text) {
        return resolve(key, text, p -> null);
    }

    /**
     * Resolves {@code [@][prefix:]local}: the prefix by {@code scope} first (an XML element's
     * in-scope bindings), then by this request's bindings; an unbound prefix is
     * InvalidParameterValue with the key as locator.
     */
    QName resolve(String key, String text, UnaryOperator<String> scope) {
        String t = text.trim();
        boolean attribute = t.startsWith("@");
        String name = attribute ? t.substring(1) : t;
        int colon = name.indexOf(':');
        String prefix = colon < 0 ? null : name.substring(0, colon);
        String local = colon < 0 ? name : name.substring(colon + 1);
        if ((prefix != null && !NCNAME.matcher(prefix).matches())
                || !NCNAME.matcher(local).matches())
            throw OwsException.invalid(
                    key, "'" + ClientText.shorten(text) + "' is not a name ([prefix:]name)");
        if (prefix == null) return new QName(null, local, attribute, t);
        String uri = scope.apply(prefix);
        if (uri == null) uri = uri(prefix);
        if (uri == null)
            throw OwsException.invalid(
                    key,
                    "the prefix '"
                            + ClientText.shorten(prefix)
                            + "' of '"
                            + ClientText.shorten(t)
                            + "' is not bound to a namespace; declare it, e.g. NAMESPACES=xmlns("
                            + ClientText.shorten(prefix)
                            + ","
                            + GRIDGOV
                            + ")");
        return new QName(uri, local, attribute, t);
    }

    /**
     * A name in gridgov's namespace (or unprefixed): its local part; else InvalidParameterValue.
     */
    String gridgovLocal(String key, String text, String what) {
        QName q = resolve(key, text);
        if (q.attribute() || !q.gridgov()) throw OwsException.invalid(key, notOurs(q, what));
        return q.local();
    }

    static String notOurs(QName q, String what) {
        return "no "
                + what
                + " named '"
                + ClientText.shorten(q.text())
                + "'"
                + (q.uri() == null || q.gridgov()
                        ? ""
                        : " in namespace "
                                + ClientText.shorten(q.uri())
                                + " (gridgov's is "
                                + GRIDGOV
                                + ")");
    }
}
