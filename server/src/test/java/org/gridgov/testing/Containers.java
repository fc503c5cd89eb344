package org.gridgov.testing;

import org.gridgov.db.DbSettings;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostGIS in a container, for machines with a Docker engine and no local PostgreSQL. */
final class Containers {

    private static PostgreSQLContainer container;

    private Containers() {}

    static synchronized DbSettings postgis() {
        if (container == null) {
            // pgRouting is not in the postgis/postgis image; pgrouting/pgrouting is built on it.
            container =
                    new PostgreSQLContainer(
                                    DockerImageName.parse("pgrouting/pgrouting:15-3.3-3.4")
                                            .asCompatibleSubstituteFor("postgres"))
                            .withDatabaseName(TestDatabase.NAME)
                            .withUsername("gridgov")
                            // a throw-away superuser of a throw-away container; still no password
                            // in the repo
                            .withPassword(java.util.UUID.randomUUID().toString().replace("-", ""));
            container.start();
        }
        return new DbSettings(
                container.getJdbcUrl(), container.getUsername(), container.getPassword(), 16);
    }
}
