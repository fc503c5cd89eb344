package org.gridgov.roster;

/** Why someone is away; the rule treats every kind alike. */
public enum LeaveKind {
    ANNUAL,
    SICK,
    PERSONAL,
    TRAINING,
    OTHER
}
