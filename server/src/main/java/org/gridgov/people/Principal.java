package org.gridgov.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import java.util.EnumSet;
import java.util.Set;

/**
 * An authenticated member of staff, as the token says. The token's claims are the user's principal:
 * {@code sub} (staff id as a string), {@code username}, {@code roles} (array of role names as in
 * staff.role) and {@code scope}. Other capabilities (the OGC gateway) read {@code
 * ctx.user().principal().getJsonArray("roles")}; keep these names.
 */
public record Principal(long staffId, String username, Set<Role> roles, Scope scope) {

    public JsonObject claims() {
        JsonArray r = new JsonArray();
        roles.forEach(x -> r.add(x.name()));
        return new JsonObject()
                .put("sub", Long.toString(staffId))
                .put("username", username)
                .put("roles", r)
                .put("scope", scope.toJson());
    }

    /** The principal of a verified token, or null when the claims are not ours. */
    public static Principal fromClaims(JsonObject c) {
        try {
            long id = Long.parseLong(c.getString("sub"));
            JsonArray arr = c.getJsonArray("roles");
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (int i = 0; i < arr.size(); i++) {
                Role r = Role.parse(arr.getString(i));
                if (r == null) return null;
                roles.add(r);
            }
            Scope s = Scope.fromJson(c.getJsonObject("scope"));
            String username = c.getString("username");
            if (roles.isEmpty() || s == null || username == null) return null;
            return new Principal(id, username, roles, s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static Principal of(User user) {
        return user == null ? null : fromClaims(user.principal());
    }

    /** The subdistrict the person works in; null for the district-wide scope. */
    public Long subdistrictId() {
        return scope.wholeDistrict() ? null : scope.subdistrictId();
    }

    public boolean has(Role r) {
        return roles.contains(r);
    }

    public boolean hasAny(Set<Role> set) {
        for (Role r : roles) if (set.contains(r)) return true;
        return false;
    }
}
