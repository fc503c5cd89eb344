package org.gridgov.task;

/** Where a task is: a base unit, a place (场所) or an area drawn by the commander. */
public enum TargetType {
    UNIT,
    PLACE,
    AREA
}
