package org.gridgov.workflow;

import java.util.Arrays;
import java.util.Optional;

/** What can be done to a case, by its wire name in POST /api/v1/incidents/{id}/actions. */
public enum CaseAction {
    ACCEPT("accept"),
    REJECT("reject"),
    MERGE("merge"),
    DISPATCH("dispatch"),
    START("start"),
    RESOLVE("resolve"),
    VERIFY("verify"),
    REWORK("rework"),
    CLOSE("close"),
    ESCALATE("escalate"),
    DISTRICT_REPLY("district-reply"),
    COORDINATE("coordinate"),
    TRANSFER("transfer"),
    COMMENT("comment"),
    RATE("rate"),
    REQUEST_EXTENSION("request-extension"),
    REQUEST_RETURN("request-return"),
    REQUEST_PARKING("request-parking"),
    APPROVE("approve"),
    DENY("deny"),
    SUPERVISE("supervise"),
    RECLASSIFY("reclassify"),
    // the district command centre (docs/district.md): its own queue of escalated cases
    DISTRICT_ACCEPT("district-accept"),
    DISTRICT_ASSIGN("district-assign"),
    DISTRICT_RETURN("district-return"),
    DISTRICT_RESOLVE("district-resolve");

    public final String wire;

    CaseAction(String wire) {
        this.wire = wire;
    }

    /** Whether the action asks the centre for an exception ({@link ExceptionKind}). */
    public boolean isRequest() {
        return ExceptionKind.requestedBy(this) != null;
    }

    /** The district command centre's own actions on an escalated case. */
    public boolean isDistrict() {
        return this == DISTRICT_ACCEPT
                || this == DISTRICT_ASSIGN
                || this == DISTRICT_RETURN
                || this == DISTRICT_RESOLVE;
    }

    public static Optional<CaseAction> parse(String s) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(s)).findFirst();
    }
}
