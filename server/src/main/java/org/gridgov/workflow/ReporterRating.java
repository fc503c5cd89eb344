package org.gridgov.workflow;

/**
 * The reporter's own rating of their case (the tracking page, docs/tracking.md): satisfaction 1–5,
 * an optional comment, and whether the matter is still not solved, which sends the case back to be
 * handled again. Validated at the edge; the engine checks the case's state.
 */
public record ReporterRating(int satisfaction, String comment, boolean notSolved) {

    public ReporterRating {
        if (satisfaction < 1 || satisfaction > 5)
            throw new IllegalArgumentException("satisfaction is 1 to 5, got " + satisfaction);
    }
}
