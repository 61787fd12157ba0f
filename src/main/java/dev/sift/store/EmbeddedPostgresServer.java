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

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir.getParent());
        stopOrphan(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "50")
                .setServerConfig("fsync", "on")
                .start();
        return new EmbeddedPostgresServer(pg);
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

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
