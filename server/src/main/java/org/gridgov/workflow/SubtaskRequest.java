package org.gridgov.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/**
 * A validated body of POST /api/v1/incidents/{id}/subtasks/{sid}/actions: {@code {"action":
 * "start"|"finish"|"reassign", "expectedVersion": n (the case's), "assigneeId": (reassign),
 * "note"}}.
 */
public record SubtaskRequest(
        SubtaskAction action, int expectedVersion, Long assigneeId, String note) {

    private static final Set<String> FIELDS =
            Set.of("action", "expectedVersion", "assigneeId", "note");

    public static SubtaskRequest parse(ObjectNode b) {
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f))
                throw ActionRequest.invalid(
                        "/" + f, "unknown field '" + f + "'; the fields are " + FIELDS);
        }
        JsonNode an = b.get("action");
        if (an == null || !an.isTextual())
            throw ActionRequest.invalid("/action", "'action' is required: start, finish, reassign");
        SubtaskAction action =
                SubtaskAction.parse(an.asText())
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.of(
                                                        422,
                                                        "unknown-action",
                                                        "Unknown action",
                                                        "'"
                                                                + an.asText()
                                                                + "' is not a subtask action; one of "
                                                                + Arrays.stream(
                                                                                SubtaskAction
                                                                                        .values())
                                                                        .map(a -> a.wire)
                                                                        .toList(),
                                                        "/action")));
        JsonNode v = b.get("expectedVersion");
        if (v == null || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE)
            throw ActionRequest.invalid(
                    "/expectedVersion",
                    "'expectedVersion' (the case's version you acted upon) is required");
        Long assignee = null;
        JsonNode a = b.get("assigneeId");
        if (a != null && !a.isNull()) {
            if (!a.isIntegralNumber() || a.asLong() < 1)
                throw ActionRequest.invalid("/assigneeId", "'assigneeId' must be a positive id");
            assignee = a.asLong();
        }
        if (action == SubtaskAction.REASSIGN && assignee == null)
            throw ActionRequest.invalid("/assigneeId", "'reassign' names the new 'assigneeId'");
        if (action != SubtaskAction.REASSIGN && assignee != null)
            throw ActionRequest.invalid("/assigneeId", "only 'reassign' takes an 'assigneeId'");
        String note = null;
        JsonNode n = b.get("note");
        if (n != null && !n.isNull()) {
            if (!n.isTextual() || n.asText().length() > ActionRequest.MAX_NOTE)
                throw ActionRequest.invalid(
                        "/note",
                        "'note' is text of at most " + ActionRequest.MAX_NOTE + " characters");
            note = n.asText();
        }
        return new SubtaskRequest(action, v.asInt(), assignee, note);
    }
}
