package org.gridgov;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph's guard rails (docs/architecture.md): capabilities depend on each other without
 * cycles, only app wires them together, and nothing depends on app or on the benchmarks (the bench
 * module, which builds on the server and may use app to start one).
 */
@AnalyzeClasses(packages = "org.gridgov", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule capabilitiesHaveNoCycles =
            slices().matching("org.gridgov.(*)..").should().beFreeOfCycles();

    /** ogc's parts (catalog, heatmap, mapserver, features, ows) too; OgcPublishing wires them. */
    @ArchTest
    static final ArchRule ogcPartsHaveNoCycles =
            slices().matching("org.gridgov.ogc.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule ogcPartsDoNotUseTheirFacade =
            noClasses()
                    .that()
                    .resideInAPackage("org.gridgov.ogc.*..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.gridgov.ogc");

    @ArchTest
    static final ArchRule nothingUsesTheWiring =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("org.gridgov.app..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.gridgov.app..");

    /**
     * The benchmarks live in the bench module, outside the server's classes and its jar: none come
     * back, and none is used (Maven's module order keeps the server from reaching them as well).
     */
    @ArchTest
    static final ArchRule nothingUsesTheBenchmarks =
            noClasses()
                    .should()
                    .resideInAPackage("org.gridgov.bench..")
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAPackage("org.gridgov.bench..");

    /** The leaves: what every capability may use, using none of them. */
    @ArchTest
    static final ArchRule leavesStayLeaves =
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            "org.gridgov.api..", "org.gridgov.db..", "org.gridgov.cases..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.gridgov.accountability..",
                            "org.gridgov.analytics..",
                            "org.gridgov.area..",
                            "org.gridgov.assess..",
                            "org.gridgov.category..",
                            "org.gridgov.demo..",
                            "org.gridgov.geo..",
                            "org.gridgov.grid..",
                            "org.gridgov.health..",
                            "org.gridgov.incident..",
                            "org.gridgov.job..",
                            "org.gridgov.live..",
                            "org.gridgov.ogc..",
                            "org.gridgov.open311..",
                            "org.gridgov.patrol..",
                            "org.gridgov.people..",
                            "org.gridgov.rebalance..",
                            "org.gridgov.roster..",
                            "org.gridgov.tiles..",
                            "org.gridgov.webapp..",
                            "org.gridgov.workflow..",
                            "org.gridgov.workorder..");

    /**
     * Handlers parse, authorise and answer; the SQL and the JDBC behind them live in the package's
     * *Store / *Queries classes (ogc's handlers read through FeatureSource and TileSource).
     */
    @ArchTest
    static final ArchRule handlersHoldNoJdbc =
            noClasses()
                    .that()
                    .haveSimpleNameEndingWith("Routes")
                    .should()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("java.sql.Connection")
                    .orShould()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("java.sql.PreparedStatement")
                    .orShould()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("java.sql.ResultSet")
                    .orShould()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("java.sql.Statement")
                    .orShould()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("javax.sql.DataSource");
}
