package org.gridgov.workorder;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.gridgov.api.Csv;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.incident.FirstStep;
import org.junit.jupiter.api.Test;

/** Parsing, CSV rows and deadlines of work orders, without a server. */
class WorkOrderRequestTest {

    static final CategoryCatalog CATALOG =
            new CategoryCatalog(
                    List.of(
                            new Category(
                                    "ENF_STREET_VENDING",
                                    "ENFORCEMENT",
                                    "占道经营",
                                    "Street vending",
                                    24,
                                    BigDecimal.ONE,
                                    "SUBDISTRICT",
                                    "NORMAL",
                                    true)));
    static final HotlineCategories MAPPING =
            new HotlineCategories(
                    List.of(
                            new HotlineCategories.Mapping(
                                    "12345", "010101", "占道经营", "ENF_STREET_VENDING")));
    static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-05T10:00:00+08:00");

    static ObjectNode order() {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("sourceSystem", "12345")
                .put("externalNo", "GD1")
                .put("category", "010101")
                .put("text", "占道")
                .put("reportedAt", "2026-12-05T09:00:00+08:00")
                .put("signDueAt", "2026-12-05T11:00:00+08:00")
                .put("completeDueAt", "2026-12-08T09:00:00+08:00")
                .put("address", "幸福路88号");
        return o;
    }

    static String refusal(ObjectNode o) {
        ProblemException e =
                assertThrows(
                        ProblemException.class,
                        () -> WorkOrderRequest.parse(o, MAPPING, CATALOG, NOW));
        return e.problem().field() + " " + e.problem().type();
    }

    @Test
    void refusesEachBadFieldByPointer() {
        assertTrue(refusal((ObjectNode) order().without("text")).startsWith("/text "));
        assertTrue(refusal(order().put("category", "777")).endsWith("unknown-external-category"));
        assertTrue(
                refusal(order().put("completeDueAt", "2026-12-05T10:30:00+08:00"))
                        .startsWith("/completeDueAt "));
        assertTrue(
                refusal(order().put("signDueAt", "2026-12-05T08:00:00+08:00"))
                        .startsWith("/signDueAt "));
        assertTrue(
                refusal(order().put("reportedAt", "2026-12-06T09:00:00+08:00"))
                        .startsWith("/reportedAt "));
        assertTrue(refusal(order().put("sourceSystem", "12 345")).startsWith("/sourceSystem "));
        assertTrue(refusal(order().put("extra", 1)).startsWith("/extra "));
        assertTrue(refusal((ObjectNode) order().without("address")).startsWith("/location "));
        ObjectNode badPhone = order();
        badPhone.putObject("caller").put("phone", "call me");
        assertTrue(refusal(badPhone).startsWith("/caller/phone "));
    }

    @Test
    void theSameOrderAsJsonAndAsCsvHasTheSameFingerprint() {
        WorkOrder json = WorkOrderRequest.parse(order(), MAPPING, CATALOG, NOW);
        String csv =
                "\uFEFFsourceSystem,externalNo,category,text,reportedAt,signDueAt,completeDueAt,"
                        + "callerName,callerPhone,address,lon,lat\r\n"
                        + "# a comment line\r\n"
                        + "12345,GD1,010101,占道,2026-12-05T01:00:00Z,2026-12-05T11:00:00+08:00,"
                        + "2026-12-08T09:00:00+08:00,,,幸福路88号,,\r\n";
        List<WorkOrderCsv.Line> lines =
                WorkOrderCsv.read(
                        "workorders.csv",
                        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, lines.size());
        assertEquals(3, lines.get(0).line());
        WorkOrder fromCsv = WorkOrderRequest.parse(lines.get(0).order(), MAPPING, CATALOG, NOW);
        assertEquals(json.hash(), fromCsv.hash(), "times compare as instants");
        assertNotEquals(
                json.hash(),
                WorkOrderRequest.parse(order().put("text", "占道!"), MAPPING, CATALOG, NOW).hash());
    }

    @Test
    void aCoordinateThatIsNotANumberIsNamedByLineAndColumn() {
        String csv =
                "sourceSystem,externalNo,category,text,reportedAt,signDueAt,completeDueAt,"
                        + "callerName,callerPhone,address,lon,lat\n"
                        + "12345,GD1,010101,x,2026-12-05T01:00:00Z,2026-12-05T03:00:00Z,"
                        + "2026-12-08T09:00:00Z,,,,12O.5,31.2\n";
        Csv.BadCsv e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                WorkOrderCsv.read(
                                        "workorders.csv",
                                        new ByteArrayInputStream(
                                                csv.getBytes(StandardCharsets.UTF_8))));
        assertEquals(2, e.line());
        assertEquals("lon", e.column());
        assertEquals("callerName", WorkOrderCsv.column("/caller/name"));
        assertEquals("lat", WorkOrderCsv.column("/location/lat"));
        assertEquals("lon", WorkOrderCsv.column("/location"));
        assertEquals("completeDueAt", WorkOrderCsv.column("/completeDueAt"));
    }

    @Test
    void theHotlinesSignForDeadlineReplacesTheAcceptanceStepsKeepingWhatFitsAroundIt() {
        WorkOrder o = WorkOrderRequest.parse(order(), MAPPING, CATALOG, NOW);
        OffsetDateTime sign = o.signDueAt();
        FirstStep planned =
                new FirstStep("ACCEPT", sign.plusHours(5), sign.minusHours(1), sign.plusHours(10));
        FirstStep f = HotlineDeadlines.signFor(planned, o);
        assertEquals(sign, f.dueAt());
        assertEquals(sign.minusHours(1), f.remindAt());
        assertEquals(sign.plusHours(10), f.escalateAt());
        FirstStep late =
                HotlineDeadlines.signFor(
                        new FirstStep("ACCEPT", sign, sign.plusHours(1), sign.minusHours(1)), o);
        assertNull(late.remindAt(), "a reminder after the deadline falls away");
        assertNull(late.escalateAt(), "an escalation before the deadline falls away");
        assertNull(HotlineDeadlines.signFor(null, o), "a case sent to the district runs no clock");
        assertTrue(HotlineDeadlines.description(o).contains("幸福路88号"));
    }
}
