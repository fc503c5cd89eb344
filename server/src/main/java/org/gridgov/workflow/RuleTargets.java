package org.gridgov.workflow;

import java.util.List;
import java.util.TreeSet;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategorySet;
import org.gridgov.category.Platforms;

/** What the category column of deadline and dispatch rules may name: *, platform:CODE or a code. */
final class RuleTargets {

    private RuleTargets() {}

    /** 422 at row {@code i} when the rule names no category or platform in force. */
    static void check(String target, CategorySet categories, int i) {
        if (target.equals("*")) return;
        if (target.startsWith("platform:")) {
            String p = target.substring("platform:".length());
            if (Platforms.CODES.contains(p)) return;
            throw bad(i, "unknown platform '" + p + "', one of " + Platforms.CODES);
        }
        if (categories.find(target).isEmpty())
            throw bad(
                    i, "'" + target + "' is not a category in force then, nor * or platform:CODE");
    }

    private static ProblemException bad(int i, String detail) {
        return new ProblemException(
                Problem.of(
                        422,
                        "invalid-reference-data",
                        "The reference data is invalid",
                        "row " + i + ", category: " + detail,
                        "/rows/" + i + "/category"));
    }

    /** 409 when a new taxonomy drops a category these rules name. */
    static void stillNamed(List<String> targets, CategorySet categories, String what) {
        TreeSet<String> gone = new TreeSet<>();
        for (String t : targets)
            if (!t.equals("*") && !t.startsWith("platform:") && categories.find(t).isEmpty())
                gone.add(t);
        if (!gone.isEmpty())
            throw CategoryCatalog.inUse(gone, "the " + what + " name it; change those first");
    }
}
