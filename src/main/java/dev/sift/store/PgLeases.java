package dev.sift.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Who uses the embedded PostgreSQL under SIFT_HOME: one lease file per user in {@code pg-users/}, named
 * {@code <pid>-<id>}. A lease whose process died (SIGKILL) is stale and ignored. Every decision to start or stop
 * the server is taken while holding {@link #lock}, an exclusive lock on {@code pg.lock}, so concurrent sift
 * processes wait for each other instead of racing.
 */
final class PgLeases {
    private final Path dir;
    private final Path lockFile;

    PgLeases(Path home) {
        this.dir = home.resolve("pg-users");
        this.lockFile = home.resolve("pg.lock");
    }

    /** Holds the exclusive lock until closed; waits (saying so once) while another process holds it. */
    AutoCloseable lock() throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                System.err.println("sift: waiting for another sift process to start or stop the embedded "
                        + "PostgreSQL (" + lockFile + ")");
                lock = channel.lock();
            }
            FileLock held = lock;
            return () -> {
                held.release();
                channel.close();
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Registers a new user of this process; returns its lease file. */
    Path add() throws IOException {
        Path lease = dir.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createFile(lease);
        return lease;
    }

    /** Deletes stale leases and returns the live ones. */
    List<Path> live() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                if (alive(f)) {
                    return true;
                }
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return false;
            }).toList();
        }
    }

    private static boolean alive(Path lease) {
        String name = lease.getFileName().toString();
        int dash = name.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
            return pid == ProcessHandle.current().pid() || Processes.isOtherLiveJava(pid);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
