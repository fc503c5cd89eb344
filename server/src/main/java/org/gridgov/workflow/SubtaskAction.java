package org.gridgov.workflow;

import static org.gridgov.workflow.SubtaskState.*;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What can be done to one subtask of a coordinated case (POST
 * /api/v1/incidents/{id}/subtasks/{sid}/actions), pure: from which states, to which, and the case
 * event it writes.
 */
public enum SubtaskAction {
    START("start", EnumSet.of(OPEN), "SUBTASK_STARTED"),
    FINISH("finish", EnumSet.of(OPEN, STARTED), "SUBTASK_DONE"),
    REASSIGN("reassign", EnumSet.of(OPEN, STARTED), "SUBTASK_REASSIGNED");

    public final String wire;
    private final Set<SubtaskState> from;
    public final String event;

    SubtaskAction(String wire, Set<SubtaskState> from, String event) {
        this.wire = wire;
        this.from = from;
        this.event = event;
    }

    public Set<SubtaskState> sources() {
        return from;
    }

    /** The state after the action, empty when it is not possible in {@code s}. */
    public Optional<SubtaskState> target(SubtaskState s) {
        if (!from.contains(s)) return Optional.empty();
        return Optional.of(
                switch (this) {
                    case START -> STARTED;
                    case FINISH -> DONE;
                    case REASSIGN -> s;
                });
    }

    public static Optional<SubtaskAction> parse(String s) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(s)).findFirst();
    }
}
