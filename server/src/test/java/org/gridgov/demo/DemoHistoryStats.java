package org.gridgov.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.demo.DemoIncidents.DemoCategory;
import org.gridgov.demo.DemoIncidents.Incident;

/**
 * Prints the open-case figures of a generated history ({@link OpenCaseFigures}), no database:
 * {@code java ... DemoHistoryStats [small|default] [now] [anchor]}; the anchor defaults to now, the
 * load time of a demo.
 */
public final class DemoHistoryStats {

    static List<DemoCategory> categories() {
        return CategoryCatalog.fromClasspath().all().stream()
                .map(
                        c ->
                                new DemoCategory(
                                        c.code(),
                                        c.platform(),
                                        c.nameZh(),
                                        c.weight().doubleValue(),
                                        c.deadlineHours(),
                                        c.authority()))
                .toList();
    }

    public static void main(String[] args) throws Exception {
        DemoParams p =
                args.length > 0 && args[0].equals("small")
                        ? DemoParams.small()
                        : DemoParams.defaults();
        Instant now = args.length > 1 ? Instant.parse(args[1]) : Instant.now();
        p = p.withAnchor(args.length > 2 ? Instant.parse(args[2]) : now);
        DemoData d = DemoSubdistrict.generate(p);
        List<Incident> rows = new ArrayList<>();
        DemoIncidents.generate(d, categories(), p, rows::add);
        System.out.println(p + " at " + now + ": " + OpenCaseFigures.of(rows, now));
    }
}
