package org.gridgov.analytics;

/**
 * Which incidents an aggregate counts. Times are minutes since the epoch, to exclusive; -1 indexes
 * and a zero status mask match everything; the bbox (lon/lat) is optional. {@code subdistrictId} is
 * the isolation rule (docs/access.md): a caller inside one subdistrict counts only its incidents; 0
 * counts every incident, the district's own included (district-wide and anonymous callers).
 */
public record PointFilter(
        int fromMinute,
        int toMinute,
        int category,
        int platform,
        int statusMask,
        long gridId,
        double minLon,
        double minLat,
        double maxLon,
        double maxLat,
        boolean hasBbox,
        long subdistrictId) {}
