package org.gridgov.open311;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.junit.jupiter.api.Test;

/** Service definitions as data: the file's rules, and how answers are checked. */
class ServiceDefinitionsTest {

    static final ServiceDefinitions SHIPPED = ServiceDefinitions.fromClasspath();

    @Test
    void theShippedFileNamesCategoriesThePublicMayReport() {
        CategoryCatalog catalog = CategoryCatalog.fromClasspath();
        assertTrue(SHIPPED.services().size() >= 5, SHIPPED.services().toString());
        for (String s : SHIPPED.services()) {
            Category c = catalog.find(s).orElseThrow(() -> new AssertionError("no category " + s));
            assertFalse(c.districtAuthority(), s + " is not offered in services.json");
        }
        assertTrue(SHIPPED.has("ENF_SIDEWALK_PARKING"));
        assertFalse(SHIPPED.has("ENF_STREET_VENDING"));
        JsonNode d = SHIPPED.definition("ENF_SIDEWALK_PARKING");
        assertEquals("VEHICLES", d.at("/attributes/0/code").asText());
        assertEquals("number", d.at("/attributes/0/datatype").asText());
        assertEquals("CAR", d.at("/attributes/1/values/0/key").asText());
        assertEquals(0, SHIPPED.definition("ENF_STREET_VENDING").get("attributes").size());
    }

    static ServiceDefinitions parse(String... rows) {
        String csv = String.join(",", ServiceDefinitions.COLUMNS) + "\n" + String.join("\n", rows);
        return ServiceDefinitions.parse(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    static String fails(String... rows) {
        return assertThrows(RuntimeException.class, () -> parse(rows)).getMessage();
    }

    @Test
    void aBadRowStopsTheStartNamingLineAndColumn() {
        String ok = "S_ONE,A,1,true,string,false,a question,,";
        assertTrue(
                fails(ok, "S_ONE,B,2,true,colour,false,q,,").contains("line 3, column datatype"));
        assertTrue(fails("S_ONE,B,1,true,singlevaluelist,true,q,,").contains("column values"));
        assertTrue(fails("S_ONE,B,1,true,string,false,q,,X=y").contains("only a value list"));
        assertTrue(fails(ok, "S_ONE,A,2,true,string,false,q,,").contains("appears twice"));
        assertTrue(fails(ok, "S_ONE,B,1,true,string,false,q,,").contains("used twice"));
        assertTrue(fails("S_ONE,B,1,false,string,true,q,,").contains("cannot be required"));
        assertTrue(fails("S_ONE,B,0,true,string,false,q,,").contains("positive"));
        assertTrue(fails("S_ONE,B,1,true,singlevaluelist,false,q,,X=y|X=z").contains("twice"));
        assertTrue(fails("S_ONE,B,1,true,singlevaluelist,false,q,,x y").contains("KEY=name"));
        assertTrue(fails("S_ONE,B,1,true,string,false,,,").contains("description"));
        assertTrue(fails("s_one,B,1,true,string,false,q,,").contains("column service"));
    }

    static Map<String, List<String>> params(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        m.put("service_code", List.of("ignored"));
        return m;
    }

    static String refused(String service, String... kv) {
        Open311Error e =
                assertThrows(Open311Error.class, () -> SHIPPED.answers(service, params(kv)));
        assertEquals(400, e.status);
        return e.getMessage();
    }

    @Test
    void answersAreCheckedAgainstTheDefinition() {
        ArrayNode a =
                SHIPPED.answers(
                        "ENF_SIDEWALK_PARKING",
                        params("attribute[VEHICLES]", "3", "attribute[VEHICLE_KIND]", "EBIKE"));
        assertEquals(2, a.size());
        assertTrue(a.get(0).get("value").isNumber());
        assertEquals(3, a.get(0).get("value").asInt());
        assertEquals("EBIKE", a.get(1).get("value").asText());
        assertTrue(a.get(1).get("name").asText().startsWith("电动车"));

        ArrayNode multi =
                SHIPPED.answers(
                        "ENF_EXPOSED_GARBAGE",
                        params(
                                "attribute[GARBAGE_KIND][]", "BULKY",
                                "attribute[GARBAGE_KIND][]", "KITCHEN",
                                "attribute[GARBAGE_KIND][]", "BULKY"));
        assertEquals("[\"BULKY\",\"KITCHEN\"]", multi.get(0).get("value").toString());
        assertEquals(2, multi.get(0).get("name").size());

        assertEquals(0, SHIPPED.answers("ENF_STREET_VENDING", params()).size());
        assertEquals(
                1,
                SHIPPED.answers(
                                "ENF_SIDEWALK_PARKING",
                                params("attribute[VEHICLES]", "2", "attribute[VEHICLE_KIND]", " "))
                        .size(),
                "an empty value is no value");
        assertEquals(
                "2026-12-05T22:30+08:00",
                SHIPPED.answers(
                                "ENF_CONSTRUCTION_NOISE",
                                params("attribute[STARTED_AT]", "2026-12-05T22:30:00+08:00"))
                        .get(0)
                        .get("value")
                        .asText());
    }

    @Test
    void badAnswersAreRefusedNamingTheAttribute() {
        assertTrue(refused("ENF_SIDEWALK_PARKING").contains("attribute[VEHICLES] is required"));
        assertTrue(
                refused("ENF_SIDEWALK_PARKING", "attribute[VEHICLES]", "many")
                        .contains("must be a number"));
        assertTrue(
                refused("ENF_SIDEWALK_PARKING", "attribute[VEHICLES]", "1e99")
                        .contains("must be a number"));
        assertTrue(
                refused(
                                "ENF_SIDEWALK_PARKING",
                                "attribute[VEHICLES]",
                                "1",
                                "attribute[VEHICLE_KIND]",
                                "TANK")
                        .contains("must be one of CAR, EBIKE, BIKE, SHARED_BIKE"));
        assertTrue(
                refused(
                                "ENF_SIDEWALK_PARKING",
                                "attribute[VEHICLES]",
                                "1",
                                "attribute[VEHICLES]",
                                "2")
                        .contains("takes one value"));
        assertTrue(
                refused(
                                "ENF_SIDEWALK_PARKING",
                                "attribute[VEHICLES]",
                                "1",
                                "attribute[COLOUR]",
                                "r")
                        .contains("no attribute 'COLOUR'"));
        assertTrue(
                refused("ENF_STREET_VENDING", "attribute[VEHICLES]", "1")
                        .contains("has no attributes"));
        assertTrue(
                refused("ENF_SIDEWALK_PARKING", "attribute[VEHICLES", "1")
                        .contains("is not attribute[CODE]=value"));
        assertTrue(refused("SVC_GAS_LEAK", "attribute[SAFETY]", "ok").contains("notice"));
        assertTrue(
                refused(
                                "SVC_STREETLIGHT_OUT",
                                "attribute[LIGHT_STATE]",
                                "DARK",
                                "attribute[POLE_NUMBER]",
                                "a\nb")
                        .contains("one line"));
        assertTrue(
                refused("ENF_CONSTRUCTION_NOISE", "attribute[STARTED_AT]", "last night")
                        .contains("date-time"));
        assertTrue(
                refused("ENF_EXPOSED_GARBAGE", "attribute[GARBAGE_KIND][]", "GOLD")
                        .contains("must be one of"));
        assertTrue(
                refused("SVC_GAS_LEAK", "attribute[SMELL_SINCE]", "x".repeat(4001))
                        .contains("longer than 4000"));
    }
}
