package dev.sift.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Marks the runs this process owns, and their running stages, INTERRUPTED when it is stopped by SIGTERM or
 * Ctrl-C, so they do not stay RUNNING for ever and {@code sift resume} takes them up. Plain JDBC: it runs in a
 * shutdown hook, while Quarkus itself may already be shutting down.
 */
public final class InterruptedRuns {
    static final String REASON = "interrupted (SIGTERM or Ctrl-C)";
    private static volatile String reason = REASON;

    /** What the runs are marked with when the process ends for another cause than a signal (out of memory). */
    public static void because(String why) {
        reason = why;
    }

    private InterruptedRuns() {
    }

    /** Marks the RUNNING runs owned by {@code pid} on {@code host}; returns their ids, ascending. */
    public static java.util.List<Long> mark(String url, String user, String password, String host, long pid)
            throws SQLException {
        try (Connection c = DatabaseProbe.connect(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement stages = c.prepareStatement("UPDATE stage_run SET status = 'INTERRUPTED', "
                    + "error = ?, finished_at = now(), duration_ms = (extract(epoch FROM now() - started_at) * 1000)"
                    + "::bigint WHERE status = 'RUNNING' AND run_id IN (SELECT id FROM run WHERE status = 'RUNNING' "
                    + "AND owner_host = ? AND owner_pid = ?)");
                    PreparedStatement runs = c.prepareStatement("UPDATE run SET status = 'INTERRUPTED', error = ?, "
                            + "finished_at = now() WHERE status = 'RUNNING' AND owner_host = ? AND owner_pid = ? "
                            + "RETURNING id")) {
                for (PreparedStatement ps : new PreparedStatement[] {stages, runs}) {
                    ps.setString(1, reason);
                    ps.setString(2, host);
                    ps.setLong(3, pid);
                }
                stages.executeUpdate();
                java.util.List<Long> ids = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = runs.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                c.commit();
                java.util.Collections.sort(ids);
                return ids;
            }
        }
    }

    /** The line the shutdown hook prints for the runs it marked, naming them and the command that continues each. */
    static String said(java.util.List<Long> ids) {
        if (ids.size() == 1) {
            return "sift: run " + ids.get(0) + " marked INTERRUPTED; 'sift resume " + ids.get(0) + "' continues it";
        }
        return "sift: runs " + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + " marked INTERRUPTED; 'sift resume RUN' continues each";
    }

    /**
     * Whether the JVM is shutting down (SIGTERM, Ctrl-C, exit): it then refuses new shutdown hooks. What fails then
     * under a closing Quarkus is the stop itself: the hook marks the runs, nothing should wait or report an error.
     */
    public static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** This process's runs: marked when the JVM shuts down while one is still running. */
    public static Runnable onShutdown(String url, String user, String password) {
        String host = RunStore.host();
        long pid = ProcessHandle.current().pid();
        return () -> {
            try {
                java.util.List<Long> ids = mark(url, user, password, host, pid);
                if (!ids.isEmpty()) {
                    System.err.println(said(ids));
                }
            } catch (SQLException e) {
                // with the database away (the command has said so), the runs stay RUNNING under a dead owner, which
                // 'sift resume' takes over as it does after SIGKILL: nothing more to say
                if (!DatabaseSessions.isLoss(e)) {
                    System.err.println("sift: could not mark this process's runs INTERRUPTED: "
                            + DatabaseProbe.firstLine(e.getMessage()));
                }
            }
        };
    }
}
