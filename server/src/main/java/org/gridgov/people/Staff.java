package org.gridgov.people;

/** One member of staff as others may see them (no phone, no password hash). */
public record Staff(
        long id,
        String name,
        String username,
        Role role,
        String employment,
        Scope scope,
        boolean onDuty) {}
