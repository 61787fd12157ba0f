package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL under SIFT_HOME: password authentication, upgrades, shared use by several users. */
class EmbeddedPostgresServerTest {
    @TempDir
    Path home;

    @Test
    void connectionWithoutThePasswordIsRefused() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.resolve("pg"))) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                    c.createStatement().execute("SELECT 1");
                }
            });
            assertTrue(e.getMessage().contains("password"), e.getMessage());
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
                assertTrue(c.createStatement().executeQuery("SELECT 1").next());
            }
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(home.resolve("pg.password")));
        }
        // the next start (the data directory is now secured) works with the same password
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(home.resolve("pg"))) {
            assertRefusedWithoutPassword(again);
            assertAccepted(again);
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsIsSecuredOnItsFirstStart() throws Exception {
        Path dir = home.resolve("pg");
        // what older Sift versions left behind: zonky's initdb, trusting every local connection
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .start(); Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"))) {
            c.createStatement().execute("CREATE TABLE kept (x int)");
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir)) {
            assertRefusedWithoutPassword(server);
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
                c.createStatement().execute("SELECT * FROM kept"); // the old data is still there
            }
        }
    }

    private static void assertRefusedWithoutPassword(EmbeddedPostgresServer server) {
        assertThrows(SQLException.class, () -> DriverManager.getConnection(server.jdbcUrl(), server.user(), null)
                .close());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(server.jdbcUrl(), server.user(), "wrong")
                .close());
    }

    private static void assertAccepted(EmbeddedPostgresServer server) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            assertTrue(c.createStatement().executeQuery("SELECT 1").next());
        }
    }

    @Test
    void theFirstUserLeavingDoesNotStopTheServerUnderTheSecond() throws Exception {
        for (int round = 0; round < 5; round++) {
            EmbeddedPostgresServer first = EmbeddedPostgresServer.start(home.resolve("pg"));
            EmbeddedPostgresServer second = EmbeddedPostgresServer.start(home.resolve("pg"));
            first.close();
            assertAccepted(second);
            second.close();
            assertTrue(EmbeddedPostgresServer.runningPort(home.resolve("pg")) < 0, "the last user stops it");
        }
    }
}
