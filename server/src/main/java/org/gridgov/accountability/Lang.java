package org.gridgov.accountability;

/** The language of the exports' headers: Chinese by default, English on request. */
public enum Lang {
    ZH("zh-CN"),
    EN("en");

    public final String tag;

    Lang(String tag) {
        this.tag = tag;
    }
}
