package org.gridgov.workflow;

import static org.gridgov.people.Role.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.people.Scope;

/**
 * Who may do what to which case, pure. Two questions: does the person see the case (their scope:
 * grid, community, platform, subdistrict, or they are its assignee), and does one of their roles
 * allow the action. docs/access.md shows the table.
 */
public final class ActionPolicy {

    /**
     * Roles that act on any case in their scope; "HANDLER" roles additionally only on their
     * platform's or assigned cases.
     */
    private static final Map<CaseAction, Set<Role>> ROLES = new EnumMap<>(CaseAction.class);

    private static final Set<Role> CENTRE = Role.COMMAND_CENTRE;
    private static final Set<Role> DISTRICT = Role.DISTRICT_CENTRE;
    private static final Set<Role> HANDLERS =
            EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER, GRID_WORKER);

    static {
        ROLES.put(CaseAction.ACCEPT, CENTRE);
        ROLES.put(CaseAction.REJECT, CENTRE);
        ROLES.put(CaseAction.MERGE, CENTRE);
        ROLES.put(CaseAction.DISPATCH, CENTRE);
        // the district verifies and closes what it resolved (its own cases have no subdistrict)
        ROLES.put(CaseAction.CLOSE, union(CENTRE, DISTRICT));
        ROLES.put(CaseAction.ESCALATE, CENTRE);
        ROLES.put(CaseAction.START, HANDLERS);
        ROLES.put(CaseAction.RESOLVE, union(HANDLERS, EnumSet.of(CHIEF_COMMANDER)));
        ROLES.put(CaseAction.REQUEST_EXTENSION, HANDLERS);
        ROLES.put(CaseAction.REQUEST_RETURN, HANDLERS);
        ROLES.put(CaseAction.REQUEST_PARKING, HANDLERS);
        ROLES.put(
                CaseAction.VERIFY,
                union(
                        union(CENTRE, DISTRICT),
                        EnumSet.of(GRID_WORKER, GRID_LEADER, VILLAGE_CADRE)));
        ROLES.put(
                CaseAction.REWORK,
                union(CENTRE, EnumSet.of(GRID_WORKER, GRID_LEADER, VILLAGE_CADRE)));
        ROLES.put(CaseAction.DISTRICT_REPLY, union(CENTRE, EnumSet.of(DISTRICT_LIAISON)));
        // several platforms at once: the chief commander (deputy secretary) coordinates
        ROLES.put(CaseAction.COORDINATE, EnumSet.of(CHIEF_COMMANDER));
        ROLES.put(CaseAction.TRANSFER, union(CENTRE, EnumSet.of(PLATFORM_COMMANDER)));
        ROLES.put(CaseAction.APPROVE, EnumSet.of(CENTRE_DIRECTOR, CHIEF_COMMANDER));
        ROLES.put(CaseAction.DENY, EnumSet.of(CENTRE_DIRECTOR, CHIEF_COMMANDER));
        ROLES.put(CaseAction.RATE, EnumSet.of(CENTRE_OPERATOR));
        // 督办 by a leader: the chief commander (deputy secretary) or the centre's director
        ROLES.put(CaseAction.SUPERVISE, EnumSet.of(CHIEF_COMMANDER, CENTRE_DIRECTOR));
        // the command centre corrects a category its intake got wrong
        ROLES.put(CaseAction.RECLASSIFY, CENTRE);
        // the district command centre (区指挥中心); a district department's handler resolves the
        // case assigned to them whatever their role (may)
        ROLES.put(CaseAction.DISTRICT_ACCEPT, DISTRICT);
        ROLES.put(CaseAction.DISTRICT_ASSIGN, DISTRICT);
        ROLES.put(CaseAction.DISTRICT_RETURN, DISTRICT);
        ROLES.put(CaseAction.DISTRICT_RESOLVE, DISTRICT);
        ROLES.put(CaseAction.COMMENT, EnumSet.complementOf(EnumSet.of(AUDITOR, PLANNER, ADMIN)));
    }

    private ActionPolicy() {}

    private static Set<Role> union(Set<Role> a, Set<Role> b) {
        EnumSet<Role> s = EnumSet.copyOf(a);
        s.addAll(b);
        return s;
    }

    /**
     * Actions of the handling itself (start, resolve, a request for an exception): a handler takes
     * them only on cases dispatched to them or to their platform.
     */
    public static boolean inPerson(CaseAction a) {
        return a == CaseAction.START || a == CaseAction.RESOLVE || a.isRequest();
    }

    public static Set<Role> rolesFor(CaseAction a) {
        return ROLES.get(a);
    }

    /**
     * The isolation rule (docs/access.md): a person inside one subdistrict acts only on that
     * subdistrict's cases; a district-wide person (or one of a deployment without subdistricts) on
     * any.
     */
    public static boolean inSubdistrict(Principal p, CaseRow c) {
        Long own = p.subdistrictId();
        return own == null || own.equals(c.subdistrictId());
    }

    /** Whether the case lies within what the person answers for. */
    public static boolean sees(Principal p, CaseRow c) {
        if (!inSubdistrict(p, c)) return false;
        if (c.assigneeId() != null && c.assigneeId() == p.staffId()) return true;
        Scope s = p.scope();
        return switch (s.type()) {
            case "SUBDISTRICT" -> true; // the subdistrict itself is checked above
            case "DISTRICT" -> true;
            case "GRID" -> s.gridId() != null && s.gridId().equals(c.gridId());
            case "COMMUNITY" -> s.communityId() != null && s.communityId().equals(c.communityId());
            case "PLATFORM" -> s.platform() != null && s.platform().equals(c.platform());
            default -> false;
        };
    }

    /**
     * Whether one of the person's roles allows the action on this case (visibility checked
     * separately).
     */
    public static boolean may(Principal p, CaseAction a, CaseRow c) {
        if (a == CaseAction.DISTRICT_RESOLVE
                && c.assigneeId() != null
                && c.assigneeId() == p.staffId()) return true;
        for (Role r : p.roles()) {
            if (!ROLES.get(a).contains(r)) continue;
            // handling is done by the one it was dispatched to, or their platform's staff;
            // a grid worker handles only what was dispatched to them
            if (HANDLERS.contains(r) && inPerson(a)) {
                boolean assignee = c.assigneeId() != null && c.assigneeId() == p.staffId();
                boolean platformStaff =
                        r != GRID_WORKER
                                && p.scope().platform() != null
                                && p.scope().platform().equals(c.platform());
                if (assignee || platformStaff) return true;
                continue;
            }
            return true;
        }
        return false;
    }
}
