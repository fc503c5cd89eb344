package org.gridgov.workflow;

import static java.util.Map.entry;
import static org.gridgov.people.Role.*;
import static org.gridgov.workflow.CaseAction.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.gridgov.cases.CaseStatus;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;
import org.gridgov.people.Scope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role × action, allowed and refused, on a case of the ENFORCEMENT platform in grid 7 of
 * community 3, dispatched to staff 500 — written out by hand as docs/access.md's table.
 */
class ActionPolicyTest {

    static final CaseRow CASE =
            new CaseRow(
                    1,
                    1,
                    CaseStatus.IN_PROGRESS,
                    "ENF_EXPOSED_GARBAGE",
                    "NORMAL",
                    "ENFORCEMENT",
                    7L,
                    3L,
                    500L,
                    false,
                    false,
                    "HANDLE",
                    OffsetDateTime.now(),
                    OffsetDateTime.now(),
                    null,
                    null,
                    null);

    /** Each role with a scope that covers the case (but is not its assignee). */
    static final Map<Role, Scope> IN_SCOPE =
            Map.ofEntries(
                    entry(GRID_WORKER, new Scope("GRID", 7L, null, null)),
                    entry(GRID_LEADER, new Scope("COMMUNITY", null, 3L, null)),
                    entry(VILLAGE_CADRE, new Scope("COMMUNITY", null, 3L, null)),
                    entry(PLATFORM_HANDLER, new Scope("PLATFORM", null, null, "ENFORCEMENT")),
                    entry(PLATFORM_COMMANDER, new Scope("PLATFORM", null, null, "ENFORCEMENT")),
                    entry(CENTRE_OPERATOR, Scope.SUBDISTRICT),
                    entry(CENTRE_DIRECTOR, Scope.SUBDISTRICT),
                    entry(CHIEF_COMMANDER, Scope.SUBDISTRICT),
                    entry(PLANNER, Scope.SUBDISTRICT),
                    entry(DISTRICT_LIAISON, Scope.SUBDISTRICT),
                    entry(AUDITOR, Scope.SUBDISTRICT),
                    entry(ADMIN, Scope.SUBDISTRICT),
                    entry(DISTRICT_OPERATOR, Scope.DISTRICT),
                    entry(DISTRICT_COMMANDER, Scope.DISTRICT));

    static final Set<Role> CENTRE = EnumSet.of(CENTRE_OPERATOR, CENTRE_DIRECTOR, CHIEF_COMMANDER);

    static final Set<Role> DISTRICT = EnumSet.of(DISTRICT_OPERATOR, DISTRICT_COMMANDER);

    static Set<Role> union(Set<Role> a, Set<Role> b) {
        Set<Role> s = EnumSet.copyOf(a);
        s.addAll(b);
        return s;
    }

    static final Map<CaseAction, Set<Role>> ALLOWED =
            Map.ofEntries(
                    entry(ACCEPT, CENTRE),
                    entry(REJECT, CENTRE),
                    entry(MERGE, CENTRE),
                    entry(DISPATCH, CENTRE),
                    entry(CLOSE, union(CENTRE, DISTRICT)),
                    entry(ESCALATE, CENTRE),
                    // a grid worker handles only what was dispatched to them (not the case here)
                    entry(START, EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER)),
                    entry(
                            RESOLVE,
                            EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER, CHIEF_COMMANDER)),
                    entry(REQUEST_EXTENSION, EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER)),
                    entry(REQUEST_RETURN, EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER)),
                    entry(REQUEST_PARKING, EnumSet.of(PLATFORM_HANDLER, PLATFORM_COMMANDER)),
                    entry(
                            VERIFY,
                            EnumSet.of(
                                    DISTRICT_OPERATOR,
                                    DISTRICT_COMMANDER,
                                    CENTRE_OPERATOR,
                                    CENTRE_DIRECTOR,
                                    CHIEF_COMMANDER,
                                    GRID_WORKER,
                                    GRID_LEADER,
                                    VILLAGE_CADRE)),
                    entry(
                            REWORK,
                            EnumSet.of(
                                    CENTRE_OPERATOR,
                                    CENTRE_DIRECTOR,
                                    CHIEF_COMMANDER,
                                    GRID_WORKER,
                                    GRID_LEADER,
                                    VILLAGE_CADRE)),
                    entry(
                            DISTRICT_REPLY,
                            EnumSet.of(
                                    CENTRE_OPERATOR,
                                    CENTRE_DIRECTOR,
                                    CHIEF_COMMANDER,
                                    DISTRICT_LIAISON)),
                    entry(COORDINATE, EnumSet.of(CHIEF_COMMANDER)),
                    entry(
                            TRANSFER,
                            EnumSet.of(
                                    CENTRE_OPERATOR,
                                    CENTRE_DIRECTOR,
                                    CHIEF_COMMANDER,
                                    PLATFORM_COMMANDER)),
                    entry(APPROVE, EnumSet.of(CENTRE_DIRECTOR, CHIEF_COMMANDER)),
                    entry(DENY, EnumSet.of(CENTRE_DIRECTOR, CHIEF_COMMANDER)),
                    entry(RATE, EnumSet.of(CENTRE_OPERATOR)),
                    entry(SUPERVISE, EnumSet.of(CHIEF_COMMANDER, CENTRE_DIRECTOR)),
                    entry(
                            RECLASSIFY,
                            EnumSet.of(CENTRE_OPERATOR, CENTRE_DIRECTOR, CHIEF_COMMANDER)),
                    entry(DISTRICT_ACCEPT, DISTRICT),
                    entry(DISTRICT_ASSIGN, DISTRICT),
                    entry(DISTRICT_RETURN, DISTRICT),
                    entry(DISTRICT_RESOLVE, DISTRICT),
                    entry(COMMENT, EnumSet.complementOf(EnumSet.of(AUDITOR, PLANNER, ADMIN))));

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Role r : Role.values())
            for (CaseAction a : CaseAction.values())
                out.add(Arguments.of(r, a, ALLOWED.get(a).contains(r)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("pairs")
    void roleTimesAction(Role role, CaseAction action, boolean allowed) {
        Principal p = new Principal(99, "x", EnumSet.of(role), IN_SCOPE.get(role));
        assertTrue(ActionPolicy.sees(p, CASE), role + " sees a case in its scope");
        assertEquals(allowed, ActionPolicy.may(p, action, CASE));
    }

    @org.junit.jupiter.params.provider.EnumSource(
            value = Role.class,
            names = {"GRID_WORKER", "PLATFORM_HANDLER"})
    @ParameterizedTest
    void theAssigneeHandlesAndOthersOutsideTheScopeSeeNothing(Role role) {
        Scope elsewhere =
                role == GRID_WORKER
                        ? new Scope("GRID", 8L, null, null)
                        : new Scope("PLATFORM", null, null, "MARKET");
        Principal stranger = new Principal(99, "x", EnumSet.of(role), elsewhere);
        assertFalse(ActionPolicy.sees(stranger, CASE));
        Principal assignee = new Principal(500, "x", EnumSet.of(role), elsewhere);
        assertTrue(ActionPolicy.sees(assignee, CASE));
        assertTrue(ActionPolicy.may(assignee, START, CASE));
        assertTrue(ActionPolicy.may(assignee, RESOLVE, CASE));
        assertFalse(ActionPolicy.may(assignee, ACCEPT, CASE));
        // a district department's handler resolves the case assigned to them, whatever their role
        assertTrue(ActionPolicy.may(assignee, DISTRICT_RESOLVE, CASE));
        assertFalse(ActionPolicy.may(stranger, DISTRICT_RESOLVE, CASE));
        assertFalse(ActionPolicy.may(assignee, DISTRICT_ASSIGN, CASE));
    }
}
