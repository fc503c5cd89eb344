package org.gridgov.category;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The categories of one version of the taxonomy, by code. */
public final class CategorySet {

    private final List<Category> ordered;
    private final Map<String, Category> byCode;

    public CategorySet(List<Category> categories) {
        Map<String, Category> map = new LinkedHashMap<>();
        for (Category c : categories) map.put(c.code(), c);
        this.byCode = Map.copyOf(map);
        this.ordered = List.copyOf(categories);
    }

    public Optional<Category> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Collection<Category> all() {
        return ordered;
    }
}
