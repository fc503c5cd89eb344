package org.gridgov.workflow;

import static org.gridgov.people.Role.*;

import java.util.EnumSet;
import java.util.Set;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/**
 * Who may act on a subtask of a coordinated case, pure. Its assignee and the staff of its platform
 * do the work; its platform's commander and the command centre's leaders reassign it.
 */
public final class SubtaskPolicy {

    private static final Set<Role> PLATFORM_STAFF =
            EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER);
    private static final Set<Role> REASSIGNERS = EnumSet.of(CHIEF_COMMANDER, CENTRE_DIRECTOR);

    private SubtaskPolicy() {}

    /** The subtask is theirs: assigned to them, or they are staff of its platform. */
    static boolean party(Principal p, Subtasks.Subtask st) {
        if (st.assigneeId() != null && st.assigneeId() == p.staffId()) return true;
        return ofPlatform(p, st.platform(), PLATFORM_STAFF);
    }

    static boolean may(Principal p, SubtaskAction a, Subtasks.Subtask st) {
        return switch (a) {
            case START, FINISH -> party(p, st) || p.roles().contains(CHIEF_COMMANDER);
            case REASSIGN ->
                    ofPlatform(p, st.platform(), EnumSet.of(PLATFORM_COMMANDER))
                            || p.roles().stream().anyMatch(REASSIGNERS::contains);
        };
    }

    static String describe(SubtaskAction a) {
        return switch (a) {
            case START, FINISH ->
                    "that it is assigned to you, or that you are a handler or commander of its"
                            + " platform, or the CHIEF_COMMANDER";
            case REASSIGN -> "its platform's PLATFORM_COMMANDER, or one of " + REASSIGNERS;
        };
    }

    /** Whether the role is one that acts on subtasks (the event's actor role). */
    static boolean acts(Role r) {
        return PLATFORM_STAFF.contains(r) || REASSIGNERS.contains(r) || r == GRID_WORKER;
    }

    private static boolean ofPlatform(Principal p, String platform, Set<Role> roles) {
        return platform.equals(p.scope().platform())
                && p.roles().stream().anyMatch(roles::contains);
    }
}
