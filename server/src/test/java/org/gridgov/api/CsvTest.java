package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference-data CSV reader: what Excel writes reads as it looks; errors say where. */
class CsvTest {

    record Thing(String code, String name, int hours, BigDecimal weight, boolean open) {}

    static final List<String> COLUMNS = List.of("code", "name", "hours", "weight", "open");

    static List<Thing> read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<Thing> read(byte[] bytes) {
        return Csv.read(
                "gis-data/things.csv",
                new ByteArrayInputStream(bytes),
                COLUMNS,
                r ->
                        new Thing(
                                r.text("code"),
                                r.text("name"),
                                r.integer("hours"),
                                r.decimal("weight"),
                                r.bool("open")));
    }

    static Csv.BadCsv bad(String text) {
        return assertThrows(Csv.BadCsv.class, () -> read(text));
    }

    @Test
    void plainRowsCommentsAndBlankLines() {
        List<Thing> t =
                read(
                        "# a comment, with a comma\n"
                                + "code,name,hours,weight,open\n"
                                + "\n"
                                + "A,Alpha,24,1.5,true\n"
                                + "# another\n"
                                + "B,Beta,72,2.0,false\n");
        assertEquals(
                List.of(
                        new Thing("A", "Alpha", 24, new BigDecimal("1.5"), true),
                        new Thing("B", "Beta", 72, new BigDecimal("2.0"), false)),
                t);
    }

    @Test
    void aQuotedCommaStaysInItsField() {
        List<Thing> t =
                read("code,name,hours,weight,open\nA,\"Roads, paths and bridges\",24,1,true\n");
        assertEquals("Roads, paths and bridges", t.get(0).name());
        assertEquals(24, t.get(0).hours());
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnName() {
        byte[] body =
                "code,name,hours,weight,open\nA,名称,24,1,true\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        List<Thing> t = read(withBom);
        assertEquals("A", t.get(0).code());
        assertEquals("名称", t.get(0).name());
    }

    @Test
    void crlfLineEndsLeaveNoCarriageReturnInTheLastField() {
        List<Thing> t =
                read("code,name,hours,weight,open\r\nA,Alpha,24,1,true\r\nB,Beta,1,1,false\r\n");
        assertEquals(2, t.size());
        assertTrue(t.get(0).open());
        assertFalse(t.get(1).open());
    }

    @Test
    void excelStyleQuotingWithDoubledQuotesAndALineBreak() {
        // Excel quotes every field that needs it and doubles the quotes inside
        List<Thing> t =
                read(
                        "\"code\",\"name\",\"hours\",\"weight\",\"open\"\r\n"
                                + "\"A\",\"The \"\"big\"\" one, east\",\"24\",\"1.0\",\"true\"\r\n"
                                + "\"B\",\"two\nlines\",\"1\",\"1\",\"false\"\r\n"
                                + "C,plain,2,3,true\r\n");
        assertEquals("The \"big\" one, east", t.get(0).name());
        assertEquals(24, t.get(0).hours());
        assertEquals("two\nlines", t.get(1).name());
        assertEquals("C", t.get(2).code());
    }

    @Test
    void anEmptiedExcelRowIsSkipped() {
        assertEquals(
                1, read("code,name,hours,weight,open\r\n,,,,\r\nA,Alpha,24,1,true\r\n").size());
    }

    @Test
    void theLineOfARowAfterAMultiLineFieldIsItsOwn() {
        var e = bad("code,name,hours,weight,open\nA,\"two\nlines\",1,1,true\nB,Beta,x,1,true\n");
        assertEquals(4, e.line());
        assertEquals("hours", e.column());
    }

    @Test
    void aMissingColumnIsNamed() {
        var e = bad("# comment\ncode,name,weight,open\nA,Alpha,1,true\n");
        assertEquals("gis-data/things.csv line 2: missing column 'hours'", e.getMessage());
        assertNull(e.column());
    }

    @Test
    void anUnknownColumnIsNamed() {
        var e = bad("code,name,hours,weight,open,colour\nA,Alpha,1,1,true,red\n");
        assertEquals(
                "gis-data/things.csv line 1: unknown column 'colour' in the header",
                e.getMessage());
    }

    @Test
    void aBadNumberIsNamedByFileLineAndColumn() {
        var e =
                bad(
                        "code,name,hours,weight,open\n"
                                + "A,Alpha,24,1,true\n"
                                + "# comment\n"
                                + "\n"
                                + "B,Beta,abc,1,true\n");
        assertEquals(
                "gis-data/things.csv line 5, column hours: 'abc' is not a whole number",
                e.getMessage());
        assertEquals("gis-data/things.csv", e.source());
        assertEquals(5, e.line());
        assertEquals("hours", e.column());

        var d = bad("code,name,hours,weight,open\r\nA,Alpha,1,1.2.3,true\r\n");
        assertEquals(
                "gis-data/things.csv line 2, column weight: '1.2.3' is not a number",
                d.getMessage());
    }

    @Test
    void aShortRowIsRefusedWithItsLine() {
        var e = bad("code,name,hours,weight,open\nA,Alpha,24\n");
        assertEquals("gis-data/things.csv line 2: 3 fields, the header names 5", e.getMessage());
    }

    @Test
    void aBooleanIsSpeltOut() {
        var e = bad("code,name,hours,weight,open\nA,Alpha,24,1,yes\n");
        assertEquals(
                "gis-data/things.csv line 2, column open: must be true or false, found 'yes'",
                e.getMessage());
    }

    enum Colour {
        RED,
        GREEN
    }

    @Test
    void enumsAndCustomParsersAnswerWithTheCell() {
        String text = "kind,value\nRED,12:00\nBLUE,x\n";
        var e =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                Csv.read(
                                        "k.csv",
                                        new ByteArrayInputStream(
                                                text.getBytes(StandardCharsets.UTF_8)),
                                        List.of("kind", "value"),
                                        r -> r.oneOf(Colour.class, "kind")));
        assertEquals(
                "k.csv line 3, column kind: 'BLUE' is not one of [RED, GREEN]", e.getMessage());

        var p =
                assertThrows(
                        Csv.BadCsv.class,
                        () ->
                                Csv.read(
                                        "k.csv",
                                        new ByteArrayInputStream(
                                                text.getBytes(StandardCharsets.UTF_8)),
                                        List.of("kind", "value"),
                                        r -> r.parse("value", java.time.LocalTime::parse)));
        assertEquals(3, p.line());
        assertEquals("value", p.column());
        assertTrue(p.getMessage().startsWith("k.csv line 3, column value: 'x': "), p.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheFileName() {
        byte[] gbk = {'c', 'o', 'd', 'e', '\n', (byte) 0xC3, (byte) 0x28, '\n'};
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                Csv.read(
                                        "gis-data/gbk.csv",
                                        new ByteArrayInputStream(gbk),
                                        List.of("code"),
                                        r -> r.text("code")));
        assertTrue(e.getMessage().startsWith("cannot read gis-data/gbk.csv"), e.getMessage());
    }
}
