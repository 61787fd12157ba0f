package dev.sift.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An embedded PostgreSQL 15 whose data directory lives under SIFT_HOME and survives between runs.
 * Started before Quarkus boots, because the datasource URL must be known at boot.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final int sharedPort;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, int sharedPort, String password) {
        this.postgres = postgres;
        this.sharedPort = sharedPort;
        this.password = password;
    }

    /**
     * Starts the server on {@code dataDir}, or joins the one another live sift process started there (so
     * {@code sift runs list} works while a run is going). A server left behind by a killed process is stopped
     * first.
     */
    public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.getParent());
        Path ownerFile = dataDir.resolveSibling("pg.owner");
        Path passwordFile = dataDir.resolveSibling("pg.password");
        boolean newPassword = !Files.exists(passwordFile);
        String password = SecretFile.readOrCreate(passwordFile, 24);
        int port = runningPort(dataDir);
        if (port > 0 && ownerAlive(ownerFile)) {
            return new EmbeddedPostgresServer(null, port, password);
        }
        stopOrphan(dataDir);
        // a data directory from before passwords (or whose password file was deleted) trusts local connections
        // until secure() below has set the password
        boolean secured = !newPassword && PgAuth.secured(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "50")
                .setServerConfig("fsync", "on")
                .setConnectConfig("password", password)
                .start();
        if (!secured) {
            try {
                PgAuth.secure(dataDir, pg.getPort(), password);
            } catch (IOException e) {
                pg.close();
                throw e;
            }
        }
        Files.writeString(ownerFile, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        return new EmbeddedPostgresServer(pg, -1, password);
    }

    /** Port of a live postmaster on the data directory (line 4 of postmaster.pid), else -1. */
    static int runningPort(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Integer.parseInt(lines.get(3).trim());
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean ownerAlive(Path ownerFile) throws IOException {
        if (!Files.exists(ownerFile)) {
            return false;
        }
        try {
            long pid = Long.parseLong(Files.readString(ownerFile, StandardCharsets.US_ASCII).trim());
            return Processes.isOtherLiveJava(pid);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A process killed with SIGKILL leaves its postmaster running (pg_ctl daemonises it) and holding the data
     * directory; stop it so the next start owns the directory.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return;
        }
        String cmd = handle.get().info().command().orElse("");
        if (!cmd.contains("postgres")) {
            return; // pid was reused by an unrelated process
        }
        handle.get().destroy(); // SIGTERM: smart shutdown
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
        }
    }

    /** The JDBC URL, without user or password: see {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + (postgres != null ? postgres.getPort() : sharedPort) + "/postgres";
    }

    public String user() {
        return PgAuth.USER;
    }

    /** The password every connection must present; kept in SIFT_HOME/pg.password (mode 600). */
    public String password() {
        return password;
    }

    /** Whether this process joined a server that another sift process owns. */
    public boolean shared() {
        return postgres == null;
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
