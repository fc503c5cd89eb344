package org.gridgov.track;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.List;
import org.gridgov.api.Lang;
import org.gridgov.api.Responses;
import org.gridgov.cases.CaseStatus;
import org.gridgov.geo.PublicLocation;
import org.gridgov.workflow.CaseAction;
import org.gridgov.workflow.CaseFlow;

/**
 * The tracking page's answer, pure: the case in public wording, in one language. Times are instants
 * (UTC); the page shows them in the reader's time zone.
 */
final class TrackView {

    private TrackView() {}

    static ObjectNode of(TrackStore.Tracked t, Lang lang, List<PhotoSource.Photo> photos) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("ticket", t.id()).put("lang", lang.tag);
        PublicStep now =
                t.mergedInto() != null && t.shownStatus() == CaseStatus.REJECTED
                        ? PublicStep.MERGED
                        : PublicStep.ofStatus(t.shownStatus());
        n.putObject("status").put("step", now.name()).put("text", now.text(lang));
        n.put("merged", t.mergedInto() != null);
        n.putObject("category")
                .put("code", t.category())
                .put("name", lang == Lang.EN ? t.categoryEn() : t.categoryZh());
        n.put("reportedAt", instant(t.reportedAt()));
        n.put("updatedAt", instant(t.updatedAt()));
        n.putObject("location")
                .put("lon", PublicLocation.decimal(t.lon()))
                .put("lat", PublicLocation.decimal(t.lat()))
                .put("roundedToDegrees", PublicLocation.GRID_DEGREES);
        ArrayNode steps = n.putArray("timeline");
        for (TrackStore.Event e : t.events()) {
            for (PublicStep s : steps(e)) {
                steps.addObject()
                        .put("step", s.name())
                        .put("at", instant(e.at()))
                        .put("text", s.text(lang));
            }
        }
        ArrayNode ph = n.putArray("photos");
        for (PhotoSource.Photo p : photos) {
            ObjectNode o = ph.addObject().put("url", p.url());
            if (p.thumbnailUrl() != null) o.put("thumbnailUrl", p.thumbnailUrl());
            if (p.takenAt() != null) o.put("takenAt", p.takenAt());
        }
        if (t.rating() == null) n.putNull("rating");
        else
            n.putObject("rating")
                    .put("satisfaction", t.rating().satisfaction())
                    .put("notSolved", t.rating().notSolved())
                    .put("at", instant(t.rating().at()));
        n.put("canRate", canRate(t));
        return n;
    }

    /** Whether the reporter may rate now: handled, not yet rated (by them or on the phone). */
    static boolean canRate(TrackStore.Tracked t) {
        return t.satisfaction() == null && CaseFlow.allowed(t.status(), CaseAction.RATE);
    }

    /**
     * The public steps of one event: none, one, or for a district matter two (received, referred).
     */
    static List<PublicStep> steps(TrackStore.Event e) {
        if (e.type().equals("REPORTED") && "ESCALATED".equals(e.to()))
            return List.of(PublicStep.RECEIVED, PublicStep.REFERRED);
        if (e.type().equals("REJECT") && "DUPLICATE".equals(e.reason()))
            return List.of(PublicStep.MERGED);
        return PublicStep.ofEvent(e.type(), e.to()).map(List::of).orElse(List.of());
    }

    private static String instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}
