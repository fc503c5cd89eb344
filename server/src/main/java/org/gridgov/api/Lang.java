package org.gridgov.api;

import java.util.Locale;

/**
 * The languages gridgov answers people in (the tracking page, the exports): Chinese by default,
 * English on request ({@code lang} in the body, or the first of Accept-Language that is one of
 * these).
 */
public enum Lang {
    ZH("zh-CN"),
    EN("en");

    public final String tag;

    Lang(String tag) {
        this.tag = tag;
    }

    /** The language a tag names ("en", "en-GB", "zh", "zh-CN"…), or null. */
    public static Lang ofTag(String tag) {
        if (tag == null) return null;
        String t = tag.trim().toLowerCase(Locale.ROOT);
        if (t.equals("en") || t.startsWith("en-")) return EN;
        if (t.equals("zh") || t.startsWith("zh-")) return ZH;
        return null;
    }

    /** The first language of an Accept-Language header we speak, by its q order; else Chinese. */
    public static Lang ofHeader(String acceptLanguage) {
        if (acceptLanguage == null) return ZH;
        Lang best = ZH;
        double bestQ = -1;
        for (String part : acceptLanguage.split(",")) {
            String[] p = part.split(";");
            Lang l = ofTag(p[0]);
            double q = 1;
            for (int i = 1; i < p.length; i++) {
                String x = p[i].trim();
                if (x.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(x.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (l != null && q > bestQ) {
                best = l;
                bestQ = q;
            }
        }
        return best;
    }
}
