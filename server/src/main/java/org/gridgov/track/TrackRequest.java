package org.gridgov.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.gridgov.api.Lang;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.workflow.ReporterRating;

/**
 * A validated body of POST /api/v1/track ({@code ticket}, {@code code}, {@code lang}) or of POST
 * /api/v1/track/rating (the same, plus {@code satisfaction}, {@code comment}, {@code notSolved}).
 * The code travels in the body, never in a URL, so it stays out of access logs and histories.
 */
record TrackRequest(long ticket, String code, Lang lang, ReporterRating rating) {

    static final int MAX_CODE = 64;
    static final int MAX_COMMENT = 500;
    private static final Set<String> LOOKUP = Set.of("ticket", "code", "lang");
    private static final Set<String> RATING =
            Set.of("ticket", "code", "lang", "satisfaction", "comment", "notSolved");

    /** The body of a look-up; {@code fallback} is the language of the request's headers. */
    static TrackRequest lookup(ObjectNode b, Lang fallback) {
        only(b, LOOKUP);
        return new TrackRequest(ticket(b), code(b), lang(b, fallback), null);
    }

    static TrackRequest rating(ObjectNode b, Lang fallback) {
        only(b, RATING);
        long ticket = ticket(b);
        String code = code(b);
        Lang lang = lang(b, fallback);
        JsonNode s = b.get("satisfaction");
        if (s == null || s.isNull())
            throw invalid("/satisfaction", "'satisfaction' is required: 1 to 5");
        if (!s.isIntegralNumber() || s.asLong() < 1 || s.asLong() > 5)
            throw invalid(
                    "/satisfaction",
                    "'satisfaction' must be a whole number from 1 (very dissatisfied) to 5 (very"
                            + " satisfied)");
        String comment = null;
        JsonNode c = b.get("comment");
        if (c != null && !c.isNull()) {
            if (!c.isTextual()) throw invalid("/comment", "'comment' must be a string");
            comment = c.asText().strip();
            if (comment.codePointCount(0, comment.length()) > MAX_COMMENT)
                throw invalid(
                        "/comment",
                        "'comment' is "
                                + comment.codePointCount(0, comment.length())
                                + " characters; at most "
                                + MAX_COMMENT);
            if (comment.indexOf('\0') >= 0)
                throw invalid("/comment", "'comment' must not contain NUL characters");
            if (comment.isEmpty()) comment = null;
        }
        boolean notSolved = false;
        JsonNode ns = b.get("notSolved");
        if (ns != null && !ns.isNull()) {
            if (!ns.isBoolean()) throw invalid("/notSolved", "'notSolved' must be true or false");
            notSolved = ns.asBoolean();
        }
        return new TrackRequest(
                ticket, code, lang, new ReporterRating(s.asInt(), comment, notSolved));
    }

    private static void only(ObjectNode b, Set<String> fields) {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f))
                throw invalid(
                        "/" + f,
                        "unknown field '" + f + "'; the fields are " + new TreeSet<>(fields));
        }
    }

    /** The ticket number: a positive whole number, or the same as digits in a string (links). */
    private static long ticket(ObjectNode b) {
        JsonNode t = b.get("ticket");
        if (t == null || t.isNull())
            throw invalid("/ticket", "'ticket' (the ticket number you were given) is required");
        if (t.isIntegralNumber() && t.canConvertToLong() && t.asLong() > 0) return t.asLong();
        if (t.isTextual() && t.asText().strip().matches("[0-9]{1,18}")) {
            long v = Long.parseLong(t.asText().strip());
            if (v > 0) return v;
        }
        throw invalid("/ticket", "'ticket' must be the ticket number, a positive whole number");
    }

    private static String code(ObjectNode b) {
        JsonNode c = b.get("code");
        if (c == null || c.isNull() || (c.isTextual() && c.asText().isBlank()))
            throw invalid("/code", "'code' (the lookup code you were given) is required");
        if (!c.isTextual()) throw invalid("/code", "'code' must be a string");
        if (c.asText().length() > MAX_CODE)
            throw invalid("/code", "'code' is at most " + MAX_CODE + " characters");
        return c.asText();
    }

    private static Lang lang(ObjectNode b, Lang fallback) {
        JsonNode l = b.get("lang");
        if (l == null || l.isNull()) return fallback;
        Lang lang = l.isTextual() ? Lang.ofTag(l.asText()) : null;
        if (lang == null) throw invalid("/lang", "'lang' is zh-CN or en");
        return lang;
    }

    private static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
