package org.gridgov.track;

import java.util.Optional;
import org.gridgov.api.Lang;
import org.gridgov.cases.CaseStatus;

/**
 * A case's progress in plain public wording, the one source of the tracking page's text (the API
 * answers it in the reader's language; the web page shows what it is given). Each step is a kind of
 * event the public may know of; staff notes, names, comments, requests, reminders and supervision
 * never show.
 */
public enum PublicStep {
    RECEIVED("已收到您的反映", "Your report was received"),
    ACCEPTED("已受理", "Accepted"),
    DISPATCHED("已派给处置人员", "Passed to the people who handle it"),
    IN_HAND("正在处置", "Being handled"),
    RESOLVED("已处置完毕，等待核查", "Handled, awaiting a check on the spot"),
    VERIFIED("现场核查通过", "Checked on the spot"),
    CLOSED("已办结", "Closed"),
    REWORK("退回重新处置", "Sent back to be handled again"),
    REFERRED("已转区级部门处理", "Referred to the district"),
    REJECTED("不予受理", "Not accepted"),
    MERGED("与其他相同反映合并处理", "Handled together with the same matter reported earlier"),
    RATED("已收到您的评价", "Your rating was received");
    private final String zh, en;

    PublicStep(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String text(Lang lang) {
        return lang == Lang.EN ? en : zh;
    }

    /**
     * The public step of an event of the case's log, or empty when the public does not see that
     * kind of event. {@code to} is the state the event led to (a district's reply, the scheduler's
     * escalation and intake itself depend on it).
     */
    static Optional<PublicStep> ofEvent(String type, String to) {
        PublicStep s =
                switch (type) {
                    case "REPORTED" -> RECEIVED;
                    case "ACCEPT" -> ACCEPTED;
                    case "DISPATCH", "TRANSFER" -> DISPATCHED;
                    case "START" -> IN_HAND;
                    case "RESOLVE" -> RESOLVED;
                    case "VERIFY" -> VERIFIED;
                    case "CLOSE" -> CLOSED;
                    case "REWORK" -> REWORK;
                    case "ESCALATE" -> REFERRED;
                    // the deadline's escalation refers the case only when it leaves for the
                    // district
                    case "ESCALATION" -> "ESCALATED".equals(to) ? REFERRED : null;
                    case "DISTRICT_REPLY" -> "RESOLVED".equals(to) ? RESOLVED : ACCEPTED;
                    case "REJECT" -> REJECTED;
                    case "MERGE" -> MERGED;
                    case "RATE" -> RATED;
                    default -> null;
                };
        return Optional.ofNullable(s);
    }

    /** Where a case in this state stands, in the same words. */
    static PublicStep ofStatus(CaseStatus s) {
        return switch (s) {
            case REPORTED -> RECEIVED;
            case ACCEPTED -> ACCEPTED;
            case DISPATCHED -> DISPATCHED;
            case IN_PROGRESS, COORDINATION -> IN_HAND;
            case RESOLVED -> RESOLVED;
            case VERIFIED -> VERIFIED;
            case CLOSED -> CLOSED;
            case ESCALATED -> REFERRED;
            case REJECTED -> REJECTED;
        };
    }
}
