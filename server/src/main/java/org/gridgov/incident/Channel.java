package org.gridgov.incident;

/** How a report reached the command centre (the source document's information channels). */
public enum Channel {
    GRID_PATROL, VILLAGE_CADRE, INSPECTION, HOTLINE, PUBLIC_ONLINE
}
