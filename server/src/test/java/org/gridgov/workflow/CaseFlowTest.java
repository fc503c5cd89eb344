package org.gridgov.workflow;

import static java.util.Map.entry;
import static org.gridgov.cases.CaseStatus.*;
import static org.gridgov.workflow.CaseAction.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.gridgov.cases.CaseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (state, action) pair: the allowed ones lead where docs/workflow.md says, the rest are
 * refused.
 */
class CaseFlowTest {

    /** The expected transitions, written out by hand (not derived from CaseFlow). */
    static final Map<CaseAction, Map<CaseStatus, CaseStatus>> EXPECTED =
            Map.ofEntries(
                    entry(ACCEPT, Map.of(REPORTED, ACCEPTED)),
                    entry(REJECT, Map.of(REPORTED, REJECTED)),
                    entry(MERGE, Map.of(REPORTED, REJECTED, ACCEPTED, REJECTED)),
                    entry(DISPATCH, Map.of(ACCEPTED, DISPATCHED, DISPATCHED, DISPATCHED)),
                    entry(START, Map.of(DISPATCHED, IN_PROGRESS)),
                    entry(RESOLVE, Map.of(IN_PROGRESS, RESOLVED, COORDINATION, RESOLVED)),
                    entry(VERIFY, Map.of(RESOLVED, VERIFIED)),
                    entry(REWORK, Map.of(RESOLVED, IN_PROGRESS)),
                    entry(CLOSE, Map.of(VERIFIED, CLOSED)),
                    entry(
                            ESCALATE,
                            Map.of(
                                    REPORTED,
                                    ESCALATED,
                                    ACCEPTED,
                                    ESCALATED,
                                    DISPATCHED,
                                    ESCALATED,
                                    IN_PROGRESS,
                                    ESCALATED,
                                    COORDINATION,
                                    ESCALATED,
                                    RESOLVED,
                                    ESCALATED)),
                    entry(DISTRICT_REPLY, Map.of(ESCALATED, RESOLVED)),
                    // the district command centre holds the case ESCALATED until it returns or
                    // resolves it
                    entry(DISTRICT_ACCEPT, Map.of(ESCALATED, ESCALATED)),
                    entry(DISTRICT_ASSIGN, Map.of(ESCALATED, ESCALATED)),
                    entry(DISTRICT_RETURN, Map.of(ESCALATED, ACCEPTED)),
                    entry(DISTRICT_RESOLVE, Map.of(ESCALATED, RESOLVED)),
                    // a leader's 督办 on an open case; the state stays
                    entry(
                            SUPERVISE,
                            Map.of(
                                    REPORTED,
                                    REPORTED,
                                    ACCEPTED,
                                    ACCEPTED,
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    COORDINATION,
                                    COORDINATION,
                                    ESCALATED,
                                    ESCALATED)),
                    // a case in hand is re-routed: dispatched again to the new platform
                    entry(
                            RECLASSIFY,
                            Map.of(
                                    REPORTED,
                                    REPORTED,
                                    ACCEPTED,
                                    ACCEPTED,
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    DISPATCHED)),
                    entry(
                            COORDINATE,
                            Map.of(
                                    ACCEPTED,
                                    COORDINATION,
                                    DISPATCHED,
                                    COORDINATION,
                                    IN_PROGRESS,
                                    COORDINATION)),
                    entry(TRANSFER, Map.of(DISPATCHED, DISPATCHED, IN_PROGRESS, DISPATCHED)),
                    entry(
                            COMMENT,
                            Map.of(
                                    REPORTED,
                                    REPORTED,
                                    ACCEPTED,
                                    ACCEPTED,
                                    REJECTED,
                                    REJECTED,
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    RESOLVED,
                                    RESOLVED,
                                    VERIFIED,
                                    VERIFIED,
                                    CLOSED,
                                    CLOSED,
                                    ESCALATED,
                                    ESCALATED,
                                    COORDINATION,
                                    COORDINATION)),
                    // the reporter (tracking page) or an operator on the phone, once handled
                    entry(RATE, Map.of(RESOLVED, RESOLVED, VERIFIED, VERIFIED, CLOSED, CLOSED)),
                    entry(
                            REQUEST_EXTENSION,
                            Map.of(
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    COORDINATION,
                                    COORDINATION)),
                    entry(REQUEST_RETURN, Map.of(DISPATCHED, DISPATCHED, IN_PROGRESS, IN_PROGRESS)),
                    entry(
                            REQUEST_PARKING,
                            Map.of(
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    COORDINATION,
                                    COORDINATION)),
                    entry(
                            APPROVE,
                            Map.of(
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    COORDINATION,
                                    COORDINATION)),
                    entry(
                            DENY,
                            Map.of(
                                    DISPATCHED,
                                    DISPATCHED,
                                    IN_PROGRESS,
                                    IN_PROGRESS,
                                    COORDINATION,
                                    COORDINATION)));

    static Stream<Arguments> allowed() {
        List<Arguments> out = new ArrayList<>();
        EXPECTED.forEach((a, m) -> m.forEach((from, to) -> out.add(Arguments.of(from, a, to))));
        return out.stream();
    }

    static Stream<Arguments> forbidden() {
        List<Arguments> out = new ArrayList<>();
        for (CaseAction a : CaseAction.values()) {
            for (CaseStatus s : CaseStatus.values())
                if (!EXPECTED.get(a).containsKey(s)) out.add(Arguments.of(s, a));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("allowed")
    void transition(CaseStatus from, CaseAction a, CaseStatus to) {
        assertTrue(CaseFlow.allowed(from, a));
        assertEquals(Optional.of(to), CaseFlow.target(from, a, DistrictOutcome.HANDLED, false));
    }

    @ParameterizedTest(name = "{1} refused in {0}")
    @MethodSource("forbidden")
    void forbiddenTransition(CaseStatus from, CaseAction a) {
        assertFalse(CaseFlow.allowed(from, a));
        assertEquals(Optional.empty(), CaseFlow.target(from, a, DistrictOutcome.HANDLED, false));
    }

    @org.junit.jupiter.api.Test
    void theDistrictCanSendACaseBackAndAnApprovedReturnGoesToTheNoOwnerQueue() {
        assertEquals(
                Optional.of(ACCEPTED),
                CaseFlow.target(ESCALATED, DISTRICT_REPLY, DistrictOutcome.RETURNED, false));
        assertEquals(Optional.of(ACCEPTED), CaseFlow.target(IN_PROGRESS, APPROVE, null, true));
        assertEquals(Step.DISPATCH, CaseFlow.stepOf(ACCEPTED));
        assertNull(CaseFlow.stepOf(CLOSED));
        assertEquals(Step.HANDLE, CaseFlow.stepOf(COORDINATION));
    }

    /**
     * A rating leaves the case where it is; "not solved" sends a handled case back to be handled
     * again, a closed one too (reopened). An open case cannot be rated at all.
     */
    @ParameterizedTest(name = "rating in {0}")
    @org.junit.jupiter.params.provider.EnumSource(CaseStatus.class)
    void aNotSolvedRatingSendsAHandledCaseBack(CaseStatus from) {
        boolean handled = from == RESOLVED || from == VERIFIED || from == CLOSED;
        assertEquals(
                handled ? Optional.of(from) : Optional.empty(), CaseFlow.afterRating(from, false));
        assertEquals(
                handled ? Optional.of(IN_PROGRESS) : Optional.empty(),
                CaseFlow.afterRating(from, true));
        if (handled)
            assertEquals(Step.HANDLE, CaseFlow.stepOf(CaseFlow.afterRating(from, true).get()));
    }
}
