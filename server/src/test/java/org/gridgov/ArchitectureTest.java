package org.gridgov;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph's guard rails (docs/architecture.md): capabilities depend on each other without
 * cycles, only app wires them together, and nothing depends on app or on the benchmarks.
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

    /** bench starts servers itself (it is to become a module of its own). */
    @ArchTest
    static final ArchRule onlyBenchmarksUseTheWiring =
            noClasses()
                    .that()
                    .resideOutsideOfPackages("org.gridgov.app..", "org.gridgov.bench..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.gridgov.app..");

    @ArchTest
    static final ArchRule nothingUsesTheBenchmarks =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("org.gridgov.bench..")
                    .should()
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
                            "org.gridgov.tiles..",
                            "org.gridgov.webapp..",
                            "org.gridgov.workflow..");

    /**
     * Handlers parse, authorise and answer; the SQL and the JDBC behind them live in the package's
     * *Store / *Queries classes. Exempt for now: org.gridgov.ogc, which is being split in its own
     * step (tightened once that has merged).
     */
    @ArchTest
    static final ArchRule handlersHoldNoJdbc =
            noClasses()
                    .that()
                    .haveSimpleNameEndingWith("Routes")
                    .and()
                    .resideOutsideOfPackage("org.gridgov.ogc..")
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
