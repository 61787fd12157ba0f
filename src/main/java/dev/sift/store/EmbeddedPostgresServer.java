package dev.sift.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An embedded PostgreSQL 15 whose data directory lives under SIFT_HOME and survives between runs. Started before
 * Quarkus boots, because the datasource URL must be known at boot. Several sift processes share one server: each
 * holds a lease ({@link PgLeases}) from {@link #start} to {@link #close}; the first starts the server, the last
 * one to leave stops it, whichever process started it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** Servers this JVM started, by data directory: stopped through zonky, which also holds their epg-lock. */
    private static final Map<Path, EmbeddedPostgres> STARTED_HERE = new HashMap<>();

    private final Path dataDir;
    private final int port;
    private final String password;
    private final Path lease;
    private boolean closed;

    private EmbeddedPostgresServer(Path dataDir, int port, String password, Path lease) {
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.lease = lease;
    }

    /**
     * Joins the server that another live sift process uses on {@code dataDir}, or starts it. A server left behind
     * by killed processes (no live lease) is stopped first.
     */
    public static EmbeddedPostgresServer start(Path dir) throws IOException {
        Path dataDir = dir.toAbsolutePath().normalize();
        Path home = dataDir.getParent();
        Files.createDirectories(home);
        Path passwordFile = home.resolve("pg.password");
        boolean newPassword = !Files.exists(passwordFile);
        String password = SecretFile.readOrCreate(passwordFile, 24);
        PgLeases leases = new PgLeases(home);
        synchronized (STARTED_HERE) {
            try (AutoCloseable lock = leases.lock()) {
                int port = runningPort(dataDir);
                if (port < 0 || leases.live().isEmpty()) {
                    stop(dataDir);
                    port = startServer(dataDir, password, newPassword);
                }
                return new EmbeddedPostgresServer(dataDir, port, password, leases.add());
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private static int startServer(Path dataDir, String password, boolean newPassword) throws IOException {
        // a data directory from before passwords (or whose password file was deleted) trusts local connections
        // until PgAuth.secure has set the password
        boolean secured = !newPassword && PgAuth.secured(dataDir);
        EmbeddedPostgres pg = startZonky(dataDir, password);
        if (!secured) {
            try {
                PgAuth.secure(dataDir, pg.getPort(), password);
            } catch (IOException e) {
                pg.close();
                throw e;
            }
        }
        STARTED_HERE.put(dataDir, pg);
        return pg.getPort();
    }

    /**
     * zonky locks {@code epg-lock} in the data directory for the life of the JVM that started the server; a
     * process that started it and has just left may still hold that lock for a moment while it exits.
     */
    private static EmbeddedPostgres startZonky(Path dataDir, String password) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false) // close() decides, by the leases
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("max_connections", "50")
                        .setServerConfig("fsync", "on")
                        .setConnectConfig("password", password)
                        .start();
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).startsWith("could not lock") || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    /** Port of a live postmaster on the data directory (line 4 of postmaster.pid), else -1. */
    static int runningPort(Path dataDir) throws IOException {
        List<String> lines = pidFile(dataDir);
        if (lines.size() < 4 || postmaster(lines).isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(lines.get(3).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> pidFile(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            return Files.exists(pidFile) ? Files.readAllLines(pidFile, StandardCharsets.US_ASCII) : List.of();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // removed by a postmaster that just stopped
        }
    }

    /** The live postmaster process named in postmaster.pid; empty when none (or the pid now names another). */
    private static Optional<ProcessHandle> postmaster(List<String> pidFile) {
        if (pidFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(pidFile.get(0).trim())).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().orElse("").contains("postgres"));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the server on the data directory: through zonky when this JVM started it, else (a server started by
     * another process, or one a killed process left running) with a fast shutdown signal.
     */
    static void stop(Path dataDir) throws IOException {
        EmbeddedPostgres pg = STARTED_HERE.remove(dataDir);
        if (pg != null) {
            pg.close();
            return;
        }
        Optional<ProcessHandle> handle = postmaster(pidFile(dataDir));
        if (handle.isEmpty()) {
            return;
        }
        signal("INT", handle.get().pid()); // fast shutdown: ends the sessions, then stops cleanly
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            sleep(100);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
        }
    }

    private static void signal(String signal, long pid) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The JDBC URL, without user or password: see {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return PgAuth.USER;
    }

    /** The password every connection must present; kept in SIFT_HOME/pg.password (mode 600). */
    public String password() {
        return password;
    }

    /** Gives up this lease; the last user to leave stops the server. */
    @Override
    public void close() throws IOException {
        PgLeases leases = new PgLeases(dataDir.getParent());
        synchronized (STARTED_HERE) {
            if (closed) {
                return;
            }
            closed = true;
            try (AutoCloseable lock = leases.lock()) {
                Files.deleteIfExists(lease);
                if (leases.live().isEmpty()) {
                    stop(dataDir);
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
