package org.gridgov.media;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes files no row cites: what an upload left when its transaction failed or the server died
 * between writing the files and committing (docs/media.md). A file younger than the grace period is
 * spared, since its transaction may still be open; storing the same bytes again renews it, and it
 * is looked at once more just before it goes.
 */
public final class MediaSweep {

    /** What one sweep found and removed. */
    public record Result(int files, int removed, int unfinished) {}

    private static final int BATCH = 1000;

    private final MediaStore store;
    private final MediaQueries queries;
    private final Duration grace;

    public MediaSweep(MediaStore store, MediaQueries queries, Duration grace) {
        this.store = store;
        this.queries = queries;
        this.grace = grace;
    }

    public Result run(Instant now) throws IOException, SQLException {
        Instant cutoff = now.minus(grace);
        List<String> old = new ArrayList<>();
        int[] files = {0};
        store.forEach(
                (sha, at) -> {
                    files[0]++;
                    if (at.isBefore(cutoff)) old.add(sha);
                });
        int removed = 0;
        for (int from = 0; from < old.size(); from += BATCH) {
            for (String sha :
                    queries.unreferenced(old.subList(from, Math.min(old.size(), from + BATCH)))) {
                var at = store.writtenAt(sha);
                if (at.isPresent() && at.get().isBefore(cutoff)) {
                    store.delete(sha);
                    removed++;
                }
            }
        }
        return new Result(files[0], removed, store.removeUnfinished(cutoff));
    }
}
