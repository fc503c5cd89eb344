package org.gridgov.people;

import io.vertx.core.json.JsonObject;

/**
 * What a person answers for: one grid, one community, one platform, a whole subdistrict, or the
 * whole district (every subdistrict; district roles, admins and auditors only, docs/district.md).
 * Every scope but DISTRICT lies inside one subdistrict, {@code subdistrictId} (the jurisdiction
 * row; null only in a deployment that has no boundary yet). In a token it is {"type": "GRID",
 * "gridId": 12, "subdistrictId": 1} / {"type": "COMMUNITY", "communityId": 3, …} / {"type":
 * "PLATFORM", "platform": "MARKET", …} / {"type": "SUBDISTRICT", …} / {"type": "DISTRICT"}.
 */
public record Scope(
        String type, Long gridId, Long communityId, String platform, Long subdistrictId) {

    public static final Scope SUBDISTRICT = new Scope("SUBDISTRICT", null, null, null, null);
    public static final Scope DISTRICT = new Scope("DISTRICT", null, null, null, null);

    /** A scope whose subdistrict is not known yet (parsed from a request, before it is stored). */
    public Scope(String type, Long gridId, Long communityId, String platform) {
        this(type, gridId, communityId, platform, null);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("type", type);
        if (gridId != null) o.put("gridId", gridId);
        if (communityId != null) o.put("communityId", communityId);
        if (platform != null) o.put("platform", platform);
        if (subdistrictId != null) o.put("subdistrictId", subdistrictId);
        return o;
    }

    public static Scope fromJson(JsonObject o) {
        if (o == null) return null;
        String type = o.getString("type");
        if (type == null) return null;
        return new Scope(
                type,
                o.getLong("gridId"),
                o.getLong("communityId"),
                o.getString("platform"),
                o.getLong("subdistrictId"));
    }

    /** The whole of one subdistrict (its command centre, planners, auditors…). */
    public boolean wholeSubdistrict() {
        return "SUBDISTRICT".equals(type);
    }

    /** Every subdistrict of the district. */
    public boolean wholeDistrict() {
        return "DISTRICT".equals(type);
    }

    /**
     * Whether a row of subdistrict {@code sid} lies inside this scope's subdistrict (the coarse
     * isolation rule; grid, community and platform narrow it further where they apply). A scope
     * with no subdistrict in a deployment without a boundary sees everything there is.
     */
    public boolean coversSubdistrict(Long sid) {
        if (wholeDistrict() || subdistrictId == null) return true;
        return subdistrictId.equals(sid);
    }
}
