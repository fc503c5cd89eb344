package org.gridgov.incident;

import java.util.EnumSet;
import java.util.Set;

/** How a report reached the command centre (the source document's information channels). */
public enum Channel {
    GRID_PATROL,
    VILLAGE_CADRE,
    INSPECTION,
    HOTLINE,
    PUBLIC_ONLINE;

    /**
     * The channels of the public reporting for themselves (Open311, the web form without a token).
     * Only these may be used without a token, and only cases that came in on them are ever listed
     * publicly: the others are entered by staff (the hotline desk types what a caller said).
     */
    public static final Set<Channel> PUBLIC = EnumSet.of(PUBLIC_ONLINE);

    public boolean isPublic() {
        return PUBLIC.contains(this);
    }
}
