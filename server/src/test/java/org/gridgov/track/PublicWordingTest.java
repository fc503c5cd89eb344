package org.gridgov.track;

import static org.junit.jupiter.api.Assertions.*;

import java.time.OffsetDateTime;
import java.util.List;
import org.gridgov.api.Lang;
import org.junit.jupiter.api.Test;

/** The public steps and languages, pure: what each event shows, and which language is spoken. */
class PublicWordingTest {

    static List<PublicStep> of(String type, String to, String reason) {
        return TrackView.steps(
                new TrackStore.Event(type, to, OffsetDateTime.parse("2026-12-05T10:00Z"), reason));
    }

    @Test
    void eventsTheStaffKeepToThemselvesShowNothing() {
        for (String internal :
                List.of(
                        "COMMENT",
                        "REMINDER",
                        "SUPERVISION_NOTICE",
                        "EXTENSION_REQUESTED",
                        "RETURN_APPROVED",
                        "PARKING_DENIED",
                        "COORDINATE",
                        "BACKDATED",
                        "CALLBACK"))
            assertEquals(List.of(), of(internal, "IN_PROGRESS", null), internal);
        // the deadline's escalation shows only when the case leaves for the district
        assertEquals(List.of(), of("ESCALATION", "IN_PROGRESS", null));
        assertEquals(List.of(PublicStep.REFERRED), of("ESCALATION", "ESCALATED", null));
    }

    @Test
    void eachPublicEventHasItsStep() {
        assertEquals(List.of(PublicStep.RECEIVED), of("REPORTED", "REPORTED", null));
        assertEquals(
                List.of(PublicStep.RECEIVED, PublicStep.REFERRED),
                of("REPORTED", "ESCALATED", null),
                "a district matter is referred at intake");
        assertEquals(List.of(PublicStep.DISPATCHED), of("TRANSFER", "DISPATCHED", null));
        assertEquals(List.of(PublicStep.REWORK), of("REWORK", "IN_PROGRESS", null));
        assertEquals(List.of(PublicStep.REJECTED), of("REJECT", "REJECTED", "INVALID"));
        assertEquals(List.of(PublicStep.MERGED), of("REJECT", "REJECTED", "DUPLICATE"));
        assertEquals(List.of(PublicStep.RESOLVED), of("DISTRICT_REPLY", "RESOLVED", null));
        assertEquals(List.of(PublicStep.ACCEPTED), of("DISTRICT_REPLY", "ACCEPTED", null));
    }

    @Test
    void everyStepSpeaksBothLanguages() {
        for (PublicStep s : PublicStep.values()) {
            assertFalse(s.text(Lang.ZH).isBlank(), s.name());
            assertFalse(s.text(Lang.EN).isBlank(), s.name());
            assertTrue(s.text(Lang.ZH).codePoints().anyMatch(c -> c > 0x2E80), s + " in Chinese");
            assertTrue(s.text(Lang.EN).chars().allMatch(c -> c < 128), s + " in English");
        }
    }

    @Test
    void theLanguageIsChineseUnlessEnglishIsPreferred() {
        assertEquals(Lang.ZH, Lang.ofHeader(null));
        assertEquals(Lang.ZH, Lang.ofHeader("fr-FR,de;q=0.8"));
        assertEquals(Lang.EN, Lang.ofHeader("en-GB,en;q=0.9"));
        assertEquals(Lang.ZH, Lang.ofHeader("zh-CN,zh;q=0.9,en;q=0.8"));
        assertEquals(Lang.EN, Lang.ofHeader("zh;q=0.3, en;q=0.7"));
        assertEquals(Lang.EN, Lang.ofTag("EN"));
        assertNull(Lang.ofTag("fr"));
    }
}
