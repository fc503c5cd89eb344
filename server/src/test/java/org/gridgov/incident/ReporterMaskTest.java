package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ReporterMaskTest {

    @Test
    void namesKeepTheirFirstCharacter() {
        assertEquals("王**", ReporterMask.name("王先生"));
        assertEquals("欧***", ReporterMask.name("欧阳女士"));
        assertEquals("王*", ReporterMask.name("王"), "a one-character name is not shown whole");
        assertEquals("J***", ReporterMask.name("John"));
        assertEquals("𠀋*", ReporterMask.name("𠀋女"), "a character outside the BMP stays whole");
        assertEquals("", ReporterMask.name("  "));
        assertNull(ReporterMask.name(null));
    }

    @Test
    void phonesKeepHeadAndTail() {
        assertEquals("138****0000", ReporterMask.phone("13800000000"));
        // separators stay where they are; only digits are counted and hidden
        assertEquals("+86 1******0000", ReporterMask.phone("+86 13800000000"));
        assertEquals("057*-****5678", ReporterMask.phone("0571-12345678"));
        assertEquals("12***78", ReporterMask.phone("1234578"));
        assertEquals("****5", ReporterMask.phone("12345"));
        assertEquals("***", ReporterMask.phone("110"));
        assertNull(ReporterMask.phone(null));
    }
}
