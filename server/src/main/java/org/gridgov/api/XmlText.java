package org.gridgov.api;

/**
 * Text made safe for XML content and attribute values (OGC exception reports, GeoReport XML): the
 * five markup characters escaped, and control characters XML 1.0 forbids replaced by a space.
 */
public final class XmlText {

    private XmlText() {}

    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
