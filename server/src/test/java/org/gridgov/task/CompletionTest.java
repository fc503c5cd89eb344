package org.gridgov.task;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.gridgov.api.ProblemException;
import org.junit.jupiter.api.Test;

/** Answers judged against check items, without a server: types, required items, photos, rules. */
class CompletionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final List<CheckItem> ITEMS =
            List.of(
                    new CheckItem(
                            "alarm", "报警器", CheckType.YES_NO, true, true, true, null, null, "X"),
                    new CheckItem(
                            "hose",
                            "软管",
                            CheckType.NUMBER,
                            false,
                            false,
                            null,
                            BigDecimal.ZERO,
                            BigDecimal.valueOf(2),
                            "X"),
                    new CheckItem(
                            "remark", "备注", CheckType.TEXT, false, false, null, null, null, null));

    static Completion parse(String json) throws Exception {
        return Completion.parse((ObjectNode) JSON.readTree(json));
    }

    static ProblemException refused(String json) {
        return assertThrows(
                ProblemException.class, () -> parse(json).judge(ITEMS, Map.of(5L, "alarm")));
    }

    @Test
    void judgesByTheRule() throws Exception {
        var judged =
                parse(
                                """
                        {"expectedVersion": 1, "answers": [
                          {"check": "alarm", "value": false, "mediaIds": [5]},
                          {"check": "hose", "value": 3},
                          {"check": "remark", "value": "ok"}]}""")
                        .judge(ITEMS, Map.of(5L, "alarm"));
        assertEquals(
                List.of(false, false, true),
                judged.stream().map(Completion.Judged::passed).toList());
        var passing =
                parse(
                                """
                        {"expectedVersion": 1, "answers": [
                          {"check": "alarm", "value": true, "mediaIds": [5]},
                          {"check": "hose", "value": 2}]}""")
                        .judge(ITEMS, Map.of(5L, "alarm"));
        assertTrue(passing.stream().allMatch(Completion.Judged::passed));
    }

    @Test
    void refusesWithThePointer() {
        var wrongType =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"alarm\", \"value\":"
                                + " 1, \"mediaIds\": [5]}]}");
        assertEquals("/answers/0/value", wrongType.problem().field());
        assertTrue(wrongType.problem().type().endsWith("/wrong-answer-type"));
        var text =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"alarm\", \"value\":"
                                + " true, \"mediaIds\": [5]}, {\"check\": \"hose\", \"value\": \"2\"}]}");
        assertEquals("/answers/1/value", text.problem().field());
        var noPhoto =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"alarm\", \"value\": true}]}");
        assertTrue(noPhoto.problem().type().endsWith("/missing-photo"));
        assertEquals("/answers/0/mediaIds", noPhoto.problem().field());
        var notAnswered = refused("{\"expectedVersion\": 1, \"answers\": []}");
        assertTrue(notAnswered.problem().type().endsWith("/missing-photo"));
        assertEquals("/answers", notAnswered.problem().field());
        var otherPhoto =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"alarm\", \"value\":"
                                + " true, \"mediaIds\": [6]}]}");
        assertEquals("/answers/0/mediaIds/0", otherPhoto.problem().field());
        var unknown =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"gas\", \"value\": true}]}");
        assertEquals("/answers/0/check", unknown.problem().field());
        var twice =
                refused(
                        "{\"expectedVersion\": 1, \"answers\": [{\"check\": \"alarm\", \"value\":"
                                + " true, \"mediaIds\": [5]}, {\"check\": \"alarm\", \"value\": true,"
                                + " \"mediaIds\": [5]}]}");
        assertEquals("/answers/1/check", twice.problem().field());
        var noVersion = assertThrows(ProblemException.class, () -> parse("{\"answers\": []}"));
        assertEquals("/expectedVersion", noVersion.problem().field());
    }
}
