package org.gridgov.people;

import io.vertx.core.json.JsonObject;

/**
 * What a person answers for: one grid, one community, one platform, or the whole subdistrict. In a
 * token it is {"type": "GRID", "gridId": 12} / {"type": "COMMUNITY", "communityId": 3} / {"type":
 * "PLATFORM", "platform": "MARKET"} / {"type": "SUBDISTRICT"}.
 */
public record Scope(String type, Long gridId, Long communityId, String platform) {

    public static final Scope SUBDISTRICT = new Scope("SUBDISTRICT", null, null, null);

    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("type", type);
        if (gridId != null) o.put("gridId", gridId);
        if (communityId != null) o.put("communityId", communityId);
        if (platform != null) o.put("platform", platform);
        return o;
    }

    public static Scope fromJson(JsonObject o) {
        if (o == null) return null;
        String type = o.getString("type");
        if (type == null) return null;
        return new Scope(
                type, o.getLong("gridId"), o.getLong("communityId"), o.getString("platform"));
    }

    public boolean wholeSubdistrict() {
        return "SUBDISTRICT".equals(type);
    }
}
