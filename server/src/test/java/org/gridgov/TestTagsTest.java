package org.gridgov;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Tags;
import org.junit.jupiter.api.Test;

/**
 * Holds the JUnit tags that `scripts/test --fast` relies on: a test class that reaches the database
 * (a test fixture that starts or opens it, or another class tagged db) is tagged {@code db}, and
 * one that drives Chromium is tagged {@code browser} too. An untagged one would fail the fast run,
 * which has no database.
 */
@Tag("db")
class TestTagsTest {

    private static final Set<String> DB_FIXTURES =
            Set.of(
                    "org.gridgov.testing.TestDatabase",
                    "org.gridgov.testing.TestServer",
                    "org.gridgov.testing.LimitedServer",
                    "org.gridgov.testing.ScratchCluster",
                    "org.gridgov.testing.JobHold",
                    "org.gridgov.testing.DemoFixture",
                    "org.gridgov.testing.PostgisExtension",
                    "org.gridgov.testing.Containers");
    private static final String BROWSER = "org.gridgov.webapp.Browser";

    private static final JavaClasses TESTS =
            new ClassFileImporter()
                    .withImportOption(new ImportOption.OnlyIncludeTests())
                    .importPackages("org.gridgov");

    @Test
    void testsThatUseTheDatabaseAreTaggedDb() {
        assertEquals(List.of(), untagged("db", DB_FIXTURES), "add @Tag(\"db\") to these classes");
    }

    @Test
    void testsThatDriveTheBrowserAreTaggedBrowser() {
        assertEquals(
                List.of(), untagged("browser", Set.of(BROWSER)), "add @Tag(\"browser\") to these");
    }

    /**
     * Test classes that reach a fixture, directly or through helpers (a helper class that uses a
     * fixture, or another test class with the tag), and lack the tag.
     */
    private static List<String> untagged(String tag, Set<String> fixtures) {
        Set<String> reaching = new java.util.HashSet<>(fixtures);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (JavaClass c : TESTS) {
                JavaClass top = outermost(c);
                if (reaching.contains(top.getName())) continue;
                if (isTestClass(top) && !tagged(top, tag)) continue; // judged below
                boolean uses =
                        c.getDirectDependenciesFromSelf().stream()
                                .map(d -> outermost(d.getTargetClass()))
                                .anyMatch(t -> t != top && reaching.contains(t.getName()));
                if (uses) grew |= reaching.add(top.getName());
            }
        }
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : TESTS) {
            JavaClass top = outermost(c);
            if (!isTestClass(top) || tagged(top, tag)) continue;
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = outermost(d.getTargetClass());
                if (target != top && reaching.contains(target.getName()))
                    missing.add(top.getName());
            }
        }
        return List.copyOf(missing);
    }

    private static JavaClass outermost(JavaClass c) {
        while (c.getEnclosingClass().isPresent()) c = c.getEnclosingClass().get();
        return c;
    }

    private static boolean isTestClass(JavaClass c) {
        return c.getMethods().stream()
                .anyMatch(
                        m ->
                                m.getAnnotations().stream()
                                        .anyMatch(
                                                a ->
                                                        a.getRawType()
                                                                        .getPackageName()
                                                                        .startsWith(
                                                                                "org.junit.jupiter")
                                                                && a.getRawType()
                                                                        .getSimpleName()
                                                                        .matches(
                                                                                "Test|ParameterizedTest|TestFactory|RepeatedTest")));
    }

    private static boolean tagged(JavaClass c, String tag) {
        boolean one =
                c.tryGetAnnotationOfType(Tag.class).map(t -> t.value().equals(tag)).orElse(false);
        boolean many =
                c.tryGetAnnotationOfType(Tags.class)
                        .map(ts -> Arrays.stream(ts.value()).anyMatch(t -> t.value().equals(tag)))
                        .orElse(false);
        return one || many;
    }
}
