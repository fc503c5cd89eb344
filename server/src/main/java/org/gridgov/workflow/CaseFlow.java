package org.gridgov.workflow;

import static org.gridgov.cases.CaseStatus.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.gridgov.cases.CaseStatus;

/**
 * The state machine of a case, pure: which action is allowed in which state, and where it leads.
 * Actions whose target depends on the request (district-reply, approve) name every state they may
 * lead to; {@link #target} picks one. Everything else in docs/workflow.md.
 */
public final class CaseFlow {

    private static final Set<CaseStatus> HANDLING =
            EnumSet.of(DISPATCHED, IN_PROGRESS, COORDINATION);
    private static final Set<CaseStatus> ESCALATABLE =
            EnumSet.of(REPORTED, ACCEPTED, DISPATCHED, IN_PROGRESS, COORDINATION, RESOLVED);
    private static final Set<CaseStatus> ANY = EnumSet.allOf(CaseStatus.class);
    private static final Set<CaseStatus> RATEABLE = EnumSet.of(RESOLVED, VERIFIED, CLOSED);

    /** Not yet handled: a leader's 督办 is met when the case is resolved. */
    private static final Set<CaseStatus> OPEN =
            EnumSet.of(REPORTED, ACCEPTED, DISPATCHED, IN_PROGRESS, COORDINATION, ESCALATED);

    /** Allowed source states per action. */
    private static final Map<CaseAction, Set<CaseStatus>> FROM = new EnumMap<>(CaseAction.class);

    static {
        FROM.put(CaseAction.ACCEPT, EnumSet.of(REPORTED));
        FROM.put(CaseAction.REJECT, EnumSet.of(REPORTED));
        FROM.put(CaseAction.MERGE, EnumSet.of(REPORTED, ACCEPTED));
        // re-dispatch of a dispatched case is the command centre's override
        FROM.put(CaseAction.DISPATCH, EnumSet.of(ACCEPTED, DISPATCHED));
        FROM.put(CaseAction.START, EnumSet.of(DISPATCHED));
        FROM.put(CaseAction.RESOLVE, EnumSet.of(IN_PROGRESS, COORDINATION));
        FROM.put(CaseAction.VERIFY, EnumSet.of(RESOLVED));
        FROM.put(CaseAction.REWORK, EnumSet.of(RESOLVED));
        FROM.put(CaseAction.CLOSE, EnumSet.of(VERIFIED));
        FROM.put(CaseAction.ESCALATE, ESCALATABLE);
        FROM.put(CaseAction.DISTRICT_REPLY, EnumSet.of(ESCALATED));
        FROM.put(CaseAction.COORDINATE, EnumSet.of(ACCEPTED, DISPATCHED, IN_PROGRESS));
        FROM.put(CaseAction.TRANSFER, EnumSet.of(DISPATCHED, IN_PROGRESS));
        FROM.put(CaseAction.COMMENT, ANY);
        // the reporter's rating, once the case is handled: from the tracking page, or taken by an
        // operator on the phone
        FROM.put(CaseAction.RATE, RATEABLE);
        FROM.put(CaseAction.REQUEST_EXTENSION, HANDLING);
        FROM.put(CaseAction.REQUEST_RETURN, EnumSet.of(DISPATCHED, IN_PROGRESS));
        FROM.put(CaseAction.REQUEST_PARKING, HANDLING);
        FROM.put(CaseAction.APPROVE, HANDLING);
        FROM.put(CaseAction.DENY, HANDLING);
        FROM.put(CaseAction.SUPERVISE, OPEN);
        // a coordinated case has its subtasks per platform: it is not re-routed as a whole
        FROM.put(CaseAction.RECLASSIFY, EnumSet.of(REPORTED, ACCEPTED, DISPATCHED, IN_PROGRESS));
        // the district works on a case while it is ESCALATED (its stage: DistrictDesk)
        FROM.put(CaseAction.DISTRICT_ACCEPT, EnumSet.of(ESCALATED));
        FROM.put(CaseAction.DISTRICT_ASSIGN, EnumSet.of(ESCALATED));
        FROM.put(CaseAction.DISTRICT_RETURN, EnumSet.of(ESCALATED));
        FROM.put(CaseAction.DISTRICT_RESOLVE, EnumSet.of(ESCALATED));
    }

    private CaseFlow() {}

    public static boolean allowed(CaseStatus from, CaseAction a) {
        return FROM.get(a).contains(from);
    }

    public static Set<CaseStatus> sources(CaseAction a) {
        return FROM.get(a);
    }

    /**
     * Where the action leads from the given state, or empty when it is not allowed there. {@code
     * districtOutcome} (HANDLED | RETURNED) matters only for district-reply, {@code approvedReturn}
     * only for approve.
     */
    public static Optional<CaseStatus> target(
            CaseStatus from,
            CaseAction a,
            DistrictOutcome districtOutcome,
            boolean approvedReturn) {
        if (!allowed(from, a)) return Optional.empty();
        CaseStatus to =
                switch (a) {
                    case ACCEPT -> ACCEPTED;
                    case REJECT, MERGE -> REJECTED;
                    case DISPATCH, TRANSFER -> DISPATCHED;
                    case START, REWORK -> IN_PROGRESS;
                    case RESOLVE -> RESOLVED;
                    case VERIFY -> VERIFIED;
                    case CLOSE -> CLOSED;
                    case ESCALATE -> ESCALATED;
                    case DISTRICT_REPLY ->
                            districtOutcome == DistrictOutcome.RETURNED ? ACCEPTED : RESOLVED;
                    case COORDINATE -> COORDINATION;
                    // back to the subdistrict's command centre, to be dispatched there
                    case DISTRICT_RETURN -> ACCEPTED;
                    // the department's work done: verified and closed like any handled case
                    case DISTRICT_RESOLVE -> RESOLVED;
                    case DISTRICT_ACCEPT, DISTRICT_ASSIGN -> ESCALATED;
                    // re-routed: a case in hand goes to the new category's platform and handler
                    case RECLASSIFY -> from == IN_PROGRESS ? DISPATCHED : from;
                    // a returned case waits, unassigned, in the command centre's no-owner queue
                    case APPROVE -> approvedReturn ? ACCEPTED : from;
                    case COMMENT,
                            RATE,
                            REQUEST_EXTENSION,
                            REQUEST_RETURN,
                            REQUEST_PARKING,
                            DENY,
                            SUPERVISE ->
                            from;
                };
        return Optional.of(to);
    }

    /**
     * Where a rating leads: the case stays where it is, unless the reporter says the matter is not
     * solved; then it goes back to be handled again (IN_PROGRESS, as a rework), from a closed case
     * too (reopened). Empty when the case cannot be rated in that state.
     */
    public static Optional<CaseStatus> afterRating(CaseStatus from, boolean notSolved) {
        if (!allowed(from, CaseAction.RATE)) return Optional.empty();
        return Optional.of(notSolved ? IN_PROGRESS : from);
    }

    /** The step whose deadline runs in a state (null: none runs). */
    public static Step stepOf(CaseStatus s) {
        return switch (s) {
            case REPORTED -> Step.ACCEPT;
            case ACCEPTED -> Step.DISPATCH;
            case DISPATCHED, IN_PROGRESS, COORDINATION -> Step.HANDLE;
            case RESOLVED -> Step.VERIFY;
            case VERIFIED -> Step.CLOSE;
            case REJECTED, CLOSED, ESCALATED -> null;
        };
    }
}
