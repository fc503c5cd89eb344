package org.gridgov.geocode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chinese numerals in the numbers of an address (三号楼, 二单元, 一百零八号) as digits. Only a numeral right
 * before a marker of a number (号, 幢, 单元, …) is read: 八一路 and 三墩 are names.
 */
final class ChineseNumerals {

    private static final String DIGITS = "零〇一二两三四五六七八九";
    private static final Pattern BEFORE_MARKER =
            Pattern.compile("([零〇一二两三四五六七八九十百千]+)(?=号|幢|栋|座|楼|单元|室|弄|层|组|#)");

    private ChineseNumerals() {}

    /** Every numeral before a number's marker as digits; the rest as it is. */
    static String inNumbers(String s) {
        Matcher m = BEFORE_MARKER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long v = value(m.group(1));
            m.appendReplacement(out, v < 0 ? m.group(1) : Long.toString(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The value of a numeral: positional with 十/百/千 (一百零八, 十二, 二十) or digit by digit (五零一, as room
     * numbers are read out); -1 when it is not one.
     */
    static long value(String n) {
        if (n.isEmpty()) return -1;
        boolean positional = n.chars().anyMatch(c -> c == '十' || c == '百' || c == '千');
        if (!positional) {
            long v = 0;
            for (char c : n.toCharArray()) v = v * 10 + digit(c);
            return v;
        }
        long total = 0, current = 0;
        boolean sawDigit = false;
        for (char c : n.toCharArray()) {
            int unit =
                    switch (c) {
                        case '十' -> 10;
                        case '百' -> 100;
                        case '千' -> 1000;
                        default -> 0;
                    };
            if (unit == 0) {
                current = digit(c);
                sawDigit = true;
            } else {
                // 十二: a bare 十 is one ten
                total += (sawDigit ? current : 1) * unit;
                current = 0;
                sawDigit = false;
            }
        }
        return total + current;
    }

    private static int digit(char c) {
        int i = DIGITS.indexOf(c);
        if (i < 0) throw new IllegalArgumentException("not a numeral: " + c);
        // 零 and 〇 are 0, 两 is 2
        return i <= 1 ? 0 : i == 4 ? 2 : i <= 3 ? i - 1 : i - 2;
    }
}
