package org.gridgov.analytics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Gi* on cases small enough to compute by hand. */
class GiStarTest {

    /**
     * 3 × 3 cells, all 0 but the centre 9; queen neighbourhood with self (band 1.5 cells). n = 9,
     * X̄ = 1, S = √(81/9 − 1) = √8. corner: Σw = 4, Σwx = 9 → (9 − 4) / (√8 · √((36 − 16)/8)) =
     * 5/√20 = 1.118034 edge: Σw = 6, Σwx = 9 → (9 − 6) / (√8 · √((54 − 36)/8)) = 3/(√8 · 1.5) =
     * 0.707107 centre: Σw = 9, Σwx = 9 → 0
     */
    @Test
    void matchesAHandComputedCase() {
        int[] i = new int[9], j = new int[9];
        double[] x = new double[9];
        for (int k = 0; k < 9; k++) {
            i[k] = k % 3;
            j[k] = k / 3;
        }
        x[4] = 9;
        GiStar.Result[] r = GiStar.compute(i, j, x, 1.5, false);
        assertEquals(1.118034, r[0].z(), 1e-6);
        assertEquals(0.707107, r[1].z(), 1e-6);
        assertEquals(0.0, r[4].z(), 1e-12);
        // two-sided p of z = 1.118034: 2 (1 − Φ(1.118034)) = 0.263552
        assertEquals(0.263552, r[0].p(), 1e-5);
        assertEquals(0, r[0].bin(), "not significant at 90%");
    }

    @Test
    void benjaminiHochbergThreshold() {
        double[] p = {0.2, 0.04, 0.001, 0.03, 0.01};
        // sorted 0.001 0.01 0.03 0.04 0.2 against k/5 · 0.05 = 0.01 0.02 0.03 0.04 0.05 → largest
        // passing: 0.04
        assertEquals(0.04, GiStar.threshold(p, 0.05, true), 1e-12);
        assertEquals(0.05, GiStar.threshold(p, 0.05, false), 1e-12);
        assertEquals(-1, GiStar.threshold(new double[] {0.5, 0.9}, 0.05, true), "nothing passes");
    }

    @Test
    void aClusterInAQuietFieldIsHotAndFdrIsStricter() {
        int side = 12, n = side * side;
        int[] i = new int[n], j = new int[n];
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            i[k] = k % side;
            j[k] = k / side;
            x[k] = (k * 7919) % 3; // background 0..2
            if (i[k] >= 4 && i[k] <= 6 && j[k] >= 4 && j[k] <= 6) x[k] = 30; // the cluster
        }
        GiStar.Result[] plain = GiStar.compute(i, j, x, 1.5, false);
        GiStar.Result[] fdr = GiStar.compute(i, j, x, 1.5, true);
        int centre = 5 * side + 5;
        assertEquals(3, plain[centre].bin());
        assertEquals(3, fdr[centre].bin());
        int plainSignificant = 0, fdrSignificant = 0;
        for (int k = 0; k < n; k++) {
            if (plain[k].bin() != 0) plainSignificant++;
            if (fdr[k].bin() != 0) fdrSignificant++;
            assertTrue(
                    Math.abs(fdr[k].bin()) <= Math.abs(plain[k].bin()),
                    "FDR never makes a cell more significant");
        }
        assertTrue(fdrSignificant <= plainSignificant);
        assertTrue(fdrSignificant >= 9, "the cluster stays significant: " + fdrSignificant);
    }
}
