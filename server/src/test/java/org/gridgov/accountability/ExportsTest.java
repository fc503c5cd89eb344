package org.gridgov.accountability;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.gridgov.api.Lang;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.assess.Period;
import org.junit.jupiter.api.Test;

/** The exports and the period rules, without a server: escaping, headers, grouping, ranges. */
class ExportsTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static Finding finding(FindingKind kind, long id, String platform, List<Person> people) {
        ArrayNode steps = Responses.JSON.createArrayNode();
        steps.addObject()
                .put("at", "2026-11-02T01:30:00Z")
                .put("type", "TRANSFER")
                .put("byName", "王<五>")
                .put("byRole", "PLATFORM_COMMANDER")
                .put("fromPlatform", "MARKET")
                .put("toPlatform", "ENFORCEMENT");
        return new Finding(
                kind,
                id,
                2,
                "DISPATCHED",
                "ENF_X",
                platform,
                12L,
                "张三, \"老张\"",
                4L,
                "330108001002004",
                "第4网格",
                people,
                steps);
    }

    static final Person ASKER = new Person(12, "张三", "PLATFORM_HANDLER", "asked-return", true);
    static final Person CHIEF = new Person(3, "潘", "CHIEF_COMMANDER", "approved-return", false);

    static Report report(List<Finding> found, By by) {
        Period p = Period.named("2026-Q4", ZONE);
        return Report.of(
                p.label(),
                p.from(),
                p.to(),
                by,
                EnumSet.allOf(FindingKind.class),
                Thresholds.DEFAULT,
                found);
    }

    @Test
    void csvQuotesWhatNeedsItAndNamesTheColumnsInTheLanguage() {
        Report r =
                report(
                        List.of(finding(FindingKind.PASSED_BACK, 7, "MARKET", List.of(ASKER))),
                        By.PLATFORM);
        String zh = new String(new Exports(ZONE).csv(r, Lang.ZH), StandardCharsets.UTF_8);
        assertTrue(zh.startsWith("\uFEFF问题类型,案件编号,状态"), zh);
        assertTrue(zh.contains("\"张三, \"\"老张\"\"\""), "a comma and quotes are quoted: " + zh);
        assertTrue(
                zh.contains(
                        "2026-11-02 09:30 TRANSFER by 王<五> (PLATFORM_COMMANDER), MARKET"
                                + " -> ENFORCEMENT"),
                "times in the area's zone: " + zh);
        String en = new String(new Exports(ZONE).csv(r, Lang.EN), StandardCharsets.UTF_8);
        assertTrue(en.startsWith("\uFEFFFinding,Case,Status"), en);
    }

    @Test
    void htmlEscapesNamesAndHasATablePerKind() {
        Report r =
                report(
                        List.of(finding(FindingKind.PASSED_BACK, 7, "MARKET", List.of(ASKER))),
                        By.PLATFORM);
        String h =
                new Exports(ZONE)
                        .html(
                                r,
                                Lang.ZH,
                                "auditor<x>",
                                OffsetDateTime.parse("2026-12-01T00:00:00Z"));
        assertFalse(h.contains("王<五>"), "names are escaped");
        assertTrue(h.contains("王&lt;五&gt;"));
        assertTrue(h.contains("auditor&lt;x&gt;"));
        assertEquals(5, h.split("<h2 id=\"", -1).length - 1, "one section per kind");
        assertTrue(h.contains("data-kind=\"passed-back\""));
        assertTrue(h.contains("<p>无。</p>"), "the kinds without findings say so");
    }

    @Test
    void byPersonCountsEachAnswerablePersonOnce() {
        Finding f =
                finding(
                        FindingKind.PASSED_BACK,
                        7,
                        "MARKET",
                        List.of(
                                ASKER,
                                CHIEF,
                                new Person(12, "张三", "PLATFORM_HANDLER", "transferred", true)));
        Report r = report(List.of(f), By.PERSON);
        assertEquals(1, r.groups().size(), "the chief is named, not answerable; 张三 counted once");
        assertEquals("12", r.groups().get(0).key());
        assertEquals(1, r.groups().get(0).counts().get(FindingKind.PASSED_BACK));
        Report none =
                report(
                        List.of(finding(FindingKind.NO_OWNER, 8, "MARKET", List.of(CHIEF))),
                        By.PERSON);
        assertEquals("-", none.groups().get(0).key());
    }

    @Test
    void periodsAreNamedOrGivenAndBounded() {
        Period q = Period.of("2026-Q4", null, null, ZONE);
        assertEquals(OffsetDateTime.parse("2026-10-01T00:00+08:00"), q.from());
        assertEquals(OffsetDateTime.parse("2027-01-01T00:00+08:00"), q.to());
        assertEquals(
                OffsetDateTime.parse("2026-02-01T00:00+08:00"),
                Period.of("2026-01", null, null, ZONE).to());
        Period d = Period.of(null, "2026-10-01", "2026-10-01T12:00:00+08:00", ZONE);
        assertNull(d.label());
        assertEquals(OffsetDateTime.parse("2026-10-01T00:00+08:00"), d.from());
        for (String[] bad :
                new String[][] {
                    {"2026-Q0", null, null},
                    {"2026-13", null, null},
                    {null, "2026-10-01", null},
                    {null, "2026-10-02", "2026-10-01"},
                    {null, "2025-01-01", "2026-03-01"},
                    {"2026", "2026-01-01", null},
                    {null, "01/10/2026", "2026-11-01"}
                }) {
            assertThrows(
                    ProblemException.class,
                    () -> Period.of(bad[0], bad[1], bad[2], ZONE),
                    String.join(" ", java.util.Arrays.asList(bad).toString()));
        }
    }
}
