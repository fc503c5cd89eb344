package org.gridgov.analytics;

import java.util.Arrays;

/**
 * Counts per cell key: an open-addressing table of primitive longs and ints. Binning a million
 * points through a HashMap of boxed Longs spends most of its time allocating; this does not.
 */
public final class CellCounts {

    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] counts;
    private int size;

    /** Counts the incidents matching the filter per cell. */
    public static CellCounts of(IncidentPoints points, PointFilter f, Cells cells) {
        CellCounts counts = new CellCounts();
        points.scan(f, (x, y, minute, grid) -> counts.add(cells.key(x, y)));
        return counts;
    }

    public CellCounts() {
        keys = new long[1024];
        counts = new int[1024];
        Arrays.fill(keys, EMPTY);
    }

    public void add(long key) {
        if (size * 2 >= keys.length) grow();
        int slot = slot(keys, key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            size++;
        }
        counts[slot]++;
    }

    public int get(long key) {
        int slot = slot(keys, key);
        return keys[slot] == EMPTY ? 0 : counts[slot];
    }

    public int size() {
        return size;
    }

    /** The keys present, sorted. */
    public long[] sortedKeys() {
        long[] out = new long[size];
        int k = 0;
        for (long key : keys) if (key != EMPTY) out[k++] = key;
        Arrays.sort(out);
        return out;
    }

    private static int slot(long[] table, long key) {
        int mask = table.length - 1;
        int i = (int) (mix(key) & mask);
        while (table[i] != EMPTY && table[i] != key) i = (i + 1) & mask;
        return i;
    }

    private static long mix(long k) { // SplitMix64 finaliser: spreads neighbouring cells
        k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
        k = (k ^ (k >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return k ^ (k >>> 33);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldKeys[k] == EMPTY) continue;
            int slot = slot(keys, oldKeys[k]);
            keys[slot] = oldKeys[k];
            counts[slot] = oldCounts[k];
        }
    }
}
