package org.gridgov.accountability;

/**
 * Someone named in a finding, with what they did in it; answerable = the finding counts against
 * them when grouped by person (the one who passed the case on, asked for time, ignored a notice,
 * left it without owner, or whose resolution failed verification).
 */
public record Person(long id, String name, String role, String part, boolean answerable) {}
