package org.gridgov.testing;

import org.gridgov.db.Database;
import org.gridgov.db.DbSettings;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class gridgov's test database (see {@link TestDatabase} for
 * where it comes from) before its first test, and injects {@link Database} or {@link DbSettings}
 * parameters. Use with {@code @ExtendWith(PostgisExtension.class)}.
 */
public final class PostgisExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestDatabase.get();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == Database.class || type == DbSettings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Database.class
                ? TestDatabase.get()
                : TestDatabase.settings();
    }
}
