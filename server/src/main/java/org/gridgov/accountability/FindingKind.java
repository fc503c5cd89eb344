package org.gridgov.accountability;

import java.util.Arrays;
import java.util.Optional;
import org.gridgov.api.Lang;

/**
 * What the discipline committee looks for in the event log (docs/accountability.md): each kind by
 * its wire name, its labels and the unit of its measure.
 */
public enum FindingKind {
    PASSED_BACK("passed-back", "来回推诿", "Passed back and forth", "hops", "次流转", "hops"),
    REPEATED_EXTENSION(
            "repeated-extension", "多次延期", "Repeated extensions", "extensions", "次延期", "extensions"),
    NO_OWNER("no-owner", "无人认领时间过长", "Time with no owner", "hours", "小时", "hours"),
    IGNORED_NOTICE(
            "ignored-notice", "催办督办未响应", "Reminders and 督办 ignored", "ignored", "次未响应", "ignored"),
    REPEATED_REWORK(
            "repeated-rework",
            "核查多次未通过",
            "Verification failed more than once",
            "reworks",
            "次返工",
            "reworks");

    public final String wire;
    private final String zh, en;
    public final String unit;
    private final String unitZh, unitEn;

    FindingKind(String wire, String zh, String en, String unit, String unitZh, String unitEn) {
        this.wire = wire;
        this.zh = zh;
        this.en = en;
        this.unit = unit;
        this.unitZh = unitZh;
        this.unitEn = unitEn;
    }

    public String label(Lang lang) {
        return lang == Lang.EN ? en : zh;
    }

    public String unitLabel(Lang lang) {
        return lang == Lang.EN ? unitEn : unitZh;
    }

    public static Optional<FindingKind> parse(String s) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(s)).findFirst();
    }

    public static String wires() {
        return String.join(", ", Arrays.stream(values()).map(k -> k.wire).toList());
    }
}
