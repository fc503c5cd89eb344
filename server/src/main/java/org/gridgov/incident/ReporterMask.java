package org.gridgov.incident;

/**
 * How a reporter's details look to someone who may not see them (docs/personal-data.md): the family
 * name and the phone's head and tail stay, enough to tell two reporters apart on a call, not enough
 * to ring them. 王先生 → 王**, 13800000000 → 138****0000.
 */
public final class ReporterMask {

    private ReporterMask() {}

    /** The first character (a surname), then one '*' for each further character. */
    public static String name(String name) {
        if (name == null) return null;
        String s = name.strip();
        if (s.isEmpty()) return "";
        int first = s.offsetByCodePoints(0, 1);
        int rest = s.codePointCount(first, s.length());
        return s.substring(0, first) + "*".repeat(Math.max(rest, 1));
    }

    /**
     * Digits past the first three and before the last four become '*' (an 11-digit mobile number:
     * 138****0000); a shorter number keeps less, and one of up to four digits keeps none. Other
     * characters ('+', '-', spaces) stay where they are.
     */
    public static String phone(String phone) {
        if (phone == null) return null;
        int digits = (int) phone.chars().filter(Character::isDigit).count();
        int head, tail;
        if (digits >= 11) {
            head = 3;
            tail = 4;
        } else if (digits >= 7) {
            head = 2;
            tail = 2;
        } else {
            head = 0;
            tail = digits > 4 ? 1 : 0;
        }
        StringBuilder b = new StringBuilder(phone.length());
        int k = 0;
        for (char ch : phone.toCharArray()) {
            if (!Character.isDigit(ch)) {
                b.append(ch);
                continue;
            }
            b.append(k < head || k >= digits - tail ? ch : '*');
            k++;
        }
        return b.toString();
    }
}
