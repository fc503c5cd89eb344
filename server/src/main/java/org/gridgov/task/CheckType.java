package org.gridgov.task;

/** What a check item's answer is: yes or no, a number, a text, or only a photo. */
public enum CheckType {
    YES_NO,
    NUMBER,
    TEXT,
    PHOTO
}
