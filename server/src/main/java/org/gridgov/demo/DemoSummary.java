package org.gridgov.demo;

/** What {@link DemoLoader#load} wrote. */
public record DemoSummary(
        int communities,
        int units,
        int households,
        int grids,
        int roadEdges,
        int staff,
        int incidents) {}
