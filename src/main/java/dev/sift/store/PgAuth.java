package dev.sift.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Password authentication for the embedded PostgreSQL. zonky's initdb trusts every local connection; Sift gives
 * the {@code postgres} role a random password (kept in SIFT_HOME with mode 600) and rewrites pg_hba.conf so every
 * connection, over TCP or the Unix socket, must present it (scram-sha-256).
 */
final class PgAuth {
    static final String USER = "postgres";
    private static final String MARKER = "# sift: password authentication (scram-sha-256) for every connection";
    private static final String HBA = MARKER + "\n"
            + "local   all           all                  scram-sha-256\n"
            + "host    all           all   127.0.0.1/32   scram-sha-256\n"
            + "host    all           all   ::1/128        scram-sha-256\n"
            + "local   replication   all                  scram-sha-256\n"
            + "host    replication   all   127.0.0.1/32   scram-sha-256\n"
            + "host    replication   all   ::1/128        scram-sha-256\n";

    private PgAuth() {
    }

    /** Whether the data directory already demands the password (else it was just created, or predates this). */
    static boolean secured(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith(MARKER);
    }

    /**
     * Sets the role's password on a server that still trusts local connections, then switches it to password
     * authentication and waits until a connection without the password is refused.
     */
    static void secure(Path dataDir, int port, String password) throws IOException {
        try (Connection c = connect(port, password); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
            Path tmp = dataDir.resolve("pg_hba.conf.tmp");
            Files.writeString(tmp, HBA, StandardCharsets.UTF_8);
            Files.move(tmp, dataDir.resolve("pg_hba.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot set the database password: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (acceptsWithoutPassword(port)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the embedded PostgreSQL still accepts connections without a password");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while securing the embedded PostgreSQL", e);
            }
        }
    }

    static Connection connect(int port, String password) throws SQLException {
        return DatabaseProbe.connect("jdbc:postgresql://localhost:" + port + "/postgres", USER, password);
    }

    private static boolean acceptsWithoutPassword(int port) {
        try (Connection c = connect(port, null)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
