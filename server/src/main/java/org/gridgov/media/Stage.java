package org.gridgov.media;

/**
 * When in a case's life a photo was taken: with the report, or by staff before handling, after it,
 * when verifying, or otherwise.
 */
public enum Stage {
    REPORT("上报"),
    BEFORE("处置前"),
    AFTER("处置后"),
    VERIFICATION("核查"),
    OTHER("其他");

    /** Its name on the case's history. */
    public final String zh;

    Stage(String zh) {
        this.zh = zh;
    }
}
