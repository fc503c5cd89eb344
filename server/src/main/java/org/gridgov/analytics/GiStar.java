package org.gridgov.analytics;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Getis-Ord Gi* hot spot statistic on square cells with binary distance-band weights, the cell
 * itself included (the "star"), as ArcGIS's Hot Spot Analysis computes it:
 *
 * <pre>
 *   Gi* = (Σj wij xj − X̄ Σj wij) / ( S √((n Σj wij² − (Σj wij)²) / (n − 1)) )
 *   X̄ = Σ xj / n,   S = √(Σ xj² / n − X̄²)
 * </pre>
 *
 * n counts every cell of the study area, empty ones too. p-values are two-sided from the standard
 * normal. With the false-discovery-rate correction (Benjamini-Hochberg), a cell is significant at
 * confidence c when its p-value is at most the largest p(k) with p(k) ≤ k/n · (1 − c); bins are ±3
 * (99%), ±2 (95%), ±1 (90%), 0 (not significant).
 */
public final class GiStar {

    /** One cell's result. */
    public record Result(double z, double p, int bin) {}

    private static final NormalDistribution NORMAL = new NormalDistribution();

    private GiStar() {}

    /**
     * @param i, j lattice coordinates of the n cells
     * @param x their values (counts)
     * @param band neighbourhood radius in cells (centre distance ≤ band counts, self included)
     * @param fdr apply the false-discovery-rate correction
     */
    public static Result[] compute(int[] i, int[] j, double[] x, double band, boolean fdr) {
        int n = x.length;
        Result[] out = new Result[n];
        if (n < 3) {
            Arrays.fill(out, new Result(0, 1, 0));
            return out;
        }
        double sum = 0, sumSq = 0;
        for (double v : x) {
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double s = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        java.util.Map<Long, Integer> index = new java.util.HashMap<>(n * 2);
        for (int k = 0; k < n; k++) index.put(Cells.pack(i[k], j[k]), k);
        int reach = (int) Math.floor(band);
        double[] p = new double[n], z = new double[n];
        for (int k = 0; k < n; k++) {
            double wx = 0, w = 0;
            for (int di = -reach; di <= reach; di++) {
                for (int dj = -reach; dj <= reach; dj++) {
                    if (di * di + dj * dj > band * band) continue;
                    Integer other = index.get(Cells.pack(i[k] + di, j[k] + dj));
                    if (other == null) continue;
                    wx += x[other];
                    w += 1; // binary weights: Σw = Σw²
                }
            }
            double denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
            z[k] = denominator == 0 ? 0 : (wx - mean * w) / denominator;
            p[k] = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z[k])));
        }
        double t90 = threshold(p, 0.10, fdr),
                t95 = threshold(p, 0.05, fdr),
                t99 = threshold(p, 0.01, fdr);
        for (int k = 0; k < n; k++) {
            int level = p[k] <= t99 ? 3 : p[k] <= t95 ? 2 : p[k] <= t90 ? 1 : 0;
            out[k] = new Result(z[k], p[k], (int) Math.signum(z[k]) * level);
        }
        return out;
    }

    /** The p-value cut-off at significance alpha: alpha itself, or the Benjamini-Hochberg one. */
    static double threshold(double[] p, double alpha, boolean fdr) {
        if (!fdr) return alpha;
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double cut = -1; // nothing significant unless some p(k) passes
        for (int k = 0; k < sorted.length; k++) {
            if (sorted[k] <= (k + 1.0) / sorted.length * alpha) cut = sorted[k];
        }
        return cut;
    }
}
