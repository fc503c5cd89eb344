package org.gridgov.accountability;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.api.Csv;
import org.gridgov.api.Lang;

/**
 * The report as CSV (one row per finding, through api/Csv, as Excel opens it) and as HTML meant for
 * printing to PDF (a table of the groups, then one table per kind of finding), with headers in
 * Chinese or English.
 */
public final class Exports {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** Column keys, and their headers in Chinese and English. */
    private static final String[][] COLUMNS = {
        {"kind", "问题类型", "Finding"},
        {"incident", "案件编号", "Case"},
        {"status", "状态", "Status"},
        {"category", "类别", "Category"},
        {"platform", "平台", "Platform"},
        {"agency", "派驻单位（平台处置人员）", "Stationed agency (platform handler)"},
        {"grid", "网格", "Grid"},
        {"measure", "数量", "Measure"},
        {"unit", "单位", "Unit"},
        {"people", "相关人员", "People"},
        {"steps", "经过", "What happened"},
        {"history", "完整记录", "Full history"}
    };

    private final ZoneId zone;

    public Exports(ZoneId zone) {
        this.zone = zone;
    }

    private static String header(String key, Lang lang) {
        for (String[] c : COLUMNS) if (c[0].equals(key)) return lang == Lang.EN ? c[2] : c[1];
        throw new IllegalArgumentException(key);
    }

    private static List<String> headers(Lang lang) {
        List<String> out = new ArrayList<>();
        for (String[] c : COLUMNS) out.add(lang == Lang.EN ? c[2] : c[1]);
        return out;
    }

    /** One finding's cells, by column key. */
    private Map<String, String> cells(Finding f, Lang lang) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", f.kind().label(lang));
        m.put("incident", "" + f.incidentId());
        m.put("status", f.status());
        m.put("category", f.category());
        m.put("platform", f.platform());
        m.put("agency", f.agencyId() == null ? "" : f.agencyName());
        m.put("grid", f.gridCode() == null ? "" : f.gridCode() + " " + f.gridName());
        m.put("measure", number(f.measure()));
        m.put("unit", f.kind().unitLabel(lang));
        List<String> people = new ArrayList<>();
        for (Person p : f.people()) people.add(p.name() + " (" + p.role() + ", " + p.part() + ")");
        m.put("people", String.join("; ", people));
        List<String> steps = new ArrayList<>();
        for (JsonNode s : f.steps()) steps.add(step(s));
        m.put("steps", String.join("; ", steps));
        m.put("history", f.history());
        return m;
    }

    static String number(double d) {
        return d == Math.rint(d) ? "" + (long) d : String.format(java.util.Locale.ROOT, "%.2f", d);
    }

    private String time(JsonNode v) {
        if (v == null || v.isNull()) return "";
        try {
            return OffsetDateTime.parse(v.asText()).atZoneSameInstant(zone).format(MINUTE);
        } catch (DateTimeParseException e) {
            return v.asText();
        }
    }

    /** A step in a few words: when, what, by whom, and the kind's own details. */
    String step(JsonNode s) {
        StringBuilder b = new StringBuilder();
        b.append(time(s.get("at"))).append(' ').append(s.path("type").asText());
        if (s.hasNonNull("byName"))
            b.append(" by ")
                    .append(s.get("byName").asText())
                    .append(" (")
                    .append(s.path("byRole").asText())
                    .append(')');
        if (s.hasNonNull("askedByName"))
            b.append(", asked by ").append(s.get("askedByName").asText());
        if (s.hasNonNull("fromPlatform") || s.hasNonNull("toPlatform"))
            b.append(", ")
                    .append(s.path("fromPlatform").asText("?"))
                    .append(" -> ")
                    .append(s.path("toPlatform").asText("?"));
        if (s.hasNonNull("outcome")) b.append(", ").append(s.get("outcome").asText());
        if (s.hasNonNull("extraHours"))
            b.append(", +").append(s.get("extraHours").asText()).append("h");
        if (s.hasNonNull("decision")) b.append(", ").append(s.get("decision").asText());
        if (s.hasNonNull("hours"))
            b.append(", ")
                    .append(number(s.get("hours").asDouble()))
                    .append("h")
                    .append(s.path("open").asBoolean() ? " (still open)" : "");
        if (s.has("addressees")) {
            List<String> to = new ArrayList<>();
            for (JsonNode a : s.get("addressees")) to.add(a.path("name").asText());
            b.append(", to ").append(String.join(", ", to));
        }
        if (s.hasNonNull("deadline")) b.append(", due ").append(time(s.get("deadline")));
        if (s.hasNonNull("resolvedByName"))
            b.append(", resolved by ").append(s.get("resolvedByName").asText());
        return b.toString();
    }

    /** UTF-8 CSV with a byte order mark (api/Csv.write). */
    public byte[] csv(Report r, Lang lang) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, String> row = new LinkedHashMap<>();
            cells(f, lang).forEach((k, v) -> row.put(header(k, lang), v));
            rows.add(row);
        }
        return Csv.write(headers(lang), rows);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** A whole page, meant to be printed (A4 landscape, tables that break cleanly). */
    public String html(Report r, Lang lang, String askedBy, OffsetDateTime at) {
        boolean en = lang == Lang.EN;
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"")
                .append(lang.tag)
                .append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n<title>")
                .append(en ? "Accountability report" : "问责报告")
                .append("</title>\n<style>\n")
                .append("body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;")
                .append("font-size:11pt;margin:1.5em}\n")
                .append("table{border-collapse:collapse;width:100%;margin:0 0 1.5em}\n")
                .append("th,td{border:1px solid #444;padding:2px 4px;vertical-align:top;")
                .append(
                        "text-align:left}\nth{background:#eee}\nthead{display:table-header-group}\n")
                .append("tr{page-break-inside:avoid}\nh2{page-break-after:avoid}\n")
                .append("td.n{text-align:right}\n")
                .append("@page{size:A4 landscape;margin:12mm}\n")
                .append("@media print{body{margin:0}a{color:inherit;text-decoration:none}}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(en ? "Accountability report" : "问责报告").append("</h1>\n");
        h.append("<p>")
                .append(en ? "Period: " : "期间：")
                .append(esc(r.periodLabel() != null ? r.periodLabel() + " " : ""))
                .append(esc(r.from().atZoneSameInstant(zone).format(MINUTE)))
                .append(" – ")
                .append(esc(r.to().atZoneSameInstant(zone).format(MINUTE)))
                .append(en ? "; grouped by " : "；分组：")
                .append(esc(r.by().wire()))
                .append(en ? "; asked by " : "；查询人：")
                .append(esc(askedBy))
                .append(en ? " at " : "，时间：")
                .append(esc(at.atZoneSameInstant(zone).format(MINUTE)))
                .append("</p>\n");
        // the groups
        h.append("<h2>")
                .append(en ? "Summary" : "汇总")
                .append("</h2>\n<table class=\"groups\">")
                .append("<thead><tr><th>")
                .append(en ? "Unit" : "单位")
                .append("</th>");
        for (FindingKind k : r.kinds()) h.append("<th>").append(esc(k.label(lang))).append("</th>");
        h.append("<th>").append(en ? "Total" : "合计").append("</th></tr></thead>\n<tbody>\n");
        for (Report.Group g : r.groups()) {
            h.append("<tr><td>").append(esc(g.label())).append("</td>");
            for (FindingKind k : r.kinds())
                h.append("<td class=\"n\">").append(g.counts().getOrDefault(k, 0)).append("</td>");
            h.append("<td class=\"n\">").append(g.total()).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        // a table per kind
        for (FindingKind k : r.kinds()) {
            List<Finding> of = r.findings().stream().filter(f -> f.kind() == k).toList();
            h.append("<h2 id=\"")
                    .append(k.wire)
                    .append("\">")
                    .append(esc(k.label(lang)))
                    .append(" (")
                    .append(of.size())
                    .append(")</h2>\n");
            if (of.isEmpty()) {
                h.append("<p>").append(en ? "None." : "无。").append("</p>\n");
                continue;
            }
            h.append("<table class=\"kind\" data-kind=\"").append(k.wire).append("\"><thead><tr>");
            for (String[] c : COLUMNS)
                if (!c[0].equals("kind") && !c[0].equals("unit"))
                    h.append("<th>").append(esc(en ? c[2] : c[1])).append("</th>");
            h.append("</tr></thead>\n<tbody>\n");
            for (Finding f : of) {
                Map<String, String> cells = cells(f, lang);
                h.append("<tr>");
                for (String[] c : COLUMNS) {
                    String key = c[0];
                    if (key.equals("kind") || key.equals("unit")) continue;
                    String v = cells.get(key);
                    if (key.equals("history"))
                        h.append("<td><a href=\"")
                                .append(esc(v))
                                .append("\">")
                                .append(esc(v))
                                .append("</a></td>");
                    else if (key.equals("measure"))
                        h.append("<td class=\"n\">")
                                .append(esc(v))
                                .append(' ')
                                .append(esc(cells.get("unit")))
                                .append("</td>");
                    else h.append("<td>").append(esc(v)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }
}
