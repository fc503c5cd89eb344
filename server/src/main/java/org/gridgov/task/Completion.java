package org.gridgov.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * A completion request, decoded at the edge, and the judging of its answers against the task's
 * check items: each answer of the item's type, every required item answered, every required photo
 * given (a photo of this task). A refusal names the JSON pointer; nothing is judged then.
 */
public record Completion(int expectedVersion, List<Answer> answers, String note) {

    /** An answer as judged: its item, and whether it passed. */
    public record Judged(CheckItem item, Answer answer, boolean passed) {}

    public static Completion parse(ObjectNode o) {
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("expectedVersion", "answers", "note").contains(f))
                throw bad("/" + f, "unknown field '" + f + "'");
        }
        JsonNode v = o.get("expectedVersion");
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber())
            throw bad("/expectedVersion", "give the task's version you completed (a whole number)");
        JsonNode a = o.get("answers");
        List<Answer> answers = new ArrayList<>();
        if (a != null && !a.isNull()) {
            if (!a.isArray()) throw bad("/answers", "'answers' is an array");
            for (int i = 0; i < a.size(); i++) {
                String p = "/answers/" + i;
                JsonNode n = a.get(i);
                if (!n.isObject()) throw bad(p, "an answer is an object");
                for (var it = n.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!Set.of("check", "value", "mediaIds").contains(f))
                        throw bad(p + "/" + f, "unknown field '" + f + "'");
                }
                String check = JsonBody.optionalText((ObjectNode) n, "check", p + "/check", 40);
                if (check == null) throw bad(p + "/check", "give the check item's key");
                List<Long> media = new ArrayList<>();
                JsonNode m = n.get("mediaIds");
                if (m != null && !m.isNull()) {
                    if (!m.isArray()) throw bad(p + "/mediaIds", "'mediaIds' is an array of ids");
                    for (int j = 0; j < m.size(); j++) {
                        if (!m.get(j).isIntegralNumber() || !m.get(j).canConvertToLong())
                            throw bad(p + "/mediaIds/" + j, "a media id is a whole number");
                        media.add(m.get(j).asLong());
                    }
                }
                answers.add(new Answer(check, n.get("value"), List.copyOf(media)));
            }
        }
        String note = JsonBody.optionalText(o, "note", "/note", 2000);
        return new Completion(v.asInt(), List.copyOf(answers), note);
    }

    /**
     * Judges the answers.
     *
     * @param photos the task's photos: media id → the check item it was taken for
     */
    public List<Judged> judge(List<CheckItem> items, Map<Long, String> photos) {
        Map<String, CheckItem> byKey = new HashMap<>();
        items.forEach(c -> byKey.put(c.key(), c));
        Set<String> answered = new HashSet<>();
        List<Judged> out = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            String p = "/answers/" + i;
            CheckItem c = byKey.get(a.check());
            if (c == null)
                throw bad(
                        p + "/check",
                        "the task has no check item '"
                                + a.check()
                                + "'; its items are "
                                + byKey.keySet());
            if (!answered.add(a.check()))
                throw bad(p + "/check", "the check item '" + a.check() + "' is answered twice");
            JsonNode v = a.value();
            boolean given = v != null && !v.isNull();
            if (given) typeOf(c, v, p + "/value");
            else if (c.required() && c.type() != CheckType.PHOTO)
                throw bad(p + "/value", "'" + c.key() + "' is required: give a value");
            for (int j = 0; j < a.mediaIds().size(); j++) {
                long id = a.mediaIds().get(j);
                if (!photos.containsKey(id))
                    throw bad(
                            p + "/mediaIds/" + j,
                            "media " + id + " is not a photo of this task (upload it first)");
            }
            if (c.photoRequired() && a.mediaIds().isEmpty()) throw missingPhoto(p + "/mediaIds", c);
            out.add(new Judged(c, a, c.passes(v)));
        }
        for (CheckItem c : items) {
            if (answered.contains(c.key())) continue;
            if (c.photoRequired()) throw missingPhoto("/answers", c);
            if (c.required())
                throw bad("/answers", "the check item '" + c.key() + "' is required: answer it");
        }
        return out;
    }

    private static void typeOf(CheckItem c, JsonNode v, String p) {
        boolean ok =
                switch (c.type()) {
                    case YES_NO -> v.isBoolean();
                    case NUMBER -> v.isNumber();
                    case TEXT -> v.isTextual() && v.asText().length() <= 2000;
                    case PHOTO -> false;
                };
        if (!ok)
            throw new ProblemException(
                    Problem.of(
                            422,
                            "wrong-answer-type",
                            "An answer is not of its check item's type",
                            "'"
                                    + c.key()
                                    + "' is a "
                                    + c.type()
                                    + " item ("
                                    + switch (c.type()) {
                                        case YES_NO -> "true or false";
                                        case NUMBER -> "a number";
                                        case TEXT -> "a text of at most 2000 characters";
                                        case PHOTO -> "photos in mediaIds, value null";
                                    }
                                    + "), not "
                                    + JsonBody.kind(v),
                            p));
    }

    private static ProblemException missingPhoto(String p, CheckItem c) {
        return new ProblemException(
                Problem.of(
                        422,
                        "missing-photo",
                        "A required photo is missing",
                        "the check item '"
                                + c.key()
                                + "' needs a photo: upload it (POST /api/v1/tasks/{id}/photos)"
                                + " and give its mediaId",
                        p));
    }

    private static ProblemException bad(String pointer, String detail) {
        return new ProblemException(Problem.invalidField(pointer, detail));
    }
}
