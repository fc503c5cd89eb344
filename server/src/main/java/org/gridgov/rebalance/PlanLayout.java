package org.gridgov.rebalance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which grid each base unit belongs to in one plan: grids by position, and for every unit of the
 * {@link UnitGraph} the position of its grid, or -1 when the plan leaves it unassigned.
 */
public final class PlanLayout {

    public final List<GridInfo> grids;
    public final int[] gridOf;

    public PlanLayout(List<GridInfo> grids, int[] gridOf) {
        this.grids = new ArrayList<>(grids);
        this.gridOf = gridOf;
    }

    public PlanLayout copy() {
        return new PlanLayout(grids, gridOf.clone());
    }

    public int gridCount() {
        return grids.size();
    }

    /** Units of each grid, by grid position. */
    public List<List<Integer>> members() {
        List<List<Integer>> m = new ArrayList<>(grids.size());
        for (int g = 0; g < grids.size(); g++) m.add(new ArrayList<>());
        for (int u = 0; u < gridOf.length; u++) if (gridOf[u] >= 0) m.get(gridOf[u]).add(u);
        return m;
    }

    /**
     * The connected pieces of a grid (units joined by shared edges), largest first. One piece means
     * the grid is contiguous.
     */
    public List<List<Integer>> pieces(UnitGraph graph, int g, List<Integer> members) {
        List<List<Integer>> out = new ArrayList<>();
        boolean[] seen = new boolean[gridOf.length];
        for (int start : members) {
            if (seen[start]) continue;
            List<Integer> piece = new ArrayList<>();
            int[] stack = new int[members.size()];
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int u = stack[--top];
                piece.add(u);
                for (int v : graph.nbr[u]) {
                    if (!seen[v] && gridOf[v] == g) {
                        seen[v] = true;
                        stack[top++] = v;
                    }
                }
            }
            out.add(piece);
        }
        out.sort((a, b) -> Integer.compare(b.size(), a.size()));
        return out;
    }

    /**
     * Share of units whose grid code differs between this layout and another over the same graph.
     */
    public int unitsMovedFrom(PlanLayout other) {
        int moved = 0;
        for (int u = 0; u < gridOf.length; u++) {
            String a = gridOf[u] < 0 ? null : grids.get(gridOf[u]).code();
            String b = other.gridOf[u] < 0 ? null : other.grids.get(other.gridOf[u]).code();
            if (a == null ? b != null : !a.equals(b)) moved++;
        }
        return moved;
    }

    @Override
    public String toString() {
        return "PlanLayout["
                + grids.size()
                + " grids, "
                + Arrays.stream(gridOf).filter(g -> g < 0).count()
                + " unassigned]";
    }
}
